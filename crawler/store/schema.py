"""The tables, as SQLAlchemy Core: one code path for SQLite and PostgreSQL.

- ``articles``: one row per canonical URL, every scalar field of the record, plus ``published_utc`` (for the
  site/time index; NULL when the page gave no offset), ``content_hash`` and ``first_seen``/``last_seen``.
- ``article_authors``, ``article_tags``, ``article_images``: the record's lists as rows, in page order
  (``position``), so "articles by this author / with this tag" is an indexed query, not JSON parsing.
- ``revisions``: the previous version of an article each time its content changed (news sites correct).
  On PostgreSQL the child tables (and ``articles_fts``) lose their foreign keys in schema version 5, a trigger
  deleting their rows with their article instead (migrate.py); the ``ForeignKey`` s here are version 1's.
- ``schema_version``: one row per migration applied (see migrate.py).
- ``articles_fts``: each article's search words (words.py), written by the writer: an FTS5 table on SQLite, a
  table of ``tsvector`` with a GIN index on PostgreSQL (:func:`create_fulltext`); :func:`fulltext_ids` searches.

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

from crawler.store.words import article_words, query_words

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

# The search words of each article (words.py: accents and case folded, each word once), one row per article,
# written by the writer in the batch that writes the article, and searched with the words of the query made
# the same way, so a search means the same on both engines. Not in ``metadata``: the SQLite table is virtual,
# and each engine has its own kind. Keyed by the article's id (``rowid`` on SQLite, ``article_id`` on
# PostgreSQL); deleting an article deletes its words.
FULLTEXT = "articles_fts"

_SQLITE_FULLTEXT = (
    # 'ascii' keeps each of our words whole (it splits on ASCII punctuation, which they have none of);
    # detail=none records which articles have a word, not where: the words are distinct already, and the
    # index is a fifth of the size of a positional one.
    f"CREATE VIRTUAL TABLE {FULLTEXT} USING fts5(words, tokenize='ascii', detail=none)",
    f"CREATE TRIGGER {FULLTEXT}_delete AFTER DELETE ON articles BEGIN DELETE FROM {FULLTEXT} WHERE rowid = old.id; END",
)
_PG_FULLTEXT = (
    f"CREATE TABLE {FULLTEXT} (article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,"
    " words TSVECTOR NOT NULL)",
    f"CREATE INDEX ix_{FULLTEXT}_words ON {FULLTEXT} USING GIN (words)",
)
# Articles per statement when indexing the ones stored before the index existed.
_FILL_CHUNK = 1000


def create_fulltext(conn: Connection) -> None:
    """The engine's full-text table, filled with the words of the articles already stored."""
    if conn.dialect.name == "postgresql":
        statements = _PG_FULLTEXT
    elif _sqlite_has_fts5(conn):
        statements = _SQLITE_FULLTEXT
    else:
        log.warning("Store: this SQLite has no FTS5; full-text search is not available")
        return
    for statement in statements:
        conn.exec_driver_sql(statement)
    insert = sa.text(f"INSERT INTO {FULLTEXT} ({fulltext_key(conn)}, words) VALUES (:id, {_words_value(conn)})")
    last = 0
    while True:
        query = sa.select(articles.c.id, articles.c.title, articles.c.body).where(articles.c.id > last)
        rows = conn.execute(query.order_by(articles.c.id).limit(_FILL_CHUNK)).all()
        if not rows:
            return
        conn.execute(insert, [{"id": id_, "words": " ".join(article_words(t, b))} for id_, t, b in rows])
        last = rows[-1].id


def has_fulltext(conn: Connection) -> bool:
    """Whether the database has the full-text table the writer fills: not on a SQLite without FTS5, nor before
    version 3 (whose SQLite table of the same name was kept by triggers)."""
    if conn.dialect.name == "postgresql":
        return conn.execute(sa.text("SELECT to_regclass(:name) IS NOT NULL"), {"name": FULLTEXT}).scalar()
    query = sa.text("SELECT count(*) FROM pragma_table_info(:name) WHERE name = 'words'")
    return bool(conn.execute(query, {"name": FULLTEXT}).scalar())


def fulltext_key(conn: Connection) -> str:
    """The full-text table's column holding the article id."""
    return "article_id" if conn.dialect.name == "postgresql" else "rowid"


def fulltext_ids(conn: Connection, words: str, limit: int = 100) -> list[int]:
    """Ids of the articles whose title or body has all of ``words``, accents and case aside (``ha noi`` finds
    ``Hà Nội``); best match first on SQLite, by id on PostgreSQL."""
    query = query_words(words)
    if not query:
        return []
    # The words are letters and digits only (words.py), so quoting them needs no escaping.
    if conn.dialect.name == "postgresql":
        sql = f"SELECT article_id FROM {FULLTEXT} WHERE words @@ CAST(:q AS tsquery) ORDER BY article_id LIMIT :n"
        return list(conn.execute(sa.text(sql), {"q": " & ".join(f"'{w}'" for w in query), "n": limit}).scalars())
    sql = f"SELECT rowid FROM {FULLTEXT} WHERE {FULLTEXT} MATCH :q ORDER BY rank LIMIT :n"
    return list(conn.execute(sa.text(sql), {"q": " ".join(f'"{w}"' for w in query), "n": limit}).scalars())


def _words_value(conn: Connection) -> str:
    # A tsvector's text form is its lexemes separated by spaces, which is what " ".join(words) is.
    return "CAST(:words AS tsvector)" if conn.dialect.name == "postgresql" else ":words"


def _sqlite_has_fts5(conn: Connection) -> bool:
    options = conn.exec_driver_sql("PRAGMA compile_options").scalars().all()
    return "ENABLE_FTS5" in options
