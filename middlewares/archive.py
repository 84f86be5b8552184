"""Saving what a crawl fetched (``NEWS_ARCHIVE``) and answering a crawl from such an archive (``NEWS_REPLAY``).

Both sit next to the downloader (priority 960, after every other middleware's process_request and before
every other's process_response), so an archive keeps the raw answer, redirects included, and a replayed
answer goes through decompression, redirects, retries and robots.txt exactly as the live one did. Both put
the fetch time on the request (``news_fetched_at``), which the spider uses as the record's crawled_at: a
replay reproduces the records of the crawl that made the archive.

An archive is a folder or a WARC file (crawler/archive.py). A request whose URL the archive does not hold
fails as ``Fetch failed (not in archive): URL``; one it holds in a form that cannot answer (a revisit record
whose original is missing) fails with the reason.
"""

from __future__ import annotations

from datetime import datetime, timezone

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from crawler.archive import ArchivedPage, UnusableRecord, open_archive, open_writer

# Archives opened for replay in this process, by path: `crawler crawl --all --replay X` runs a crawler per
# site, and a WARC archive is indexed once, not once per site.
_REPLAY_ARCHIVES: dict[str, object] = {}


class ArchiveMiddleware:
    def __init__(self, archive, stats):
        self.archive = archive
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        target = crawler.settings.get("NEWS_ARCHIVE")
        if not target:
            raise NotConfigured
        middleware = cls(open_writer(target), crawler.stats)
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    def close(self, spider=None):
        self.archive.close()

    def process_response(self, request, response, spider=None):
        if "reused" in response.flags:
            return response  # answered from an earlier answer this crawl archived already (middlewares/robots.py)
        fetched_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        request.meta["news_fetched_at"] = fetched_at
        self.archive.save(
            ArchivedPage(
                url=request.url,
                status=response.status,
                headers=_pairs(response.headers),
                body=response.body,
                fetched_at=fetched_at,
                response_url=response.url,
                method=request.method,
                request_headers=tuple(_pairs(request.headers)),
            )
        )
        self.stats.inc_value("news/archive/saved")
        return response


class ReplayMiddleware:
    def __init__(self, archive, stats):
        self.archive = archive
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        source = crawler.settings.get("NEWS_REPLAY")
        if not source:
            raise NotConfigured
        if source not in _REPLAY_ARCHIVES:
            _REPLAY_ARCHIVES[source] = open_archive(source)
        return cls(_REPLAY_ARCHIVES[source], crawler.stats)

    def process_request(self, request, spider=None):
        try:
            page = self.archive.load(request.url)
        except UnusableRecord as exc:
            self.stats.inc_value("news/replay/unusable")
            raise IgnoreRequest(str(exc)) from None
        if page is None:
            self.stats.inc_value("news/replay/missing")
            raise IgnoreRequest("not in archive")
        self.stats.inc_value("news/replay/answered")
        request.meta["news_fetched_at"] = page.fetched_at
        headers = Headers()
        for name, value in page.headers:
            headers.appendlist(name, value)
        url = page.response_url or page.url
        cls = responsetypes.from_args(headers=headers, url=url, body=page.body)
        return cls(url=url, status=page.status, headers=headers, body=page.body, request=request, flags=["replayed"])


def _pairs(headers: Headers) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in headers.items() for v in vs]
