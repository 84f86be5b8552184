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
from datetime import timedelta
from pathlib import Path

import pytest
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


def _jobs_file(path: Path, jobs: dict[str, tuple[str, str]], dead: str | None = None, db: str | None = None) -> Path:
    """[jobs.NAME] tables: name -> (schedule, the address baomau.example is served at); ``dead``: a second site,
    baothu (:func:`_dead_site_profiles`), at a port nothing listens on; ``db``: the jobs' database."""
    text = ""
    for name, (schedule, address) in jobs.items():
        hosts = {"baomau.example": address, **({"baothu.example": dead} if dead else {})}
        host_map = json.dumps(json.dumps(hosts))
        sites = '["baomau", "baothu"]' if dead else '["baomau"]'
        text += (
            f'[jobs.{name}]\nsites = {sites}\nschedule = "{schedule}"\n'
            + (f'db = "{db}"\n' if db else "")
            + f"settings = {{ DOWNLOAD_DELAY = 0, AUTOTHROTTLE_ENABLED = false, RETRY_ENABLED = false,"
            f" NEWS_HOST_MAP = {host_map} }}\n\n"
        )
    path.write_text(text, encoding="utf-8")
    return path


def _dead_site_profiles(folder: Path) -> dict:
    """A folder with the profile of a second paper, baothu.example, for NEWS_PROFILE_DIRS; the environment for
    processes that should know it. Its server is never up: the site whose server is down."""
    folder.mkdir()
    (folder / "baothu.toml").write_text(
        'id = "baothu"\nname = "Báo Thử"\ndomains = ["baothu.example"]\nlanguage = "vi"\n'
        "article_url = '^http://baothu\\.example/.+-\\d{6}\\.html$'\n\n"
        '[discovery]\nhome = "http://baothu.example/"\n',
        encoding="utf-8",
    )
    return dict(_env(), NEWS_PROFILE_DIRS=str(folder))


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
                done = [r for r in _runs_or_none(db) if r.job == "news" and r.finished and r.outcome != "skipped"]
                if len(done) >= 2 and any(r.job == "down" and r.finished for r in _runs_or_none(db)):
                    break
                time.sleep(0.3)
        finally:
            scheduler.send_signal(signal.SIGTERM)
            output, _ = scheduler.communicate(timeout=60)
    assert scheduler.returncode == 0, output[-3000:]
    runs = _runs(db)
    # Runs due while the last one was still going are recorded as skipped (the other test looks at them).
    news = [r for r in runs if r.job == "news" and r.outcome != "skipped"]
    assert len(news) >= 2, output[-3000:]
    assert all(r.finished is not None for r in runs)  # SIGTERM let the running ones end and record themselves
    assert all(r.outcome in ("ok", "interrupted") for r in news)
    assert news[0].new == 40 and news[0].outcome == "ok"
    for earlier, later in zip(news, news[1:], strict=False):
        assert earlier.finished <= later.started  # no overlap
    down = [r for r in runs if r.job == "down" and r.outcome != "skipped"]
    assert down and all(r.outcome in ("failed", "interrupted") for r in down)
    assert "Scheduler stopped" in output
    engine = open_store(db)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(job_locks)).scalar() == 0  # locks released
    engine.dispose()
    print(f"runs: {[(r.job, r.outcome, str(r.started.time()), str(r.finished.time())) for r in runs]}")


def _site_runs(db: str) -> list:
    engine = open_store(db)
    try:
        with engine.connect() as conn:
            query = sa.select(crawl_run_sites).order_by(crawl_run_sites.c.run_id, crawl_run_sites.c.site)
            return conn.execute(query).all()
    finally:
        engine.dispose()


