"""Text normalisation shared by every extractor: one definition of "clean text"."""

from __future__ import annotations

import html
import re
import unicodedata

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACE = re.compile(r"\s+")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")


def clean_text(text: str | None) -> str | None:
    """NFC, no zero-width characters, leftover HTML entities decoded, whitespace collapsed; '' becomes None."""
    if text is None:
        return None
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    text = _SPACE.sub(" ", text).strip()
    return text or None


def first_text(values) -> str | None:
    """The first value that is non-empty once cleaned."""
    for value in values:
        text = clean_text(value) if isinstance(value, str) else None
        if text:
            return text
    return None


def unique(items) -> list:
    """Items in order with later duplicates (casefolded for strings) removed."""
    seen, out = set(), []
    for item in items:
        key = item.casefold() if isinstance(item, str) else item
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def tokens(text: str | None) -> list[str]:
    return re.findall(r"\w+", text.casefold()) if text else []


def overlap(a: str | None, b: str | None) -> float:
    """Token F1 of two texts: how much they are the same words."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    common = len(set(ta) & set(tb))
    if not common:
        return 0.0
    precision, recall = common / len(set(ta)), common / len(set(tb))
    return 2 * precision * recall / (precision + recall)


def fold(text: str) -> str:
    """Casefolded, accents removed, đ as d: a word as a host name or a reader typing without diacritics
    writes it ("Dân trí" -> "dan tri"). Unicode does not decompose đ, hence the replace."""
    decomposed = unicodedata.normalize("NFD", text.casefold()).replace("đ", "d")
    if decomposed.isascii():
        return decomposed
    return "".join(char for char in decomposed if not unicodedata.combining(char))
