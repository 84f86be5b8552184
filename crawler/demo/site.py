"""The demo paper as a web site: routes for every page, and a small threaded HTTP server on 127.0.0.1.

The paper's URLs are on its own host (``http://baomau.example/...``), so records, canonical URLs and the store
keep the same keys whatever port the server gets. A crawl reaches the server by treating it as an HTTP proxy
for that host (NEWS_HOST_MAP, middlewares/hostmap.py): the server accepts both proxy-style requests
(``GET http://baomau.example/thoi-su HTTP/1.1``) and plain ones (``GET /thoi-su``, for a browser).

``DemoSite(layout="nodates")`` serves article pages without their dates (a redesign, for the health tests);
``RunningSite.site`` may be replaced while the server runs, to change the site between two crawls.

The server counts every request by path (:attr:`RunningSite.hits`): tests assert how many pages a crawl asked
for. ``delay`` slows article pages down, so a test can kill a crawl halfway through.

    python -m crawler.demo.site [--port 8000] [--count 360]    # browse it at http://127.0.0.1:8000/
"""

from __future__ import annotations

import argparse
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from crawler.demo import pages
from crawler.demo.content import SECTIONS, DemoArticle, make_articles

# Items per listing page and per feed: the sizes real Vietnamese sites use, give or take.
PAGE_SIZE = 20
FEED_SIZE = 50
# The news sitemap holds the last two days, as Google News asks.
NEWS_SITEMAP_DAYS = 2

Answer = tuple[int, str, bytes]
_HTML = "text/html; charset=utf-8"
_XML = "application/xml; charset=utf-8"


class DemoSite:
    """Every page of the demo paper, rendered on request from its article list."""

    host = pages.HOST

    def __init__(self, articles: list[DemoArticle] | None = None, layout: str = "standard"):
        if layout not in pages.LAYOUTS:
            raise ValueError(f"unknown layout {layout!r} (known: {', '.join(pages.LAYOUTS)})")
        self.layout = layout
        """How article pages look (pages.LAYOUTS): "nodates" hides their dates, as a redesign might."""
        self.articles = articles if articles is not None else make_articles()
        newest_first = sorted(self.articles, key=lambda a: (a.published, a.id), reverse=True)
        self.newest_first = newest_first
        self.by_path = {a.path: a for a in newest_first}
        self.by_section = {slug: [a for a in newest_first if a.section == slug] for slug, _ in SECTIONS}
        self.months: dict[str, list[DemoArticle]] = {}
        for article in newest_first:
            self.months.setdefault(f"{article.published:%Y-%m}", []).append(article)

    def answer(self, path: str, query: str = "") -> Answer | None:
        """(status, content type, body) for a path, or None for a page that does not exist."""
        if path in self.by_path:
            return 200, _HTML, self._article(path).encode("utf-8")
        page = _page_number(query)
        if path == "/":
            return self._listing("Tin mới nhất", "/", self.newest_first, page)
        section = path.strip("/")
        if section in self.by_section:
            return self._listing(dict(SECTIONS)[section], path, self.by_section[section], page)
        static = {
            "/robots.txt": lambda: (200, "text/plain; charset=utf-8", pages.robots()),
            "/sitemap.xml": lambda: (200, _XML, pages.sitemap_index([(m, a[0].published) for m, a in self.months.items()])),
            "/sitemap-news.xml": lambda: (200, _XML, pages.urlset(self._latest_days(NEWS_SITEMAP_DAYS))),
            "/rss/tin-moi.rss": lambda: (200, "application/rss+xml; charset=utf-8", pages.rss(self.newest_first[:FEED_SIZE])),
        }  # fmt: skip
        if path in static:
            status, content_type, text = static[path]()
            return status, content_type, text.encode("utf-8")
        if path.startswith("/sitemaps/") and path.endswith(".xml"):
            month = self.months.get(path[len("/sitemaps/") : -len(".xml")])
            if month:
                return 200, _XML, pages.urlset(month).encode("utf-8")
        return None

    def in_window(self, since, until) -> list[DemoArticle]:
        """The articles a crawl of [since, until) must fetch: the truth tests compare with."""
        return [a for a in self.articles if (since is None or a.published >= since) and (until is None or a.published < until)]  # fmt: skip

    def _article(self, path: str) -> str:
        article = self.by_path[path]
        same = self.by_section[article.section]
        at = same.index(article)
        return pages.article_page(article, related=same[at + 1 : at + 4], layout=self.layout)

    def _listing(self, title: str, path: str, items: list[DemoArticle], page: int) -> Answer | None:
        chunk = items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        if not chunk:
            return None
        has_next = page * PAGE_SIZE < len(items)
        return 200, _HTML, pages.listing_page(title, path, chunk, page, has_next).encode("utf-8")

    def _latest_days(self, days: int) -> list[DemoArticle]:
        newest = self.newest_first[0].published
        return [a for a in self.newest_first if (newest - a.published).days < days]


