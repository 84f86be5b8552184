"""``crawler crawl SITE [SITE ...] | --all``: crawl whole sites as their profiles say, into the store.

Each site runs its generated spider (spiders/sites.py) in one Scrapy process; discovery, windows, incremental
runs and resume are the spider's (spiders/site.py), archive and replay the middlewares' (middlewares/archive.py).
This module parses options, checks them together, runs the crawl and prints the summary table.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from crawler.commands import scrape

help = "crawl whole sites (sitemaps, feeds, listings) into the store: windows, incremental runs, resume, replay"


@dataclass
class SiteResult:
    site: str
    stats: dict
    reason: str | None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_argument_group("sites")
    which.add_argument("sites", nargs="*", metavar="SITE", help="profile ids (crawler sites lists them)")
    which.add_argument("--all", action="store_true", help="every site with a profile")
    add_crawl_arguments(parser)


def add_crawl_arguments(parser: argparse.ArgumentParser) -> None:
    """The options `crawler demo` shares with `crawler crawl`."""
    window = parser.add_argument_group("what to fetch")
    window.add_argument(
        "--since", metavar="WHEN", help="articles published from WHEN: 6h, 2d, 1w, 2026-11-01, ISO 8601"
    )
    window.add_argument("--until", metavar="WHEN", help="articles published before WHEN (a day: up to its end)")
    window.add_argument("--refresh", action="store_true", help="fetch stored articles again (default: skip them)")
    window.add_argument("--job", metavar="NAME", help="job name a stopped crawl resumes under (default: the site id)")
    source = parser.add_argument_group("archive and replay").add_mutually_exclusive_group()
    source.add_argument(
        "--archive", metavar="DIR|FILE.warc.gz", help="save every answer to the folder DIR or a WARC file (.warc[.gz])"
    )
    source.add_argument(
        "--replay",
        metavar="ARCHIVE",
        help="answer every request from ARCHIVE (a folder made by --archive, a WARC file, a folder of WARC files)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no live progress lines on stderr")
    parser.add_argument(
        "--summary", metavar="FILE", help="write each site's counts as JSON to FILE at the end (for crawler jobs run)"
    )
    scrape.add_output_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from spiders.sites import SPIDERS

    try:
        sites = choose_sites(args, SPIDERS)
        overrides = crawl_overrides(args)
    except scrape.UsageError as exc:
        print(f"crawler crawl: {exc}", file=sys.stderr)
        return 2
    return run_crawl(args, sites, overrides, command="crawl")


def run_crawl(args: argparse.Namespace, sites: list[str], overrides: dict, command: str) -> int:
    """Crawl ``sites`` with these settings; print the table; the exit code. Shared with `crawler demo`."""
    from crawler.store.errors import StoreError

    try:
        results = crawl_sites(sites, args, overrides)
    except StoreError as exc:
        print(f"crawler {command}: cannot store articles, nothing was fetched: {exc}", file=sys.stderr)
        if args.summary:
            write_summary(args.summary, [], 1, error=str(exc))
        return 1
    code = report(results, args.job)
    if args.summary:
        write_summary(args.summary, results, code)
    return code


def write_summary(path: str, results: list[SiteResult], code: int, error: str | None = None) -> None:
    """Each site's counts as JSON, for the process that started this crawl (crawler/scheduling/runner.py): the
    numbers of the table, plus the article links found (none at all: the site's sources are broken)."""
    import json
    import os

    from crawler.progress import progress_of
    from spiders.sites import SPIDERS

    sites = {}
    for result in results:
        host = SPIDERS[result.site].profile.domains[0]
        p = progress_of(result.site, host, result.stats, result.stats.get("elapsed_time_seconds", 0.0))
        # Article links seen, wanted or not (stored, out of the window); "not-article" links are not articles.
        links = sum(
            v for k, v in result.stats.items() if k.startswith(f"news/{host}/links/") and not k.endswith("/not-article")
        )
        sites[result.site] = {
            "reason": result.reason, "pages": p.pages, "new": p.new, "updated": p.updated,
            "unchanged": p.unchanged, "failed": p.failed, "skipped": p.skipped,
            "links": links + result.stats.get(f"news/{host}/requests/article", 0),
            "store_failed": result.stats.get("news/store/failed"),
        }  # fmt: skip
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps({"exit_code": code, "error": error, "sites": sites}, indent=1), encoding="utf-8")
    os.replace(tmp, target)  # the reader sees the whole file or none


