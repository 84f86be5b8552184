"""The headline: the visible <h1> when the metadata confirms it, else the metadata's headline."""

from __future__ import annotations

import re

from crawler.extract.content import is_hidden
from crawler.text import clean_text, overlap, tokens

_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—:·•»/]|::)\s+")


def choose_title(h1_texts: list[str], meta, site_name: str | None, site: str | None) -> str | None:
    """The visible headline when the page has one that the metadata confirms, else the metadata headline."""
    meta_titles = [t for t in (meta.ld_headline, meta.og_title, meta.title_tag) if t]
    if h1_texts:
        scored = [(max((overlap(h, t) for t in meta_titles), default=0.0), -i, h) for i, h in enumerate(h1_texts)]
        best_score, _, best = max(scored)
        if best_score >= 0.5 or len(h1_texts) == 1 and len(best.split()) >= 3:
            return best
    if meta.ld_headline:
        return meta.ld_headline
    for candidate in (meta.og_title, meta.title_tag):
        if candidate:
            return strip_site_name(candidate, site_name, site)
    return h1_texts[0] if h1_texts else None


def strip_site_name(title: str, site_name: str | None, site: str | None) -> str:
    """'Headline | Site' -> 'Headline': drop the segments that name the site; else keep the longest one."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) == 1:
        return title
    brand = {t for t in tokens(site_name) + tokens((site or "").split(".")[0])}
    kept = [p for p in parts if not brand or not set(tokens(p)) <= brand | {"com", "vn", "net", "de", "online"}]
    if kept and len(kept) < len(parts):
        return " - ".join(kept) if len(kept) > 1 and title.count(" - ") else max(kept, key=len)
    return title


def headline_texts(root) -> list[str]:
    texts = []
    for h1 in root.iter("h1"):
        if is_hidden(h1) or _in_negative(h1):
            continue
        text = clean_text(" ".join(h1.itertext()))
        if text and 3 <= len(text) <= 400:
            texts.append(text)
    return texts


def _in_negative(el) -> bool:
    node = el
    for _ in range(4):
        node = node.getparent()
        if node is None:
            return False
        if node.tag in ("header", "nav") and node.getparent() is not None and node.getparent().tag == "body":
            return True
        names = f"{node.get('class', '')} {node.get('id', '')}"
        if re.search(r"logo|brand|masthead|navbar|menu", names, re.I):
            return True
    return False
