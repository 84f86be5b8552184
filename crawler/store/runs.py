"""Run history and job locks: what each scheduled run did, per site, and which job is running now.

- ``crawl_runs``: one row per run of a job (``crawler jobs run``): when, the outcome, the totals, the errors.
- ``crawl_run_sites``: one row per site of a run: the crawl's counts (from its summary file), the field counts of
  the articles it stored (the health sample), and the health verdict with its reasons.
- ``job_locks``: one row per job being run, the lock that keeps two runs of a job apart (:mod:`.locks`).

Their own MetaData, created by one migration step (migrate.py): these tables are about runs, not articles, and
keeping them apart lets the article schema and this one change without touching each other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, Table, Text
from sqlalchemy.engine import Connection, Engine

from crawler.store.schema import Key, UtcDateTime, article_authors, article_images, articles

metadata = sa.MetaData(
    naming_convention={"ix": "ix_%(table_name)s_%(column_0_N_name)s", "uq": "uq_%(table_name)s_%(column_0_name)s"}
)

# The counts a site's run keeps: the crawl's (pages ... links) and its stored articles' (articles ... captioned).
COUNTS = ("pages", "new", "updated", "unchanged", "failed", "links", "articles", "published", "authors", "lede",
          "images", "captioned")  # fmt: skip

crawl_runs = Table(
    "crawl_runs",
    metadata,
    Column("id", Key, primary_key=True, autoincrement=True),
    Column("job", Text, nullable=False),
    Column("sites", Text, nullable=False, comment="profile ids, space-separated"),
    Column("started", UtcDateTime, nullable=False),
    Column("finished", UtcDateTime),
    Column("outcome", Text, nullable=False, comment="running, ok, partial, failed, interrupted, abandoned, skipped"),
    Column("pages", Integer, nullable=False, default=0),
    Column("new", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
    Column("unhealthy", Text, comment="sites found unhealthy, space-separated; NULL: all healthy"),
    Column("errors", Text, comment="what went wrong, one line each"),
    Column("host", Text, nullable=False),
    Column("pid", Integer, nullable=False),
    Index(None, "job", "started"),
)

crawl_run_sites = Table(
    "crawl_run_sites",
    metadata,
    Column("run_id", Key, ForeignKey("crawl_runs.id", ondelete="CASCADE"), primary_key=True),
    Column("site", Text, primary_key=True, comment="the profile id"),
    Column("started", UtcDateTime, nullable=False),
    Column("finished", UtcDateTime),
    Column("exit_code", Integer),
    Column("reason", Text, comment="Scrapy's finish reason, or why there is none"),
    *(Column(name, Integer, nullable=False, default=0) for name in COUNTS),
    Column("healthy", Boolean),
    Column("problems", Text, comment="JSON list of {field, share, usual, runs, message}"),
    Column("error", Text),
    Column("log", Text, comment="the crawl's stderr, a file"),
    Index(None, "site", "started"),
)

job_locks = Table(
    "job_locks",
    metadata,
    Column("job", Text, primary_key=True),
    Column("host", Text, nullable=False),
    Column("pid", Integer, nullable=False),
    Column("acquired", UtcDateTime, nullable=False),
    Column("heartbeat", UtcDateTime, nullable=False, comment="renewed while the run lives"),
)


def create_tables(conn: Connection) -> None:
    """The migration step that adds these tables."""
    metadata.create_all(conn)


@dataclass
class SiteRun:
    """One site's part of a run, as recorded."""

    site: str
    started: datetime
    finished: datetime | None = None
    exit_code: int | None = None
    reason: str | None = None
    counts: dict[str, int] | None = None
    healthy: bool | None = None
    problems: list[dict] | None = None
    error: str | None = None
    log: str | None = None
    run_id: int | None = None
    job: str | None = None


def start_run(engine: Engine, job: str, sites: list[str], started: datetime, host: str, pid: int) -> int:
    row = {"job": job, "sites": " ".join(sites), "started": started, "outcome": "running", "host": host, "pid": pid}
    with engine.begin() as conn:
        return conn.execute(crawl_runs.insert().values(row).returning(crawl_runs.c.id)).scalar_one()


def record_skipped(engine: Engine, job: str, sites: list[str], now: datetime, host: str, pid: int,
                   reason: str) -> int:  # fmt: skip
    """A run that did not happen because another run of the job was still going: a row of its own, so the
    history shows the gap (a run that overruns its interval) and why."""
    row = {"job": job, "sites": " ".join(sites), "started": now, "finished": now, "outcome": "skipped",
           "errors": reason, "host": host, "pid": pid}  # fmt: skip
    with engine.begin() as conn:
        return conn.execute(crawl_runs.insert().values(row).returning(crawl_runs.c.id)).scalar_one()


def finish_run(engine: Engine, run_id: int, outcome: str, finished: datetime, site_runs: list[SiteRun],
               errors: list[str]) -> None:  # fmt: skip
    totals = {name: sum((s.counts or {}).get(name, 0) for s in site_runs) for name in ("pages", "new", "updated", "failed")}
    unhealthy = " ".join(s.site for s in site_runs if s.healthy is False) or None
    with engine.begin() as conn:
        for s in site_runs:
            conn.execute(crawl_run_sites.insert().values(_site_row(run_id, s)))
        conn.execute(
            crawl_runs.update()
            .where(crawl_runs.c.id == run_id)
            .values(outcome=outcome, finished=finished, unhealthy=unhealthy, errors="\n".join(errors) or None, **totals)
        )


def _site_row(run_id: int, s: SiteRun) -> dict:
    counts = {name: (s.counts or {}).get(name, 0) for name in COUNTS}
    problems = json.dumps(s.problems, ensure_ascii=False) if s.problems else None
    return {"run_id": run_id, "site": s.site, "started": s.started, "finished": s.finished, "exit_code": s.exit_code,
            "reason": s.reason, **counts, "healthy": s.healthy, "problems": problems, "error": s.error, "log": s.log}  # fmt: skip


def abandon_runs(conn: Connection, job: str, host: str, pid: int, now: datetime) -> None:
    """Runs left 'running' by a runner that died (its lock was stale): they will never finish themselves."""
    conn.execute(
        crawl_runs.update()
        .where(crawl_runs.c.job == job, crawl_runs.c.outcome == "running", crawl_runs.c.host == host,
               crawl_runs.c.pid == pid)
        .values(outcome="abandoned", finished=now)
    )  # fmt: skip


def list_runs(engine: Engine, job: str | None = None, last: int = 20) -> list:
    """The ``last`` runs (of ``job``), oldest first."""
    query = sa.select(crawl_runs).order_by(crawl_runs.c.started.desc(), crawl_runs.c.id.desc()).limit(last)
    if job:
        query = query.where(crawl_runs.c.job == job)
    with engine.connect() as conn:
        return list(reversed(conn.execute(query).all()))


def site_history(engine: Engine, site: str, before_run: int, limit: int) -> list[dict]:
    """The counts of ``site``'s last ``limit`` finished runs before run ``before_run`` that stored articles."""
    query = (
        sa.select(crawl_run_sites)
        .where(crawl_run_sites.c.site == site, crawl_run_sites.c.run_id < before_run, crawl_run_sites.c.articles > 0)
        .order_by(crawl_run_sites.c.run_id.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return [{name: getattr(row, name) for name in COUNTS} for row in conn.execute(query)]


def latest_site_runs(engine: Engine, job: str | None = None) -> list[SiteRun]:
    """Each site's most recent run (of ``job``), by site."""
    latest = sa.select(crawl_run_sites.c.site, sa.func.max(crawl_run_sites.c.run_id).label("run_id"))
    if job:
        latest = latest.join(crawl_runs, crawl_runs.c.id == crawl_run_sites.c.run_id).where(crawl_runs.c.job == job)
    latest = latest.group_by(crawl_run_sites.c.site).subquery()
    query = (
        sa.select(crawl_run_sites, crawl_runs.c.job)
        .join(latest, sa.and_(latest.c.site == crawl_run_sites.c.site, latest.c.run_id == crawl_run_sites.c.run_id))
        .join(crawl_runs, crawl_runs.c.id == crawl_run_sites.c.run_id)
        .order_by(crawl_run_sites.c.site)
    )
    with engine.connect() as conn:
        return [
            SiteRun(
                site=row.site, started=row.started, finished=row.finished, exit_code=row.exit_code, reason=row.reason,
                counts={name: getattr(row, name) for name in COUNTS}, healthy=row.healthy,
                problems=json.loads(row.problems) if row.problems else [], error=row.error, log=row.log,
                run_id=row.run_id, job=row.job,
            )
            for row in conn.execute(query)
        ]  # fmt: skip


def stored_fields(engine: Engine, domains: tuple[str, ...], since: datetime, until: datetime) -> dict[str, int]:
    """Field counts of the articles of a site (its profile's domains) written between ``since`` and ``until``:
    the articles a run fetched and stored, new, updated or unchanged (the writer sets ``last_seen`` on each)."""
    match = sa.or_(*(sa.or_(articles.c.site == d, articles.c.site.like(f"%.{d}")) for d in domains))
    in_run = sa.and_(match, articles.c.last_seen >= since, articles.c.last_seen <= until)
    base = sa.select(
        sa.func.count(), sa.func.count(articles.c.published), sa.func.count(articles.c.lede)
    ).where(in_run)
    with_authors = (
        sa.select(sa.func.count(sa.distinct(article_authors.c.article_id)))
        .join(articles, article_authors.c.article_id == articles.c.id)
        .where(in_run)
    )
    images = (
        sa.select(sa.func.count(), sa.func.count(article_images.c.caption))
        .join(articles, article_images.c.article_id == articles.c.id)
        .where(in_run)
    )
    with engine.connect() as conn:
        total, published, lede = conn.execute(base).one()
        authors = conn.execute(with_authors).scalar_one()
        pictures, captioned = conn.execute(images).one()
    return {"articles": total, "published": published, "authors": authors, "lede": lede, "images": pictures,
            "captioned": captioned}  # fmt: skip
