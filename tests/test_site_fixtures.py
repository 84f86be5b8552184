"""Site test pages: every tests/fixtures/<site>/<case>.html is extracted and checked field by field.

A case is two files side by side: ``<case>.html`` (the page, written by us in the site's markup) and
``<case>.json``: ``{"url": ..., "fetched_at": ISO 8601, "expected": {field: value}}``. Expected fields are
record fields compared for equality, plus:

- ``images``: the (caption, credit) of every extracted image, in order;
- ``body_first`` / ``body_last``: text the body starts / ends with;
- ``body_excludes``: lines that must not be a paragraph of the body (paragraphs are separated by a blank line).

Each (site, case, field) is its own test, so a failure names all three.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def discover_cases() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*/*.json") if p.with_suffix(".html").is_file())


def expected_fields(case: Path) -> dict:
    return json.loads(case.read_text(encoding="utf-8"))["expected"]


PARAMS = [
    pytest.param(case, field, id=f"{case.parent.name}/{case.stem}/{field}")
    for case in discover_cases()
    for field in expected_fields(case)
]


def load_build_record():
    """The extractor entry point, or a skip while it is not written yet (any other import error fails)."""
    try:
        from crawler.extract import build_record
    except ImportError as exc:
        # Only "crawler.extract has no build_record yet" is a skip; a broken import inside it is a failure.
        if exc.name in ("crawler.extract", "crawler.extract.__init__"):
            pytest.skip(f"crawler.extract.build_record is not available yet: {exc}")
        raise
    return build_record


@functools.cache
def extract(case: Path):
    """One extraction per case, shared by that case's field tests."""
    spec = json.loads(case.read_text(encoding="utf-8"))
    fetched_at = datetime.fromisoformat(spec["fetched_at"]) if spec.get("fetched_at") else None
    return load_build_record()(case.with_suffix(".html").read_bytes(), spec.get("url"), fetched_at)


def paragraphs(body: str | None) -> list[str]:
    return [p.strip() for p in (body or "").split("\n\n") if p.strip()]


def check_images(record, expected):
    got = [{"caption": image.caption, "credit": image.credit} for image in record.images]
    assert got == expected


def check_body_first(record, expected):
    assert record.body and record.body.startswith(expected), (record.body or "")[:200]


def check_body_last(record, expected):
    assert record.body and record.body.endswith(expected), (record.body or "")[-200:]


def check_body_excludes(record, expected):
    leaked = [p for p in paragraphs(record.body) if p in set(expected)]
    assert not leaked, f"stray lines kept as body paragraphs: {leaked}"


CHECKS = {
    "images": check_images,
    "body_first": check_body_first,
    "body_last": check_body_last,
    "body_excludes": check_body_excludes,
}


def test_fixture_cases_exist():
    assert discover_cases(), f"no <case>.html + <case>.json under {FIXTURES}"


@pytest.mark.parametrize(("case", "field"), PARAMS)
def test_site_fixture(case: Path, field: str):
    record = extract(case)
    expected = expected_fields(case)[field]
    check = CHECKS.get(field)
    if check is not None:
        check(record, expected)
    else:
        assert getattr(record, field) == expected
