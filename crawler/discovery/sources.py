"""Article links out of the pages that list them: robots.txt, sitemaps (and their indexes), RSS/Atom feeds and
section listings. Plain functions over bytes, no Scrapy: each returns :class:`Link` objects carrying the dates
the source states, so the frontier can decide on a link before it is requested.
"""

from __future__ import annotations

import gzip
import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

from crawler.discovery.window import parse_timestamp

# A gzipped sitemap is read up to this size: a sitemap is at most 50 MB uncompressed by the protocol, and a
# "gzip bomb" must not eat the crawler's memory.
MAX_SITEMAP_BYTES = 64 * 1024 * 1024
# How far up from a listing's link its item may be: the link, its heading, the item element.
_ITEM_DEPTH = 3


@dataclass(frozen=True)
class Link:
    """A URL a source lists, with what the source says about its dates."""

    url: str
    published: datetime | None = None
    """Publication time as the source gives it (news:publication_date, RSS pubDate, a listing's <time>)."""
    modified: datetime | None = None
    """Last modification (a sitemap's lastmod, Atom's updated)."""


@dataclass(frozen=True)
class Sitemap:
    is_index: bool
    """True for a sitemap index: its links are sitemaps, not pages."""
    links: list[Link]


def robots_sitemaps(text: str) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt (the directive is case-insensitive and outside any group)."""
    found = re.findall(r"(?im)^\s*sitemap\s*:\s*(\S+)", text)
    return list(dict.fromkeys(found))


def parse_sitemap(body: bytes, tz: tzinfo = timezone.utc) -> Sitemap:
    """A sitemap or a sitemap index (gzipped or not), by element local names: sites get namespaces wrong."""
    root = _xml_root(_gunzip(body))
    if root is None:
        return Sitemap(False, [])
    is_index = etree.QName(root).localname.lower() == "sitemapindex"
    links = []
    for entry in root.iterchildren():
        if not isinstance(entry.tag, str) or etree.QName(entry).localname.lower() not in ("url", "sitemap"):
            continue
        loc = _child_text(entry, "loc")
        if not loc:
            continue
        published = parse_timestamp(_child_text(entry, "publication_date"), tz)
        links.append(Link(loc, published=published, modified=parse_timestamp(_child_text(entry, "lastmod"), tz)))
    return Sitemap(is_index, links)


def parse_feed(body: bytes, base_url: str, tz: tzinfo = timezone.utc) -> list[Link]:
    """The items of an RSS 2.0, RSS 1.0 or Atom feed: link and publication time."""
    root = _xml_root(_gunzip(body))
    if root is None:
        return []
    links = []
    for item in root.iter():
        if not isinstance(item.tag, str) or etree.QName(item).localname.lower() not in ("item", "entry"):
            continue
        url = _child_text(item, "link") or _atom_link(item)
        if not url:
            continue
        published = _child_text(item, "pubDate") or _child_text(item, "published") or _child_text(item, "date")
        links.append(
            Link(
                urljoin(base_url, url),
                published=parse_timestamp(published, tz),
                modified=parse_timestamp(_child_text(item, "updated"), tz),
            )
        )
    return links


def parse_listing(body: bytes, base_url: str, tz: tzinfo = timezone.utc) -> tuple[list[Link], lxml_html.HtmlElement]:
    """Every link of a listing page, in page order, each with the ``<time datetime>`` of its item when the item
    has exactly one; and the parsed page (the caller reads the next-page link with the profile's selectors)."""
    root = lxml_html.document_fromstring(body or b"<html></html>")
    links = []
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        links.append(Link(urljoin(base_url, href.strip()), published=_item_time(anchor, tz)))
    return links, root


def _item_time(anchor, tz: tzinfo) -> datetime | None:
    # The link's item is the nearest ancestor repeated among its siblings (the <li> of a <ul>, one <article>
    # of many): a time there is this link's. Higher up, a time would belong to another item.
    node = anchor
    for _ in range(_ITEM_DEPTH):
        parent = node.getparent()
        if parent is None:
            return None
        if sum(1 for sibling in parent if sibling.tag == node.tag) > 1 and node is not anchor:
            times = node.xpath(".//time[@datetime]")
            return parse_timestamp(times[0].get("datetime"), tz) if len(times) == 1 else None
        node = parent
    return None


def _gunzip(body: bytes) -> bytes:
    if body[:2] != b"\x1f\x8b":
        return body
    with gzip.GzipFile(fileobj=io.BytesIO(body)) as handle:
        return handle.read(MAX_SITEMAP_BYTES)


def _xml_root(body: bytes):
    # recover: one bad entity in a 40,000-URL sitemap must not cost the other 39,999 links.
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(body.strip() or b"<empty/>", parser)
    except etree.XMLSyntaxError:
        return None


def _child_text(element, name: str) -> str | None:
    for child in element.iter():
        if isinstance(child.tag, str) and etree.QName(child).localname == name and child.text:
            return child.text.strip()
    return None


def _atom_link(entry) -> str | None:
    for child in entry.iterchildren():
        if isinstance(child.tag, str) and etree.QName(child).localname == "link":
            if child.get("rel", "alternate") == "alternate" and child.get("href"):
                return child.get("href")
    return None
