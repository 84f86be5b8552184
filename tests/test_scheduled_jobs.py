"""Scheduled jobs end to end against the demo site on 127.0.0.1: `crawler schedule` with a short interval, and
health flagging a layout that hides the dates. Every run is real: a `jobs run` process, a crawl process per site."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from crawler.cli import main
from crawler.demo.content import make_articles
from crawler.demo.site import DemoSite, serve_site
from crawler.store import open_store
from crawler.store.runs import crawl_run_sites, crawl_runs, job_locks

REPO = Path(__file__).resolve().parent.parent


def _env() -> dict:
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return dict(os.environ, PYTHONPATH=path)


def _jobs_file(path: Path, jobs: dict[str, tuple[str, str]]) -> Path:
    """[jobs.NAME] tables: name -> (schedule, the address baomau.example is served at)."""
    text = ""
    for name, (schedule, address) in jobs.items():
        host_map = json.dumps(json.dumps({"baomau.example": address}))
        text += (
            f'[jobs.{name}]\nsites = ["baomau"]\nschedule = "{schedule}"\n'
            f"settings = {{ DOWNLOAD_DELAY = 0, AUTOTHROTTLE_ENABLED = false, RETRY_ENABLED = false,"
            f" NEWS_HOST_MAP = {host_map} }}\n\n"
        )
    path.write_text(text, encoding="utf-8")
    return path


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _runs(db: str) -> list:
    engine = open_store(db)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.select(crawl_runs).order_by(crawl_runs.c.id)).all()
    finally:
        engine.dispose()


def test_the_scheduler_runs_jobs_on_time_never_overlapping_and_stops_cleanly(tmp_path):
    db = f"sqlite:///{tmp_path}/data/news.db"
    with serve_site(DemoSite(make_articles(40))) as running:
        # "down" crawls a server that is not there: its runs fail, the scheduler and the other job go on.
        jobs = _jobs_file(tmp_path / "jobs.toml", {"news": ("2s", running.proxy), "down": ("3s", f"127.0.0.1:{_closed_port()}")})
        scheduler = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "schedule", str(jobs)],
            cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                done = [r for r in _runs_or_none(db) if r.job == "news" and r.finished is not None]
                if len(done) >= 2 and any(r.job == "down" and r.finished for r in _runs_or_none(db)):
                    break
                time.sleep(0.3)
        finally:
            scheduler.send_signal(signal.SIGTERM)
            output, _ = scheduler.communicate(timeout=60)
    assert scheduler.returncode == 0, output[-3000:]
    runs = _runs(db)
    news = [r for r in runs if r.job == "news"]
    assert len(news) >= 2, output[-3000:]
    assert all(r.finished is not None for r in runs)  # SIGTERM let the running ones end and record themselves
    assert all(r.outcome in ("ok", "interrupted") for r in news)
    assert news[0].new == 40 and news[0].outcome == "ok"
    for earlier, later in zip(news, news[1:], strict=False):
        assert earlier.finished <= later.started  # no overlap
    down = [r for r in runs if r.job == "down"]
    assert down and all(r.outcome in ("failed", "interrupted") for r in down)
    assert "Scheduler stopped" in output
    engine = open_store(db)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(job_locks)).scalar() == 0  # locks released
    engine.dispose()
    print(f"runs: {[(r.job, r.outcome, str(r.started.time()), str(r.finished.time())) for r in runs]}")


def _runs_or_none(db: str) -> list:
    try:
        return _runs(db)
    except Exception:  # noqa: BLE001 - the first run may be creating the database right now
        return []


def test_a_layout_hiding_the_dates_is_flagged_on_the_first_run_after_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", _env()["PYTHONPATH"])
    db = f"sqlite:///{tmp_path}/data/news.db"
    articles = make_articles(60)
    with serve_site(DemoSite(articles[:40])) as running:
        jobs = str(_jobs_file(tmp_path / "jobs.toml", {"news": ("15m", running.proxy)}))
        assert main(["jobs", "run", "news", "--file", jobs]) == 0
        assert main(["health", "--db", db]) == 0
        # The redesign: 20 new articles, and no article page shows its date any more.
        running.site = DemoSite(articles, layout="nodates")
        assert main(["jobs", "run", "news", "--file", jobs]) == 0
    run_log = capsys.readouterr().err
    message = "baomau: published: 0% of 20 articles had a date, usually 100% (the last run)"
    assert f"Health (unhealthy): {message}" in run_log

    assert main(["health", "--db", db]) == 1
    out = capsys.readouterr().out
    assert message in out and "UNHEALTHY" in out
    assert main(["runs", "--db", db]) == 0
    table = capsys.readouterr().out
    assert "unhealthy: baomau" in table.splitlines()[-1] and "ok" in table.splitlines()[1]
    engine = open_store(db)
    with engine.connect() as conn:
        first, second = conn.execute(sa.select(crawl_run_sites).order_by(crawl_run_sites.c.run_id)).all()
    engine.dispose()
    assert (first.articles, first.published, first.healthy) == (40, 40, True)
    assert (second.articles, second.published, second.healthy) == (20, 0, False)
    assert json.loads(second.problems)[0]["field"] == "published"
    print(out)
