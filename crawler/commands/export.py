"""``crawler export``: stored articles out to a file, streaming (constant memory on millions of rows).

    crawler export [--db URL] [--since DATE] [--until DATE] [--site S] [--format jsonl|csv|parquet] -o FILE

The file is written under a temporary name and renamed when complete: an export that fails half-way leaves
no half-written FILE behind for another program to pick up.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

help = "write stored articles to a JSON lines, CSV or Parquet file (streaming)"

EXTENSIONS = {".jsonl": "jsonl", ".jl": "jsonl", ".csv": "csv", ".parquet": "parquet"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="the database (default: $NEWS_DB_URL, else sqlite:///data/news.db)")
    parser.add_argument(
        "--since", metavar="DATE", type=_cli_moment, help="published at or after DATE (YYYY-MM-DD or ISO 8601; UTC)"
    )
    parser.add_argument("--until", metavar="DATE", type=_cli_moment, help="published before DATE (same forms)")
    parser.add_argument("--site", metavar="S", help="only this site (as stored: host without www., e.g. vnexpress.net)")
    parser.add_argument("--format", choices=sorted(set(EXTENSIONS.values())), help="default: from FILE's extension")
    parser.add_argument("-o", "--output", metavar="FILE", required=True, help="the file to write (overwritten)")


def run(args: argparse.Namespace) -> int:
    fmt = args.format or EXTENSIONS.get(Path(args.output).suffix.lower())
    if fmt is None:
        print(
            f"crawler export: cannot tell the format of {args.output!r} from its extension: give --format",
            file=sys.stderr,
        )
        return 2
    if args.since and args.until and args.since >= args.until:
        print("crawler export: --since must be before --until", file=sys.stderr)
        return 2

    from crawler.store import configured_url, open_store
    from crawler.store.errors import StoreError
    from crawler.store.export import WRITERS, ExportError, iter_records

    try:
        engine = open_store(args.db or configured_url(), create=False)
    except StoreError as exc:
        print(f"crawler export: {exc}", file=sys.stderr)
        return 1
    records = iter_records(engine, since=args.since, until=args.until, site=args.site)
    partial = f"{args.output}.part"
    try:
        if fmt == "parquet":
            count = WRITERS[fmt](records, partial)
        else:
            with open(partial, "w", encoding="utf-8", newline="") as out:
                count = WRITERS[fmt](records, out)
        os.replace(partial, args.output)
    except (ExportError, OSError) as exc:
        print(f"crawler export: {getattr(exc, 'strerror', None) or exc}: {args.output}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
        if os.path.exists(partial):
            os.remove(partial)
    print(f"crawler export: {count} records to {args.output} ({fmt})", file=sys.stderr)
    return 0


def _cli_moment(value: str) -> datetime:
    """YYYY-MM-DD (midnight) or an ISO 8601 time; without an offset it is UTC, like the stored times."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD or ISO 8601): {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
