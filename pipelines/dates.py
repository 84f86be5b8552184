"""The date pipeline: turns an article's raw date evidence into ``published`` / ``modified``.

A thin wrapper around :func:`crawler.dates.normalise_dates`; it adds what only a crawl has: the fetch time
from the record, the site's profile, stats and log lines for dates that could not be read.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from itemadapter import ItemAdapter

from crawler.dates import date_rules, normalise_dates
from crawler.items import Article, DateEvidence
from crawler.profiles import find_profile

logger = logging.getLogger(__name__)


class DateNormalisationPipeline:
    """Fills ``published``/``modified`` from the evidence extraction left in ``article.dates``.

    Stats: ``news/<site>/date_unparsed/<field>`` and ``news/date_unparsed`` count fields whose evidence held no
    readable date; the raw text is kept in ``<field>_raw`` and the value stays None.
    """

    def __init__(self, stats=None):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item, spider=None):
        # `spider` is optional: Scrapy 2.13+ no longer passes it to components that do not require it.
        if isinstance(item, Article):
            self._normalise(item)
            return item
        adapter = ItemAdapter(item) if ItemAdapter.is_item(item) else None
        if adapter is None or not adapter.get("dates"):
            return item  # not ours, or nothing to do
        article = _article_from(adapter)
        self._normalise(article)
        for name in ("published", "published_raw", "modified", "modified_raw", "dates"):
            adapter[name] = getattr(article, name)
        return item

    def _normalise(self, article: Article) -> None:
        now = _fetch_time(article.crawled_at)
        rules = date_rules(article.language, article.site, find_profile(article.url))
        for name in normalise_dates(article, now=now, rules=rules):
            self._count_unparsed(article, name)

    def _count_unparsed(self, article: Article, name: str) -> None:
        site = article.site or "unknown"
        if self.stats is not None:
            self.stats.inc_value(f"news/{site}/date_unparsed/{name}")
            self.stats.inc_value("news/date_unparsed")
        logger.warning(
            "Article (no-date): %(url)s %(field)s unreadable: %(raw)r",
            {"url": article.url, "field": name, "raw": getattr(article, f"{name}_raw")},
        )


def _fetch_time(crawled_at: str | None) -> datetime:
    """The record's fetch time; the current UTC time when it has none (the item is being fetched now)."""
    if crawled_at:
        try:
            moment = datetime.fromisoformat(crawled_at.replace("Z", "+00:00"))
        except ValueError:
            logger.warning("Article (bad crawled_at): %(value)r, using the current time", {"value": crawled_at})
        else:
            return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc)


def _article_from(adapter: ItemAdapter) -> Article:
    """A dict-like item carrying our fields, as an Article (evidence may be DateEvidence or plain mappings)."""
    dates = {
        name: [e if isinstance(e, DateEvidence) else DateEvidence(e["raw"], bool(e["machine"]), e["origin"])
               for e in evidence]
        for name, evidence in adapter.get("dates").items()
    }  # fmt: skip
    fields = ("url", "site", "language", "crawled_at", "published", "published_raw", "modified", "modified_raw")
    return Article(**{name: adapter.get(name) for name in fields}, dates=dates)
