"""The lede (sapo, standfirst): a visible summary element, else the page's description.

Two kinds of visible evidence are gathered. An element whose class or id names it a summary ("sapo",
"standfirst", "article__lead") is trusted on its own. The first text blocks under the headline are only
candidates: one of them is the lede when it says what the page's description says, which is how sites
whose markup names nothing (utility-class CSS, hashed class names) still show their standfirst.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from crawler.extract.content import SKIP_TAGS, is_hidden, negative_name
from crawler.text import clean_text, overlap

# Words of a class or id naming a summary; matched against the name's parts ("article__lead--big",
# "ArticleModuleTeaser_teaserText" and "leadIn" all split into words first).
_LEDE_WORDS = frozenset(
    "sapo lead leadtext lede intro introtext introduction standfirst summary synopsis description excerpt "
    "chapo chapeau dek deck subtitle subheadline subhead abstract epigraph einleitung teaser teasertext "
    "vorspann entradilla bajada".split()
)
# Parts of a name that make a summary word mean something else: a list of summaries, a picture's
# description, an author's intro.
_NOT_LEDE_WORDS = frozenset(
    "list card cards image img photo picture media caption figure author bio video gallery "
    "related more meta label icon link links button title headline".split()
)
_LEDE_HINT = re.compile("|".join(sorted(_LEDE_WORDS, key=len, reverse=True)))  # on lower-cased names
_NAME_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
# The site's own mark opening a sapo: "(LĐTĐ)", "TPO - ", "(Dân trí) - ", "(CNN) —", "GD&TĐ - ".
_SITE_MARK = re.compile(
    r"^\s*(?:\((?P<paren>[^()]{1,30})\)\s*[-–—:]?\s*|(?P<caps>[A-ZĐ][A-ZĐ&.0-9]{1,12}(?:\.vn)?)\s*[-–—]\s+)"
)
# Ancestors whose text is never the article's summary.
_NOT_LEDE_PARENTS = frozenset("figure figcaption aside nav footer li a button label form".split())
_BLOCKS = ("p", "h2", "h3", "div", "section", "span", "strong", "b", "ul")
_MIN, _MAX = 30, 1500
_FIRST_BLOCKS = 6  # unnamed blocks under the headline worth comparing with the description
_LOOK_AHEAD = 60  # elements after the headline searched for them


class LedeText(str):
    """A candidate's text and what kind of element holds it: "named" (the markup calls it a summary), "listed"
    (named, but one of many alike) or "apart" (a block under the headline set apart from the text after it)."""

    kind: str = "named"

    def __new__(cls, text: str, kind: str = "named"):
        obj = super().__new__(cls, text)
        obj.kind = kind
        return obj


def visible_ledes(scope) -> list[str]:
    """Summary-like texts of the article region, in page order: named elements and the first text blocks."""
    named = _named_candidates(scope)
    first = _first_blocks(scope, exclude={id(el) for el, _ in named})
    out: list[str] = []
    for _, text in sorted(named + first, key=lambda pair: pair[0].sourceline or 0):
        if text not in out:
            out.append(text)
    return out


def choose_lede(visible: list[str], descriptions: list[str]) -> str | None:
    """The visible text agreeing with the description (a named summary first), else the first named summary,
    else the description itself."""
    kinds = {kind: [t for t in visible if getattr(t, "kind", "named") == kind] for kind in ("named", "listed", "apart")}
    chosen = next(filter(None, (_agreeing(kinds[k], descriptions) for k in kinds)), None)
    chosen = chosen or next(iter(kinds["named"]), None)
    if chosen is not None:
        return str(chosen)
    return descriptions[0] if descriptions else None


def _agreeing(texts: list[str], descriptions: list[str]) -> str | None:
    """The text saying most nearly what a description says, when that is near enough to be the same summary."""
    best, best_score = None, 0.6
    for text in texts:
        score = max((overlap(text, d) for d in descriptions), default=0.0)
        if score >= best_score:
            best, best_score = text, score
    return best


def strip_site_mark(lede: str | None, patterns=()) -> str | None:
    """The lede without the site's own opening mark."""
    if not lede:
        return lede
    for pattern in patterns:
        lede = pattern.sub("", lede, count=1)
    match = _SITE_MARK.match(lede)
    if match and (match.group("paren") or match.group("caps")):
        rest = lede[match.end() :]
        if len(rest) > 20:
            lede = rest
    return clean_text(lede)


