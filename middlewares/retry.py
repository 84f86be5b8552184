"""Scrapy's retry middleware, plus ``Retry-After``: a 429 or 503 that says when to come back is retried then.

Scrapy retries 429/5xx at once (its retry middleware ignores Retry-After); a site that asked us to wait gets
hit again right away, which is how crawlers get blocked. Here the retry waits what the site asked, up to
``NEWS_RETRY_AFTER_MAX`` seconds; a site that asks for longer is not retried this run (the page is reported
as failed, the next run fetches it). Stats: ``news/retry_after/waited``, ``news/retry_after/too_long``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor, task

# The codes whose Retry-After means "come back later" (RFC 9110 §10.2.3); on a 3xx it means something else.
RETRY_AFTER_CODES = frozenset({429, 503})


def retry_after_seconds(value: str | bytes | None, now: datetime) -> float | None:
    """A Retry-After header as seconds from ``now``: delay-seconds or an HTTP date; None when unreadable."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - now).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = settings.getfloat("NEWS_RETRY_AFTER_MAX")

    @classmethod
    def from_crawler(cls, crawler):
        middleware = super().from_crawler(crawler)
        middleware.stats = crawler.stats
        return middleware

    async def process_response(self, request, response, spider=None):
        exhausted = request.meta.get("retry_times", 0) >= request.meta.get("max_retry_times", self.max_retry_times)
        if response.status not in RETRY_AFTER_CODES or request.meta.get("dont_retry") or exhausted:
            return super().process_response(request, response)
        wait = retry_after_seconds(response.headers.get(b"Retry-After"), datetime.now(timezone.utc))
        if wait is None:
            return super().process_response(request, response)
        if wait > self.max_wait:
            self.stats.inc_value("news/retry_after/too_long")
            return response  # not retried: reported as this status by the spider's errback
        self.stats.inc_value("news/retry_after/waited")
        if wait > 0:
            # Wait without blocking the reactor: other sites' requests go on meanwhile.
            await maybe_deferred_to_future(task.deferLater(reactor, wait, lambda: None))
        return super().process_response(request, response)
