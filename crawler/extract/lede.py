"""The lede (sapo, standfirst): a visible summary element, else the page's description."""

from __future__ import annotations

import re

from crawler.extract.content import NEGATIVE, is_hidden
from crawler.text import clean_text, overlap

_LEDE_CLASS = re.compile(
    r"sapo|\blead\b|lead-?text|article-?lead|\bintro|standfirst|summary|description|teaser|excerpt|chapo|"
    r"chapeau|\bdek\b|subtitle|sub-?headline|subhead|abstract|deck|header-?desc|detail-?sapo|"
    r"article__sapo|initial|kicker-text|lede",
    re.I,
)
# The site's own mark opening a sapo: "(LĐTĐ)", "TPO - ", "(Dân trí) - ", "(CNN) —", "GD&TĐ - ".
_SITE_MARK = re.compile(
    r"^\s*(?:\((?P<paren>[^()]{1,30})\)\s*[-–—:]?\s*|(?P<caps>[A-ZĐ][A-ZĐ&.0-9]{1,12}(?:\.vn)?)\s*[-–—]\s+)"
)


def visible_ledes(scope) -> list[str]:
    """Texts of elements named like a sapo/standfirst, in page order."""
    out = []
    for el in scope.iter("p", "div", "h2", "h3", "span", "section", "strong"):
        names = f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')}"
        if not _LEDE_CLASS.search(names) or NEGATIVE.search(el.get("class", "")) or is_hidden(el):
            continue
        if el.tag in ("div", "section") and len(el.findall(".//p")) > 3:
            continue  # a container of many paragraphs is the body, not the lede
        text = clean_text(" ".join(el.itertext()))
        if text and 30 <= len(text) <= 1500:
            out.append(text)
    return out


def choose_lede(visible: list[str], descriptions: list[str]) -> str | None:
    for text in visible:
        if any(overlap(text, d) >= 0.5 for d in descriptions):
            return text
    if visible:
        return visible[0]
    return descriptions[0] if descriptions else None


def strip_site_mark(lede: str | None, patterns=()) -> str | None:
    """The lede without the site's own opening mark."""
    if not lede:
        return lede
    for pattern in patterns:
        lede = pattern.sub("", lede, count=1)
    match = _SITE_MARK.match(lede)
    if match and (match.group("paren") or match.group("caps")):
        rest = lede[match.end() :]
        if len(rest) > 20:
            lede = rest
    return clean_text(lede)
