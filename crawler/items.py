"""The article record: defined once, here, and documented field by field.

Extraction fills an :class:`Article`; the date pipeline turns the raw date evidence into normalised
timestamps; exporters and stores read :func:`Article.to_dict`. Scrapy handles dataclass items natively
(through itemadapter), so the same object travels through a crawl and through ``crawler extract``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

SCHEMA_VERSION = 1

# Page types. Only `article` pages carry article fields worth storing; the others say what the page is instead.
PAGE_TYPES = ("article", "listing", "video", "gallery", "live", "redirect", "error", "other")


@dataclass
class Image:
    url: str
    """Absolute URL of the picture (lazy-loading ``data-src`` and ``srcset`` resolved)."""
    caption: str | None = None
    """Caption text without the photo credit, or None when the picture has no caption."""
    credit: str | None = None
    """Photo credit ("Phương Huế" from "(Ảnh: Phương Huế)"), or None."""


@dataclass
class DateEvidence:
    """One place a date was read from, kept until the date pipeline has chosen among them."""

    raw: str
    """The text as found on the page."""
    machine: bool
    """True for machine-readable sources (meta tags, JSON-LD, ``<time datetime>``), False for visible text."""
    origin: str
    """Where it came from ("profile", "jsonld", "meta", "time", "visible"), for logs and debugging."""


@dataclass
class Article:
    """One page as a normalised record. A list with nothing found is ``[]``; a value not found is ``None``."""

    url: str | None = None
    """The URL the page was fetched from (after redirects)."""
    canonical_url: str | None = None
    """The page's ``rel=canonical``, else ``og:url``, else ``url``; tracking parameters and fragment removed.
    This is the key that deduplicates articles."""
    site: str | None = None
    """Host of ``canonical_url`` without a leading ``www.``."""
    site_name: str | None = None
    """The publication's name as the page states it (``og:site_name``, JSON-LD publisher, profile)."""
    language: str | None = None
    """Language tag of the page (``<html lang>``, ``og:locale``, JSON-LD, or the profile's language)."""
    title: str | None = None
    """The headline, without the site name that ``<title>`` tags often append."""
    lede: str | None = None
    """The standfirst / sapo, without the site's own opening mark ("(LĐTĐ)", "TPO - ")."""
    body: str | None = None
    """The article text: paragraphs separated by a blank line; no captions, byline, related links or
    attribution lines."""
    published: str | None = None
    """Publication time, ISO 8601: with the page's or the profile's UTC offset; without an offset when nobody
    knows it; the date alone when the page gives no time. None when no date could be read."""
    published_raw: str | None = None
    """The text ``published`` was read from (kept even when it could not be parsed)."""
    modified: str | None = None
    """Last modification time, same format as ``published``."""
    modified_raw: str | None = None
    """The text ``modified`` was read from."""
    authors: list[str] = field(default_factory=list)
    """Person names from the byline and metadata; organisations are not authors."""
    source: str | None = None
    """Agency or origin attribution ("TTXVN", "Theo VnExpress"), else None."""
    images: list[Image] = field(default_factory=list)
    """Article pictures in page order, each with its caption and credit."""
    tags: list[str] = field(default_factory=list)
    """Keywords / topics the page lists."""
    section: str | None = None
    """The section or category the article is filed under."""
    crawled_at: str | None = None
    """When the page was fetched, ISO 8601 with its offset; the "now" that relative dates are resolved against."""
    extractor: str | None = None
    """Which rule set produced the record: ``profile:<id>`` or ``generic``."""
    page_type: str = "article"
    """``article``, or what the page is instead: ``listing``, ``video``, ``gallery``, ``live``, ``redirect``,
    ``error``, ``other``."""
    schema_version: int = SCHEMA_VERSION
    """Version of this record's layout; bumped when a field changes meaning."""

    dates: dict[str, list[DateEvidence]] = field(default_factory=dict, repr=False)
    """Internal: raw date evidence per field ("published", "modified"), consumed by the date pipeline.
    Not exported."""

    def to_dict(self) -> dict:
        """The exported record: every public field, images as plain dicts."""
        out = {}
        for name in EXPORT_FIELDS:
            value = getattr(self, name)
            if name == "images":
                value = [{"url": i.url, "caption": i.caption, "credit": i.credit} for i in value]
            elif isinstance(value, list):
                value = list(value)
            out[name] = value
        return out


# The fields written by exporters and stores, in order (Scrapy's FEED_EXPORT_FIELDS uses it too).
EXPORT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Article) if f.name != "dates")
