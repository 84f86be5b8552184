"""The store pipeline: article records into the database (crawler/store), in batches.

A thin wrapper around :class:`crawler.store.writer.ArticleWriter`; it adds what only a crawl has: settings,
stats, a timer that flushes a batch a slow crawl would keep open, and stopping the crawl when storing fails.

Settings (crawler/settings.py): ``NEWS_DB_URL`` (empty: storage off), ``NEWS_DB_BATCH_SIZE``,
``NEWS_DB_FLUSH_SECONDS``. Stats: ``news/<site>/stored/new|updated|unchanged``, the same without the site as
totals, ``news/<site>/dropped/not-article``, and ``news/store/failed`` (the message) when storing failed.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.task import LoopingCall

from crawler.items import Article
from crawler.store import open_store
from crawler.store.engine import redact
from crawler.store.errors import StoreError
from crawler.store.writer import ArticleWriter, Outcome

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, crawler, url: str, batch_size: int, flush_seconds: float):
        self.crawler = crawler
        self.stats = crawler.stats
        self.url = url
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.writer: ArticleWriter | None = None
        self.failed = False
        self._timer: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        url = settings.get("NEWS_DB_URL")
        if not url:
            # Storage switched off on purpose (--no-store): no reason given, so Scrapy logs no warning about it.
            raise NotConfigured
        batch_size = settings.getint("NEWS_DB_BATCH_SIZE")
        if batch_size < 1:
            raise ValueError(f"NEWS_DB_BATCH_SIZE must be at least 1, got {batch_size}")
        return cls(crawler, url, batch_size, settings.getfloat("NEWS_DB_FLUSH_SECONDS"))

    def open_spider(self, spider=None):
        try:
            engine = open_store(self.url)
        except StoreError as exc:
            # Before the first fetch: the crawl does not start. The message is the whole story, no traceback.
            self._record_failure(exc)
            raise
        self.writer = ArticleWriter(engine, self.batch_size)
        logger.info("Store: articles go to %(url)s", {"url": redact(self.url)})
        if self.flush_seconds > 0:
            # A slow crawl would otherwise keep its last articles in memory (and lose them to a kill) until
            # the batch fills; the timer bounds that to a few seconds.
            self._timer = LoopingCall(self._flush)
            self._timer.start(self.flush_seconds, now=False)

    def process_item(self, item, spider=None):
        if not isinstance(item, Article) or self.writer is None:
            return item
        site = item.site or "unknown"
        if item.page_type != "article":
            self.stats.inc_value(f"news/{site}/dropped/not-article")
            return item
        if self.failed:
            # The crawl is stopping; the failure was reported once, these are counted, not stored.
            self.stats.inc_value(f"news/{site}/dropped/store-failed")
            return item
        self._guarded(lambda: self.writer.add(item))
        return item

    def close_spider(self, spider=None):
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        if self.writer is None:
            return
        if not self.failed:
            self._guarded(self.writer.flush)
        self.writer.close()
        self.writer.engine.dispose()

    def _flush(self) -> None:
        if not self.failed:
            self._guarded(self.writer.flush)

    def _guarded(self, write) -> None:
        """Run a write; count its outcomes, or stop the crawl when it fails (a known failure is logged as its
        message, an unknown one with its traceback by Scrapy, since it is raised again)."""
        try:
            outcomes = write()
        except StoreError as exc:
            self._stop_crawl(exc)
            return
        except Exception as exc:
            self._stop_crawl(exc)
            raise
        self._count(outcomes)

    def _count(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            self.stats.inc_value(f"news/{outcome.site or 'unknown'}/stored/{outcome.status}")
            self.stats.inc_value(f"news/stored/{outcome.status}")

    def _stop_crawl(self, exc: Exception) -> None:
        self._record_failure(exc)
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            if hasattr(engine, "close_spider_async"):  # Scrapy 2.14+
                deferred_from_coro(engine.close_spider_async(reason="store_failed"))
            else:
                engine.close_spider(engine.spider, "store_failed")

    def _record_failure(self, exc: Exception) -> None:
        self.failed = True
        message = str(exc) if isinstance(exc, StoreError) else f"{type(exc).__name__}: {exc} ({redact(self.url)})"
        self.stats.set_value("news/store/failed", message)
        logger.error("Store failed: %(message)s", {"message": message})
