"""Finding the article's main text container on a page no profile describes.

A simplified readability: every paragraph votes for its parent (and half a vote for its grandparent), class
and id names nudge the score, link-heavy containers lose it. The winner is the node whose text is the
article's; trafilatura and readability both show this is far more robust than a list of class names alone.
"""

from __future__ import annotations

import re

from lxml import etree

# Names that mark boilerplate wherever they appear in a class or id.
NEGATIVE = re.compile(
    r"comment|related|relate|lienquan|tinlienquan|sidebar|side-bar|footer|footnote|masthead|menu|"
    r"\bnav|navbar|breadcrumb|social|share|sharing|shoutbox|sponsor|promo|advert|\bads?\b|\bad-|banner|"
    r"popup|modal|cookie|consent|newsletter|subscribe|paywall|recommend|outbrain|taboola|teaser-list|"
    r"most-?read|mostpopular|trending|widget|toolbar|tags?-?list|\btags?\b|keyword|author-?box|"
    r"print-only|xemthem|readmore|read-more|see-also|seealso|more-stories|box-tinlienquan|"
    r"inline-related|rightcol|right-col|\bsocial|skip-link|signup|login|rating|vote|poll",
    re.I,
)
POSITIVE = re.compile(
    r"article|body|content|entry|story|post|text|detail|main|fck|chitiet|noidung|cms-body|"
    r"singular|blog|news-content|maincontent|page-content|richtext|rich-text",
    re.I,
)
BLOCK_TAGS = frozenset(
    "p div section article main h1 h2 h3 h4 h5 h6 ul ol li blockquote pre table tr td th tbody thead "
    "figure figcaption header footer aside nav form dl dt dd hr address details summary center".split()
)
# Never article text, wherever they appear.
SKIP_TAGS = frozenset(
    "script style noscript template svg iframe object embed video audio canvas map button select "
    "input textarea form nav aside footer figure figcaption picture source meta link head".split()
)
_PARAGRAPH_TAGS = ("p", "pre", "blockquote")


def class_id(el) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


def is_hidden(el) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style) and bool(re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", style))


def text_length(el) -> int:
    return len(" ".join("".join(el.itertext()).split()))


def link_density(el) -> float:
    total = text_length(el)
    if not total:
        return 0.0
    linked = sum(text_length(a) for a in el.iter("a"))
    return min(1.0, linked / total)


def find_content(root) -> etree._Element | None:
    """The element that holds the article text, or None when the page has no such text."""
    body = root.find("body")
    if body is None:
        body = root
    scores: dict = {}
    for node in body.iter(*_PARAGRAPH_TAGS, "div", "td", "section"):
        if node.tag not in _PARAGRAPH_TAGS and not _is_textual_div(node):
            continue
        text = " ".join("".join(node.itertext()).split())
        if len(text) < 25:
            continue
        parent = node.getparent()
        if parent is None:
            continue
        vote = 1 + text.count(",") + text.count("，") + text.count("、") + min(len(text) // 100, 3)
        for ancestor, share in ((parent, 1.0), (parent.getparent(), 0.5)):
            if ancestor is None or ancestor.tag in ("html", "body"):
                continue
            if ancestor not in scores:
                scores[ancestor] = _initial_score(ancestor)
            scores[ancestor] += vote * share
    if not scores:
        return None
    best, best_score = None, 0.0
    for node, score in scores.items():
        score *= 1 - link_density(node) if score > 5 else 1
        if score > best_score:
            best, best_score = node, score
    return best


def _initial_score(node) -> float:
    score = {"article": 10, "main": 5, "div": 5, "section": 3, "pre": 3, "td": 3, "blockquote": 3}.get(node.tag, 0)
    names = class_id(node)
    if node.get("itemprop") == "articleBody":
        score += 40
    if names.strip():
        if NEGATIVE.search(names):
            score -= 25
        if POSITIVE.search(names):
            score += 25
    return score


def _is_textual_div(node) -> bool:
    """A div (or td/section) used as a paragraph: it has its own text and no block children."""
    if not (node.text and node.text.strip()):
        return False
    return not any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in node)


def is_boilerplate(el) -> bool:
    """A container a reader skips: related links, share bars, ads, hidden parts.

    A boilerplate-sounding name alone is not enough on a large, link-poor container: CMS templates put
    words such as "tags" or "ad" in the classes of real article bodies.
    """
    if el.tag in SKIP_TAGS or is_hidden(el):
        return True
    names = class_id(el)
    if not names.strip() or not NEGATIVE.search(names):
        return False
    return text_length(el) < 1200 or link_density(el) > 0.4
