"""Failures said clearly: each a StoreError naming the database (password hidden) and what to do, and what
was stored before stays intact."""

from __future__ import annotations

import os
import socket
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from store_support import make_record

from crawler.store import open_store
from crawler.store.engine import connect, redact
from crawler.store.errors import StoreError
from crawler.store.export import iter_records
from crawler.store.schema import articles
from crawler.store.writer import ArticleWriter


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stored_sqlite(tmp_path, n: int = 3) -> tuple[str, str]:
    """A SQLite database holding n articles; returns (URL, path)."""
    path = str(tmp_path / "news.db")
    engine = open_store(f"sqlite:///{path}")
    writer = ArticleWriter(engine)
    for i in range(n):
        writer.add(make_record(i))
    writer.flush()
    engine.dispose()
    return f"sqlite:///{path}", path


def assert_intact(url: str, n: int) -> None:
    engine = connect(url)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    assert sorted(r["url"] for r in iter_records(engine)) == sorted(make_record(i)["url"] for i in range(n))
    engine.dispose()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://crawler:s3cret@db.example:5432/news", "postgresql://crawler:***@db.example:5432/news"),
        ("postgresql://db.example/news?password=s3cret", "postgresql://db.example/news?password=***"),
        ("sqlite:///data/news.db", "sqlite:///data/news.db"),
        (sa.engine.make_url("postgresql+psycopg://u:p%40ss@h/db"), "postgresql://u:***@h/db"),
        ("not a url://u:s3cret@x", "not a url://u:***@x"),
    ],
)
def test_redact_hides_passwords(url, shown):
    assert redact(url) == shown


def test_a_read_only_sqlite_file_is_refused_at_start_up(tmp_path):
    url, path = stored_sqlite(tmp_path)
    # Root ignores file modes, so the file is opened read-only the way SQLite itself offers.
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"

    with pytest.raises(StoreError) as error:
        open_store(read_only)

    message = str(error.value)
    assert message.startswith("the database file is read-only (sqlite:///file:")
    assert "make the file and its folder writable" in message
    assert_intact(url, 3)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only files")
def test_a_sqlite_file_without_write_permission_is_refused(tmp_path):
    url, path = stored_sqlite(tmp_path)
    os.chmod(path, 0o444)
    try:
        with pytest.raises(StoreError, match="read-only"):
            open_store(url)
    finally:
        os.chmod(path, 0o644)
    assert_intact(url, 3)


def test_a_full_disk_fails_the_batch_and_keeps_what_was_stored(tmp_path):
    url, path = stored_sqlite(tmp_path)
    engine = open_store(url)
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

    # SQLite's max_page_count makes a disk that is full a few pages from now.
    @event.listens_for(engine, "connect")
    def small_disk(dbapi_conn, _record):
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + 2}")

    engine.dispose()  # new connections get the limit
    writer = ArticleWriter(engine, batch_size=1000)
    for i in range(3, 200):
        writer.add(make_record(i, body="Nội dung dài. " * 400))

    with pytest.raises(StoreError) as error:
        writer.flush()

    assert str(error.value).startswith(f"the disk is full (or the database reached its size limit) ({url})")
    assert "the failing batch was rolled back and what was stored before is intact" in str(error.value)
    assert writer.pending == 197  # kept: nothing of it was written
    engine.dispose()
    assert_intact(url, 3)


def test_an_unreachable_postgresql_server(tmp_path):
    port = free_port()
    with pytest.raises(StoreError) as error:
        connect(f"postgresql://crawler:s3cret@127.0.0.1:{port}/news")
    message = str(error.value)
    assert message.startswith(f"cannot reach the PostgreSQL server (postgresql://crawler:***@127.0.0.1:{port}/news)")
    assert "s3cret" not in message and "Start it" in message


def test_a_missing_postgresql_database(pg_server):
    name = f"news_test_missing_{uuid.uuid4().hex[:8]}"
    url = sa.engine.make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    with pytest.raises(StoreError, match=f'database "{name}" does not exist .*createdb {name}'):
        open_store(url)


def test_a_missing_postgresql_role(pg_server):
    role = f"nobody_{uuid.uuid4().hex[:8]}"
    url = sa.engine.make_url(pg_server).set(username=role, password="pw").render_as_string(hide_password=False)
    with pytest.raises(StoreError) as error:
        open_store(url)
    assert f'role "{role}" does not exist' in str(error.value) and "pw@" not in str(error.value)


def test_an_unsupported_or_malformed_url():
    with pytest.raises(StoreError, match="unsupported database 'mysql'"):
        connect("mysql://u:p@localhost/news")
    with pytest.raises(StoreError, match="not a database URL"):
        connect("news.db")


def test_a_reader_does_not_create_a_missing_sqlite_file(tmp_path):
    with pytest.raises(StoreError, match="no database file at"):
        open_store(f"sqlite:///{tmp_path}/typo.db", create=False)
    assert not (tmp_path / "typo.db").exists()


def test_a_table_of_someone_else_is_not_taken_over(tmp_path):
    engine = connect(f"sqlite:///{tmp_path}/other.db")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE articles (x)")
    engine.dispose()
    with pytest.raises(StoreError, match="articles table but no schema_version"):
        open_store(f"sqlite:///{tmp_path}/other.db")


def test_stored_rows_stay_when_a_batch_fails_on_postgresql(pg_url):
    engine = open_store(pg_url)
    writer = ArticleWriter(engine)
    writer.add(make_record(0))
    writer.flush()
    # A value PostgreSQL refuses (a NUL character) fails the batch in the middle of its statements.
    writer.add(make_record(1))
    writer.add(make_record(2, body="bad \x00 byte"))
    with pytest.raises(sa.exc.DataError):
        writer.flush()  # an unknown failure is raised as it is, with its traceback
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar() == 1
    engine.dispose()
