"""The store pipeline (pipelines/store.py): unit tests with a stand-in crawler, and a real crawl that stores."""

from __future__ import annotations

import json
import sqlite3

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from sqlalchemy import event
from store_support import make_record
from test_scrape_e2e import FAST, PAGES, crawler

from crawler.items import Article
from crawler.store import DEFAULT_URL, configured_url
from crawler.store.export import iter_records
from crawler.store.schema import articles
from pipelines.store import StorePipeline


class Stats(dict):
    def inc_value(self, key, count=1):
        self[key] = self.get(key, 0) + count

    def set_value(self, key, value):
        self[key] = value


class FakeCrawler:
    def __init__(self, **settings):
        self.settings = Settings({"NEWS_DB_BATCH_SIZE": 500, "NEWS_DB_FLUSH_SECONDS": 0, **settings})
        self.stats = Stats()
        self.engine = None  # no crawl to stop


def article(i: int, **changes) -> Article:
    record = make_record(i, **changes)
    record["images"] = []
    return Article(**record)


def pipeline_for(url: str, **settings) -> tuple[StorePipeline, FakeCrawler]:
    fake = FakeCrawler(NEWS_DB_URL=url, **settings)
    pipeline = StorePipeline.from_crawler(fake)
    pipeline.open_spider()
    return pipeline, fake


def test_articles_are_stored_in_batches_and_on_close(db_url):
    pipeline, fake = pipeline_for(db_url, NEWS_DB_BATCH_SIZE=2)
    for i in range(3):
        assert pipeline.process_item(article(i)) is not None  # items go on to feed exports
    assert fake.stats["news/vnexpress.net/stored/new"] == 1 and fake.stats["news/stored/new"] == 2
    pipeline.close_spider()  # the open batch is written on close
    assert fake.stats["news/stored/new"] == 3

    pipeline, fake = pipeline_for(db_url)
    pipeline.process_item(article(0))
    pipeline.process_item(article(1, title="Đã sửa"))
    pipeline.process_item(article(5, page_type="listing"))
    pipeline.close_spider()
    assert fake.stats["news/vnexpress.net/stored/unchanged"] == 1
    assert fake.stats["news/dantri.com.vn/stored/updated"] == 1
    assert fake.stats["news/dantri.com.vn/dropped/not-article"] == 1
    assert len(list(iter_records(pipeline.writer.engine))) == 3


def test_an_empty_url_switches_storage_off():
    with pytest.raises(NotConfigured):
        StorePipeline.from_crawler(FakeCrawler(NEWS_DB_URL=""))


def test_a_database_that_cannot_be_opened_fails_the_crawl_at_start(tmp_path):
    fake = FakeCrawler(NEWS_DB_URL="postgresql://u:secret@127.0.0.1:1/news")
    pipeline = StorePipeline.from_crawler(fake)
    with pytest.raises(Exception, match="cannot reach the PostgreSQL server"):
        pipeline.open_spider()
    assert "u:***@" in fake.stats["news/store/failed"]


def test_a_failing_batch_stops_storing_and_is_reported(tmp_path):
    pipeline, fake = pipeline_for(f"sqlite:///{tmp_path}/news.db", NEWS_DB_BATCH_SIZE=1)
    pipeline.process_item(article(0))
    with pipeline.writer.engine.begin() as conn:  # the next batch will find the disk full
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    event.listen(pipeline.writer.engine, "connect", lambda c, _: c.execute(f"PRAGMA max_page_count={pages}"))
    pipeline.writer.engine.dispose()

    pipeline.process_item(article(1, body="Dài. " * 5000))
    pipeline.process_item(article(2))
    pipeline.close_spider()

    assert fake.stats["news/store/failed"].startswith("the disk is full")
    assert fake.stats["news/vnexpress.net/dropped/store-failed"] == 1  # after the failure: counted, not stored
    assert fake.stats["news/stored/new"] == 1
    with sqlite3.connect(tmp_path / "news.db") as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (1,)


def test_a_crawl_stores_its_articles_and_a_rerun_finds_them_unchanged(serve, tmp_path):
    site = serve(pages=PAGES)
    urls = [site.url(p) for p in PAGES] + [site.missing_url]
    db = f"sqlite:///{tmp_path}/crawl.db"

    first = crawler("scrape", *urls, *FAST, "--db", db, cwd=tmp_path)
    again = crawler("scrape", *urls, *FAST, "--db", db, "-o", "out.jsonl", cwd=tmp_path)

    assert first.returncode == 0, first.stderr
    assert f"stored 2 articles in {db} (2 new, 0 updated, 0 unchanged)" in first.stderr
    assert len(first.stdout.splitlines()) == 2  # stdout output is unchanged by storing
    assert f"stored 2 articles in {db} (0 new, 0 updated, 2 unchanged)" in again.stderr
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 2  # feed exports still work
    with sqlite3.connect(tmp_path / "crawl.db") as conn:
        titles = sorted(t for (t,) in conn.execute(f"SELECT title FROM {articles.name}"))
    assert titles == ["Bài thứ hai", "Bài thứ nhất"]
    exported = crawler("export", "--db", db, "-o", "all.jsonl", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(r["url"] for r in records) == sorted(urls[:2])


def test_the_environment_names_the_database_when_no_option_does():
    assert configured_url({}) == DEFAULT_URL == "sqlite:///data/news.db"
    assert configured_url({"NEWS_DB_URL": "postgresql://db/news"}) == "postgresql://db/news"


def test_no_store_and_the_default_database(serve, tmp_path, monkeypatch):
    monkeypatch.delenv("NEWS_DB_URL", raising=False)
    site = serve(pages=PAGES)
    url = site.url(next(iter(PAGES)))

    off = crawler("scrape", url, *FAST, "--no-store", cwd=tmp_path)
    assert off.returncode == 0 and "stored" not in off.stderr
    assert not (tmp_path / "data").exists()

    default = crawler("scrape", url, *FAST, cwd=tmp_path)
    assert default.returncode == 0, default.stderr
    assert "stored 1 articles in sqlite:///data/news.db" in default.stderr
    assert (tmp_path / "data" / "news.db").exists()


def test_a_bad_database_stops_the_crawl_before_fetching(serve, tmp_path):
    site = serve(pages=PAGES)
    result = crawler("scrape", site.url(next(iter(PAGES))), "--db", "postgresql://u:pw@127.0.0.1:1/x", cwd=tmp_path)
    assert result.returncode == 1
    assert "cannot store articles, nothing was fetched: cannot reach the PostgreSQL server" in result.stderr
    assert "u:***@127.0.0.1:1/x" in result.stderr and "Traceback" not in result.stderr
