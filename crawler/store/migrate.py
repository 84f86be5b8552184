"""Numbered migrations, applied in place when a crawl, an export or the stats open the database.

Version 1 is the base schema (schema.py's tables); every later number is a step that changes a database of the
version before it, in one transaction with the stamp that records it. An empty database goes through every
step; a database newer than this code is refused, since we cannot know what its tables mean.

To change the schema: change schema.py, add a step here with the next number, and keep ``_create_base``
creating the version-1 tables (freeze them into a copy when a step alters one of them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from crawler.store.engine import redact
from crawler.store.errors import StoreError, translate
from crawler.store.runs import create_tables as create_run_tables
from crawler.store.schema import create_fulltext, metadata, schema_version

log = logging.getLogger(__name__)


def _create_base(conn: Connection) -> None:
    metadata.create_all(conn)
    if conn.dialect.name == "postgresql" and _pg_has_lz4(conn):
        # Bodies (4 KB and up) are compressed when stored; PostgreSQL's default pglz took 60 us per article,
        # lz4 (PostgreSQL 14+) a fifth of that, for about the same size.
        for table, column in (("articles", "body"), ("revisions", "body"), ("revisions", "record")):
            conn.exec_driver_sql(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION lz4")


def _create_fulltext_v2(conn: Connection) -> None:
    """Version 2's full text, frozen as released: the engines tokenised title and body themselves (FTS5 kept in
    sync by triggers; a GIN index on to_tsvector). Version 3 replaced it (``_fulltext_words``)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE INDEX ix_articles_fulltext ON articles USING GIN"
            " (to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(body, '')))"
        )
        return
    if "ENABLE_FTS5" not in conn.exec_driver_sql("PRAGMA compile_options").scalars().all():
        return
    conn.exec_driver_sql(
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles', content_rowid='id',"
        " tokenize='unicode61 remove_diacritics 2')"
    )
    conn.exec_driver_sql(
        "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN"
        " INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END"
    )
    conn.exec_driver_sql(
        "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN"
        " INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);"
        " END"
    )
    conn.exec_driver_sql(
        "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN"
        " INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);"
        " INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END"
    )
    conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")


def _fulltext_words(conn: Connection) -> None:
    """Version 3: the writer indexes search words it made (schema.create_fulltext) instead of the engine
    tokenising whole bodies, which was a third of SQLite's write time and two thirds of PostgreSQL's."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_articles_fulltext")
    else:
        for trigger in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
        conn.exec_driver_sql("DROP TABLE IF EXISTS articles_fts")
    create_fulltext(conn)


# The tables whose rows belong to one article and are written with it, in every batch.
_PG_CHILD_TABLES = ("article_authors", "article_tags", "article_images", "articles_fts")
_PG_DELETE_CHILDREN = f"""
CREATE FUNCTION articles_delete_children() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{"".join(f"    DELETE FROM {table} WHERE article_id = OLD.id;" + chr(10) for table in _PG_CHILD_TABLES)}    RETURN NULL;
END $$
"""


def _pg_children_without_row_checks(conn: Connection) -> None:
    """Version 5, PostgreSQL only: the child tables' foreign keys go, a trigger deletes an article's rows with it.

    A foreign key checks every inserted row against ``articles`` (a lookup and a row lock): ten rows per article
    (authors, tags, images, search words) cost the server about 30 us an article, a sixth of the writer's time.
    Only the writer inserts those rows, in the transaction that inserted or locked (``FOR UPDATE``) their
    article, so the check never finds anything wrong; what the foreign keys also did, deleting an article's rows
    with it (ON DELETE CASCADE), the trigger does. A DELETE of an article a writer is writing waits for its
    commit (the row lock), then the trigger deletes the rows that writer added. ``revisions`` keeps its key:
    it is written only for corrections. SQLite keeps its keys: checking them costs next to nothing there.
    """
    if conn.dialect.name != "postgresql":
        return
    query = sa.text("SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(:table) AND contype = 'f'")
    quote = conn.dialect.identifier_preparer.quote
    for table in _PG_CHILD_TABLES:
        for name in conn.execute(query, {"table": table}).scalars().all():
            conn.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    conn.exec_driver_sql(_PG_DELETE_CHILDREN)
    conn.exec_driver_sql(
        "CREATE TRIGGER articles_delete_children AFTER DELETE ON articles"
        " FOR EACH ROW EXECUTE FUNCTION articles_delete_children()"
    )


def _pg_has_lz4(conn: Connection) -> bool:
    query = "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"
    values = conn.exec_driver_sql(query).scalar()
    return bool(values) and "lz4" in values


# version -> (what it does, the step). Never renumber or edit a released step: databases out there ran it.
MIGRATIONS: dict[int, tuple[str, Callable[[Connection], None]]] = {
    1: ("articles, authors, tags, images, revisions", _create_base),
    2: ("full-text index over title and body", _create_fulltext_v2),
    3: ("full text over the search words the crawler makes (accents ignored on both engines)", _fulltext_words),
    4: ("run history, per-site health and job locks (crawler jobs run, crawler schedule)", create_run_tables),
    5: ("PostgreSQL: article rows deleted by a trigger, not checked by foreign keys", _pg_children_without_row_checks),
}
LATEST = max(MIGRATIONS)

# pg_advisory_xact_lock key: two crawlers starting at once on an empty database take turns migrating it.
_PG_LOCK = 0x6E657773  # "news"


def migrate(engine: Engine, target: int = LATEST) -> int:
    """Bring the database to ``target`` (the latest by default); returns the version it was at before."""
    url = redact(engine.url)
    try:
        # IMMEDIATE on SQLite: the write lock from the start, so concurrent starters queue rather than fail.
        with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
            before = _lock_and_read_version(conn, url)
            for version in range(before + 1, target + 1):
                description, step = MIGRATIONS[version]
                step(conn)
                conn.execute(
                    schema_version.insert().values(
                        version=version, description=description, applied_at=datetime.now(timezone.utc)
                    )
                )
            # A write that changes nothing: a read-only file or server is found now, at start-up, not at the
            # first batch after minutes of fetching.
            conn.execute(schema_version.delete().where(sa.false()))
    except DBAPIError as exc:
        error = translate(exc, url)
        if error is None:
            raise
        raise error from exc
    if before < target:
        log.info("Store: %s migrated from schema version %d to %d", url, before, target)
    return before


def current_version(conn: Connection) -> int:
    """The schema version of the database; 0 when it has none (empty)."""
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0


def _lock_and_read_version(conn: Connection, url: str) -> int:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    version = current_version(conn)
    if version > LATEST:
        raise StoreError(
            url,
            f"the database has schema version {version}, newer than this crawler knows ({LATEST})",
            "upgrade the crawler (pip install -U news-crawler), or give another database with --db",
        )
    if version == 0 and sa.inspect(conn).has_table("articles"):
        raise StoreError(
            url, "the database has an articles table but no schema_version", "give the crawler a database of its own"
        )
    return version
