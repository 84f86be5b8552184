"""The Vietnamese pages of the shared corpus, field by field: every labelled field must be right.

One test per (page, field), so a failure names both. Pages are the ``vi-*`` records and any other page
labelled ``lang: vi`` (fundus' VnExpress page); they are read from ``../shared/corpus`` at run time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from crawler.commands.eval import extract_corpus
from crawler.evaluate import score_page

CORPUS = Path(os.environ.get("NEWS_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus")
TEXT_FIELDS = ("title", "published", "authors", "lede", "body_with", "body_without", "is_article")


def _vietnamese_labels() -> dict[str, dict]:
    path = CORPUS / "truth.jsonl"
    if not path.is_file():
        return {}
    labels = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {r["id"]: r for r in labels if r["id"].startswith("vi-") or (r.get("lang") or "").startswith("vi")}


def _labelled(label: dict) -> list[str]:
    """The checks a label supports: null means "not labelled", so it is not checked."""
    fields = [f for f in TEXT_FIELDS if label.get(f) is not None]
    if label.get("images") is not None:
        fields.append("captions")
        if any(image.get("credit") for image in label["images"]):
            fields.append("credits")
    return fields


LABELS = _vietnamese_labels()
CASES = [(page_id, field) for page_id, label in LABELS.items() for field in _labelled(label)] or [
    pytest.param(None, None, id="no-corpus")
]


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    if not LABELS:
        pytest.skip(f"no labelled corpus at {CORPUS} (set NEWS_CORPUS to its folder)")
    return extract_corpus(CORPUS, LABELS)


@pytest.mark.parametrize(("page_id", "field"), CASES)
def test_vietnamese_page_field(records, page_id, field):
    score = score_page(records[page_id], LABELS[page_id])
    if field in ("captions", "credits"):
        tally = score.captions
        if field == "captions":
            assert not tally.missed and not tally.extra, f"missed {tally.missed}, extra {tally.extra}"
        else:
            assert not tally.bad_credits, f"(caption, wanted, got): {tally.bad_credits}"
        return
    result = score.fields[field]
    assert result.ok, f"{page_id} {field}: wanted {result.expected!r}, got {result.got!r}"
