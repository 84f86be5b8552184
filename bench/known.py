"""The incremental check's cost: how long "which of these URLs are stored?" takes as the store grows.

    .venv/bin/python bench/known.py [--sizes 10000,100000,1000000] [--links 20000]

Fills a fresh SQLite store (in a temporary folder) with N articles, then asks about LINKS URLs, half stored
and half not, in the batches a crawl uses (crawler/discovery/known.py); prints µs per link and the memory a
preloaded Python set of the same URLs would take instead.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crawler.discovery.known import StoredUrls  # noqa: E402
from crawler.store import open_store  # noqa: E402
from crawler.store.schema import articles  # noqa: E402


def url(i: int) -> str:
    return f"https://vnexpress.net/thoi-su/mot-bai-bao-co-tieu-de-kha-dai-nhu-that-{4000000 + i}.html"


def fill(engine, n: int) -> None:
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        for start in range(0, n, 50_000):
            conn.execute(
                articles.insert(),
                [
                    {
                        "canonical_url": url(i),
                        "site": "vnexpress.net",
                        "content_hash": "0" * 64,
                        "first_seen": now,
                        "last_seen": now,
                    }
                    for i in range(start, min(n, start + 50_000))
                ],
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--links", type=int, default=20_000)
    args = parser.parse_args()
    print(f"{'stored':>10}  {'µs/link':>8}  {'queries':>7}  {'set of all (MB)':>15}")
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            engine = open_store(f"sqlite:///{folder}/bench.db")
            fill(engine, n)
            asked = [url(i) for i in range(n - args.links // 2, n + args.links // 2)]
            lookup = StoredUrls(engine)
            started = time.perf_counter()
            found = lookup.stored(asked)
            elapsed = time.perf_counter() - started
            assert len(found) == min(n, args.links // 2)
            tracemalloc.start()
            preloaded = {url(i) for i in range(min(n, 200_000))}
            size = tracemalloc.get_traced_memory()[0] * n / len(preloaded)
            tracemalloc.stop()
            del preloaded
            print(f"{n:>10}  {elapsed / len(asked) * 1e6:>8.1f}  {lookup.queries:>7}  {size / 1e6:>15.0f}")
            engine.dispose()


if __name__ == "__main__":
    main()
