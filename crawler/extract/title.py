"""The headline a reader sees: the article's own heading when the page's metadata confirms it, else the metadata title.

Evidence, in order:
1. a visible heading (h1s in the article first, then other h1s, then h2s) that says the same words as a declared
   title (JSON-LD headline, Dublin Core, og:title, twitter:title, <title>; site names and other decoration
   around it allowed). Words are compared, not characters, so a kicker laid out on its own line, a visually
   hidden ': ' or typographic quotes do not hide a match. The declared title written exactly as the heading
   shows it is returned, else the most trusted one: it is plain text, free of the markup's layout;
2. a declared title that is an h1 with its kicker in front ("Kicker: Headline"): many sites show the kicker as
   a topline outside the h1 but keep it in the title they publish;
3. the most trusted declared title, since an h1 that no metadata confirms is as likely a banner or a section
   name as the headline; the h1 only when the page declares no title at all.
"""

from __future__ import annotations

import re

from crawler.extract.content import is_hidden
from crawler.text import clean_text, tokens

_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—:·•»/]|::)\s+")
# Separator characters that may sit between a headline and a site name without spaces ("Headline-정치ㅣ한국일보").
_TIGHT_SEPARATORS = "|-–—·•»/ㅣ"
# Kicker/topline spans: German CMSs call them Dachzeile/topline, English ones kicker/overline/eyebrow.
_KICKER_MARK = re.compile(r"kicker|topline|dachzeile|overline|roofline|eyebrow|subline|topic|rubric|emphasis|subtitle")
_SEPARATOR_ONLY = re.compile(r"^[\s:|/–—-]+$")
_BLOCK_TAGS = {"div", "p", "br", "li", "ul", "ol", "section", "header", "figure", "figcaption", "h2", "h3", "hr"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "button", "svg", "img", "picture", "time", "meta", "link"}
_NEGATIVE_NAMES = re.compile(r"logo|brand|masthead|navbar|menu", re.I)
_MAX_KICKER_WORDS = 8
_MAX_H2 = 30  # a headline set as an h2 is near the top; liveblogs have hundreds of h2s


class Headline(str):
    """A heading's text ("Kicker: Headline" when the markup sets a kicker apart) with its parts.

    A ``str`` so callers that only want the text need not know; ``variants`` lists the readings to match
    against metadata (with and without the kicker), ``primary`` is False for headings other than an h1.
    """

    variants: tuple[str, ...] = ()
    primary: bool = True

    @classmethod
    def of(cls, text: str, variants: tuple[str, ...], primary: bool) -> Headline:
        headline = cls(text)
        headline.variants, headline.primary = variants, primary
        return headline


# --- choosing -------------------------------------------------------------------------------------------


def choose_title(headings: list[str], meta, site_name: str | None, site: str | None) -> str | None:
    """The headline: a visible heading the metadata confirms, else the metadata's title, else the h1.

    ``headings`` come from :func:`headline_texts`, best first; plain strings are taken as h1 texts.
    """
    titles = metadata_titles(meta, site_name, site)
    headings = [h if isinstance(h, Headline) else Headline.of(h, (h,), True) for h in headings]
    if confirmed := _confirmed(headings, titles):
        return confirmed
    primary = [h for h in headings if h.primary]
    if extended := _with_kicker(primary, titles):
        return extended
    if titles:
        return titles[0]
    return primary[0] if primary else None


def metadata_titles(meta, site_name: str | None, site: str | None) -> list[str]:
    """The page's declared titles, most trusted first, site names removed, duplicates dropped."""
    declared = [meta.ld_headline, *meta.titles, meta.og_title, _trim_title_tag(meta.title_tag, site_name, site)]
    out: list[str] = []
    for text in declared:
        if text and (stripped := strip_site_name(text, site_name, site)) and stripped not in out:
            out.append(stripped)
    return out


def _confirmed(headings: list[Headline], titles: list[str]) -> str | None:
    """The metadata title that says exactly the words of a visible heading (h1s before other headings).

    A title may also confirm a heading with decoration around it ("Heading - Site", "Section | Heading").
    """
    forms = [(_key(form), form) for title in titles for form in _title_forms(title)]
    for heading in headings:
        for variant in heading.variants:
            wanted = _key(variant)
            same = [form for key, form in forms if key and key == wanted]
            if same:
                # Several declared titles with these words: the one written exactly as shown, else the most trusted.
                return variant if variant in same else same[0]
    return None


def _title_forms(title: str) -> list[str]:
    """The title and its readings without decoration: each prefix and suffix at a spaced separator."""
    cuts = list(_TITLE_SEPARATORS.finditer(title))
    forms = [title[: m.start()] for m in reversed(cuts)] + [title[m.end() :] for m in cuts]
    # A fragment must hold at least half the title's words: a section name alone confirms nothing.
    return [title] + [form for form in forms if 2 * len(tokens(form)) >= len(tokens(title))]


def _with_kicker(headings: list[Headline], titles: list[str]) -> str | None:
    """A metadata title that is "Kicker: <an h1>": the publisher's headline with its topline."""
    for heading in headings:
        wanted = _key(heading)
        for title in titles:
            key = _key(title)
            extra = len(key) - len(wanted)
            if wanted and 0 < extra <= _MAX_KICKER_WORDS and key[extra:] == wanted and _kicker_cut(title, extra):
                return title
    return None


def _kicker_cut(title: str, extra: int) -> bool:
    """Whether the title's first ``extra`` words end in a separator (':', '|', '/', a dash), an opening quote
    allowed after it: "Kicker: Headline", not "Some words of one long sentence"."""
    start = [m.start() for m in re.finditer(r"\w+", title)][extra]
    return bool(re.search(r"[:|/–—-]\s*[\"'„“«‚‘]?\s*$", title[:start]))


def _key(text: str | None) -> tuple[str, ...]:
    return tuple(tokens(text))


# --- site names -----------------------------------------------------------------------------------------


def strip_site_name(title: str, site_name: str | None, site: str | None) -> str:
    """'Headline | Site' -> 'Headline': drop the segments that name the site; else keep the longest one."""
    title = _strip_tight_suffix(title, site_name)
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) == 1:
        return title
    brand = {t for t in tokens(site_name) + tokens((site or "").split(".")[0])}
    kept = [p for p in parts if not brand or not set(tokens(p)) <= brand | {"com", "vn", "net", "de", "online"}]
    if kept and len(kept) < len(parts):
        return " - ".join(kept) if len(kept) > 1 and title.count(" - ") else max(kept, key=len)
    return title


def _trim_title_tag(title: str | None, site_name: str | None, site: str | None) -> str | None:
    """<title> nearly always ends with the site's name; when the name is unknown, drop a short last segment."""
    if not title or strip_site_name(title, site_name, site) != title:
        return title
    cuts = list(_TITLE_SEPARATORS.finditer(title))
    if not cuts:
        return title
    head, tail = title[: cuts[-1].start()], title[cuts[-1].end() :]
    return head if len(tail.split()) <= 3 and len(head.split()) >= 3 else title


def _strip_tight_suffix(title: str, site_name: str | None) -> str:
    """'Headline-Section|Site' (no spaces around the separators) -> 'Headline', when it ends with the site name."""
    if not site_name or " " in site_name.strip() or not title.casefold().endswith(site_name.casefold()):
        return title
    head = title[: -len(site_name)]
    if not head or head[-1] not in _TIGHT_SEPARATORS or head[-2:-1].isspace():
        return title
    head = head[:-1]
    # A one-word section between two tight separators goes with the site name.
    section = re.search(rf"[{re.escape(_TIGHT_SEPARATORS)}](\w+)$", head)
    if section and not head[section.start() - 1 : section.start()].isspace():
        head = head[: section.start()]
    return head.strip() or title


# --- reading headings -----------------------------------------------------------------------------------


