"""Search words: the title and body of an article as the full-text index sees them, computed once in Python.

A word is a run of letters and digits, casefolded, with its accents removed (``Hà Nội`` gives ``ha``, ``noi``;
``đ`` becomes ``d``, which Unicode does not decompose), so readers who type without diacritics, as Vietnamese
readers often do, find what they look for. Each word appears once per article: the indexes answer "which
articles contain all these words", not how often.

Both engines index these words as they are (SQLite: an FTS5 table; PostgreSQL: a ``tsvector`` built with
``array_to_tsvector``) and both search with the words of the query made the same way, so a search means the same
thing on either. Making them here, and not in the database (``to_tsvector`` took 375 us per 4 KB article on
PostgreSQL), is what lets the writer keep up with a crawl.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.text import fold

_WORD = re.compile(r"[^\W_]+")
# Longer "words" are not words (base64, a run of digits); PostgreSQL refuses lexemes over 2 KB.
MAX_WORD_CHARS = 64
# Whitespace-separated tokens seen before -> their words. Text repeats its tokens (a language has a few
# thousand common ones, with their capitals and punctuation), so nearly every token of an article is a
# dictionary hit and the regex and Unicode work runs once per vocabulary entry, not once per occurrence. Plain
# ASCII words (numbers, English) skip the cache: they are cheap to make and would fill it. Cleared when full,
# so memory stays flat (about 6 MB at most) however many articles are written.
_CACHE_SIZE = 30_000
_cache: dict[str, tuple[str, ...]] = {}


def article_words(title: str | None, body: str | None) -> list[str]:
    """The distinct search words of an article's title and body, in no particular order."""
    return _words(f"{title or ''}\n{body or ''}".split())


def query_words(text: str) -> list[str]:
    """The words of a search, made as the articles' were: an article matches when it has all of them."""
    return _words(text.split())


def _words(tokens: Iterable[str]) -> list[str]:
    cache = _cache
    if len(cache) > _CACHE_SIZE:
        cache.clear()
    found: set[str] = set()
    for token in set(tokens):
        words = cache.get(token)
        if words is None:
            if token.isascii() and token.isalnum():
                if len(token) <= MAX_WORD_CHARS:
                    found.add(token.lower())
                continue
            words = cache[token] = _token_words(token)
        found.update(words)
    return list(found)


def _token_words(token: str) -> tuple[str, ...]:
    return tuple(word for word in _WORD.findall(fold(token)) if len(word) <= MAX_WORD_CHARS)
