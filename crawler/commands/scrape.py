"""``crawler scrape URL ...``: fetch pages with the article spider and write their records.

The crawl is a plain Scrapy crawl (project settings, the same pipelines as ``scrapy crawl article``); records
go through Scrapy's feed exports, to stdout as JSON lines or to a file. Scrapy's log goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
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

    def summary(self) -> str:
        return f"{self.requested} URLs, {self.fetched} fetched, {self.articles} articles, {self.failed} failed to fetch"


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
        overrides = parse_overrides(args.settings)
        feeds = feed_config(args.output, args.format)
    except UsageError as exc:
        print(f"crawler scrape: {exc}", file=sys.stderr)
        return 2
    return report(crawl(args.urls, feeds=feeds, overrides=overrides, loglevel=args.loglevel))


def report(result: CrawlResult) -> int:
    """The summary on stderr; the exit code says whether anything at all could be fetched."""
    print(f"crawler: {result.summary()}", file=sys.stderr)
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

    process = CrawlerProcess(project_settings(feeds, overrides or {}, loglevel))
    crawler = process.create_crawler(ArticleSpider)
    process.crawl(crawler, urls=list(urls))
    process.start()
    stats = crawler.stats.get_stats()
    return CrawlResult(
        requested=len(urls),
        fetched=stats.get("news/fetched", 0),
        articles=stats.get("item_scraped_count", 0),
        failed=stats.get("news/fetch_failed", 0),
    )


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
