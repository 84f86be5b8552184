"""``crawler runs [--job J] [--last N] [--db URL]``: the history of scheduled runs, as a table on stdout."""

from __future__ import annotations

import argparse
import sys

help = "print the history of job runs (crawler jobs run, crawler schedule) from the database"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--job", metavar="NAME", help="only this job's runs")
    parser.add_argument("--last", metavar="N", type=int, default=20, help="the last N runs (default: 20)")
    parser.add_argument("--db", metavar="URL", help="the database (default: $NEWS_DB_URL, else sqlite:///data/news.db)")


def run(args: argparse.Namespace) -> int:
    from crawler.commands.stats import _table
    from crawler.store import configured_url, open_store
    from crawler.store.errors import StoreError
    from crawler.store.runs import list_runs

    try:
        engine = open_store(args.db or configured_url(), create=False)
    except StoreError as exc:
        print(f"crawler runs: {exc}", file=sys.stderr)
        return 1
    try:
        runs = list_runs(engine, args.job, max(1, args.last))
    finally:
        engine.dispose()
    if not runs:
        print("no runs recorded yet")
        return 0
    headers = ["run", "job", "sites", "started (UTC)", "time", "outcome", "health", "pages", "new", "updated", "failed"]
    rows = [
        [r.id, r.job, r.sites, f"{r.started:%Y-%m-%d %H:%M:%S}", _duration(r), r.outcome,
         _health(r), r.pages, r.new,
         r.updated, r.failed]
        for r in runs
    ]  # fmt: skip
    print(_table(headers, rows, text=7))
    errors = [(r.id, line) for r in runs for line in (r.errors or "").splitlines()]
    for run_id, line in errors:
        print(f"run {run_id}: {line}")
    return 0


def _health(run) -> str:
    if run.unhealthy:
        return f"unhealthy: {run.unhealthy}"
    # A running or interrupted run was not judged: its shares would be of half a crawl.
    return "ok" if run.outcome in ("ok", "partial", "failed") else "-"


def _duration(run) -> str:
    if run.finished is None:
        return "-"
    seconds = int((run.finished - run.started).total_seconds())
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
