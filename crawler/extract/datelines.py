"""Where a page states its dates: the evidence the date pipeline chooses from."""

from __future__ import annotations

import re

from crawler.items import DateEvidence
from crawler.text import clean_text

_DATE_CLASS = re.compile(r"date|time|publish|posted|dateline|ngay|thoigian|thoi-gian|datum|fecha|meta-info", re.I)


def visible_dates(scope) -> list[str]:
    """Short texts of elements named like a date line, the first few in page order."""
    out = []
    for el in scope.iter("time", "span", "div", "p", "li"):
        names = f"{el.get('class', '')} {el.get('id', '')}"
        if el.tag != "time" and not _DATE_CLASS.search(names):
            continue
        if el.tag != "time" and len(el) > 4:
            continue
        text = clean_text(" ".join(el.itertext()))
        if text and 6 <= len(text) <= 90 and re.search(r"\d", text):
            out.append(text)
            if len(out) >= 3:
                break
    return out


def date_evidence(profile_values, meta_values, time_values, visible, profile_machine: bool) -> list[DateEvidence]:
    evidence = [DateEvidence(raw, profile_machine, "profile") for raw in profile_values]
    evidence += [DateEvidence(raw, True, origin) for origin, raw in meta_values]
    evidence += [DateEvidence(raw, True, "time") for raw in time_values]
    evidence += [DateEvidence(raw, False, "visible") for raw in visible]
    return evidence
