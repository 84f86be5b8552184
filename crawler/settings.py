"""Scrapy settings for the news crawler: every default in one place, each with the reason it has that value.

``scrapy crawl`` finds this module through scrapy.cfg; ``crawler scrape`` and ``crawler demo`` load it by
name, so a crawl behaves the same from any working directory. Override any of them per run with
``-s NAME=VALUE``.
"""

from crawler import __version__
from crawler.items import EXPORT_FIELDS

BOT_NAME = "news-crawler"

SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Site owners reading their logs should be able to tell who we are. The project has no public address yet:
# the comment names its README until it does (put the URL after the "+" then).
USER_AGENT = f"news-crawler/{__version__} (+news-crawler README; a research crawler built on Scrapy)"

# A news site's robots.txt is its owner's say on what may be fetched; we follow it.
ROBOTSTXT_OBEY = True

# Politeness: at most two requests in flight per site, never faster than one every half second, and slower
# still when the site answers slowly (AutoThrottle follows its latency).
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# A news page answers in seconds or not at all; Scrapy's 3-minute default only delays news of a dead host.
DOWNLOAD_TIMEOUT = 30
# An article page is well under a few MiB; anything bigger is a video or a mistake, not worth the memory.
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024

# Transient failures (a timeout, a 503 while a site deploys, a 429 when we are too eager) are worth two more
# tries; a 404 or a 403 is an answer and is reported at once.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# Extraction runs in the spider; pipelines do one thing each, in this order.
ITEM_PIPELINES = {
    "pipelines.dates.DateNormalisationPipeline": 300,
}

# Vietnamese text stays readable in the output files instead of turning into \u escapes.
FEED_EXPORT_ENCODING = "utf-8"
# The record's public fields in schema order; the internal `dates` evidence is never exported.
FEED_EXPORT_FIELDS = list(EXPORT_FIELDS)
# CSV cells hold lists (authors, tags) and images as JSON instead of Python reprs.
FEED_EXPORTERS = {"csv": "crawler.exporters.CsvExporter"}

LOG_LEVEL = "INFO"

# A cache would serve yesterday's front page as today's; re-fetching is the point of a news crawler.
HTTPCACHE_ENABLED = False

# The asyncio reactor lets pipelines and later storage code use async libraries.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# --- Our own settings -------------------------------------------------------------------------------------

# Content types handed to extraction. A feed, a PDF or a picture is not an article page: extracting it would
# give a junk record, so the spider logs it, counts it (news/not_html) and skips it.
NEWS_HTML_CONTENT_TYPES = ["text/html", "application/xhtml+xml"]
