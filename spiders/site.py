"""The site spider: a whole site crawled the way its profile's [discovery] table says.

    scrapy crawl baomau -a since=2026-11-01 -a until=2026-11-20
    scrapy crawl vnexpress -a since=6h -a job=hourly
    crawler crawl vnexpress tuoitre --since 6h          (the same, with progress and a summary)

One subclass per profile is generated in spiders/sites.py; this class holds no site knowledge. It reads
robots.txt Sitemap lines, sitemaps and their indexes, feeds and listing pages, hands their links to the
frontier (crawler/discovery/frontier.py: article shape, date window, already taken, already stored) and
fetches what is left with the article spider's parse. Spider arguments (``-a``): ``since``, ``until``
(crawler/discovery/window.py), ``refresh`` (fetch stored articles again), ``job`` (the name a stopped run is
resumed under; default: the profile id).
"""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import scrapy
from parsel import Selector
from scrapy import signals

from crawler.discovery import frontier as fr
from crawler.discovery import jobs
from crawler.discovery.frontier import Frontier
from crawler.discovery.known import StoredUrls, newest_published
from crawler.discovery.sources import parse_feed, parse_listing, parse_sitemap, robots_sitemaps
from crawler.discovery.window import Window, make_window, parse_bound
from crawler.profiles import Profile, query
from spiders.article import ArticleSpider

# Articles first: a found article is fetched before the next listing page, so a stopped crawl has stored
# what it found instead of holding a queue of listings.
ARTICLE_PRIORITY = 10


