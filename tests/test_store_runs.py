"""The run history (crawler/store/runs.py) on SQLite and PostgreSQL (`store`: tests/conftest.py; PostgreSQL
skipped when no server answers): runs and their sites recorded and read back, skipped runs, health history."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crawler.store import runs
from crawler.store.runs import SiteRun

T0 = datetime(2026, 11, 26, 0, 0, tzinfo=timezone.utc)


def _counts(articles: int, published: int) -> dict[str, int]:
    return {"pages": articles + 5, "new": articles, "failed": 1, "links": articles, "articles": articles,
            "published": published}  # fmt: skip


def _record(engine, job: str, minute: int, sites: dict[str, dict], outcome: str = "ok") -> int:
    started = T0 + timedelta(minutes=minute)
    run_id = runs.start_run(engine, job, list(sites), started, "host", 1)
    finished = started + timedelta(seconds=30)
    site_runs = [
        SiteRun(site, started, finished, exit_code=0 if counts else 1, counts=counts, healthy=bool(counts),
                problems=[] if counts else [{"field": "pages", "message": "nothing fetched"}],
                error=None if counts else "nothing could be fetched: connection refused (1)")
        for site, counts in sites.items()
    ]  # fmt: skip
    errors = [f"{s.site}: {s.error}" for s in site_runs if s.error]
    runs.finish_run(engine, run_id, outcome, finished, site_runs, errors)
    return run_id


def test_a_run_and_its_sites_are_recorded_and_read_back(store):
    run_id = _record(store, "news", 0, {"baomau": _counts(40, 40), "baothu": {}}, outcome="partial")
    (run,) = runs.list_runs(store)
    assert (run.id, run.job, run.sites, run.outcome) == (run_id, "news", "baomau baothu", "partial")
    assert (run.pages, run.new, run.failed, run.unhealthy) == (45, 40, 1, "baothu")
    assert run.started == T0 and run.finished == T0 + timedelta(seconds=30)  # UTC, aware, on both engines
    assert run.errors == "baothu: nothing could be fetched: connection refused (1)"
    latest = {s.site: s for s in runs.latest_site_runs(store)}
    assert (latest["baomau"].healthy, latest["baomau"].counts["published"]) == (True, 40)
    dead = latest["baothu"]
    assert (dead.exit_code, dead.healthy, dead.problems[0]["field"]) == (1, False, "pages")
    assert dead.error.startswith("nothing could be fetched")


def test_runs_are_listed_oldest_first_by_job_and_the_last_n(store):
    ids = [_record(store, job, minute, {"baomau": _counts(10, 10)}) for minute, job in enumerate("abab")]
    assert [r.id for r in runs.list_runs(store)] == ids
    assert [r.id for r in runs.list_runs(store, job="a")] == ids[0::2]
    assert [r.id for r in runs.list_runs(store, last=2)] == ids[2:]


def test_a_skipped_run_is_a_row_of_its_own(store):
    crawled = _record(store, "news", 0, {"baomau": _counts(10, 10)})
    skipped = runs.record_skipped(store, "news", ["baomau"], T0 + timedelta(minutes=1), "host", 2,
                                  "running already: pid 1 on host")  # fmt: skip
    last = runs.list_runs(store)[-1]
    assert (last.id, last.outcome, last.errors, last.finished) == (skipped, "skipped", "running already: pid 1 on host",
                                                                    T0 + timedelta(minutes=1))  # fmt: skip
    assert [s.run_id for s in runs.latest_site_runs(store)] == [crawled]  # it crawled no site: health looks past it


def test_site_history_is_the_earlier_runs_that_stored_articles_newest_first(store):
    first = _record(store, "news", 0, {"baomau": _counts(10, 10)})
    _record(store, "news", 1, {"baomau": _counts(0, 0)})
    third = _record(store, "news", 2, {"baomau": _counts(20, 18)})
    current = _record(store, "news", 3, {"baomau": _counts(20, 0)})
    history = runs.site_history(store, "baomau", current, limit=10)
    assert [(h["articles"], h["published"]) for h in history] == [(20, 18), (10, 10)]
    assert len(runs.site_history(store, "baomau", current, limit=1)) == 1
    assert runs.site_history(store, "baomau", first, limit=10) == []
    assert runs.latest_site_runs(store, job="news")[0].run_id == current > third
