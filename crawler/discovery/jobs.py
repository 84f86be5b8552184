"""Crawl jobs: what a run of a site set out to do, so that a stopped or killed run can be resumed.

The store is the record of what is done (an article stored is never fetched again, see known.py); a job file
only keeps what must not change between a run and its resumption: the date window as it was resolved when the
job started (``--since 6h`` means six hours before the *first* start, and an incremental run's window comes
from the store as it was then) and the time a ``--refresh`` began (what was stored since is done).

One small JSON file per job and site, ``NEWS_JOBS_DIR/<job>/<site>.json``, written atomically. A job whose
last run ended cleanly is finished; the next run under that name starts a new one. A run with other options
than the unfinished job's starts a new job too (and says so): a resume means "the same crawl, continued".
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from crawler.discovery.window import Window


@dataclass
class Job:
    name: str
    site: str
    options: dict
    """The options as given (since, until, refresh): a resume must be asked for with the same ones."""
    since: str | None
    until: str | None
    incremental: bool
    """True when ``since`` was taken from the store (no --since given, articles already stored)."""
    started: str
    finished: str | None = None
    runs: int = 1

    @property
    def window(self) -> Window:
        parse = datetime.fromisoformat
        return Window(parse(self.since) if self.since else None, parse(self.until) if self.until else None)

    @property
    def started_at(self) -> datetime:
        return datetime.fromisoformat(self.started)


def job_path(folder: Path, name: str, site: str) -> Path:
    return Path(folder) / _safe(name) / f"{_safe(site)}.json"


def load_unfinished(folder: Path, name: str, site: str, options: dict) -> tuple[Job | None, str | None]:
    """The job to resume, or None and why not (None: there was nothing to resume)."""
    path = job_path(folder, name, site)
    if not path.is_file():
        return None, None
    try:
        job = Job(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        return None, f"job file {path} is unreadable ({exc}); starting a new job"
    if job.finished:
        return None, None
    if job.options != options:
        return None, f"job '{name}' was started with other options {job.options}; starting a new job"
    return job, None


def start_job(
    folder: Path, name: str, site: str, options: dict, window: Window, incremental: bool, now: datetime
) -> Job:
    job = Job(
        name=name,
        site=site,
        options=options,
        since=window.since.isoformat() if window.since else None,
        until=window.until.isoformat() if window.until else None,
        incremental=incremental,
        started=now.isoformat(),
    )
    save_job(folder, job)
    return job


def save_job(folder: Path, job: Job) -> None:
    path = job_path(folder, job.name, job.site)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(job), ensure_ascii=False, indent=1), encoding="utf-8")
    # A kill -9 mid-write leaves the old file or the new one, never half of one.
    os.replace(tmp, path)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", name).strip("._") or "job"
