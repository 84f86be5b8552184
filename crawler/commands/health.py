"""``crawler health [--job J] [--db URL]``: each site's health at its latest run; exit 1 when one is unhealthy.

For monitoring: a check that runs this command alerts on a non-zero exit code, and its output names the site,
the field and the numbers (``baomau: published: 0% of 20 articles had a date, usually 100% (last 3 runs)``).
Exit codes: 0 every site healthy (or not judged), 1 a site unhealthy, 2 no runs recorded, 3 no database.
"""

from __future__ import annotations

import argparse
import sys

help = "print each site's crawl health at its latest run; the exit code is 1 when any site is unhealthy"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--job", metavar="NAME", help="only the sites of this job's runs")
    parser.add_argument("--db", metavar="URL", help="the database (default: $NEWS_DB_URL, else sqlite:///data/news.db)")


def run(args: argparse.Namespace) -> int:
    from crawler.commands.stats import _table
    from crawler.health import shares
    from crawler.store import configured_url, open_store
    from crawler.store.errors import StoreError
    from crawler.store.runs import latest_site_runs

    try:
        engine = open_store(args.db or configured_url(), create=False)
    except StoreError as exc:
        print(f"crawler health: {exc}", file=sys.stderr)
        return 3
    try:
        sites = latest_site_runs(engine, args.job)
    finally:
        engine.dispose()
    if not sites:
        print("crawler health: no runs recorded yet (crawler jobs run, crawler schedule)", file=sys.stderr)
        return 2
    headers = ["site", "run", "job", "finished (UTC)", "articles", "date", "byline", "lede", "captions", "errors",
               "health"]  # fmt: skip
    rows = []
    for s in sites:
        share = shares(s.counts)
        status = {True: "ok", False: "UNHEALTHY", None: "not judged"}[s.healthy]
        finished = f"{s.finished:%Y-%m-%d %H:%M:%S}" if s.finished else "-"
        rows.append([s.site, s.run_id, s.job, finished, s.counts["articles"],
                     *(_percent(share[k]) for k in ("published", "authors", "lede", "captioned", "errors")), status])  # fmt: skip
    print(_table(headers, rows, text=1))
    unhealthy = [s for s in sites if s.healthy is False]
    for s in unhealthy:
        for problem in s.problems:
            print(f"{s.site}: {problem['message']}")
    return 1 if unhealthy else 0


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"
