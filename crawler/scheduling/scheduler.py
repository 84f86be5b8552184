"""``crawler schedule``: the jobs of a jobs file, fired by APScheduler, each run in a process of its own.

APScheduler (3.x) does the timing — intervals and cron expressions, misfires after a sleep, one instance per job
(``max_instances=1``: a run still going when the next is due makes APScheduler skip that one; the skip is
recorded in the run history, as ``jobs run`` records the runs it skips for the lock). A run
is ``crawler jobs run NAME --file FILE`` in a new process: it takes the job's lock in the database (so a cron
entry or a second scheduler cannot overlap it either), crawls each site in a process of its own and records
the run. A crash of a run, or of a crawl, is its own; the scheduler goes on.

Interval jobs run once at start, then every interval; cron jobs wait for their time.

Shutdown (SIGTERM, SIGINT): no run starts any more; each running one gets one SIGINT, which it passes on to its
crawls (they finish their batch and stop, see runner.py); the scheduler returns when they have all ended.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

from crawler.scheduling.jobfile import Job

log = logging.getLogger("crawler.schedule")


class Launcher:
    """Starts runs as processes and keeps track of the running ones, for the shutdown."""

    def __init__(self, jobs_file: Path, jobs: list[Job]):
        self.jobs_file = jobs_file
        self.jobs = {job.name: job for job in jobs}
        self.running: dict[str, subprocess.Popen] = {}
        self.stopping = False
        self.lock = threading.Lock()

    def launch(self, name: str) -> None:
        """APScheduler's job function: one run of ``name``, waited for in APScheduler's worker thread."""
        command = [sys.executable, "-m", "crawler.cli", "jobs", "run", name, "--file", str(self.jobs_file)]
        with self.lock:
            if self.stopping:
                return
            # A session of its own: a Ctrl-C on the terminal reaches the run through stop() only, once.
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)
            self.running[name] = process
        log.info("Run started: %s (pid %d)", name, process.pid)
        code = process.wait()
        with self.lock:
            self.running.pop(name, None)
        log.log(logging.INFO if code in (0, 75) else logging.WARNING, "Run ended: %s, exit code %d", name, code)

    def skipped(self, event) -> None:
        """APScheduler's EVENT_JOB_MAX_INSTANCES listener: the job was due while its last run was still going."""
        from crawler.scheduling.runner import record_skipped
        from crawler.store import configured_url, open_store
        from crawler.store.errors import StoreError

        job = self.jobs[event.job_id]
        with self.lock:
            process = self.running.get(job.name)
        going = f"the previous run (pid {process.pid})" if process else "the previous run"
        reason = f"{going} was still going"
        try:
            engine = open_store(job.db or configured_url())
        except StoreError as exc:
            log.warning("Run skipped, not recorded: %s: %s", job.name, exc)
            return
        try:
            record_skipped(engine, job, reason, due=event.scheduled_run_times[-1])
        finally:
            engine.dispose()
        log.info("Run skipped: %s: %s", job.name, reason)

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
            for name, process in self.running.items():
                log.info("Stopping run %s (pid %d): its crawls finish their batch", name, process.pid)
                process.send_signal(signal.SIGINT)


def run_scheduler(jobs_file: str | Path, jobs: list[Job]) -> int:
    from apscheduler.events import EVENT_JOB_MAX_INSTANCES
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.background import BackgroundScheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s", stream=sys.stderr)
    launcher = Launcher(Path(jobs_file).resolve(), jobs)
    scheduler = BackgroundScheduler(
        # A thread per job: each waits for its run's process, and no job waits for another's.
        executors={"default": ThreadPoolExecutor(max(1, len(jobs)))},
        # coalesce: runs missed while the machine slept, or while a run overran, become one run, not a burst.
        job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 60},
    )
    for job in jobs:
        first = {"next_run_time": datetime.now(scheduler.timezone)} if job.schedule.every else {}
        scheduler.add_job(launcher.launch, job.schedule.trigger(), args=[job.name], id=job.name, name=job.name, **first)
    scheduler.add_listener(launcher.skipped, EVENT_JOB_MAX_INSTANCES)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    scheduler.start()
    names = ", ".join(f"{job.name} ({job.schedule.describe()})" for job in jobs)
    log.info("Scheduler started: %d job(s) from %s: %s", len(jobs), jobs_file, names)
    try:
        while not stop.wait(1):
            pass
        log.info("Scheduler stopping: no new runs; waiting for the running ones")
        scheduler.pause()
        launcher.stop()
        scheduler.shutdown(wait=True)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("Scheduler stopped")
    return 0