def test_one_site_down_fails_alone_run_after_run_and_the_scheduler_goes_on(tmp_path, db_url):
    """One job, two sites: baomau served, baothu's server down. Every run stores baomau's articles and records
    baothu failed with its error; a 1s interval is shorter than a run, so the runs it skips are recorded too."""
    env = _dead_site_profiles(tmp_path / "profiles")
    with serve_site(DemoSite(make_articles(40))) as running:
        dead = f"127.0.0.1:{_closed_port()}"
        jobs = _jobs_file(tmp_path / "jobs.toml", {"news": ("1s", running.proxy)}, dead=dead, db=db_url)
        scheduler = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "schedule", str(jobs)],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                if sum(r.outcome == "partial" for r in _runs_or_none(db_url)) >= 2:
                    break
                time.sleep(0.3)
        finally:
            scheduler.send_signal(signal.SIGTERM)
            output, _ = scheduler.communicate(timeout=60)
    assert scheduler.returncode == 0, output[-3000:]
    runs = _runs(db_url)
    done = [r for r in runs if r.outcome != "skipped"]
    assert sum(r.outcome == "partial" for r in done) >= 2, output[-3000:]
    assert all(r.outcome in ("partial", "interrupted") for r in done)
    assert done[0].new == 40 and done[0].unhealthy == "baothu"
    assert done[0].errors.startswith("baothu: crawler: nothing could be fetched: connection refused")
    for earlier, later in zip(done, done[1:], strict=False):
        assert earlier.finished <= later.started  # no overlap
    skipped = [r for r in runs if r.outcome == "skipped"]
    assert skipped, output[-3000:]
    for skip in skipped:  # each names the run that was going, and happened while it was
        (going,) = [d for d in done if skip.errors == f"the previous run (pid {d.pid}) was still going"]
        # Give or take a moment: the run's process starts before it records its start and ends after its end.
        assert going.started - timedelta(seconds=5) <= skip.started <= going.finished + timedelta(seconds=1)
    sites = {(s.run_id, s.site): s for s in _site_runs(db_url)}
    first = done[0].id
    assert (sites[first, "baomau"].exit_code, sites[first, "baomau"].new) == (0, 40)
    baothu = sites[first, "baothu"]
    assert (baothu.exit_code, baothu.pages, baothu.healthy) == (1, 0, False)
    assert "connection refused" in baothu.error and json.loads(baothu.problems)[0]["field"] == "pages"
    assert (sites[done[1].id, "baomau"].exit_code, sites[done[1].id, "baothu"].exit_code) == (0, 1)
    print(f"runs: {[(r.id, r.outcome, str(r.started.time()), str(r.finished.time())) for r in runs]}")


def _runs_or_none(db: str) -> list:
    try:
        return _runs(db)
    except Exception:  # noqa: BLE001 - the first run may be creating the database right now
        return []


def test_a_layout_hiding_the_dates_is_flagged_on_the_first_run_after_it(tmp_path, db_url, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", _env()["PYTHONPATH"])
    db = db_url
    articles = make_articles(60)
    with serve_site(DemoSite(articles[:40])) as running:
        jobs = str(_jobs_file(tmp_path / "jobs.toml", {"news": ("15m", running.proxy)}, db=db))
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


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux: /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (comm) state ppid ...": comm may hold spaces, so split after its closing parenthesis.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _gone(pid: int) -> bool:
    """Exited: no such process, or a zombie (nobody in this container may reap an orphan)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_runner_killed_outright_takes_its_crawls_with_it(tmp_path):
    db = f"sqlite:///{tmp_path}/data/news.db"
    # Slow article pages: the crawl is still going when its runner is killed.
    with serve_site(DemoSite(make_articles(40)), delay=1.0) as running:  # 40 pages, 4 at a time: 10s
        jobs = _jobs_file(tmp_path / "jobs.toml", {"news": ("15m", running.proxy)})
        runner = subprocess.Popen([sys.executable, "-m", "crawler.cli", "jobs", "run", "news", "--file", str(jobs)],
                                  cwd=tmp_path, env=_env(), stderr=subprocess.DEVNULL)  # fmt: skip
        crawl = None
        try:
            deadline = time.monotonic() + 30
            while not running.article_hits() and time.monotonic() < deadline:
                time.sleep(0.1)
            (crawl,) = _children(runner.pid)
            runner.kill()  # SIGKILL: the runner can pass nothing on
            runner.wait()
            deadline = time.monotonic() + 5
            while not _gone(crawl) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _gone(crawl), "the crawl outlived its runner"
        finally:
            if runner.poll() is None:
                runner.kill()
            if crawl and not _gone(crawl):
                os.kill(crawl, signal.SIGKILL)  # the test failed: leave no orphan behind
        fetched = sum(running.article_hits().values())
        time.sleep(1)
        assert sum(running.article_hits().values()) == fetched < 40  # nothing fetched since
    log = (tmp_path / "data/runs/news/1-baomau.log").read_text(encoding="utf-8")
    assert "Received SIGTERM, shutting down gracefully" in log  # it stopped the clean way, its batch written
    assert _runs(db)[0].outcome == "running"  # left for the next run to mark abandoned (test_job_locks.py)
