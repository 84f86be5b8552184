"""``crawler demo``: serve the project's own demo news pages on 127.0.0.1 and scrape them.

The whole pipeline on a machine without network: the same crawl as ``crawler scrape`` (spider, extraction,
date normalisation, feed export), against pages we wrote ourselves (crawler/demo/).
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from crawler.commands import scrape

help = "serve the bundled demo news pages on 127.0.0.1 and scrape them (no network needed)"

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"

# Our own server on the loopback: there is no one to be polite to, so no throttling.
DEMO_SETTINGS = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    scrape.add_output_arguments(parser)


def run(args: argparse.Namespace) -> int:
    pages = sorted(DEMO_DIR.glob("*.html"))
    if not pages:
        print(f"crawler demo: no demo pages in {DEMO_DIR}", file=sys.stderr)
        return 1
    try:
        overrides = {**DEMO_SETTINGS, **scrape.parse_overrides(args.settings)}
        feeds = scrape.feed_config(args.output, args.format)
    except scrape.UsageError as exc:
        print(f"crawler demo: {exc}", file=sys.stderr)
        return 2
    with serve_folder(DEMO_DIR) as base_url:
        print(f"crawler demo: serving {len(pages)} pages from {DEMO_DIR} at {base_url}", file=sys.stderr)
        urls = [f"{base_url}/{page.name}" for page in pages]
        result = scrape.crawl(urls, feeds=feeds, overrides=overrides, loglevel=args.loglevel)
    return scrape.report(result)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        """Scrapy already logs every request; the server's access log would say it twice."""


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 on a free port in a background thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, name="demo-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
