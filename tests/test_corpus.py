"""The extractor's targets on the shared labelled corpus (``../shared/corpus``, read in place, never copied).

Every page is extracted once for the module; each field then has its own floor, so a failure names the field
and the number reached. Set ``NEWS_CORPUS`` to score another corpus folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crawler.commands.eval import extract_corpus
from crawler.evaluate import Report, evaluate, load_truth

CORPUS = Path(os.environ.get("NEWS_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus")

# Metric (crawler.evaluate.METRICS) -> the share it must reach over the whole corpus: the extraction issue's
# targets, except two that the corpus' own labels rule out (see README, "Accuracy"). Title: 14 readability
# labels keep the site name the corpus README calls wrong, and fundus labels follow og:title on some pages and
# the JSON-LD headline on others for the same visible h1. Authors: 25 labels name an organisation or the site
# ("dpa", "ORF.at", "Associated Press"), which the README says is not an author. Those two floors are the
# levels reached (a ratchet against regressions), not the targets (title 0.95, authors 0.85).
FLOORS = {
    "title": 0.85,
    "published": 0.92,
    "authors": 0.80,
    "lede": 0.85,
    "caption_recall": 0.85,
    "caption_precision": 0.85,
    "credit": 0.85,
    "body": 0.88,  # mean token F1
}
_CAPTION_METRICS = {"caption_recall": "missed", "caption_precision": "extra", "credit": "bad_credits"}


@pytest.fixture(scope="module")
def extracted() -> tuple[dict[str, dict], dict[str, dict]]:
    """(labels, records) of every corpus page, by id."""
    if not (CORPUS / "truth.jsonl").is_file():
        pytest.skip(f"no labelled corpus at {CORPUS} (set NEWS_CORPUS to its folder)")
    truth = load_truth(CORPUS)
    return truth, extract_corpus(CORPUS, truth)


@pytest.fixture(scope="module")
def report(extracted) -> Report:
    truth, records = extracted
    return evaluate(records, truth)


def test_every_page_gives_a_record(extracted):
    truth, records = extracted
    failed = {page_id: records[page_id]["error"] for page_id in truth if "error" in records.get(page_id, {})}
    absent = [page_id for page_id in truth if page_id not in records]
    assert not absent, f"no record for {len(absent)} pages: {', '.join(absent[:10])}"
    shown = "\n".join(f"  {page_id}: {reason}" for page_id, reason in list(failed.items())[:10])
    assert not failed, f"extraction raised on {len(failed)} of {len(truth)} pages, e.g.\n{shown}"


@pytest.mark.parametrize(("metric", "floor"), FLOORS.items(), ids=list(FLOORS))
def test_field_floor(report, metric, floor):
    measured = report.metric(metric)
    assert measured.value is not None, f"{metric}: nothing to measure (n = {measured.n})"
    wrong = _wrong_pages(report, metric)
    assert measured.value >= floor, (
        f"{metric}: {measured.value:.3f} over {measured.n} < floor {floor}; "
        f"wrong on {len(wrong)} pages, e.g. {', '.join(wrong[:10])}"
    )


def _wrong_pages(report: Report, metric: str) -> list[str]:
    """Pages that cost the metric something, for the failure message (``crawler eval --diff`` tells more)."""
    if metric in _CAPTION_METRICS:
        tally = _CAPTION_METRICS[metric]
        return [p.id for p in report.pages if p.captions is not None and getattr(p.captions, tally)]
    return [p.id for p in report.pages if metric in p.fields and not p.fields[metric].ok]
