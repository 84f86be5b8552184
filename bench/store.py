"""Storage benchmark: records/s and the writer's peak memory, SQLite and PostgreSQL.

    .venv/bin/python bench/store.py [--records N] [--batch-size B] [--pg-url postgresql://postgres@127.0.0.1/test]

Writes N (default 100,000) records shaped like real ones (a 4 KB body of Vietnamese words, two images with
captions and credits, two authors, five tags) through ArticleWriter into a fresh SQLite file and into a fresh
PostgreSQL database (created through --pg-url's server, dropped afterwards; skipped, saying so, when the server
does not answer). Each engine runs in its own process so that its peak memory (ru_maxrss) is its own; the
peak is printed at 10,000 records and at the end, so a writer whose memory grows with the records shows it.
Only time inside the writer counts: making the records is excluded.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.store.engine import connect, redact  # noqa: E402
from crawler.store.errors import StoreError  # noqa: E402

SYLLABLES = (
    "người năm được những trong một cho không của với các này đã là có khi đến từ thành phố Hà Nội tỉnh huyện "
    "xã dân kinh tế phát triển chính quyền hội nghị đại biểu quốc hội bóng đá đội tuyển giải vô địch thị trường "
    "giá vàng tăng giảm doanh nghiệp đầu tư dự án công trình giao thông mưa bão lũ lụt cứu hộ sức khỏe bệnh viện"
).split()
CHECKPOINTS = (10_000,)


def make_text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(SYLLABLES, k=words))


def records(count: int, seed: int = 5):
    """Record-shaped dicts; bodies are 4 KB windows of one long text, so making them costs next to nothing."""
    rng = random.Random(seed)
    corpus = make_text(rng, 400_000)
    for i in range(count):
        start = rng.randrange(0, len(corpus) - 4200)
        site = f"site{i % 20}.example"
        url = f"https://{site}/tin-tuc/bai-viet-{i}.html"
        yield {
            "url": url,
            "canonical_url": url,
            "site": site,
            "site_name": "Báo Mẫu",
            "language": "vi",
            "title": corpus[start : start + 80],
            "lede": corpus[start + 80 : start + 300],
            "body": f"{i} " + corpus[start + 300 : start + 4396],
            "published": f"2024-05-{1 + i % 28:02d}T{i % 24:02d}:15:00+07:00",
            "published_raw": f"{1 + i % 28}/05/2024 {i % 24:02d}:15",
            "modified": None,
            "modified_raw": None,
            "authors": [f"Tác Giả {i % 97}", f"Phóng Viên {i % 89}"],
            "source": None,
            "images": [
                {
                    "url": f"{url}/anh-{n}.jpg",
                    "caption": corpus[start + n * 50 : start + n * 50 + 90],
                    "credit": "TTXVN",
                }
                for n in range(2)
            ],
            "tags": [f"chủ đề {(i + n) % 300}" for n in range(5)],
            "section": "Thời sự",
            "crawled_at": "2024-05-03T18:19:08+00:00",
            "extractor": "profile:bench",
            "page_type": "article",
            "schema_version": 1,
        }


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run_one(url: str, count: int, batch_size: int) -> dict:
    """Write `count` records into `url` (this process); returns the measurements."""
    from crawler.store import open_store
    from crawler.store.writer import ArticleWriter

    engine = open_store(url)
    writer = ArticleWriter(engine, batch_size)
    spent, marks = 0.0, []
    before = peak_mb()
    for n, record in enumerate(records(count), start=1):
        started = time.perf_counter()
        writer.add(record)
        if n == count:
            writer.flush()
        spent += time.perf_counter() - started
        if n in CHECKPOINTS or n == count:
            marks.append({"records": n, "per_second": n / spent, "peak_mb": peak_mb(), "delta_mb": peak_mb() - before})
    engine.dispose()
    return {"url": redact(url), "marks": marks}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: run one engine in this process
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.records, args.batch_size)))
        return 0

    with tempfile.TemporaryDirectory() as folder:
        _report("SQLite", _child(f"sqlite:///{folder}/bench.db", args))
    with _pg_database(args.pg_url) as pg_url:
        if pg_url:
            _report("PostgreSQL", _child(pg_url, args))
    return 0


def _child(url: str, args) -> dict:
    command = [sys.executable, __file__, "--child", url, "--records", str(args.records)]
    output = subprocess.run(
        [*command, "--batch-size", str(args.batch_size)], check=True, capture_output=True, text=True
    )
    return json.loads(output.stdout)


def _report(name: str, result: dict) -> None:
    print(f"{name} ({result['url']})")
    for mark in result["marks"]:
        print(
            f"  {mark['records']:>7,} records: {mark['per_second']:>7,.0f} records/s, "
            f"writer process peak RSS {mark['peak_mb']:.0f} MB (+{mark['delta_mb']:.1f} MB since the writer opened)"
        )


class _pg_database:
    """A fresh database on the server of `url`, dropped on exit; None (with a message) when unreachable."""

    def __init__(self, url: str):
        self.url, self.name, self.admin = url, f"news_bench_{uuid.uuid4().hex[:8]}", None

    def __enter__(self) -> str | None:
        import sqlalchemy as sa

        try:
            self.admin = connect(self.url).execution_options(isolation_level="AUTOCOMMIT")
        except StoreError as exc:
            print(f"PostgreSQL: skipped, {exc}")
            return None
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{self.name}"'))
        return self.admin.url.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc) -> None:
        import sqlalchemy as sa

        if self.admin is not None:
            with self.admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            self.admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
