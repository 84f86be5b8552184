"""One robots.txt fetch per site serves both who ask for it: Scrapy's RobotsTxtMiddleware (the rules) and the
site spider (its ``Sitemap:`` lines, spiders/site.py).

Scrapy fetches a host's robots.txt before the first request to that host goes on, the spider's own
robots.txt request included; so by the time the spider's request reaches this middleware the answer is here
and is handed back instead of fetching the file again. Why not drop one of the two: Scrapy's parsed rules
(Protego) do list the sitemaps, but reaching them means its private parser table or its robots_parsed signal,
which fires for whichever request came first and not at all with ROBOTSTXT_OBEY off; and the spider cannot
hand its answer to Scrapy's middleware. Reusing the answer keeps both as they are.

Next to the downloader (970, after replay): a reused answer goes back through every middleware's
process_response like a downloaded one (decompression, redirects), marked ``reused`` so the archive does not
save it twice. Each answer is reused once; answers to retry (429, 5xx) are not kept.
"""

from __future__ import annotations

from urllib.parse import urlsplit


class RobotsOnceMiddleware:
    def __init__(self, stats):
        self.stats = stats
        self.answers: dict[str, tuple] = {}
        """robots.txt URL -> (the request that fetched it, its answer), until a second request takes it."""

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_request(self, request, spider=None):
        kept = self.answers.pop(request.url, None)
        if kept is None:
            return None
        first, response = kept
        if "news_fetched_at" in first.meta:  # the archive's fetch time (crawled_at), as if fetched now
            request.meta["news_fetched_at"] = first.meta["news_fetched_at"]
        self.stats.inc_value("robotstxt/reused")
        return response.replace(request=request, flags=[*response.flags, "reused"])

    def process_response(self, request, response, spider=None):
        if is_robots_txt(request.url) and reusable(response.status) and "reused" not in response.flags:
            self.answers[request.url] = (request, response)
        return response


def is_robots_txt(url: str) -> bool:
    return urlsplit(url).path == "/robots.txt"


def reusable(status: int) -> bool:
    """An answer the retry middleware will not retry: what a second fetch would most likely get too."""
    return status < 500 and status != 429
