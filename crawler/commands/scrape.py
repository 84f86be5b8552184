"""``crawler scrape URL ...``: fetch pages with the article spider and write their records.

The crawl is a plain Scrapy crawl (project settings, the same pipelines as ``scrapy crawl article``); records
go through Scrapy's feed exports, to stdout as JSON lines or to a file. Scrapy's log goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

help = "fetch news pages and print their article records (JSON lines), or write them to a file"

# Feed formats by name and by file extension (Scrapy's exporter names).
FORMATS = {"jsonl": "jsonlines", "json": "json", "csv": "csv"}
EXTENSIONS = {".jsonl": "jsonlines", ".jl": "jsonlines", ".json": "json", ".csv": "csv"}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class UsageError(ValueError):
    """A bad option value; the message is shown to the user as is."""


@dataclass
class CrawlResult:
    """What a crawl did, read from the crawl's stats."""

    requested: int
    fetched: int
    articles: int
    failed: int
    store_url: str | None = None
    """The database the articles went to (password hidden), None when storage was off."""
    stored: dict[str, int] = field(default_factory=dict)
    """Stored articles by outcome: new, updated, unchanged."""
    store_failed: str | None = None
    """Why storing failed (the crawl was stopped), or None."""

    def summary(self) -> str:
        return f"{self.requested} URLs, {self.fetched} fetched, {self.articles} articles, {self.failed} failed to fetch"

    def store_summary(self) -> str | None:
        if self.store_url is None:
            return None
        counts = ", ".join(f"{self.stored.get(status, 0)} {status}" for status in ("new", "updated", "unchanged"))
        return f"stored {sum(self.stored.values())} articles in {self.store_url} ({counts})"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("urls", nargs="+", metavar="URL", help="pages to fetch (http or https)")
    add_output_arguments(parser)


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """The options `crawler demo` shares with `crawler scrape`."""
    parser.add_argument("-o", "--output", metavar="FILE", help="write the records to FILE instead of stdout")
    parser.add_argument(
        "--format",
        choices=sorted(FORMATS),
        help="output format (default: from FILE's extension: .jsonl/.jl, .json, .csv; jsonl on stdout)",
    )
    parser.add_argument(
        "-s",
        "--set",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy or NEWS_* setting (repeatable)",
    )
    store = parser.add_mutually_exclusive_group()
    store.add_argument(
        "--db",
        metavar="URL",
        help="store the articles in this database: sqlite:///FILE or postgresql://user@host/db"
        " (default: $NEWS_DB_URL, else sqlite:///data/news.db)",
    )
    store.add_argument("--no-store", action="store_true", help="do not store the articles; output only")
    parser.add_argument(
        "--loglevel",
        choices=LOG_LEVELS,
        type=str.upper,
        default="WARNING",
        help="Scrapy's log level on stderr (default: WARNING; fetch failures are always shown)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        check_urls(args.urls)
        overrides = {**parse_overrides(args.settings), **store_overrides(args)}
        feeds = feed_config(args.output, args.format)
    except UsageError as exc:
        print(f"crawler scrape: {exc}", file=sys.stderr)
        return 2
    from crawler.store.errors import StoreError

    try:
        result = crawl(args.urls, feeds=feeds, overrides=overrides, loglevel=args.loglevel)
    except StoreError as exc:
        print(f"crawler scrape: cannot store articles, nothing was fetched: {exc}", file=sys.stderr)
        return 1
    return report(result)


def store_overrides(args: argparse.Namespace) -> dict[str, str]:
    """--db and --no-store as settings (an empty NEWS_DB_URL switches the store pipeline off)."""
    if args.no_store:
        return {"NEWS_DB_URL": ""}
    if args.db is not None:
        if not args.db.strip():
            raise UsageError("--db wants a database URL (use --no-store to store nothing)")
        return {"NEWS_DB_URL": args.db}
    return {}


def report(result: CrawlResult) -> int:
    """The summary on stderr; the exit code says whether anything could be fetched and stored."""
    print(f"crawler: {result.summary()}", file=sys.stderr)
    if result.store_failed:
        print(f"crawler: storing failed, the crawl stopped: {result.store_failed}", file=sys.stderr)
        return 1
    if result.store_summary():
        print(f"crawler: {result.store_summary()}", file=sys.stderr)
    if result.fetched == 0:
        print("crawler: nothing could be fetched (see the 'Fetch failed' lines above)", file=sys.stderr)
        return 1
    return 0


def check_urls(urls: list[str]) -> None:
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"not an http(s) URL: {url!r}")


def parse_overrides(pairs: list[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-s wants NAME=VALUE, got {pair!r}")
        overrides[name.strip()] = value
    return overrides


def feed_config(output: str | None, fmt: str | None) -> dict:
    """Scrapy's FEEDS setting for the chosen destination."""
    if output is None:
        return {"stdout:": {"format": FORMATS[fmt or "jsonl"]}}
    path = Path(output)
    exporter = FORMATS[fmt] if fmt else EXTENSIONS.get(path.suffix.lower())
    if exporter is None:
        raise UsageError(f"cannot tell the format of {output!r} from its extension: give --format")
    # overwrite: appending to a JSON array or a CSV with a header would give a broken file.
    return {str(path.resolve()): {"format": exporter, "overwrite": True}}


def crawl(urls: list[str], *, feeds: dict, overrides: dict | None = None, loglevel: str = "INFO") -> CrawlResult:
    """Run the article spider over `urls` in this process (once: Twisted's reactor cannot restart)."""
    from scrapy.crawler import CrawlerProcess

    from spiders.article import ArticleSpider

    settings = project_settings(feeds, overrides or {}, loglevel)
    check_store(settings.get("NEWS_DB_URL"))
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ArticleSpider)
    process.crawl(crawler, urls=list(urls))
    process.start()
    stats = crawler.stats.get_stats()
    db_url = crawler.settings.get("NEWS_DB_URL")
    return CrawlResult(
        requested=len(urls),
        fetched=stats.get("news/fetched", 0),
        articles=stats.get("item_scraped_count", 0),
        failed=stats.get("news/fetch_failed", 0),
        store_url=_redact(db_url) if db_url else None,
        stored={status: stats.get(f"news/stored/{status}", 0) for status in ("new", "updated", "unchanged")},
        store_failed=stats.get("news/store/failed"),
    )


def check_store(url: str | None) -> None:
    """Open (and migrate) the database before the crawl, raising StoreError: a wrong URL is then one clear
    line, not a crawl that starts, fails in the pipeline and ends in Scrapy's tracebacks."""
    if url:
        from crawler.store import open_store

        open_store(url).dispose()


def _redact(url: str) -> str:
    from crawler.store.engine import redact

    return redact(url)


def project_settings(feeds: dict, overrides: dict, loglevel: str):
    """The project's settings, loaded by module name: the same from any working directory, and never those
    of another project whose scrapy.cfg happens to sit above the current folder."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("FEEDS", feeds, priority="cmdline")
    settings.set("LOG_LEVEL", loglevel, priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings
