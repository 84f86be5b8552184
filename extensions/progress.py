"""A live progress line per site on stderr, every ``NEWS_PROGRESS_INTERVAL`` seconds (0: off).

On a terminal the lines of all the sites crawling in the process are redrawn in place; otherwise (a log file, a
pipe) each is printed as a new line. The numbers are the crawl's stats (crawler/progress.py reads them), and the
line itself is kept in ``news/progress`` so a stats dump shows the last one.
"""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet.task import LoopingCall

from crawler.progress import format_line, progress_of


class _Board:
    """The lines of every site crawling in this process, drawn together."""

    def __init__(self, stream):
        self.stream = stream
        self.lines: dict[str, str] = {}
        self.drawn = 0

    def update(self, site: str, line: str) -> None:
        self.lines[site] = line
        if not self.stream.isatty():
            print(line, file=self.stream, flush=True)
            return
        # Back over what was drawn last time, then every site's line again, each cleared first.
        out = "\x1b[F" * self.drawn + "".join(f"\x1b[2K{text}\n" for text in self.lines.values())
        self.stream.write(out)
        self.stream.flush()
        self.drawn = len(self.lines)


BOARD = _Board(sys.stderr)


class ProgressExtension:
    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.started = time.monotonic()
        self.timer: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("NEWS_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider):
        self.started = time.monotonic()
        self.timer = LoopingCall(self.report)
        self.timer.start(self.interval, now=False)

    def closed(self, spider, reason):
        if self.timer is not None and self.timer.running:
            self.timer.stop()
        self.report()

    def report(self) -> None:
        spider = self.crawler.spider
        host = getattr(spider, "site", spider.name)
        scheduler = getattr(self.crawler.engine, "scheduler", None)
        queued = len(scheduler) if scheduler is not None and hasattr(scheduler, "__len__") else None
        progress = progress_of(
            spider.name, host, self.crawler.stats.get_stats(), time.monotonic() - self.started, queued
        )
        line = format_line(progress)
        self.crawler.stats.set_value("news/progress", line)
        BOARD.update(spider.name, line)
