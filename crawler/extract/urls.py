"""Canonical URLs: the key that deduplicates articles across feeds, sitemaps and shares."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that say how a reader arrived, not which page they read.
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gclsrc|msclkid|mc_cid|mc_eid|yclid|igshid|_ga|_gl|ref|ref_src|referrer|"
    r"cmpid|cmp|icid|ito|ocid|partner|smid|sr_share|share|at_\w+|wt_\w+|wt\.\w+|ns_\w+|xtor|spm|"
    r"traffic_source|src|source|rss|feed|from|zarsrc|gidzl)$",
    re.I,
)


def canonicalize(url: str | None) -> str | None:
    """The URL without tracking parameters and fragment; scheme and host lower-cased."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query, doseq=True), ""))


def choose_canonical(url: str | None, canonical: str | None, og_url: str | None) -> str | None:
    """rel=canonical, else og:url, else the fetched URL — each only if it is a real absolute web URL."""
    for candidate in (canonical, og_url, url):
        if candidate:
            absolute = urljoin(url, candidate) if url else candidate
            if result := canonicalize(absolute):
                return result
    return None


def site_of(url: str | None) -> str | None:
    """Host without a leading www. (for web.archive.org copies: the archived host)."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    if host.endswith("web.archive.org"):
        match = re.search(r"/web/\d+\w*/(https?://[^/]+)", url)
        if match:
            host = urlsplit(match.group(1)).hostname or host
    host = host.lower()
    return (host[4:] if host.startswith("www.") else host) or None
