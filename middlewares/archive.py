"""Saving what a crawl fetched (``NEWS_ARCHIVE``) and answering a crawl from such an archive (``NEWS_REPLAY``).

Both sit next to the downloader (priority 960, after every other middleware's process_request and before
every other's process_response), so an archive keeps the raw answer, redirects included, and a replayed
answer goes through decompression, redirects, retries and robots.txt exactly as the live one did. Both put
the fetch time on the request (``news_fetched_at``), which the spider uses as the record's crawled_at: a
replay reproduces the records of the crawl that made the archive.

A request whose URL the archive does not hold fails as ``Fetch failed (not in archive): URL``.
"""

from __future__ import annotations

from datetime import datetime, timezone

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from crawler.archive import ArchivedPage, ArchiveError, FolderArchive, open_archive


class ArchiveMiddleware:
    def __init__(self, archive, stats):
        self.archive = archive
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        target = crawler.settings.get("NEWS_ARCHIVE")
        if not target:
            raise NotConfigured
        if str(target).endswith((".warc", ".warc.gz")):
            raise ArchiveError(f"{target}: WARC archives are not supported yet; give a folder")
        return cls(FolderArchive(target), crawler.stats)

    def process_response(self, request, response, spider=None):
        fetched_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        request.meta["news_fetched_at"] = fetched_at
        self.archive.save(
            ArchivedPage(
                url=request.url,
                status=response.status,
                headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, vs in response.headers.items() for v in vs],
                body=response.body,
                fetched_at=fetched_at,
                response_url=response.url,
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
        return cls(open_archive(source), crawler.stats)

    def process_request(self, request, spider=None):
        page = self.archive.load(request.url)
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
