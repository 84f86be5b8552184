"""Helpers for the storage tests: record factories, a PostgreSQL scratch database, and a writer process.

Run as a script it is the writer process the crash and concurrency tests start:

    python tests/store_support.py URL COUNT BATCH [--seed S]

writes COUNT records (store_support.make_record(0..COUNT-1), shuffled when a seed is given) in batches of
BATCH and prints ``committed N new M`` after every batch, so the parent knows what is durable.
"""

from __future__ import annotations

import os
import random
import sys
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# The server the tests may use; they create and drop a database of their own on it.
PG_SERVER_URL = os.environ.get("NEWS_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def make_record(i: int, **changes) -> dict:
    """A record like extraction makes, distinct per ``i``."""
    site = "vnexpress.net" if i % 2 == 0 else "dantri.com.vn"
    url = f"https://{site}/tin-{i}.html"
    record = {
        "url": url,
        "canonical_url": url,
        "site": site,
        "site_name": "Báo",
        "language": "vi",
        "title": f"Tin số {i}: Hà Nội mưa lớn",
        "lede": f"Tóm tắt tin {i}.",
        "body": f"Đoạn một của tin {i}.\n\nĐoạn hai, nói về thời tiết.",
        "published": f"2024-05-{1 + i % 28:02d}T10:30:00+07:00",
        "published_raw": f"{1 + i % 28}/05/2024 10:30",
        "modified": None,
        "modified_raw": None,
        "authors": [f"Nguyễn Văn {i % 5}", "Trần Thị B"],
        "source": None,
        "images": [
            {"url": f"{url}/a.jpg", "caption": "Đường phố ngập nước.", "credit": "Phương Huế"},
            {"url": f"{url}/b.jpg", "caption": None, "credit": None},
        ],
        "tags": ["thời tiết", f"chủ đề {i % 3}"],
        "section": "Thời sự",
        "crawled_at": "2024-05-03T18:19:08+00:00",
        "extractor": "generic",
        "page_type": "article",
        "schema_version": 1,
    }
    record.update(changes)
    return record


class ScratchDatabase:
    """A PostgreSQL database of the tests' own (news_test_<random>), dropped on close."""

    def __init__(self, server_url: str = PG_SERVER_URL):
        from crawler.store.engine import connect

        self.name = f"news_test_{uuid.uuid4().hex[:10]}"
        self._admin = connect(server_url).execution_options(isolation_level="AUTOCOMMIT")
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{self.name}"')
        self.url = self._admin.url.set(database=self.name).render_as_string(hide_password=False)

    def close(self) -> None:
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin.dispose()


def _write(url: str, count: int, batch: int, seed: int | None) -> None:
    from crawler.store import open_store
    from crawler.store.writer import ArticleWriter

    order = list(range(count))
    if seed is not None:
        random.Random(seed).shuffle(order)
    writer = ArticleWriter(open_store(url), batch)
    committed = new = 0
    for i in order:
        outcomes = writer.add(make_record(i))
        if outcomes:
            committed += len(outcomes)
            new += sum(o.status == "new" for o in outcomes)
            print(f"committed {committed} new {new}", flush=True)
    outcomes = writer.flush()
    committed += len(outcomes)
    new += sum(o.status == "new" for o in outcomes)
    print(f"committed {committed} new {new}", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else None
    _write(args[0], int(args[1]), int(args[2]), seed)
