"""One run of a job at a time: a lock row per job in the database the job writes to.

Why a row in the database and not a file lock: the database is the one thing every runner of a job shares —
cron on one machine and a scheduler on another, pointed at the same PostgreSQL, see the same row — and it
already exists. A row does not vanish when its holder dies, so a lock is *stale*, and taken over, when

- its holder ran on this host and its process is gone (``kill -9``, a crash, a reboot), or
- its heartbeat, renewed by the runner while it lives (:func:`renew`), is older than ``stale_after`` seconds
  (a holder on another host, or a hung one).

Taking and taking over happen in one transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: the row's primary key
makes a concurrent insert fail), so two runners starting together cannot both win.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from crawler.store.runs import abandon_runs, job_locks


@dataclass(frozen=True)
class Holder:
    job: str
    host: str
    pid: int
    acquired: datetime
    heartbeat: datetime

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}, since {self.acquired:%Y-%m-%d %H:%M:%S} UTC"


def me() -> tuple[str, int]:
    return socket.gethostname(), os.getpid()


def acquire(engine: Engine, job: str, now: datetime, stale_after: float) -> tuple[bool, Holder | None]:
    """Take ``job``'s lock for this process: (True, the stale holder taken over or None), or (False, the holder)."""
    host, pid = me()
    try:
        with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
            row = conn.execute(sa.select(job_locks).where(job_locks.c.job == job)).one_or_none()
            mine = {"host": host, "pid": pid, "acquired": now, "heartbeat": now}
            if row is None:
                conn.execute(job_locks.insert().values(job=job, **mine))
                return True, None
            holder = Holder(row.job, row.host, row.pid, row.acquired, row.heartbeat)
            if not is_stale(holder, now, stale_after):
                return False, holder
            # Only if it is still the row we judged: another runner may have taken it over in between.
            taken = conn.execute(
                job_locks.update()
                .where(job_locks.c.job == job, job_locks.c.host == row.host, job_locks.c.pid == row.pid)
                .values(**mine)
            )
            if taken.rowcount != 1:
                return False, holder
            abandon_runs(conn, job, holder.host, holder.pid, now)
            return True, holder
    except IntegrityError:
        # PostgreSQL: another runner inserted the row between our read and our insert; it holds the lock.
        return False, None


def renew(engine: Engine, job: str, now: datetime) -> None:
    host, pid = me()
    with engine.begin() as conn:
        conn.execute(
            job_locks.update()
            .where(job_locks.c.job == job, job_locks.c.host == host, job_locks.c.pid == pid)
            .values(heartbeat=now)
        )


def release(engine: Engine, job: str) -> None:
    host, pid = me()
    with engine.begin() as conn:
        conn.execute(job_locks.delete().where(job_locks.c.job == job, job_locks.c.host == host, job_locks.c.pid == pid))


def is_stale(holder: Holder, now: datetime, stale_after: float) -> bool:
    if now - holder.heartbeat > timedelta(seconds=stale_after):
        return True
    return holder.host == socket.gethostname() and not _alive(holder.pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: nothing is sent, the kernel only says whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True