class SiteSpider(ArticleSpider):
    name = None  # a base class: Scrapy lists only the generated subclasses, which have names
    profile: Profile | None = None
    """Set by each generated subclass."""

    def __init__(self, since=None, until=None, refresh=False, job=None, **kwargs):
        scrapy.Spider.__init__(self, **kwargs)
        if self.profile is None:
            raise ValueError("SiteSpider is a base class: crawl one of its generated subclasses (scrapy list)")
        self.html_types = ("text/html", "application/xhtml+xml")
        self.options = {"since": since or None, "until": until or None, "refresh": _flag(refresh)}
        self.job_name = job or self.profile.id
        self.site = self.profile.domains[0]
        self.tz = ZoneInfo(self.profile.timezone or "UTC")
        self.window = Window()
        self.incremental = False
        self.frontier: Frontier | None = None
        self.job: jobs.Job | None = None
        self.engine = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider._open_job(crawler.settings)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        return spider

    def _open_job(self, settings) -> None:
        """Resolve the window (resumed from the job file, or from the options and the store) and the frontier."""
        now = datetime.now(timezone.utc).replace(microsecond=0)
        db_url = settings.get("NEWS_DB_URL")
        if db_url:
            from crawler.store import open_store

            self.engine = open_store(db_url)
        folder = settings.get("NEWS_JOBS_DIR")
        self.job, why = jobs.load_unfinished(folder, self.job_name, self.profile.id, self.options)
        if why:
            self.logger.warning("Job: %(why)s", {"why": why})
        if self.job is not None:
            self.job.runs += 1
            jobs.save_job(folder, self.job)
            self.logger.warning(
                "Job resumed (run %(runs)d, started %(started)s): %(job)s/%(site)s",
                {"runs": self.job.runs, "started": self.job.started, "job": self.job_name, "site": self.profile.id},
            )
            window = self.job.window
        else:
            window, incremental = self._new_window(now, settings.get("NEWS_INCREMENTAL_OVERLAP"))
            self.job = jobs.start_job(folder, self.job_name, self.profile.id, self.options, window, incremental, now)
        self.window, self.incremental = self.job.window, self.job.incremental
        stored = None
        if self.engine is not None:
            # A refresh refetches what is stored, except what this job itself stored before it was stopped.
            stored = StoredUrls(self.engine, seen_since=self.job.started_at if self.options["refresh"] else None)
        self.frontier = Frontier(self.profile.article_url, self.window, stored)

    def _new_window(self, now: datetime, overlap: str) -> tuple[Window, bool]:
        window = make_window(self.options["since"], self.options["until"], now, self.tz)
        if self.options["since"] or self.options["refresh"] or self.engine is None:
            return window, False
        newest = newest_published(self.engine, self.profile.domains)
        if newest is None:
            return window, False  # nothing stored: the first crawl of the site reads all of it
        # Incremental: from the newest stored article, less an overlap for articles that appear late.
        since = newest - (now - parse_bound(overlap, now, timezone.utc))
        return Window(since, window.until), True

    async def start(self):
        mode = "incremental" if self.incremental else "window"
        self.crawler.stats.set_value(f"news/{self.site}/window", f"{self.window.describe()} ({mode})")
        self.logger.info("Crawl %(mode)s: %(window)s", {"mode": mode, "window": self.window.describe()})
        discovery = self.profile.discovery
        if discovery.robots:
            yield self._source(discovery.robots_url, self.parse_robots, "robots")
        for url in discovery.sitemaps:
            yield self._source(url, self.parse_sitemap, "sitemap")
        for url in discovery.feeds:
            yield self._source(url, self.parse_feed, "feed")
        for url in discovery.listings:
            yield self._source(url, self.parse_listing, "listing", page=1)

    def parse_robots(self, response):
        for url in robots_sitemaps(response.text if hasattr(response, "text") else ""):
            yield self._source(url, self.parse_sitemap, "sitemap")

    def parse_sitemap(self, response):
        sitemap = parse_sitemap(response.body, self.tz)
        if not sitemap.is_index:
            yield from self._decide(sitemap.links)
            return
        for link in sitemap.links:
            # A sitemap last changed before the window holds nothing published in it.
            if link.modified is not None and self.window.is_older(link.modified):
                self._count_site("sitemaps/skipped")
                continue
            yield self._source(link.url, self.parse_sitemap, "sitemap")

    def parse_feed(self, response):
        yield from self._decide(parse_feed(response.body, response.url, self.tz))

    def parse_listing(self, response):
        links, root = parse_listing(response.body, response.url, self.tz)
        decision = yield from self._decide(links)
        page = response.meta["page"]
        if not self._listing_continues(links, decision, page):
            return
        next_url = _next_page(self.profile.discovery.next_page, Selector(root=root))
        if next_url:
            yield self._source(response.urljoin(next_url), self.parse_listing, "listing", page=page + 1)

    def _listing_continues(self, links, decision: fr.Decision, page: int) -> bool:
        """Listings are newest first: stop past the window, at the page limit, or (incremental) at a page
        whose every article is stored already, the frontier of the last crawl."""
        discovery = self.profile.discovery
        if discovery.max_pages is not None and page >= discovery.max_pages:
            return False
        article_url = self.profile.article_url
        dated = [
            link.published for link in links if link.published and (article_url is None or article_url.search(link.url))
        ]
        if any(self.window.is_older(moment) for moment in dated):
            self._count_site("listings/past-window")
            return False
        if self.incremental and not decision.requests and decision.in_window:
            self._count_site("listings/all-stored")
            return False
        return True

    def _decide(self, links):
        decision = self.frontier.decide(links)
        for reason, n in decision.rejected.items():
            self._count_site(f"links/{reason}", n)
        for url in decision.requests:
            self._count_site("requests/article")
            yield scrapy.Request(url, callback=self.parse, errback=self.fetch_failed, priority=ARTICLE_PRIORITY)
        return decision

    def _source(self, url: str, callback, kind: str, **meta) -> scrapy.Request:
        self._count_site(f"requests/{kind}")
        return scrapy.Request(url, callback=callback, errback=self.fetch_failed, meta={"source": kind, **meta})

    def _count_site(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"news/{self.site}/{key}", n)

    def _closed(self, spider, reason):
        if spider is not self:
            return
        if reason == "finished" and self.job is not None:
            # Only a crawl that ran to its end finishes the job; Ctrl-C ("shutdown") leaves it to be resumed.
            self.job.finished = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
            jobs.save_job(self.crawler.settings.get("NEWS_JOBS_DIR"), self.job)
        if self.engine is not None:
            self.engine.dispose()


def _next_page(selectors: tuple[str, ...], sel: Selector) -> str | None:
    """The next listing page's link by the first of the profile's selectors that finds one."""
    for selector in selectors:
        found = query(sel, selector).get()
        if found and found.strip():
            return found.strip()
    return None


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
