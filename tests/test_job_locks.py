"""A job's lock (crawler/store/locks.py): one holder at a time, a dead holder's lock taken over, and a second
`crawler jobs run` of a running job skipped and recorded. On SQLite and PostgreSQL (`store`, `db_url`:
tests/conftest.py; PostgreSQL skipped when no server answers)."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from crawler.cli import main
from crawler.store import locks, open_store
from crawler.store.runs import crawl_runs, job_locks

STALE = 300


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid  # reaped: no process has this id now (barring reuse within the test)


def test_one_holder_at_a_time(store):
    engine = store
    assert locks.acquire(engine, "news", _now(), STALE) == (True, None)
    acquired, holder = locks.acquire(engine, "news", _now(), STALE)  # same process: still one run at a time
    assert not acquired and holder.pid == locks.me()[1]
    assert locks.acquire(engine, "other", _now(), STALE)[0]  # another job has its own lock
    locks.release(engine, "news")
    assert locks.acquire(engine, "news", _now(), STALE)[0]


def test_the_lock_of_a_dead_runner_is_taken_over_and_its_run_marked_abandoned(store):
    engine = store
    host, dead = locks.me()[0], _dead_pid()
    then = _now() - timedelta(seconds=5)
    with engine.begin() as conn:
        conn.execute(job_locks.insert().values(job="news", host=host, pid=dead, acquired=then, heartbeat=then))
        conn.execute(crawl_runs.insert().values(job="news", sites="baomau", started=then, outcome="running",
                                                host=host, pid=dead))  # fmt: skip
    acquired, holder = locks.acquire(engine, "news", _now(), STALE)
    assert acquired and holder.pid == dead
    with engine.connect() as conn:
        assert conn.execute(sa.select(crawl_runs.c.outcome)).scalar_one() == "abandoned"


def test_a_lock_not_renewed_is_taken_over_even_from_another_host(store):
    engine = store
    old = _now() - timedelta(seconds=STALE + 1)
    with engine.begin() as conn:
        conn.execute(job_locks.insert().values(job="news", host="elsewhere", pid=1, acquired=old, heartbeat=old))
    assert not locks.acquire(engine, "news", old + timedelta(seconds=10), STALE)[0]  # renewed recently: kept
    assert locks.acquire(engine, "news", _now(), STALE)[0]


def _race(engine, runners: int = 6) -> list[bool]:
    """``runners`` threads asking for the lock at the same moment; who got it."""
    start, won = threading.Barrier(runners), []

    def run():
        start.wait()
        won.append(locks.acquire(engine, "news", _now(), STALE)[0])

    threads = [threading.Thread(target=run) for _ in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return won


def test_runners_starting_together_get_one_lock(store):
    assert sorted(_race(store)) == [False] * 5 + [True]


def test_runners_taking_over_a_dead_lock_together_get_one_lock(store):
    then = _now() - timedelta(seconds=5)
    with store.begin() as conn:
        conn.execute(job_locks.insert().values(job="news", host=locks.me()[0], pid=_dead_pid(), acquired=then,
                                               heartbeat=then))  # fmt: skip
    assert sorted(_race(store)) == [False] * 5 + [True]


def test_a_second_run_of_a_running_job_is_skipped_and_recorded(db_url, tmp_path, monkeypatch, capsys):
    db = db_url
    jobs = tmp_path / "jobs.toml"
    jobs.write_text(f'[jobs.news]\nsites = ["baomau"]\nschedule = "15m"\ndb = "{db}"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    engine = open_store(db)
    # The first run, as far as the lock can tell: a live process (this one) holds it.
    assert locks.acquire(engine, "news", _now(), STALE)[0]
    assert main(["jobs", "run", "news", "--file", str(jobs)]) == 75
    assert "job 'news' is running already (pid" in capsys.readouterr().err
    with engine.connect() as conn:
        (run,) = conn.execute(sa.select(crawl_runs)).all()  # recorded, and nothing started
    engine.dispose()
    assert (run.job, run.sites, run.outcome, run.pages) == ("news", "baomau", "skipped", 0)
    assert run.finished == run.started and run.errors.startswith(f"running already: pid {locks.me()[1]} on ")
    assert main(["runs", "--db", db]) == 0
    table = capsys.readouterr().out
    assert "skipped" in table.splitlines()[1] and f"run {run.id}: running already: pid" in table
