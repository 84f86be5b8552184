"""The ``[discovery]`` and ``[crawl]`` tables of a profile: where a site lists its articles, how hard to crawl it.

```toml
[discovery]
home = "https://vnexpress.net/"        # the site's root: robots.txt is read from it; the default listing
robots = true                          # follow the Sitemap: lines of robots.txt (default true)
sitemaps = ["https://vnexpress.net/sitemap.xml"]    # sitemaps or sitemap indexes
feeds = ["https://vnexpress.net/rss/tin-moi-nhat.rss"]  # RSS or Atom
listings = ["https://vnexpress.net/thoi-su"]          # section pages, newest first (default: [home])
next_page = ["a.next-page::attr(href)"]   # the next listing page's link, first match wins
max_pages = 50                          # listing pages followed per listing at most (default: no limit)

[crawl]
concurrency = 2                         # requests in flight to the site (CONCURRENT_REQUESTS_PER_DOMAIN)
delay = 0.5                             # seconds between requests (DOWNLOAD_DELAY); AutoThrottle may add more
```

Validated like the rest of the profile (the caller passes its checker, so messages name the file and the key).
Pure: no Scrapy.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

# The pagination links most sites mark: rel=next (HTML's own word for it) in the page or its head.
DEFAULT_NEXT_PAGE = ("a[rel~='next']::attr(href)", "link[rel='next']::attr(href)")
_DISCOVERY_KEYS = ("home", "robots", "sitemaps", "feeds", "listings", "next_page", "max_pages")
_CRAWL_KEYS = ("concurrency", "delay")


@dataclass(frozen=True)
class Discovery:
    """Where the site's article links come from. Every link is still filtered by the profile's article_url."""

    home: str
    robots: bool = True
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    next_page: tuple[str, ...] = DEFAULT_NEXT_PAGE
    max_pages: int | None = None

    @property
    def robots_url(self) -> str:
        parts = urlsplit(self.home)
        return f"{parts.scheme}://{parts.netloc}/robots.txt"


@dataclass(frozen=True)
class CrawlLimits:
    """The site's own politeness limits; None: the project's defaults (crawler/settings.py)."""

    concurrency: int | None = None
    delay: float | None = None


def build_discovery(check, value, domains: tuple[str, ...]) -> Discovery:
    table = check.table(value, "discovery")
    check.known_keys(table, _DISCOVERY_KEYS, "discovery.")
    home = _url(check, table["home"], "discovery.home") if "home" in table else f"https://{domains[0]}/"
    listings = _urls(check, table, "listings")
    return Discovery(
        home=home,
        robots=check.boolean(table.get("robots", True), "discovery.robots"),
        sitemaps=_urls(check, table, "sitemaps"),
        feeds=_urls(check, table, "feeds"),
        # A site that names no listing still has a front page listing its newest articles.
        listings=listings if "listings" in table else (home,),
        next_page=tuple(
            check.selector(s, f"discovery.next_page[{i}]")
            for i, s in enumerate(check.strings(table.get("next_page", list(DEFAULT_NEXT_PAGE)), "discovery.next_page"))
        ),
        max_pages=_positive(check, table["max_pages"], "discovery.max_pages") if "max_pages" in table else None,
    )


def build_limits(check, value) -> CrawlLimits:
    table = check.table(value, "crawl")
    check.known_keys(table, _CRAWL_KEYS, "crawl.")
    delay = table.get("delay")
    if delay is not None and (isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0):
        check.fail("crawl.delay", f"expected a number of seconds (0 or more), got {delay!r}")
    concurrency = _positive(check, table["concurrency"], "crawl.concurrency") if "concurrency" in table else None
    return CrawlLimits(concurrency=concurrency, delay=float(delay) if delay is not None else None)


def _urls(check, table: dict, name: str) -> tuple[str, ...]:
    key = f"discovery.{name}"
    return tuple(_url(check, url, f"{key}[{i}]") for i, url in enumerate(check.strings(table.get(name, []), key)))


def _url(check, value, key: str) -> str:
    parts = urlsplit(check.string(value, key))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        check.fail(key, f"{value!r} is not an absolute http(s) URL")
    return value


def _positive(check, value, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        check.fail(key, f"expected a whole number of at least 1, got {value!r}")
    return value