def _named_candidates(scope) -> list:
    """(element, text) for elements whose class or id names a summary; the innermost wins over a wrapper."""
    # Only elements with a name can be named a summary: lxml picks them out in C, the rest are never touched.
    named = [el for el in scope.xpath(".//*[@class or @id or @itemprop]") if el.tag not in SKIP_TAGS and _is_named_lede(el)]
    repeats = Counter(el.get("class") for el in named)
    found = []
    for el in named:
        if el.find(".//h1") is not None or len(el.findall(".//p")) > 3:
            continue  # a header holding the headline, or the body itself
        if text := _candidate_text(el):
            # One summary among many like it is a list of other articles, unless it says what the page does.
            kind = "listed" if el.get("class") and repeats[el.get("class")] >= 3 else "named"
            found = [(f, t) for f, t in found if not _contains(f, el)]
            found.append((el, LedeText(text, kind)))
    return found


def _is_named_lede(el) -> bool:
    return _names_a_lede(f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')}")


@functools.lru_cache(maxsize=4096)
def _names_a_lede(names: str) -> bool:
    """Whether class/id/itemprop names say "summary". Cached: pages repeat a few names on many elements."""
    if len(names) < 5 or not _LEDE_HINT.search(names.lower()):
        return False  # most elements: no need to split their names into words
    names = names.split()
    words = [{w.lower() for w in _NAME_PART.findall(name)} for name in names]
    if any(w & _NOT_LEDE_WORDS for w in words):
        return False
    return any(w & _LEDE_WORDS for w in words)


def _first_blocks(scope, exclude: set) -> list:
    """The first few text blocks after the headline (before it when there is none)."""
    h1 = next(scope.iter("h1"), None)
    started = h1 is None
    out, looked = [], 0
    for el in scope.iter(*_BLOCKS, "h1"):
        if el is h1:
            started = True
            continue
        if started:
            looked += 1
        if looked > _LOOK_AHEAD:
            break
        if not started or id(el) in exclude or _has_block_child(el) or _in_subtree(el, h1):
            continue
        if el.tag in ("span", "strong", "b") and el.getparent().tag in ("p", "h2", "h3"):
            continue  # the paragraph itself is the candidate
        if _set_apart(el) and (text := _candidate_text(el)):
            out.append((el, LedeText(text, "apart")))
            if len(out) >= _FIRST_BLOCKS:
                break
    return out


def _set_apart(el) -> bool:
    """Not one of a run of like paragraphs: a standfirst is bold, or shaped unlike the text around it."""
    if _is_bold(el):
        return True
    parent = el.getparent()
    return not (_has_like_sibling(el, any_class_after=el.tag == "p") or _has_like_sibling(parent))


def _has_like_sibling(el, *, any_class_after: bool = False) -> bool:
    """A sibling of the same tag and class; with any_class_after, any later sibling of the same tag."""
    if el is None:
        return False
    alike = [s for s in el.itersiblings(preceding=True) if s.tag == el.tag and s.get("class") == el.get("class")]
    return bool(alike) or any(
        s.tag == el.tag and (any_class_after or s.get("class") == el.get("class")) for s in el.itersiblings()
    )


def _is_bold(el) -> bool:
    children = [c for c in el if isinstance(c.tag, str)]
    return (
        not (el.text or "").strip()
        and len(children) == 1
        and children[0].tag in ("strong", "b")
        and not (children[0].tail or "").strip()
    )


def _candidate_text(el) -> str | None:
    """The element's readable text, when it is long enough and the element sits where a lede can."""
    if is_hidden(el) or negative_name(el.get("class", "")) or _in_furniture(el):
        return None
    text = clean_text(" ".join(_texts(el)))
    if not text or not _MIN <= len(text) <= _MAX:
        return None
    linked = sum(len(a.xpath("string()")) for a in el.iter("a"))
    return text if linked < 0.5 * len(text) else None


def _texts(el):
    """Text of the element without scripts, styles and other never-visible subtrees."""
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str) and child.tag not in SKIP_TAGS:
            yield from _texts(child)
        if child.tail:
            yield child.tail


def _in_furniture(el) -> bool:
    for parent in el.iterancestors():
        if parent.tag in _NOT_LEDE_PARENTS or is_hidden(parent):
            return True
        if parent.tag in ("body", "article"):
            return False
    return False


def _has_block_child(el) -> bool:
    return any(child.tag in ("p", "div", "section", "h2", "h3", "ul", "figure", "table") for child in el)


def _in_subtree(el, ancestor) -> bool:
    return ancestor is not None and any(p is ancestor for p in el.iterancestors())


def _contains(outer, inner) -> bool:
    return any(p is outer for p in inner.iterancestors())
