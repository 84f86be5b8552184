"""``crawler eval CORPUS``: extract every corpus page in-process and score the records against the labels.

Fast enough to run on every change: no Scrapy, no network, one pass over the gzipped pages. ``--records FILE``
scores records extracted elsewhere (``crawler extract --manifest`` output, or another extractor's) instead.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
import time
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from crawler.evaluate import evaluate, format_diff, format_report, load_truth

log = logging.getLogger(__name__)

_ERRORS_SHOWN = 20

help = "score the extractor against a labelled corpus (see the corpus README)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", type=Path, metavar="CORPUS", help="folder with truth.jsonl, manifest.jsonl")
    parser.add_argument("--site", metavar="S", help="only pages whose labelled site is S or ends with S")
    parser.add_argument("--diff", action="store_true", help="also print every page's wrong fields")
    parser.add_argument(
        "--records",
        type=Path,
        metavar="FILE",
        help="score these already-extracted records (JSONL, each with an 'id') instead of extracting",
    )


def run(args: argparse.Namespace) -> int:
    if not (args.corpus / "truth.jsonl").is_file():
        print(f"eval: no truth.jsonl in {args.corpus}", file=sys.stderr)
        return 2
    truth = load_truth(args.corpus)
    if args.site:
        truth = select_site(truth, args.site)
        if not truth:
            print(f"eval: no page of site {args.site!r} in {args.corpus}", file=sys.stderr)
            return 2
    started = time.perf_counter()
    try:
        records = read_records(args.records) if args.records else extract_corpus(args.corpus, truth)
    except (OSError, ValueError) as exc:
        print(f"eval: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    report = evaluate(records, truth)
    print(format_report(report))
    if args.diff:
        print()
        print(format_diff(report.pages))
    _print_timing(len(truth), elapsed, report.errors, extracted=not args.records)
    return 1 if len(report.errors) == len(truth) else 0  # nothing scored: something is broken, not just weak


def select_site(truth: dict[str, dict], site: str) -> dict[str, dict]:
    """The labels whose ``site`` is ``site`` or ends with it (``vnexpress.net`` takes ``e.vnexpress.net``)."""
    return {k: label for k, label in truth.items() if (label.get("site") or "").endswith(site)}


def read_records(path: Path) -> dict[str, dict]:
    """Records from a JSONL file, by their ``id``; an ``error`` line stays as it is (it scores as empty)."""
    records = {}
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not JSON ({exc})") from None
            if not isinstance(record, dict) or not record.get("id"):
                raise ValueError(f"{path}:{number}: a record without an 'id'")
            records[record["id"]] = record
    return records


def extract_corpus(corpus_dir: Path, ids: Iterable[str]) -> dict[str, dict]:
    """Extract the given corpus pages in-process, by id.

    A page the extractor raises on becomes ``{"id", "error"}`` (scored as an empty record and counted), so one
    bad page does not hide the scores of the others. An unexpected exception (a bug, not an unprocessable page)
    is also logged with its traceback, once per distinct message.
    """
    from crawler.extract import ExtractionError, build_record  # here: --records works without the extractor

    wanted = set(ids)
    records, logged = {}, set()
    now = datetime.now(timezone.utc)  # the "now" of pages saved without a fetch time, as `crawler extract` does
    for entry in load_manifest(corpus_dir):
        if entry["id"] not in wanted:
            continue
        html = gzip.decompress((corpus_dir / entry["path"]).read_bytes())
        fetched_at = datetime.fromisoformat(entry["fetched_at"]) if entry.get("fetched_at") else now
        try:
            records[entry["id"]] = build_record(html, entry.get("url"), fetched_at).to_dict()
        except Exception as exc:  # reported per page and counted, see the docstring
            reason = f"{type(exc).__name__}: {exc}"
            records[entry["id"]] = {"id": entry["id"], "error": reason}
            if not isinstance(exc, ExtractionError) and reason not in logged:
                logged.add(reason)
                log.warning("Extraction failed (%s): %s", entry["id"], entry.get("url"), exc_info=True)
    return records


def load_manifest(corpus_dir: Path) -> list[dict]:
    """The corpus' ``manifest.jsonl``: ``{"id", "path", "url", "fetched_at"}`` per page."""
    with open(corpus_dir / "manifest.jsonl", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _print_timing(pages: int, seconds: float, errors: dict[str, str], extracted: bool) -> None:
    verb = "extracted" if extracted else "read"
    per_page = 1000 * seconds / pages if pages else 0.0
    print(f"eval: {pages} pages {verb} in {seconds:.1f} s ({per_page:.0f} ms/page)", file=sys.stderr)
    for page_id, error in list(errors.items())[:_ERRORS_SHOWN]:
        print(f"eval: {page_id}: scored as empty ({error})", file=sys.stderr)
    if len(errors) > _ERRORS_SHOWN:
        print(f"eval: ... and {len(errors) - _ERRORS_SHOWN} more pages scored as empty", file=sys.stderr)
