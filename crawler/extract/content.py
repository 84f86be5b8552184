"""Finding the article's main text container on a page no profile describes.

A simplified readability: every paragraph votes for its parent (and half a vote for its grandparent), class
and id names nudge the score, link-heavy containers lose it. The winner is the node whose text is the
article's; trafilatura and readability both show this is far more robust than a list of class names alone.
"""

from __future__ import annotations

import functools
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
    """The element that holds the article text, or None when the page has no such text.

    Readability's scoring: every paragraph votes for five ancestors, less the further up (so text split over
    nested wrappers still adds up), names nudge, links cost; then a few close competitors under one ancestor
    hand the win to that ancestor, which is how text split over sibling containers is kept whole.
    """
    body = root.find("body")
    if body is None:
        body = root
    best = _best_candidate(body, strict=True)
    if best is None or text_length(best) < _SHORT:
        # Pages that reveal their text by script keep it in hidden markup: readability's second try.
        again = _best_candidate(body, strict=False)
        if again is not None and (best is None or text_length(again) > 2 * text_length(best)):
            best = again
    if best is None and text_length(body) >= 25:
        return body  # bare paragraphs straight under <body>
    return best


def _best_candidate(body, *, strict: bool):
    scores: dict = {}
    for start, text in _paragraphs(body, strict):
        vote = 1 + text.count(",") + text.count("，") + text.count("、") + min(len(text) // 100, 3)
        for level, ancestor in enumerate(_ancestors(start)):
            if ancestor not in scores:
                scores[ancestor] = _initial_score(ancestor)
            scores[ancestor] += vote / _DIVIDERS[level]
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda item: -item[1])[:_RANKED]
    ranked = sorted(((node, score * (1 - _link_share(node))) for node, score in ranked), key=lambda item: -item[1])
    best, best_score = ranked[0]
    if best_score <= 0:
        return best
    return _promote(best, [node for node, score in ranked[1:5] if score >= 0.75 * best_score])


_DIVIDERS = (1, 2, 6, 9, 12)  # readability's share of a paragraph's vote for each ancestor level
_RANKED = 6  # candidates whose link density is worth computing
_SHORT = 500  # characters: less is not an article's text, so look again
# Subtrees whose paragraphs never vote; aside, header, footer and form do, since some sites wrap the article in them.
_NO_VOTE = frozenset(
    "script style noscript template svg iframe object embed video audio canvas map button select input "
    "textarea nav figure figcaption picture head".split()
)


# Readability's "unlikely candidates": containers whose names say they are page furniture, unless the names also
# say they may hold the article.
_UNLIKELY = re.compile(
    r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|"
    r"menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|"
    r"pagination|pager|popup|yom-remote",
)  # matched against lower-cased names: much faster than re.I on an alternation
_MAYBE = re.compile(r"and|article|body|column|content|main|shadow")


def _unlikely(node, page_chars: int) -> bool:
    """Readability's test, except that a layout wrapper holding most of the page ("two-col-sidebar") is kept."""
    if node.tag in ("body", "a") or not _unlikely_name(class_id(node)):
        return False
    return _chars(node) < 0.5 * page_chars


@functools.lru_cache(maxsize=4096)
def _unlikely_name(names: str) -> bool:
    names = names.lower()
    return len(names) >= 3 and bool(_UNLIKELY.search(names)) and not _MAYBE.search(names)


def _chars(node) -> int:
    """Text length without whitespace normalising: enough to compare two containers, and cheaper."""
    return int(node.xpath("string-length(.)"))  # counted in C: this runs on large containers


def _link_share(node) -> float:
    total = _chars(node)
    return min(1.0, sum(len(t) for t in node.xpath(".//a//text()")) / total) if total else 0.0


def _paragraphs(body, strict: bool):
    """(node the vote starts from, text) for every paragraph-like block, skipping never-article subtrees.

    A <p> votes from its parent up; a div with no block children is a paragraph too; a div mixing text and
    blocks (text between <br>s, say) votes from itself up for its own text.
    """
    stack = list(reversed(body))
    page_chars = _chars(body)
    while stack:
        node = stack.pop()
        if not isinstance(node.tag, str) or node.tag in _NO_VOTE:
            continue
        if strict and (is_hidden(node) or _unlikely(node, page_chars)):
            continue
        if node.tag in _PARAGRAPH_TAGS or (node.tag in ("div", "td", "section") and not _has_block_child(node)):
            text = " ".join("".join(node.itertext()).split())
            parent = node.getparent()
            if len(text) >= 25 and parent is not None:
                yield parent, text
            if node.tag != "blockquote":
                continue
        elif node.tag in ("div", "td", "section") and len(own := _own_text(node)) >= 25:
            yield node, own
        stack.extend(reversed(node))


def _own_text(node) -> str:
    parts = [node.text or ""]
    for child in node:
        if isinstance(child.tag, str) and child.tag not in BLOCK_TAGS and child.tag not in SKIP_TAGS:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _has_block_child(node) -> bool:
    return any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in node)


def _ancestors(node):
    for _ in range(len(_DIVIDERS)):
        if node is None or node.tag in ("html", "body"):
            return
        yield node
        node = node.getparent()


def _promote(best, rivals: list):
    """The nearest ancestor holding three close rivals of the winner: the text is split across them."""
    if len(rivals) >= 3:
        parent = best.getparent()
        while parent is not None and parent.tag not in ("body", "html"):
            inside = sum(1 for rival in rivals if any(a is parent for a in rival.iterancestors()))
            if inside >= 3:
                best = parent
                break
            parent = parent.getparent()
    while (parent := best.getparent()) is not None and parent.tag not in ("body", "html") and len(parent) == 1:
        best = parent  # a lone child's wrapper holds the same text and what the page puts around it
    return best


def _initial_score(node) -> float:
    score = {"article": 10, "main": 5, "div": 5, "section": 3, "pre": 3, "td": 3, "blockquote": 3}.get(node.tag, 0)
    if node.get("itemprop") == "articleBody":
        score += 40
    return score + _name_weight(class_id(node))


@functools.lru_cache(maxsize=4096)
def _name_weight(names: str) -> int:
    """What class and id names say of a container. Cached: a page repeats the same few names many times."""
    if not names.strip():
        return 0
    return (-25 if NEGATIVE.search(names) else 0) + (25 if POSITIVE.search(names) else 0)


@functools.lru_cache(maxsize=4096)
def negative_name(names: str) -> bool:
    """Whether class and id names sound like page furniture (cached, as ``_name_weight``)."""
    return bool(names.strip()) and bool(NEGATIVE.search(names))


def is_boilerplate(el) -> bool:
    """A container a reader skips: related links, share bars, ads, hidden parts.

    A boilerplate-sounding name alone is not enough on a large, link-poor container: CMS templates put
    words such as "tags" or "ad" in the classes of real article bodies.
    """
    if el.tag in SKIP_TAGS or is_hidden(el):
        return True
    if not negative_name(class_id(el)):
        return False
    return text_length(el) < 1200 or link_density(el) > 0.4