def headline_texts(scope) -> list[str]:
    """Candidate headlines as Headline: visible h1s (those in ``scope``, the article region, first), then h2s,
    which count only when the metadata confirms them (some sites mark the headline up as an h2)."""
    root = scope.getroottree().getroot()
    inside = set(scope.iter("h1")) if scope is not root else None
    ranked, h2s = [], 0
    for el in root.iter("h1", "h2"):
        h2s += el.tag == "h2"
        if (el.tag == "h2" and h2s > _MAX_H2) or is_hidden(el) or _in_negative(el):
            continue
        if headline := read_heading(el, primary=el.tag == "h1"):
            rank = 0 if el.tag == "h1" and (inside is None or el in inside) else 1 if el.tag == "h1" else 2
            ranked.append((rank, len(ranked), headline))
    return [headline for *_, headline in sorted(ranked)]


def read_heading(el, primary: bool = True) -> Headline | None:
    """A heading element's text, with the kicker set apart by ': ' when the markup shows it on its own."""
    text = _inline_text(el)
    if not text or not 3 <= len(text) <= 400:
        return None
    split = _split_kicker(el)
    if split is None:
        return Headline.of(text, (text,), primary)
    kicker, separator, rest = split
    full = f"{kicker}{separator} {rest}" if separator else f"{kicker}: {rest}"
    full = kicker + " " + rest if kicker[-1] in ":|/–—-" else full
    return Headline.of(full, (full, rest), primary)


def _split_kicker(el) -> tuple[str, str, str] | None:
    """(kicker, separator, rest) when the heading opens with a kicker element, else None."""
    node = el
    while True:
        kids = _text_children(node)
        if not kids or (node.text or "").strip():
            return None
        first, following = kids[0], kids[1:]
        if following or (first.tail or "").strip():
            break
        node = first  # a lone wrapper: look inside
    kicker = _inline_text(first)
    separator = ""
    if following and not (first.tail or "").strip() and _SEPARATOR_ONLY.match(_inline_text(following[0]) or "x"):
        separator = _inline_text(following[0]).strip()
        following = following[1:]
    rest = clean_text("".join([first.tail or "", *("".join(_runs(k)) + (k.tail or "") for k in following)]))
    if not kicker or not rest or len(kicker.split()) > _MAX_KICKER_WORDS or len(kicker) >= len(rest):
        return None
    if separator or kicker[-1] in ":|/" or _looks_like_kicker(first, rest):
        return kicker.rstrip(), separator, rest
    return None


def _looks_like_kicker(first, rest: str) -> bool:
    marks = " ".join(f"{k} {v}" for node in (first, *first.iterchildren()) for k, v in node.attrib.items())
    if _KICKER_MARK.search(marks.lower()) or first.tag in _BLOCK_TAGS:
        return True
    # "<span>Kicker</span>Headline" glued with no space reads as two lines: the markup must set them apart.
    return not (first.tail or "")[:1].isspace() and rest[:1].isupper()


def _text_children(node) -> list:
    return [k for k in node if isinstance(k.tag, str) and k.tag not in _SKIP_TAGS and _inline_text(k)]


def _inline_text(el) -> str | None:
    """Text as a browser lays it out: inline elements joined as written, block elements on their own line."""
    return clean_text("".join(_runs(el)))


def _runs(el):
    if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS or _invisible(el):
        return
    block = el.tag in _BLOCK_TAGS
    if block:
        yield " "
    yield el.text or ""
    for child in el:
        yield from _runs(child)
        yield child.tail or ""
    if block:
        yield " "


def _invisible(el) -> bool:
    # Visually-hidden text ("sr-only", "visually-hidden") is read out and kept; display:none is not.
    return (
        el.get("hidden") is not None
        or el.get("aria-hidden") == "true"
        or bool(re.search(r"display\s*:\s*none", el.get("style") or ""))
    )


def _in_negative(el) -> bool:
    """Headings in navigation, breadcrumbs, the site's logo or menus are not the article's headline."""
    if "breadcrumb" in f"{el.get('class', '')} {el.get('id', '')}".lower():
        return True
    for depth, node in enumerate(el.iterancestors()):
        if node.tag in ("nav", "aside", "footer"):
            return True
        names = f"{node.get('class', '')} {node.get('id', '')}"
        if "breadcrumb" in names.lower():
            return True
        if depth < 4 and _NEGATIVE_NAMES.search(names):
            return True
        if depth < 4 and node.tag in ("header",) and node.getparent() is not None and node.getparent().tag == "body":
            return True
    return False
