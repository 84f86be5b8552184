"""The tables, as SQLAlchemy Core: one code path for SQLite and PostgreSQL.

- ``articles``: one row per canonical URL, every scalar field of the record, plus ``published_utc`` (for the
  site/time index; NULL when the page gave no offset), ``content_hash`` and ``first_seen``/``last_seen``.
- ``article_authors``, ``article_tags``, ``article_images``: the record's lists as rows, in page order
  (``position``), so "articles by this author / with this tag" is an indexed query, not JSON parsing.
- ``revisions``: the previous version of an article each time its content changed (news sites correct).
- ``schema_version``: one row per migration applied (see migrate.py).
- Full text: an FTS5 table on SQLite, a GIN expression index on PostgreSQL (:func:`create_fulltext`).

The columns are listed by hand, not generated from the record's fields: a new record field must come with a
migration, and tests/test_store_schema.py fails until it does.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)

metadata = sa.MetaData(
    naming_convention={"ix": "ix_%(table_name)s_%(column_0_N_name)s", "uq": "uq_%(table_name)s_%(column_0_name)s"}
)

# 64-bit keys on PostgreSQL (a busy crawl passes 2**31 images); on SQLite an INTEGER PRIMARY KEY is the rowid.
Key = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out, on both engines.

    PostgreSQL stores ``timestamptz``; SQLite stores text and would drop the offset, so it gets naive UTC,
    whose fixed-width text sorts and compares in time order.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: storage needs aware datetimes")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


articles = Table(
    "articles",
    metadata,
    Column("id", Key, primary_key=True, autoincrement=True),
    Column("canonical_url", Text, nullable=False, unique=True, comment="the record's key"),
    Column("url", Text),
    Column("site", Text),
    Column("site_name", Text),
    Column("language", Text),
    Column("title", Text),
    Column("lede", Text),
    Column("body", Text),
    Column("published", Text, comment="ISO 8601 as the record has it: its offset, or none, or a date"),
    Column("published_raw", Text),
    Column("modified", Text),
    Column("modified_raw", Text),
    Column("source", Text),
    Column("section", Text),
    Column("crawled_at", Text),
    Column("extractor", Text),
    Column("page_type", Text),
    Column("schema_version", Integer, comment="the record's layout version (items.SCHEMA_VERSION)"),
    Column("published_utc", UtcDateTime, comment="published in UTC; NULL when its offset is unknown"),
    Column("content_hash", String(64), nullable=False, comment="sha256 of the fields whose change is a revision"),
    Column("first_seen", UtcDateTime, nullable=False),
    Column("last_seen", UtcDateTime, nullable=False),
    Index(None, "site", "published_utc"),
)

article_authors = Table(
    "article_authors",
    metadata,
    Column("article_id", Key, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Index(None, "name"),
)

article_tags = Table(
    "article_tags",
    metadata,
    Column("article_id", Key, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("tag", Text, nullable=False),
    Index(None, "tag"),
)

article_images = Table(
    "article_images",
    metadata,
    Column("article_id", Key, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("url", Text, nullable=False),
    Column("caption", Text),
    Column("credit", Text),
)

revisions = Table(
    "revisions",
    metadata,
    Column("id", Key, primary_key=True, autoincrement=True),
    Column("article_id", Key, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("revised_at", UtcDateTime, nullable=False, comment="when the newer version replaced this one"),
    Column("title", Text),
    Column("body", Text),
    Column("published", Text),
    Column("modified", Text),
    Column("content_hash", String(64), nullable=False),
    Column("last_seen", UtcDateTime, nullable=False, comment="the last time this version was fetched"),
    Column("record", Text, nullable=False, comment="the whole previous record as JSON (export field order)"),
)

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", UtcDateTime, nullable=False),
)

# The record's lists and the child tables that hold them.
CHILD_TABLES = {"authors": article_authors, "tags": article_tags, "images": article_images}

# --- Full text -------------------------------------------------------------------------------------------

# unicode61 with remove_diacritics: "ha noi" finds "Hà Nội", the way Vietnamese readers often type.
_SQLITE_FULLTEXT = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2')",
    # Triggers rather than writer code keep the index right whoever writes the table. The update trigger
    # fires only when title or body is written: a re-crawl that changes nothing updates last_seen alone and
    # costs the index nothing.
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN"
    " INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN"
    " INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);"
    " END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN"
    " INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);"
    " INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    # Articles stored before the index existed.
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
)

# 'simple': no stemming or stop words, which exist for few of the languages we crawl (none for Vietnamese).
# A query must repeat this exact expression for PostgreSQL to use the index.
PG_DOCUMENT = "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(body, ''))"


def create_fulltext(conn: Connection) -> None:
    """The engine's full-text index over title and body, filled from the rows already there."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"CREATE INDEX ix_articles_fulltext ON articles USING GIN ({PG_DOCUMENT})")
    elif conn.dialect.name == "sqlite":
        if not _sqlite_has_fts5(conn):
            log.warning("Store: this SQLite has no FTS5; full-text search is not available")
            return
        for statement in _SQLITE_FULLTEXT:
            conn.exec_driver_sql(statement)


def fulltext_ids(conn: Connection, words: str, limit: int = 100) -> list[int]:
    """Ids of the articles whose title or body contains all of ``words`` (best match first on SQLite)."""
    if conn.dialect.name == "postgresql":
        sql = f"SELECT id FROM articles WHERE {PG_DOCUMENT} @@ plainto_tsquery('simple', :q) ORDER BY id LIMIT :n"
        return list(conn.execute(sa.text(sql), {"q": words, "n": limit}).scalars())
    # Each word quoted: FTS5 syntax characters in user text (a hyphen, a colon) are then plain text.
    query = " ".join('"' + w.replace('"', '""') + '"' for w in words.split())
    sql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q ORDER BY rank LIMIT :n"
    return list(conn.execute(sa.text(sql), {"q": query, "n": limit}).scalars())


def _sqlite_has_fts5(conn: Connection) -> bool:
    options = conn.exec_driver_sql("PRAGMA compile_options").scalars().all()
    return "ENABLE_FTS5" in options