def _page_number(query: str) -> int:
    try:
        return max(1, int(parse_qs(query).get("page", ["1"])[0]))
    except ValueError:
        return 1


@dataclass
class RunningSite:
    """A demo site being served: where, and what it was asked for."""

    site: DemoSite
    port: int
    hits: Counter = field(default_factory=Counter)
    """Requests by path (query included), counted as they arrive."""
    delay: float = 0.0
    """Seconds each article page takes to answer."""
    retry_after: dict[str, int] = field(default_factory=dict)
    """Paths whose first request answers 429 with this Retry-After (seconds): the politeness tests."""
    times: dict[str, list[float]] = field(default_factory=dict)
    """When each path was asked for (time.monotonic())."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def proxy(self) -> str:
        """The server's address, as NEWS_HOST_MAP wants it."""
        return f"127.0.0.1:{self.port}"

    @property
    def host_map(self) -> dict[str, str]:
        return {self.site.host: self.proxy}

    def article_hits(self) -> Counter:
        with self.lock:
            return Counter({p: n for p, n in self.hits.items() if p in self.site.by_path})

    def other_hits(self) -> Counter:
        with self.lock:
            return Counter({p: n for p, n in self.hits.items() if p not in self.site.by_path})


def _handler_for(running: RunningSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: a crawl of thousands of pages reuses its connections
        # Headers and body go out in two writes; with Nagle on, the second waits for a delayed ACK (~40 ms).
        disable_nagle_algorithm = True

        def do_GET(self):  # noqa: N802 - http.server's name
            parts = urlsplit(self.path)
            if parts.netloc and parts.hostname != running.site.host:
                return self._send(502, "text/plain", b"this proxy serves only " + running.site.host.encode())
            key = parts.path + (f"?{parts.query}" if parts.query else "")
            with running.lock:
                running.hits[key] += 1
                running.times.setdefault(key, []).append(time.monotonic())
                wait = running.retry_after.pop(key, None)
            if wait is not None:
                return self._send(429, "text/plain", b"slow down", {"Retry-After": str(wait)})
            answer = running.site.answer(parts.path or "/", parts.query)
            if answer is None:
                return self._send(404, _HTML, "<h1>Không tìm thấy trang</h1>".encode())
            if running.delay and parts.path in running.site.by_path:
                time.sleep(running.delay)
            self._send(*answer)

        def _send(self, status: int, content_type: str, body: bytes, headers: dict | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):  # noqa: A002 - http.server's signature
            """Quiet: the crawl logs its requests, and tests read `hits`."""

    return Handler


@contextmanager
def serve_site(site: DemoSite | None = None, port: int = 0, delay: float = 0.0) -> Iterator[RunningSite]:
    """Serve ``site`` (default: the standard demo paper) on 127.0.0.1 in a background thread."""
    running = RunningSite(site or DemoSite(), port=0, delay=delay)
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(running))
    server.daemon_threads = True
    running.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield running
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the demo news site on 127.0.0.1 until Ctrl-C.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--count", type=int, default=None, help="number of articles (default: the demo's)")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds each article page takes")
    parser.add_argument("--layout", choices=pages.LAYOUTS, default="standard", help="nodates: articles without dates")
    args = parser.parse_args(argv)
    site = DemoSite(make_articles(args.count) if args.count else None, layout=args.layout)
    with serve_site(site, port=args.port, delay=args.delay) as running:
        print(f"demo site: {len(site.articles)} articles at http://{running.proxy}/ (Ctrl-C to stop)", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
