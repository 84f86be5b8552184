"""``crawler stats``: what the database holds, as two tables on stdout.

    crawler stats [--db URL]

Articles per site and publication day (the site's own date), then field coverage per site: the share of
articles with a publication date, authors and a lede, and the share of their images with a caption.
"""

from __future__ import annotations

import argparse
import sys

help = "print articles per site and day, and field coverage per site, from the database"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="the database (default: $NEWS_DB_URL, else sqlite:///data/news.db)")


def run(args: argparse.Namespace) -> int:
    from crawler.store import configured_url, open_store
    from crawler.store.errors import StoreError
    from crawler.store.stats import articles_per_day, coverage

    try:
        engine = open_store(args.db or configured_url(), create=False)
    except StoreError as exc:
        print(f"crawler stats: {exc}", file=sys.stderr)
        return 1
    try:
        days, sites = articles_per_day(engine), coverage(engine)
    finally:
        engine.dispose()
    if not sites:
        print("no articles stored yet")
        return 0
    print("Articles per site and day")
    print(_table(["site", "day", "articles"], [[d.site, d.day or "(no date)", d.articles] for d in days], text=2))
    print()
    print("Field coverage per site")
    headers = ["site", "articles", "published", "authors", "lede", "images", "captioned"]
    rows = [
        [c.site, c.articles, _share(c, "published"), _share(c, "authors"), _share(c, "lede"), c.images,
         _share(c, "captioned")]
        for c in sites
    ]  # fmt: skip
    print(_table(headers, rows, text=1))
    return 0


def _share(coverage, name: str) -> str:
    share = coverage.share(name)
    return "-" if share is None else f"{100 * share:.1f}%"


def _table(headers: list[str], rows: list[list], text: int) -> str:
    """The first ``text`` columns left-aligned, the numbers after them right-aligned, each column as wide as its
    widest cell."""
    cells = [headers] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(
            cell.ljust(w) if i < text else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in cells
    ]
    return "\n".join(lines)
