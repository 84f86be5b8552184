"""Extraction benchmark: speed and per-field accuracy of this project and of trafilatura over one corpus,
plus date parses per second for the fast path and for dateparser.

    .venv/bin/python bench/extract.py [CORPUS] [--no-trafilatura] [--repeat N]

CORPUS defaults to ../shared/corpus (a folder with manifest.jsonl and truth.jsonl). trafilatura is an
optional dependency (`pip install -e '.[bench]'`); without it its column is skipped, saying so.
Pages are read into memory first, so the timings are extraction only (gzip and disk excluded).
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crawler.evaluate import evaluate, load_truth  # noqa: E402
from crawler.extract import build_record  # noqa: E402

ROWS = ("title", "published", "authors", "lede", "body", "caption_recall", "caption_precision", "credit")


def load_pages(corpus: Path) -> list[dict]:
    pages = []
    for line in (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        data = (corpus / entry["path"]).read_bytes()
        entry["html"] = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
        entry["fetched"] = datetime.fromisoformat(entry["fetched_at"]) if entry.get("fetched_at") else None
        pages.append(entry)
    return pages


def run_ours(pages: list[dict]) -> tuple[dict, list[float]]:
    records, times = {}, []
    for page in pages:
        start = time.perf_counter()
        try:
            record = build_record(page["html"], page["url"], page["fetched"]).to_dict()
        except Exception as exc:  # a failure is scored as an empty record, as `crawler extract` reports it
            record = {"error": repr(exc)}
        times.append(time.perf_counter() - start)
        records[page["id"]] = record
    return records, times


def run_trafilatura(pages: list[dict]) -> tuple[dict, list[float]] | None:
    try:
        import trafilatura
        from trafilatura.settings import use_config
    except ImportError:
        print("trafilatura is not installed (pip install -e '.[bench]'): its column is skipped", file=sys.stderr)
        return None
    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    records, times = {}, []
    for page in pages:
        html = page["html"].decode("utf-8", "replace")
        start = time.perf_counter()
        try:
            doc = trafilatura.bare_extraction(html, url=page["url"], config=config, with_metadata=True)
            records[page["id"]] = _trafilatura_record(doc)
        except Exception as exc:
            records[page["id"]] = {"error": repr(exc)}
        times.append(time.perf_counter() - start)
    return records, times


def _trafilatura_record(doc) -> dict:
    data = doc.as_dict() if hasattr(doc, "as_dict") else (doc or {})
    authors = [a.strip() for a in (data.get("author") or "").split(";") if a.strip()]
    return {
        "title": data.get("title"), "published": data.get("date"), "authors": authors,
        "lede": data.get("description"), "body": data.get("text"), "language": data.get("language"),
        "tags": data.get("tags") or [], "images": [], "page_type": "article",
    }  # fmt: skip


def _metric(report, name: str) -> str:
    metric = report.metric(name)
    return "-" if metric is None or metric.value is None else f"{metric.value:.3f}"


def print_table(columns: dict[str, tuple[object, list[float]]]) -> None:
    names = list(columns)
    print(f"{'':22}" + "".join(f"{n:>14}" for n in names))
    for label, pick in (
        ("ms/page (median)", lambda t: statistics.median(t) * 1000),
        ("ms/page (mean)", lambda t: statistics.fmean(t) * 1000),
        ("ms/page (p90)", lambda t: sorted(t)[int(len(t) * 0.9)] * 1000),
    ):
        print(f"{label:22}" + "".join(f"{pick(columns[n][1]):>14.2f}" for n in names))
    for row in ROWS:
        print(f"{row:22}" + "".join(f"{_metric(columns[n][0], row):>14}" for n in names))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--no-trafilatura", action="store_true", help="measure this project only")
    parser.add_argument("--repeat", type=int, default=1, help="extraction passes (the fastest is kept)")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not (corpus / "manifest.jsonl").is_file():
        print(f"no manifest.jsonl in {corpus}", file=sys.stderr)
        return 2
    pages, truth = load_pages(corpus), load_truth(corpus)
    print(f"{len(pages)} pages from {corpus}")
    runs = [run_ours(pages) for _ in range(max(1, args.repeat))]
    records, times = min(runs, key=lambda run: statistics.median(run[1]))
    columns = {"this project": (evaluate(records, truth), times)}
    if not args.no_trafilatura and (theirs := run_trafilatura(pages)):
        columns["trafilatura"] = (evaluate(theirs[0], truth), theirs[1])
    print_table(columns)
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    try:
        import dates as date_bench  # bench/dates.py
    except ImportError:
        print("bench/dates.py not found: date parse rates skipped", file=sys.stderr)
    else:
        date_bench.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
