"""``crawler demo``: serve the demo news site on 127.0.0.1 and crawl it into the store, as `crawler crawl` would.

The main job on a machine without network: the generated paper "Báo Mẫu" (crawler/demo/: a few hundred
invented articles over five months, sitemaps, RSS, paginated sections, robots.txt) is served on a free port,
and `crawler crawl baomau` runs against it, the site's host mapped to the server (NEWS_HOST_MAP). The
articles land in SQLite (data/news.db by default). Run it again: the second run is incremental and fetches
nothing new. Every `crawler crawl` option works here (--since, --archive, --replay, -o, --db, ...).
"""

from __future__ import annotations

import argparse
import json
import sys

from crawler.commands import crawl, scrape

help = "serve the demo news site on 127.0.0.1 and crawl it into SQLite (no network needed)"

# Our own server on the loopback: there is no one to be polite to, so no delay and no throttling.
DEMO_SETTINGS = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--count", type=int, default=None, help="articles in the demo site (default: 360)")
    crawl.add_crawl_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from crawler.demo.content import make_articles
    from crawler.demo.site import DemoSite, serve_site

    try:
        overrides = {**DEMO_SETTINGS, **crawl.crawl_overrides(args)}
    except scrape.UsageError as exc:
        print(f"crawler demo: {exc}", file=sys.stderr)
        return 2
    args.job = args.job or "demo"
    site = DemoSite(make_articles(args.count) if args.count else None)
    with serve_site(site) as running:
        overrides.setdefault("NEWS_HOST_MAP", json.dumps(running.host_map))
        print(
            f"crawler demo: {len(site.articles)} articles of {site.host} served at http://{running.proxy}/",
            file=sys.stderr,
        )
        code = crawl.run_crawl(args, ["baomau"], overrides, command="demo")
    if code == 0 and overrides.get("NEWS_DB_URL", "x"):
        print("crawler demo: done; see `crawler stats` and `crawler export` for what was stored", file=sys.stderr)
    return code
