"""The window pipeline: an article published outside the crawl's date window is not stored.

A site crawl (spiders/site.py) decides most links before fetching them, from the dates its sources give; a
link without dates (a listing without times, a feed without pubDate) has to be fetched to know. Here, after
date normalisation, the article's own ``published`` decides. An article without a readable date is kept: it
cannot be placed outside the window, and a lost article is worse than an extra one.

Stats: ``news/<site>/dropped/out-of-window``, ``news/<site>/window/undated``.
"""

from __future__ import annotations

from datetime import datetime

from scrapy.exceptions import DropItem

from crawler.items import Article


class WindowPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.window = None
        self.tz = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        # Only site spiders have a window; the article spider fetches exactly the pages it is given.
        spider = self.crawler.spider
        self.window = getattr(spider, "window", None)
        self.tz = getattr(spider, "tz", None)

    def process_item(self, item, spider=None):
        if not isinstance(item, Article) or self.window is None or self.window.is_open:
            return item
        moment = published_moment(item.published, self.tz)
        site = item.site or "unknown"
        if moment is None:
            self.stats.inc_value(f"news/{site}/window/undated")
            return item
        if not self.window.contains(moment):
            self.stats.inc_value(f"news/{site}/dropped/out-of-window")
            raise DropItem(f"Article (out of window, published {item.published}): {item.url}", log_level="INFO")
        return item


def published_moment(published: str | None, tz) -> datetime | None:
    """``published`` as an aware datetime: a time without an offset, or a date alone, in the site's zone."""
    if not published:
        return None
    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)
