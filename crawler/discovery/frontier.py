"""The frontier: which of the links a source lists become requests. Decided in batches, before any request.

A link is requested when it has the site's article URL shape, may fall in the date window (by the dates its
source gives), was not already taken this run, and is not stored yet (unless refreshing). Links are compared
in canonical form (crawler.extract.urls.canonicalize: tracking parameters and fragments removed), the form the
store keys articles by. Each rejected link is counted under its reason, which the spider turns into stats.

The store is asked once per batch (a sitemap's thousands of links in a few IN queries against the unique index
on canonical_url), never once per link: see crawler/discovery/known.py for the measured cost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from crawler.discovery.sources import Link
from crawler.discovery.window import Window
from crawler.extract.urls import canonicalize

# Reasons a link is not requested, as they appear in stats (news/<site>/links/<reason>).
NOT_ARTICLE = "not-article"
OUT_OF_WINDOW = "out-of-window"
DUPLICATE = "duplicate"
STORED = "stored"


@dataclass
class Decision:
    """One batch's outcome: the canonical URLs to request (in source order) and the rejected ones by reason."""

    requests: list[str] = field(default_factory=list)
    rejected: Counter = field(default_factory=Counter)
    in_window: int = 0
    """Article links whose source dates place them in the window (stored or not): a listing page with none is
    past the window."""


class Frontier:
    """Per site and per run. ``stored`` maps a batch of canonical URLs to those already stored (None: no store)."""

    def __init__(
        self,
        article_url,
        window: Window,
        stored: Callable[[list[str]], set[str]] | None = None,
    ):
        self.article_url = article_url
        self.window = window
        self.stored = stored
        self.taken: set[str] = set()
        """Canonical URLs decided this run (requested or found stored). A set of ~100-byte strings: a million cost ~170 MB, far more than
        one run of one site ever takes (a backfill of a big Vietnamese site is ~100,000)."""

    def decide(self, links: Iterable[Link]) -> Decision:
        decision = Decision()
        candidates: dict[str, None] = {}
        for link in links:
            url = canonicalize(link.url)
            if url is None or (self.article_url is not None and not self.article_url.search(url)):
                decision.rejected[NOT_ARTICLE] += 1
                continue
            if not self.window.admits(link.published, link.modified):
                decision.rejected[OUT_OF_WINDOW] += 1
                continue
            decision.in_window += 1
            if url in self.taken or url in candidates:
                decision.rejected[DUPLICATE] += 1
                continue
            candidates[url] = None
        stored = self.stored(list(candidates)) if self.stored and candidates else set()
        for url in candidates:
            # Stored ones are taken too: the next source listing them counts a duplicate, not another skip.
            self.taken.add(url)
            if url in stored:
                decision.rejected[STORED] += 1
            else:
                decision.requests.append(url)
        return decision
