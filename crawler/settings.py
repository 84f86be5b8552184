"""Scrapy settings for the news crawler: every default in one place, each with the reason it has that value.

``scrapy crawl`` finds this module through scrapy.cfg; ``crawler scrape`` and ``crawler demo`` load it by
name, so a crawl behaves the same from any working directory. Override any of them per run with
``-s NAME=VALUE``.
"""

from crawler import __version__
from crawler.items import EXPORT_FIELDS
from crawler.store import configured_url

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
    # After the dates: the stored record has its normalised published/modified (and published_utc from them).
    "pipelines.store.StorePipeline": 400,
    # After the dates (it reads `published`), before the store: out-of-window articles are not stored.
    "pipelines.window.WindowPipeline": 350,
}

# Next to the downloader (960): archive and replay see the raw answer, as the network gives it. The host map
# (740) must come before Scrapy's proxy middleware (750), which reads the proxy it sets. Scrapy's retry
# middleware is replaced by one that also honours Retry-After. robots.txt is fetched once per site for both
# Scrapy's rules and the spider's sitemaps (970: the raw answer, reused after replay has had its turn).
DOWNLOADER_MIDDLEWARES = {
    "middlewares.hostmap.HostMapMiddleware": 740,
    "middlewares.archive.ArchiveMiddleware": 960,
    "middlewares.archive.ReplayMiddleware": 961,
    "middlewares.robots.RobotsOnceMiddleware": 970,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "middlewares.retry.RetryAfterMiddleware": 550,
}
EXTENSIONS = {"extensions.progress.ProgressExtension": 500}

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

# Where articles are stored (pipelines/store.py). A SQLite file next to the user by default: nothing to install
# or start. $NEWS_DB_URL replaces the default (point every crawl at PostgreSQL once); --db / -s replace it per
# run. Empty: storage off (`crawler scrape --no-store`), feed exports only.
NEWS_DB_URL = configured_url()
# Articles per transaction: a kill -9 loses at most the open batch (the next run fetches it again), while each
# commit has a fixed cost (a lock and a WAL append on SQLite, a round trip and a WAL flush on PostgreSQL) that
# a batch of hundreds makes negligible (bench/store.py).
NEWS_DB_BATCH_SIZE = 500
# Seconds after which a batch that has not filled is written anyway: a slow crawl (a few articles a minute)
# would otherwise hold its last articles in memory for an hour and lose them to a crash. 0: no timer.
NEWS_DB_FLUSH_SECONDS = 5.0

# --- Site crawls (spiders/site.py, `crawler crawl`) ------------------------------------------------------

# Host -> "address:port" served in its place (as an HTTP proxy): `crawler demo` and the tests point the demo
# paper's host (baomau.example) at their 127.0.0.1 server this way. Empty: every host is itself.
NEWS_HOST_MAP = {}
# A folder to save every fetched answer in (`crawler crawl --archive`, crawler/archive.py); empty: none.
NEWS_ARCHIVE = ""
# An archive to answer every request from instead of the network (`crawler crawl --replay`); empty: live.
NEWS_REPLAY = ""
# Job files, so a stopped or killed crawl resumes with the window it started with (crawler/discovery/jobs.py).
# Next to the default database, relative to the working directory like it.
NEWS_JOBS_DIR = "data/jobs"
# An incremental crawl (no --since, articles stored) starts this long before the newest stored article: sites
# add articles to sitemaps and listings late, and a late one published before the newest must still be found.
NEWS_INCREMENTAL_OVERLAP = "1d"
# A Retry-After longer than this many seconds is not waited for: the page is reported failed and the next run
# fetches it, rather than one request holding the crawl for an hour.
NEWS_RETRY_AFTER_MAX = 120
# Seconds between progress lines on stderr (extensions/progress.py); 0: none. `crawler crawl` turns it on.
NEWS_PROGRESS_INTERVAL = 0

# --- Scheduled jobs and health (crawler/scheduling/, crawler/health.py) ----------------------------------
# A jobs file's [jobs.NAME] settings table overrides these per job, as it does any setting of its crawls.

# A field's share in a run below this fraction of the site's usual share is a drop: half, because a layout
# change takes a field from most articles to none, while a normal run varies by a few points.
NEWS_HEALTH_DROP = 0.5
# The usual share is pooled over the site's last this many runs that stored articles: recent enough to follow
# a site's slow changes, long enough that one odd run does not set the norm.
NEWS_HEALTH_HISTORY = 10
# Runs with fewer articles are not judged on their shares (three articles without a byline say little).
NEWS_HEALTH_MIN_ARTICLES = 5
# An error rate this far above the site's usual one (0.2: twenty points) marks the run unhealthy.
NEWS_HEALTH_ERROR_RISE = 0.2
# A job's lock whose holder has not renewed it for this many seconds is taken over (crawler/store/locks.py);
# the runner renews it every NEWS_JOB_LOCK_HEARTBEAT seconds, so only a dead or hung runner gets there.
NEWS_JOB_LOCK_STALE = 300
NEWS_JOB_LOCK_HEARTBEAT = 30
# Each site crawl of a scheduled run writes its stderr to NEWS_RUNS_LOG_DIR/<job>/<run id>-<site>.log.
NEWS_RUNS_LOG_DIR = "data/runs"
