"""One run of one job (``crawler jobs run NAME``): the lock, a crawl process per site, the record, the health.

Each site is crawled by its own ``crawler crawl SITE`` process, all at once: a site that hangs, crashes or
runs out of memory takes only its own crawl down, and the others' articles are stored as usual. Every crawl
writes a JSON summary of its counts (``crawl --summary``) and its stderr to a log file; this process reads
them, counts the fields of the articles each site stored during the run, judges each site's health against
its earlier runs (crawler/health.py) and records the run (crawler/store/runs.py).

Signals: SIGINT or SIGTERM is passed on to the crawls as one SIGINT each — a crawl then finishes its batch and
stops cleanly, the way Ctrl-C stops ``crawler crawl`` — and the run is recorded as interrupted. The crawls run
in sessions of their own, so a Ctrl-C on the terminal reaches them once, through here, not twice (Scrapy takes
a second SIGINT as "stop now, unclean"). A runner killed outright (``kill -9``, the OOM killer) cannot pass
anything on, so on Linux each crawl asks the kernel for a SIGTERM when its runner dies (PR_SET_PDEATHSIG) and
stops the same clean way: an orphaned crawl would go on writing while the next run, which takes the dead
runner's lock over, crawls the same site.

A run that finds the job's lock held is not a run, but it is recorded (outcome ``skipped``, the holder named),
so the history shows every time the job was due.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from crawler.health import Limits, judge
from crawler.scheduling.jobfile import Job
from crawler.store.runs import SiteRun

# Seconds between looks at the running crawls.
POLL_SECONDS = 0.2
# Exit code of a run skipped because the job is running already: EX_TEMPFAIL, "try again later".
EXIT_BUSY = 75


@dataclass(frozen=True)
class RunSettings:
    """The NEWS_* settings a run reads: crawler/settings.py's, or the job's settings table's."""

    limits: Limits
    history: int
    stale_after: float
    heartbeat: float
    log_dir: Path

    @classmethod
    def of(cls, job: Job) -> RunSettings:
        from crawler import settings as defaults

        def get(name, kind):
            return kind(job.settings.get(name, getattr(defaults, name)))

        limits = Limits(get("NEWS_HEALTH_DROP", float), get("NEWS_HEALTH_ERROR_RISE", float),
                        get("NEWS_HEALTH_MIN_ARTICLES", int))  # fmt: skip
        return cls(limits, get("NEWS_HEALTH_HISTORY", int), get("NEWS_JOB_LOCK_STALE", float),
                   get("NEWS_JOB_LOCK_HEARTBEAT", float), Path(get("NEWS_RUNS_LOG_DIR", str)))  # fmt: skip


@dataclass
class _Crawl:
    site: SiteRun
    process: subprocess.Popen
    summary: Path


def run_job(job: Job) -> int:
    """Run ``job`` once; the exit code (0: every site crawled, 1: some failed, 75: running already, 130: stopped)."""
    from crawler.store import configured_url, locks, open_store
    from crawler.store.errors import StoreError

    url = job.db or configured_url()
    try:
        engine = open_store(url)
    except StoreError as exc:
        print(f"crawler jobs run: {job.name}: {exc}", file=sys.stderr)
        return 1
    conf = RunSettings.of(job)
    try:
        acquired, holder = locks.acquire(engine, job.name, _now(), conf.stale_after)
        if not acquired:
            who = holder.describe() if holder else "another runner, just now"
            print(f"crawler jobs run: job '{job.name}' is running already ({who}); this run is skipped", file=sys.stderr)
            record_skipped(engine, job, f"running already: {who}")
            return EXIT_BUSY
        if holder is not None:
            print(f"crawler jobs run: job '{job.name}': took over the lock of a dead run ({holder.describe()})",
                  file=sys.stderr)  # fmt: skip
        try:
            return _run_locked(engine, url, job, conf)
        finally:
            locks.release(engine, job.name)
    finally:
        engine.dispose()


def record_skipped(engine, job: Job, reason: str, due: datetime | None = None) -> None:
    """Record a run of ``job`` that was due (at ``due``, default now) but did not start: here, when the lock is
    held, and in the scheduler (scheduler.py), when the job's last run is still going."""
    from crawler.store import runs
    from crawler.store.locks import me

    host, pid = me()
    when = due.astimezone(timezone.utc) if due else _now()
    runs.record_skipped(engine, job.name, list(job.sites), when, host, pid, reason)


def _run_locked(engine, url: str, job: Job, conf: RunSettings) -> int:
    from crawler.store import runs
    from crawler.store.locks import me

    host, pid = me()
    started = _now()
    run_id = runs.start_run(engine, job.name, list(job.sites), started, host, pid)
    folder = conf.log_dir / job.name
    folder.mkdir(parents=True, exist_ok=True)
    crawls = [_start_crawl(job, site, url, run_id, folder) for site in job.sites]
    print(f"crawler jobs run: {job.name}: run {run_id} started: {', '.join(job.sites)}", file=sys.stderr)
    interrupted = _wait(crawls, engine, job.name, conf.heartbeat)
    finished = _now()
    site_runs = [_collect(crawl, finished) for crawl in crawls]
    if not interrupted:
        for site_run in site_runs:
            _judge(engine, site_run, run_id, finished, conf)
    errors = [f"{s.site}: {s.error}" for s in site_runs if s.error]
    outcome = _outcome(site_runs, interrupted)
    runs.finish_run(engine, run_id, outcome, finished, site_runs, errors)
    _report(job.name, run_id, outcome, site_runs)
    return {"ok": 0, "interrupted": 130}.get(outcome, 1)


def _start_crawl(job: Job, site: str, url: str, run_id: int, folder: Path) -> _Crawl:
    summary = folder / f"{run_id}-{site}.json"
    log = folder / f"{run_id}-{site}.log"
    command = [sys.executable, "-m", "crawler.cli", "crawl", site, "--job", job.name, "--db", url,
               "--no-progress", "--summary", str(summary), "--loglevel", "INFO"]  # fmt: skip
    if job.since:
        command += ["--since", job.since]
    if job.until:
        command += ["--until", job.until]
    for name, value in job.settings.items():
        command += ["-s", f"{name}={value}"]
    with open(log, "wb") as stderr:
        # A session of its own: signals reach it from us only; and a SIGTERM if we die (the module's docstring).
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr,
                                   start_new_session=True, preexec_fn=_stop_when_parent_dies())  # fmt: skip
    return _Crawl(SiteRun(site=site, started=_now(), log=str(log)), process, summary)


# prctl(2) option: the signal the calling process gets when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1


def _stop_when_parent_dies():
    """A preexec_fn for the crawls: SIGTERM when this runner dies, however it dies (Linux); None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    # The signal comes when the *thread* that forked dies: the runner starts its crawls from its main thread.
    # prctl is looked up here, before the fork: the child only makes the system calls.
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the runner died between fork and prctl: no signal will come
            os._exit(1)

    return preexec


def _wait(crawls: list[_Crawl], engine, job: str, heartbeat: float) -> bool:
    """Wait for every crawl, renewing the lock; True when a signal asked us to stop."""
    from crawler.store.locks import renew

    stopping = False

    def stop(signum, _frame):
        nonlocal stopping
        stopping = True
        for crawl in crawls:
            if crawl.process.poll() is None:
                crawl.process.send_signal(signal.SIGINT)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        renewed = time.monotonic()
        while any(crawl.process.poll() is None for crawl in crawls):
            time.sleep(POLL_SECONDS)
            if time.monotonic() - renewed >= heartbeat:
                renew(engine, job, _now())
                renewed = time.monotonic()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return stopping


def _collect(crawl: _Crawl, finished: datetime) -> SiteRun:
    """The site's counts from its summary; its error from the summary or its log's last words."""
    site = crawl.site
    site.finished, site.exit_code = finished, crawl.process.returncode
    try:
        summary = json.loads(crawl.summary.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        summary = {}
    counts = summary.get("sites", {}).get(site.site, {})
    site.reason = counts.get("reason") or ("no summary" if not summary else None)
    site.counts = {k: v for k, v in counts.items() if isinstance(v, int)}
    if site.exit_code != 0:
        site.error = summary.get("error") or counts.get("store_failed") or _last_words(Path(site.log))
    return site


def _judge(engine, site: SiteRun, run_id: int, finished: datetime, conf: RunSettings) -> None:
    from crawler.profiles import load_profiles
    from crawler.store.runs import site_history, stored_fields

    domains = next(p.domains for p in load_profiles() if p.id == site.site)
    site.counts = {**(site.counts or {}), **stored_fields(engine, domains, site.started, finished)}
    history = site_history(engine, site.site, run_id, conf.history)
    problems = judge(site.counts, history, conf.limits)
    site.healthy = not problems
    site.problems = [p.as_dict() for p in problems]


def _outcome(site_runs: list[SiteRun], interrupted: bool) -> str:
    if interrupted:
        return "interrupted"
    failed = sum(1 for s in site_runs if s.exit_code != 0)
    return "ok" if failed == 0 else ("failed" if failed == len(site_runs) else "partial")


def _report(job: str, run_id: int, outcome: str, site_runs: list[SiteRun]) -> None:
    for s in site_runs:
        c = s.counts or {}
        health = {True: "healthy", False: "UNHEALTHY", None: "not judged"}[s.healthy]
        print(f"crawler jobs run: {job}: {s.site}: {c.get('pages', 0)} pages, {c.get('new', 0)} new,"
              f" {c.get('updated', 0)} updated, {c.get('failed', 0)} failed; {health}", file=sys.stderr)  # fmt: skip
        for problem in s.problems or []:
            print(f"Health (unhealthy): {s.site}: {problem['message']}", file=sys.stderr)
        if s.error:
            print(f"crawler jobs run: {job}: {s.site} failed: {s.error} (log: {s.log})", file=sys.stderr)
    print(f"crawler jobs run: {job}: run {run_id} {outcome}", file=sys.stderr)


def _last_words(log: Path, lines: int = 3) -> str:
    """What the crawl said last: its own "crawler: ..." lines when it wrote any (they name the failure), else
    the end of its log (a traceback's last lines)."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "no log"
    said = [line.strip() for line in text.splitlines() if line.strip()]
    own = [line for line in said if line.startswith("crawler")]
    return " | ".join((own or said)[-lines:]) or "exited without a word"


def _now() -> datetime:
    return datetime.now(timezone.utc)
