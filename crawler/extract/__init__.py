"""Extraction: plain functions from (HTML bytes, URL, fetch time) to an article record.

``extract_article`` reads the page and leaves the raw date evidence on the record; ``build_record`` also
normalises the dates, exactly as the crawl's date pipeline does, for one-off extraction and evaluation.
Nothing here imports Scrapy.
"""

from __future__ import annotations

from datetime import datetime

from crawler.extract.article import extract_from_page
from crawler.extract.document import ExtractionError, load_page
from crawler.items import Article

__all__ = ["ExtractionError", "build_record", "extract_article"]


def extract_article(
    html: bytes | str,
    url: str | None = None,
    *,
    fetched_at: datetime | None = None,
    profile=None,
    content_type: str | None = None,
) -> Article:
    """The article record of one page, dates still raw (see ``crawler.dates.normalise_dates``).

    ``profile`` defaults to the bundled profile for the URL's site; pass ``False`` to force the generic path.
    Raises ExtractionError when the input is not a page at all (empty, binary).
    """
    if profile is None:
        from crawler.profiles import find_profile

        profile = find_profile(url)
    page = load_page(html, url, content_type)
    return extract_from_page(page, fetched_at=fetched_at, profile=profile or None)


def build_record(html: bytes | str, url: str | None = None, fetched_at: datetime | None = None, *, profile=None) -> Article:
    """``extract_article`` followed by date normalisation: the record a crawl would store.

    ``fetched_at`` is the "now" of relative dates ("2 giờ trước"); without it they stay unread (no clock here:
    callers pass the fetch time, or the time of the run as ``crawler extract`` does)."""
    from crawler.dates import date_rules, normalise_dates
    from crawler.profiles import find_profile

    # Looked up once: the same profile gives the selectors and the date rules (time zone, day order).
    profile = (find_profile(url) or False) if profile is None else profile
    article = extract_article(html, url, fetched_at=fetched_at, profile=profile)
    rules = date_rules(article.language, article.site, profile or None)
    normalise_dates(article, now=fetched_at, rules=rules)
    return article
