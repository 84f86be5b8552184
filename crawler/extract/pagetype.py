"""What kind of page this is: an article, or something that must not be emitted as one."""

from __future__ import annotations

import re

_ERROR_TITLE = re.compile(r"\b(404|not found|page not found|không tìm thấy|seite nicht gefunden|introuvable)\b", re.I)
_VIDEO_TYPES = {"videoobject"}
_GALLERY_TYPES = {"imagegallery", "mediagallery"}
_LIVE_TYPES = {"liveblogposting"}
# Below this much body text a page is furniture around something else (a player, a list, a redirect).
_MIN_ARTICLE_CHARS = 250


def classify(page, meta, article, content, profile=None) -> str:
    """``article``, or the kind of page this is instead; the site's profile knows its own URL shapes first."""
    if profile is not None and (kind := profile.page_type(page.url, page.sel)):
        return kind
    body_chars = len(article.body or "")
    refresh = page.sel.xpath("//meta[translate(@http-equiv,'REFSH','refsh')='refresh']/@content").get()
    if body_chars < _MIN_ARTICLE_CHARS:
        if refresh and re.search(r"url\s*=", refresh, re.I):
            return "redirect"
        if _ERROR_TITLE.search(meta.title_tag or "") or _ERROR_TITLE.search(article.title or ""):
            return "error"
        types = set(meta.ld_types)
        if types & _VIDEO_TYPES or (meta.og_type or "").startswith("video"):
            return "video"
        if types & _GALLERY_TYPES:
            return "gallery"
        if not article.title or content is None:
            return "other"
        if len(article.images) >= 3:
            return "gallery"
        return "other" if body_chars < 80 else "article"
    if set(meta.ld_types) & _LIVE_TYPES:
        return "live"
    return "article"
