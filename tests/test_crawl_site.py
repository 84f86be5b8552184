"""`crawler crawl` end to end against the demo site on 127.0.0.1: windows, second runs, kill -9 and resume,
archive and replay, an incremental run over a large store. Each crawl is a real Scrapy process; the server
counts every request it answers, so the tests check what was fetched, not only what was stored."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from crawler.demo.content import VN, make_articles
from crawler.demo.pages import BASE
from crawler.demo.site import DemoSite, serve_site
from crawler.store import open_store
from crawler.store.export import iter_records
from crawler.store.schema import articles

REPO = Path(__file__).resolve().parent.parent
# Loopback: no politeness needed, and no progress lines in the captured stderr.
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "--no-progress"]
NOV_1, NOV_21 = datetime(2026, 11, 1, tzinfo=VN), datetime(2026, 11, 21, tzinfo=VN)


def crawl_command(running, *argv: str) -> list[str]:
    host_map = json.dumps(running.host_map) if running else "{}"
    return [sys.executable, "-m", "crawler.cli", "crawl", "baomau", *FAST, "-s", f"NEWS_HOST_MAP={host_map}", *argv]


def run_crawl(running, *argv: str, cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    result = subprocess.run(
        crawl_command(running, *argv), cwd=cwd, env=_env(), capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def _env() -> dict:
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return dict(os.environ, PYTHONPATH=path)


def stored_urls(db: Path) -> list[str]:
    engine = open_store(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.select(articles.c.canonical_url)).scalars())
    finally:
        engine.dispose()


def paths(demo_articles) -> set[str]:
    return {a.path for a in demo_articles}


def test_a_window_crawl_fetches_exactly_the_window_and_a_second_run_nothing(tmp_path):
    site = DemoSite()
    expected = paths(site.in_window(NOV_1, NOV_21))
    with serve_site(site) as running:
        run_crawl(running, "--since", "2026-11-01", "--until", "2026-11-20", cwd=tmp_path)
        first = running.article_hits()
        first_other = sum(running.other_hits().values())
        running.hits.clear()
        second = run_crawl(running, "--since", "2026-11-01", "--until", "2026-11-20", cwd=tmp_path)

    assert len(expected) == 50
    assert set(first) == expected and set(first.values()) == {1}  # each article of the window, once
    stored = stored_urls(tmp_path / "data" / "news.db")
    assert sorted(stored) == sorted(BASE + p for p in expected)
    assert running.article_hits() == {}  # the second run fetched no article
    # Sources: robots.txt (once, for Scrapy's rules and our sitemaps), the index, the news and November
    # sitemaps, the feed, 6 listings.
    assert first_other <= 14 and sum(running.other_hits().values()) <= 14
    assert running.other_hits()["/robots.txt"] == 1
    assert "baomau" in second.stderr and " 0 new" not in second.stderr.splitlines()[-1]


def test_since_a_relative_age(tmp_path):
    now = datetime.now(timezone.utc)
    site = DemoSite(make_articles(200, start=now - timedelta(days=20), end=now - timedelta(minutes=5)))
    with serve_site(site) as running:
        run_crawl(running, "--since", "36h", cwd=tmp_path)
    expected = paths(site.in_window(now - timedelta(hours=36), None))
    assert expected and set(running.article_hits()) == expected


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_a_stopped_crawl_resumed_stores_every_article_exactly_once(tmp_path, stop):
    site = DemoSite()
    db = tmp_path / "data" / "news.db"
    slow = ["-s", "NEWS_DB_BATCH_SIZE=5", "-s", "NEWS_DB_FLUSH_SECONDS=0.3"]
    with serve_site(site, delay=0.03) as running:
        process = subprocess.Popen(
            crawl_command(running, *slow),
            cwd=tmp_path,
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_rows(db, 60, process)
        finally:
            process.send_signal(stop)
            process.wait(timeout=60)
        before_kill = set(stored_urls(db))
        fetched_first = running.article_hits()
        running.hits.clear()
        resumed = run_crawl(running, *slow, cwd=tmp_path)
        fetched_again = running.article_hits()

    assert 0 < len(before_kill) < len(site.articles)
    stored = stored_urls(db)
    assert len(stored) == len(set(stored)) == len(site.articles)  # every article, exactly once
    # The resumed run fetched nothing that was stored when the first one was killed, and kept its window.
    assert not {BASE + p for p in fetched_again} & before_kill
    assert len(fetched_again) == len(site.articles) - len(before_kill)
    assert "Job resumed" in resumed.stderr
    print(
        f"{stop.name} after {len(fetched_first)} article fetches, {len(before_kill)} stored; resumed run fetched {len(fetched_again)}"
    )


def _wait_for_rows(db: Path, rows: int, process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the crawl ended before it could be killed"
        if db.exists():
            try:
                if len(stored_urls(db)) >= rows:
                    return
            except Exception:  # noqa: BLE001 - the crawler may be creating the schema right now
                pass
        time.sleep(0.1)
    raise AssertionError(f"fewer than {rows} articles stored after {timeout}s")


@pytest.mark.parametrize("archive", ["archive", "archive.warc.gz"], ids=["folder", "warc"])
def test_replay_of_an_archive_reproduces_the_records(tmp_path, archive):
    window = ["--since", "2026-11-10", "--until", "2026-11-16"]
    with serve_site() as running:
        run_crawl(running, *window, "--archive", archive, cwd=tmp_path)
        live_hits = sum(running.hits.values())
    # The server is gone: every answer must come from the archive.
    replay = run_crawl(
        None, *window, "--replay", archive, "--db", "sqlite:///replayed.db", "-s", "NEWS_JOBS_DIR=jobs2", cwd=tmp_path
    )
    assert "not in archive" not in replay.stderr

    def records(url):
        return sorted(iter_records(open_store(url)), key=lambda r: r["canonical_url"])

    live, replayed = records(f"sqlite:///{tmp_path}/data/news.db"), records(f"sqlite:///{tmp_path}/replayed.db")
    assert live and live == replayed  # crawled_at included: the replay takes it from the archive
    assert live_hits > len(live)


@pytest.mark.parametrize("stored_count", [100_000])
def test_an_incremental_run_over_a_big_store_fetches_the_new_articles_and_few_pages(tmp_path, stored_count):
    site = DemoSite(make_articles(stored_count + 50))
    new = site.newest_first[:50]
    _preload(tmp_path / "data" / "news.db", site.newest_first[50:])
    with serve_site(site) as running:
        result = run_crawl(running, cwd=tmp_path)
    fetched = running.article_hits()
    others = running.other_hits()
    assert set(fetched) == paths(new) and set(fetched.values()) == {1}
    assert sum(others.values()) <= 36, others
    print(
        f"incremental over {stored_count} stored: {len(fetched)} articles + {sum(others.values())} other requests: {dict(others)}"
    )
    assert result.returncode == 0


def _preload(db: Path, demo_articles) -> None:
    """Stored articles as a crawl would have left them (the columns the crawl reads), written in bulk."""
    engine = open_store(f"sqlite:///{db}")
    now = datetime.now(timezone.utc)
    rows = [
        {
            "canonical_url": BASE + a.path,
            "url": BASE + a.path,
            "site": "baomau.example",
            "title": a.title,
            "published": a.published.isoformat(),
            "published_utc": a.published,
            "content_hash": "0" * 64,
            "first_seen": now,
            "last_seen": now,
        }
        for a in demo_articles
    ]
    with engine.begin() as conn:
        conn.execute(articles.insert(), rows)
    engine.dispose()


def test_retry_after_is_waited_for_before_the_retry(tmp_path):
    site = DemoSite()
    window = site.in_window(datetime(2026, 11, 24, tzinfo=VN), None)
    target = window[0].path
    with serve_site(site) as running:
        running.retry_after[target] = 2
        run_crawl(running, "--since", "2026-11-24", cwd=tmp_path)
    first, second = running.times[target]
    assert second - first >= 1.9  # the site said two seconds
    assert BASE + target in stored_urls(tmp_path / "data" / "news.db")
