"""Schema and migrations (crawler/store/schema.py, migrate.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from store_support import make_record

from crawler.items import EXPORT_FIELDS
from crawler.store import open_store
from crawler.store.engine import connect
from crawler.store.errors import StoreError
from crawler.store.migrate import LATEST, MIGRATIONS, current_version, migrate
from crawler.store.records import SCALAR_FIELDS
from crawler.store.schema import CHILD_TABLES, articles, fulltext_ids, schema_version
from crawler.store.writer import ArticleWriter


def test_every_record_field_has_a_column_or_a_child_table():
    columns = set(articles.c.keys())
    assert set(SCALAR_FIELDS) <= columns, "a new record field needs a column and a migration"
    assert set(EXPORT_FIELDS) == set(SCALAR_FIELDS) | set(CHILD_TABLES)


def test_an_empty_database_gets_the_latest_schema(db_url):
    engine = connect(db_url)
    assert migrate(engine) == 0
    with engine.connect() as conn:
        assert current_version(conn) == LATEST
        stamps = conn.execute(sa.select(schema_version.c.version).order_by(schema_version.c.version)).scalars()
        assert list(stamps) == sorted(MIGRATIONS)
        tables = set(sa.inspect(conn).get_table_names())
    assert {"articles", "article_authors", "article_tags", "article_images", "revisions"} <= tables
    # Opening again changes nothing.
    assert migrate(engine) == LATEST
    engine.dispose()


def test_an_old_database_is_upgraded_in_place_keeping_its_articles(db_url):
    engine = connect(db_url)
    migrate(engine, target=1)  # a database from before full-text search
    writer = ArticleWriter(engine)
    writer.add(make_record(1, title="Bão số 3 đổ bộ"))
    writer.flush()

    assert migrate(engine) == 1

    with engine.connect() as conn:
        assert current_version(conn) == LATEST
        assert conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar() == 1
        # The articles stored before the index existed are in it.
        assert fulltext_ids(conn, "Bão") == [1]
    engine.dispose()


def test_a_version_2_database_moves_to_the_writers_search_words_keeping_its_articles(db_url):
    engine = connect(db_url)
    migrate(engine, target=2)  # full text by the engine's own tokenizer: triggers / an expression index
    writer = ArticleWriter(engine)
    writer.add(make_record(1, title="Đà Nẵng đón bão", body="Người dân sơ tán."))
    writer.add(make_record(2, title="Giá vàng", body="Thị trường."))
    writer.flush()

    assert migrate(engine) == 2

    with engine.connect() as conn:
        assert current_version(conn) == LATEST
        assert fulltext_ids(conn, "da nang") == [1]  # the articles stored before are indexed, đ folded
        assert fulltext_ids(conn, "nguoi dan") == [1]
        if engine.dialect.name == "sqlite":
            triggers = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars()
            assert set(triggers) == {"articles_fts_delete"}  # the v2 sync triggers are gone
        else:
            indexes = conn.exec_driver_sql("SELECT indexname FROM pg_indexes WHERE tablename = 'articles'").scalars()
            assert "ix_articles_fulltext" not in set(indexes)  # the to_tsvector index is gone
    # And the writer keeps the index up to date from there.
    writer.add(make_record(3, title="Hà Nội mưa", body="Đường ngập."))
    writer.flush()
    with engine.connect() as conn:
        assert fulltext_ids(conn, "duong ngap") == [3]
    engine.dispose()


def test_a_database_from_the_future_is_refused(db_url):
    engine = open_store(db_url)
    with engine.begin() as conn:
        conn.execute(schema_version.insert().values(version=LATEST + 1, description="later", applied_at=sa.func.now()))

    with pytest.raises(StoreError, match=f"schema version {LATEST + 1}, newer than this crawler knows"):
        migrate(engine)
    engine.dispose()


def test_full_text_search_finds_title_and_body_words(store):
    writer = ArticleWriter(store)
    writer.add(make_record(1, title="Giá vàng tăng mạnh", body="Thị trường sôi động."))
    writer.add(make_record(2, title="Bóng đá", body="Đội tuyển thắng trận."))
    writer.flush()
    with store.connect() as conn:
        assert fulltext_ids(conn, "vàng") == [1]
        assert fulltext_ids(conn, "đội tuyển") == [2]
        assert fulltext_ids(conn, "không-có-từ-này") == []


def test_full_text_search_ignores_accents_and_case_on_both_engines(store):
    writer = ArticleWriter(store)
    writer.add(make_record(1, title="Hà Nội: đường phố ngập", body="Mưa lớn ở Đống Đa."))
    writer.add(make_record(2, title="Straße in Berlin", body="ÉLÈVES et CAFÉ."))
    writer.flush()
    with store.connect() as conn:
        assert fulltext_ids(conn, "ha noi") == [1]
        assert fulltext_ids(conn, "HÀ NỘI") == [1]
        assert fulltext_ids(conn, "dong da") == [1]  # đ is typed as d
        assert fulltext_ids(conn, "strasse") == [2]
        assert fulltext_ids(conn, "eleves cafe") == [2]
        assert fulltext_ids(conn, "ha noi berlin") == []  # all the words, in one article
        assert fulltext_ids(conn, "  ") == [] and fulltext_ids(conn, "-- :") == []


def test_a_corrected_article_is_found_by_its_new_words_only(store):
    writer = ArticleWriter(store)
    writer.add(make_record(1, title="Bão số 3", body="Gió mạnh."))
    writer.flush()
    writer.add(make_record(1, title="Bão số 4", body="Mưa lớn."))
    writer.flush()
    with store.connect() as conn:
        assert fulltext_ids(conn, "mua lon") == [1]
        assert fulltext_ids(conn, "gio manh") == []
        assert conn.execute(sa.text("SELECT count(*) FROM articles_fts")).scalar() == 1


def test_deleting_an_article_deletes_its_search_words(store):
    writer = ArticleWriter(store)
    writer.add(make_record(1, title="Bão", body="Gió."))
    writer.flush()
    with store.begin() as conn:
        for table in (*CHILD_TABLES.values(), articles):
            column = table.c.article_id if table is not articles else table.c.id
            conn.execute(table.delete().where(column == 1))
    with store.connect() as conn:
        assert fulltext_ids(conn, "bao") == []
        assert conn.execute(sa.text("SELECT count(*) FROM articles_fts")).scalar() == 0


def test_deleting_an_article_deletes_all_its_rows_on_both_engines(store):
    # PostgreSQL: by a trigger since version 5 (no foreign keys on the child tables); SQLite: by its foreign keys.
    writer = ArticleWriter(store)
    for i in (1, 2):
        writer.add(make_record(i, title=f"Bão {i}", body="Gió."))
    writer.flush()
    with store.begin() as conn:
        conn.execute(articles.delete().where(articles.c.canonical_url == make_record(1)["canonical_url"]))
    with store.connect() as conn:
        for table in CHILD_TABLES.values():
            left = conn.execute(sa.select(table.c.article_id).distinct()).scalars().all()
            assert left == [2], table.name
        assert conn.execute(sa.text("SELECT count(*) FROM articles_fts")).scalar() == 1
        assert fulltext_ids(conn, "bao") == [2]
