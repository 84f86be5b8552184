"""Turning page bytes into a parsed document: decoding that survives lying charsets, and one parse per page."""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector
from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

# Past this size a page is not an article page a reader would open; the tail is dropped, not the run.
MAX_PAGE_BYTES = 8 * 1024 * 1024


class ExtractionError(ValueError):
    """The input cannot be processed at all (empty, not HTML). The message says why."""


@dataclass
class Page:
    """A parsed page with what every extractor needs: the selector, the URL and the fetch time."""

    sel: Selector
    url: str | None
    encoding: str
    base_url: str | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def root(self):
        return self.sel.root

    def absolute(self, link: str | None) -> str | None:
        """An absolute URL for a link found on the page (protocol-relative and relative links resolved)."""
        if not link:
            return None
        link = link.strip()
        if link.startswith(("data:", "javascript:", "about:")):
            return None
        base = self.base_url or self.url
        return urljoin(base, link) if base else link


def maybe_gunzip(data: bytes) -> bytes:
    """Saved pages are often gzip files; the magic bytes say so whatever the file is called."""
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    return data


def decode_html(data: bytes, content_type: str | None = None, url: str | None = None) -> tuple[str, str]:
    """Decode page bytes to text; returns (text, encoding).

    Valid UTF-8 wins over a declared charset: a page that decodes cleanly as UTF-8 almost never is
    something else, while saved pages and CMS templates often declare a charset they no longer use.
    Otherwise: BOM, HTTP header, ``<meta charset>``, and finally the legacy code page of the page's
    language (windows-1258 for Vietnamese, windows-1252 otherwise; both decode any byte).
    """
    bom_encoding, bom = read_bom(data)
    if bom_encoding:
        return data[len(bom) :].decode(bom_encoding, errors="replace"), bom_encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _header_charset(content_type) or html_body_declared_encoding(data)
    encoding = resolve_encoding(declared) if declared else None
    if encoding and encoding not in ("utf-8", "utf8"):
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            pass
    # Mostly-UTF-8 pages with a few broken bytes lose only those bytes.
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= max(8, len(text) // 1000):
        return text, "utf-8"
    legacy = "cp1258" if _looks_vietnamese(data, url) else "cp1252"
    return data.decode(legacy, errors="replace"), legacy


def _looks_vietnamese(data: bytes, url: str | None) -> bool:
    host = (url or "").split("/")[2] if (url or "").count("/") >= 2 else ""
    return host.endswith(".vn") or bool(re.search(rb"<html[^>]*\blang=[\"']?vi", data[:4096], re.I))


def _header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = re.search(r"charset=([\w-]+)", content_type, re.I)
    return match.group(1) if match else None


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a]")


def load_page(data: bytes | str, url: str | None = None, content_type: str | None = None) -> Page:
    """Parse a page once. Raises ExtractionError when there is nothing that could be an HTML page."""
    if isinstance(data, str):
        text, encoding = data, "unicode"
    else:
        data = maybe_gunzip(data)
        if not data.strip():
            raise ExtractionError("empty page")
        sample = data[:4096]
        if len(_BINARY.findall(sample)) > 16 and b"<" not in sample:
            raise ExtractionError("binary data, not an HTML page")
        text, encoding = decode_html(data[:MAX_PAGE_BYTES], content_type, url)
    if "<" not in text[:65536] and not text.strip():
        raise ExtractionError("empty page")
    # lxml refuses str input that still carries an XML declaration (XHTML pages).
    text = _XML_DECLARATION.sub("", text.replace("\x00", ""), count=1)
    try:
        root = etree.fromstring(text, parser=_PARSER)
    except Exception as exc:  # lxml raises several types for hopeless input
        raise ExtractionError(f"not parseable as HTML: {exc}") from exc
    if root is None:
        raise ExtractionError("no HTML in the page")
    sel = Selector(root=root, type="html")
    page = Page(sel=sel, url=url, encoding=encoding)
    base = sel.xpath("//base/@href").get()
    page.base_url = page.absolute(base) if base else url
    return page


# lxml's plain HTML parser, not lxml.html's: its elements skip the per-element class lookup, which makes
# every tree walk of the extractors about a third faster.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
