"""A database URL to a working SQLAlchemy engine, with its failures said in words.

``sqlite:///data/news.db`` (relative to the working directory) or ``sqlite:////abs/path.db``;
``postgresql://user:password@host:5432/dbname`` (driven by psycopg 3). :func:`connect` opens a first
connection at once, so an unreachable server or a missing database stops a crawl before it fetches anything.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from urllib.parse import unquote

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from crawler.store.errors import StoreError, translate

# Seconds a SQLite writer waits for another one to finish before giving up ("database is locked"): a batch
# takes well under a second, so waiting this long means something is stuck.
SQLITE_BUSY_SECONDS = 30
# Seconds to wait for a PostgreSQL server to accept a connection: a firewalled host would otherwise hang.
PG_CONNECT_SECONDS = 10
# INSERT ... ON CONFLICT ... RETURNING needs SQLite 3.35 (2021).
MIN_SQLITE = (3, 35)


def redact(url: str | URL) -> str:
    """The URL as the user wrote it, with its password hidden, for messages and logs."""
    if isinstance(url, URL):
        # SQLAlchemy escapes what it renders (file: becomes file%3A); the message shows what the user wrote.
        url = unquote(url.render_as_string(hide_password=True))
    # The driver is ours (make_engine adds it), not the user's: shown as they wrote it.
    text = url.replace("postgresql+psycopg://", "postgresql://", 1)
    text = re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", text)
    return re.sub(r"(?i)(password=)[^&]*", r"\1***", text)


def connect(url: str, *, create: bool = True) -> Engine:
    """An engine for ``url`` whose database answered a first query.

    ``create``: a SQLite file (and its folder) is created when missing; readers (export, stats) pass False so a
    mistyped path is an error instead of a new empty database.
    """
    engine = make_engine(url, create=create)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except DBAPIError as exc:
        engine.dispose()
        error = translate(exc, redact(url))
        if error is None:
            raise
        raise error from exc
    return engine


def make_engine(url: str, *, create: bool = True) -> Engine:
    """An engine for ``url`` (no connection opened yet); SQLite gets its pragmas on every connection."""
    parsed = _parse(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed, create)
    if backend == "postgresql":
        # The driver is named here so that plain postgresql:// URLs use psycopg 3, which we depend on, and not
        # SQLAlchemy's default psycopg2, which we do not.
        parsed = parsed.set(drivername="postgresql+psycopg")
        return sa.create_engine(
            parsed,
            # A long crawl outlives idle connections a server or a proxy closes; a ping costs one round trip.
            pool_pre_ping=True,
            # Rows per multi-row INSERT ... RETURNING. SQLAlchemy's 1000 makes 24,000-parameter statements that
            # PostgreSQL plans slowly; 100 wrote articles 1.6 times faster (bench/store.py). The writer's article
            # inserts no longer take this path (bulk.py: psycopg's pipeline was faster still).
            insertmanyvalues_page_size=100,
            connect_args={"connect_timeout": PG_CONNECT_SECONDS},
        )
    raise StoreError(redact(url), f"unsupported database {backend!r}", "use sqlite:///FILE or postgresql://...")


def _parse(url: str) -> URL:
    if url.startswith("postgres://"):  # Heroku's and libpq's spelling
        url = "postgresql://" + url[len("postgres://") :]
    try:
        return make_url(url)
    except ArgumentError:
        raise StoreError(
            redact(url), "not a database URL", "write sqlite:///FILE or postgresql://user@host/db"
        ) from None


def _sqlite_engine(url: URL, create: bool) -> Engine:
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise StoreError(
            redact(url),
            f"SQLite {sqlite3.sqlite_version} is too old (3.35 or newer needed)",
            "use a Python built with a newer SQLite, or PostgreSQL",
        )
    path = _sqlite_path(url)
    if path is not None:
        if not path.exists() and not create:
            raise StoreError(redact(url), f"no database file at {path}", "run a crawl first, or give --db")
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_path(url: URL) -> Path | None:
    """The database file, or None for an in-memory database."""
    database = url.database or ""
    if database in ("", ":memory:") or "mode=memory" in database:
        return None
    if database.startswith("file:"):  # a URI filename (?uri=true): file:path?mode=ro
        database = database[len("file:") :].split("?")[0]
    return Path(database)


def _sqlite_on_connect(dbapi_conn, _record) -> None:
    # We issue BEGIN ourselves (_sqlite_on_begin); the sqlite3 module's own implicit transactions would start
    # too late (after a read) for a writer's read-then-write to be atomic.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    # WAL: readers (export) never block the writer and the writer never blocks them. synchronous=NORMAL: a
    # crash of the process loses nothing committed (an OS crash may lose the last commits, never consistency).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # The WAL is copied back into the database (with a disk sync) when it passes this many pages. SQLite's 1000
    # (4 MB) is about one batch of articles, so nearly every commit paid for a checkpoint. A checkpoint copies
    # each page once however often the WAL rewrote it (the indexes' pages are rewritten by every batch), so the
    # fewer the checkpoints the less they copy: 4000 pages (16 MB) made the writer 10-15 % faster than 1000,
    # 16000 (64 MB, the WAL file's size from then on) a further 25-40 % at 100,000 articles (bench/store.py).
    # A crash loses nothing more for it: what is in the WAL is committed.
    cursor.execute("PRAGMA wal_autocheckpoint=16000")
    # 32 MB of page cache (SQLite's default is 2 MB): the canonical_url index is written in random order and
    # stays in memory much longer.
    cursor.execute("PRAGMA cache_size=-32000")
    cursor.close()


def _sqlite_on_begin(conn) -> None:
    # Writers ask for IMMEDIATE (execution option sqlite_begin): the write lock is taken at BEGIN, so two writer
    # processes queue on the busy timeout instead of failing when a read lock cannot be upgraded.
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")