def choose_sites(args: argparse.Namespace, spiders: dict) -> list[str]:
    if args.all and args.sites:
        raise scrape.UsageError("give SITE names or --all, not both")
    if args.all:
        return sorted(spiders)
    if not args.sites:
        raise scrape.UsageError("which sites? give SITE names (crawler sites lists them) or --all")
    unknown = [s for s in args.sites if s not in spiders]
    if unknown:
        raise scrape.UsageError(f"no profile for {', '.join(unknown)} (known: {', '.join(sorted(spiders))})")
    return list(dict.fromkeys(args.sites))


def crawl_overrides(args: argparse.Namespace) -> dict:
    """The settings the options make, checked together before anything starts."""
    from crawler.discovery.window import WindowError, make_window

    try:
        make_window(args.since, args.until, datetime.now(timezone.utc), timezone.utc)
    except WindowError as exc:
        raise scrape.UsageError(str(exc)) from None
    overrides = {"NEWS_PROGRESS_INTERVAL": "0" if args.no_progress else ("2" if sys.stderr.isatty() else "10")}
    from crawler.archive import ArchiveError, find_archive, is_warc

    if args.replay:
        try:
            # Only where it is and what it is: a WARC archive is read once, by the replay itself.
            find_archive(args.replay)
        except ArchiveError as exc:
            raise scrape.UsageError(f"--replay: {exc}") from None
        overrides["NEWS_REPLAY"] = str(Path(args.replay).resolve())
    if args.archive:
        if is_warc(args.archive) and Path(args.archive).is_dir():
            raise scrape.UsageError(f"--archive: {args.archive} is a folder; a WARC file is a file")
        overrides["NEWS_ARCHIVE"] = str(Path(args.archive).resolve())
    store = scrape.store_overrides(args)
    overrides.update(store)
    if store.get("NEWS_DB_URL") == "" and not args.output:
        raise scrape.UsageError("--no-store without -o FILE would keep nothing")
    # The user's -s last: it wins over what the options set.
    overrides.update(scrape.parse_overrides(args.settings))
    return overrides


def crawl_sites(sites: list[str], args: argparse.Namespace, overrides: dict) -> list[SiteResult]:
    from scrapy.crawler import CrawlerProcess

    from spiders.sites import SPIDERS

    feeds = scrape.feed_config(args.output, args.format) if args.output else {}
    settings = scrape.project_settings(feeds, overrides, args.loglevel)
    scrape.check_store(settings.get("NEWS_DB_URL"))
    process = CrawlerProcess(settings)
    crawlers = []
    for site in sites:
        crawler = process.create_crawler(SPIDERS[site])
        process.crawl(crawler, since=args.since, until=args.until, refresh=args.refresh, job=args.job)
        crawlers.append((site, crawler))
    process.start()
    return [
        SiteResult(
            site,
            crawler.stats.get_stats() if crawler.stats else {},
            (crawler.stats.get_value("finish_reason") if crawler.stats else None),
        )
        for site, crawler in crawlers
    ]


def report(results: list[SiteResult], job: str | None) -> int:
    from crawler.progress import format_table, progress_of
    from spiders.sites import SPIDERS

    rows = []
    for result in results:
        stats = result.stats
        elapsed = stats.get("elapsed_time_seconds", 0.0)
        rows.append(progress_of(result.site, SPIDERS[result.site].profile.domains[0], stats, elapsed))
    print(format_table(rows), file=sys.stderr)
    code = 0
    for result in results:
        if result.stats.get("news/store/failed"):
            print(
                f"crawler: {result.site}: storing failed, the crawl stopped: {result.stats['news/store/failed']}",
                file=sys.stderr,
            )
            code = 1
        elif result.reason not in ("finished", None):
            name = job or result.site
            print(
                f"crawler: {result.site} stopped ({result.reason}); run the same command again to resume job '{name}'",
                file=sys.stderr,
            )
            code = 1
    if results and all(r.stats.get("downloader/response_count", 0) == 0 for r in results):
        why = _fetch_failures(results)
        # The reasons on this line too: it is the one `crawler jobs run` records as the site's error.
        print(f"crawler: nothing could be fetched{why} (see the 'Fetch failed' lines above)", file=sys.stderr)
        code = 1
    return code


def _fetch_failures(results: list[SiteResult]) -> str:
    """``: connection refused (2)``: the fetch failures counted (spiders/article.py), most frequent first."""
    prefix = "news/fetch_failed/"
    counts: dict[str, int] = {}
    for result in results:
        for key, value in result.stats.items():
            if key.startswith(prefix):
                reason = key[len(prefix) :].replace("_", " ")
                counts[reason] = counts.get(reason, 0) + value
    ordered = sorted(counts.items(), key=lambda item: -item[1])
    return (": " + ", ".join(f"{reason} ({n})" for reason, n in ordered)) if ordered else ""
