"""The article spider: fetch the pages it is given, hand each to extraction, yield the records.

    scrapy crawl article -a urls=https://example.com/a.html,https://example.com/b.html
    scrapy crawl article -a url=https://example.com/a.html

It holds no selectors: what a page means is decided by ``crawler.extract`` and the site's profile.
Every page it was asked for ends as a record or as a logged, counted failure (``news/...`` stats).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

import scrapy
from scrapy import exceptions as scrapy_errors
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError

from crawler.extract import extract_article
from crawler.profiles import find_profile


class ArticleSpider(scrapy.Spider):
    name = "article"

    def __init__(self, urls: str | list[str] | None = None, url: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.urls = _url_list(urls) + _url_list(url)
        if not self.urls:
            raise ValueError("no page to fetch: give -a urls=URL1,URL2 or -a url=URL")
        self.html_types: tuple[str, ...] = ("text/html", "application/xhtml+xml")

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.html_types = tuple(t.lower() for t in crawler.settings.getlist("NEWS_HTML_CONTENT_TYPES"))
        return spider

    async def start(self):
        for url in self.urls:
            # dont_filter: a URL given twice was asked for twice; the caller decides about duplicates.
            yield scrapy.Request(url, callback=self.parse, errback=self.fetch_failed, dont_filter=True)

    def parse(self, response):
        self._count("news/fetched")
        if not self._is_html(response):
            self._count("news/not_html")
            content_type = _content_type(response) or "no content type"
            self.logger.warning("Skipped (not HTML, %(type)s): %(url)s", {"type": content_type, "url": response.url})
            return
        fetched_at = _fetched_at(response)
        try:
            article = extract_article(
                response.body,
                response.url,
                fetched_at=fetched_at,
                profile=find_profile(response.url),
                # The header's charset helps decode pages that are not UTF-8.
                content_type=_content_type(response) or None,
            )
        except Exception:
            # One broken page must not end a crawl of thousands: log the traceback, count it, go on.
            self._count("news/extract_failed")
            self.logger.exception("Extraction failed: %(url)s", {"url": response.url})
            return
        if not article.crawled_at:
            article.crawled_at = fetched_at.isoformat(timespec="seconds")
        self._count("news/extracted")
        yield article

    def fetch_failed(self, failure):
        """Errback: a dead host, a DNS failure, an HTTP error is named in the log and counted, never lost."""
        reason = describe_failure(failure)
        url = failure.request.url
        self._count("news/fetch_failed")
        self._count(f"news/fetch_failed/{_slug(reason)}")
        self.logger.error("Fetch failed (%(reason)s): %(url)s", {"reason": reason, "url": url})

    def _is_html(self, response) -> bool:
        content_type = _content_type(response)
        if not content_type:
            # No header at all: trust Scrapy's sniffing of the body.
            return isinstance(response, HtmlResponse)
        return content_type.split(";")[0].strip() in self.html_types

    def _count(self, key: str) -> None:
        self.crawler.stats.inc_value(key)


def describe_failure(failure) -> str:
    """A short, stable name for why a fetch failed: the log tag and the stats key."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    if failure.check(IgnoreRequest):
        # Raised by a downloader middleware that refused the request, robots.txt most often.
        return (str(failure.value) or "request ignored").lower()
    for types, reason in _NETWORK_FAILURES:
        if failure.check(*types):
            return reason
    return failure.type.__name__


def _error_types(*names: str) -> tuple[type, ...]:
    # Scrapy 2.14+ wraps Twisted's network errors in its own; older versions raise Twisted's.
    return tuple(getattr(scrapy_errors, name) for name in names if hasattr(scrapy_errors, name))


_NETWORK_FAILURES = (
    ((DNSLookupError, *_error_types("CannotResolveHostError")), "DNS lookup failed"),
    ((ConnectionRefusedError, *_error_types("DownloadConnectionRefusedError")), "connection refused"),
    ((TimeoutError, TCPTimedOutError, *_error_types("DownloadTimeoutError")), "timeout"),
)


def _fetched_at(response) -> datetime:
    """When the page was fetched: the archive middleware's time when it archived or replayed the page (so a
    replay reproduces the record), else now. Whole seconds: crawled_at needs no more."""
    archived = response.meta.get("news_fetched_at")
    if archived:
        return datetime.fromisoformat(archived)
    return datetime.now(timezone.utc).replace(microsecond=0)


def _url_list(value: str | list[str] | None) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [u.strip() for u in value if u.strip()]


def _content_type(response) -> str:
    return response.headers.get(b"Content-Type", b"").decode("latin-1").lower()


def _slug(text: str) -> str:
    """'HTTP 404' -> 'http_404': stats keys stay greppable."""
    return re.sub(r"[^a-z0-9.]+", "_", text.lower()).strip("_")
