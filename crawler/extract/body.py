"""Article text from the content container: paragraphs in reading order, clutter left out.

What is not body text is sorted out here too, because only here is it seen in context: the byline line
closing a Vietnamese article goes to the authors, "Nguồn:"/"Theo …" lines to the source, related-article
links and "Xem thêm" boxes nowhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.extract.content import BLOCK_TAGS, SKIP_TAGS, is_boilerplate, is_hidden, link_density, text_length
from crawler.text import clean_text

# Lines that are page furniture, not text, in the languages we meet most.
_FURNITURE = re.compile(
    r"^(xem thêm|đọc thêm|xem tiếp|xem video|tin liên quan|bài liên quan|read more|see also|related|"
    r"advertisement|anzeige|werbung|publicité|quảng cáo|share|chia sẻ|click here|"
    r"(also|more) read|lesen sie auch|mehr zum thema|weiterlesen|follow us|theo dõi)\b.{0,160}$",
    re.I,
)
_SOURCE_LINE = re.compile(r"^\s*(?:nguồn|source|quelle)\s*:\s*(?P<name>.*)$", re.I)
# "Theo TTXVN", "(Theo VnExpress)", "Theo Dân trí" as a line of its own at the end of the text.
_THEO_LINE = re.compile(r"^\(?\s*theo\s+(?P<name>[^.;:]{2,60}?)\s*\)?\s*\.?$", re.I)
# An agency line of its own in brackets closing the text: "(TTXVN)", "(TTXVN/Vietnam+)", "(AFP)".
_AGENCY_LINE = re.compile(r"^\((?P<name>[A-ZĐ][A-Za-zĐđ.+&/ -]{1,30}[A-Za-z+.])\)\s*\.?$")
# A closing byline line: one or two short names ("Mạnh Quân", "Hà Phong - Minh Thư", "Nhóm PV").
_BYLINE_LINE = re.compile(r"^(?:(?:bài|ảnh|bài và ảnh|bài, ảnh|tin, ảnh|tin|nhóm pv)\s*:\s*)?(?P<names>[^.!?:;\d]{2,70})$", re.I)


# A line that is only the date and time of publication: "Chủ nhật, 22/11/2026 - 13:02 (GMT+7)", "20/07/2026 06:31".
_DATE_LINE = re.compile(
    r"^(?:(?:thứ\s+\w+|chủ\s+nhật|[a-z]{3,9}day)\s*,?\s*)?(?:ngày\s+)?\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"(?:\s*[-,|]?\s*\d{1,2}[:h]\d{2}(?::\d{2})?)?\s*(?:\(?\s*(?:gmt|utc)\s*[+-]\s*\d{1,2}\s*\)?)?$",
    re.I,
)
# Boxes a CMS embeds in the text that are not text: VCCorp's type="RelatedNews"/"VideoStream", a player (data-vid).
_EMBED_TYPE = re.compile(r"related|video|audio|news|poll|quiz", re.I)
# Class names of the box with the author's name, when it sits at the end of the text.
_AUTHOR_CLASS = re.compile(r"author|byline|tac-?gia", re.I)


# Marks a double <br> (a paragraph break in old CMS markup) until the run is split.
_PARA_MARK = "\u2029"


@dataclass
class Paragraph:
    text: str
    tag: str
    bold: bool = False
    right: bool = False
    link_share: float = 0.0
    author: bool = False


@dataclass
class Body:
    paragraphs: list[str] = field(default_factory=list)
    byline: list[str] = field(default_factory=list)
    source: str | None = None


def collect_paragraphs(node, drop: set | None = None) -> list[Paragraph]:
    """The text blocks of a container, in order; boilerplate subtrees and anything in `drop` skipped."""
    out: list[Paragraph] = []
    _walk(node, out, drop or set())
    return out


def _walk(el, out: list[Paragraph], drop: set) -> None:
    run: list[str] = []
    run_nodes: list = []

    def flush():
        for part in "".join(run).split(_PARA_MARK):
            if text := clean_text(part):
                out.append(_paragraph(text, el, run_nodes))
        run.clear()
        run_nodes.clear()

    run.append(el.text or "")
    for child in el:
        if not isinstance(child.tag, str):  # comments, processing instructions
            run.append(child.tail or "")
            continue
        if _dropped(child, drop):
            flush() if child.tag in BLOCK_TAGS else None
            run.append(child.tail or "")
            continue
        if child.tag == "br":
            run.append(_PARA_MARK if _next_is_br(child) else "\n")
        elif child.tag in BLOCK_TAGS:
            flush()
            _walk(child, out, drop)
        else:
            run.append(_inline_text(child, drop))
            run_nodes.append(child)
        run.append(child.tail or "")
    flush()


def _dropped(el, drop: set) -> bool:
    """Whether a child is left out. Words inside a sentence stay whatever their class says: a CMS marks an
    in-text link "cms-relate" or "tag", and dropping it would cut the sentence."""
    if el in drop:
        return True
    if el.tag in BLOCK_TAGS or el.tag in SKIP_TAGS:
        return is_boilerplate(el) or _is_embed(el)
    return is_hidden(el)


def _is_embed(el) -> bool:
    """A box embedded in the text that is not text: a video player with its caption, a related-story box
    (typed by the CMS), or a card for another story (a nested <article> that links away)."""
    if el.get("data-vid") is not None or _EMBED_TYPE.search(el.get("type") or ""):
        return True
    return el.tag == "article" and el.find(".//a[@href]") is not None and text_length(el) < 500


def _inline_text(el, drop: set) -> str:
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and not _dropped(child, drop):
            parts.append("\n" if child.tag == "br" else _inline_text(child, drop))
        parts.append(child.tail or "")
    return "".join(parts)


def _next_is_br(br) -> bool:
    nxt = br.getnext()
    return nxt is not None and nxt.tag == "br" and not (br.tail or "").strip()


def _paragraph(text: str, el, run_nodes) -> Paragraph:
    bold = bool(run_nodes) and all(n.tag in ("strong", "b") for n in run_nodes) and not (el.text or "").strip()
    if el.tag in ("strong", "b"):
        bold = True
    style = (el.get("style") or "") + " " + (el.get("align") or "") + " " + (el.get("class") or "")
    right = bool(re.search(r"right", style, re.I))
    share = link_density(el) if el.tag in ("p", "li", "div", "td", "th") and len(el) else 0.0
    author = any(_AUTHOR_CLASS.search(node.get("class") or "") for node in (el, el.getparent()) if node is not None)
    return Paragraph(text=text, tag=el.tag, bold=bold, right=right, link_share=share, author=author)


def split_body(paragraphs: list[Paragraph], *, lede: str | None = None, title: str | None = None) -> Body:
    """Sort paragraphs into text, the closing byline and source lines; drop furniture and link lists.

    The headline, the sapo and the date line are shown above the text, often inside the same container: a
    paragraph that repeats one of them is not text.
    """
    body = Body()
    kept: list[Paragraph] = []
    repeats = {_key(t) for t in (lede, title) if t} - {""}
    for para in paragraphs:
        text = para.text
        if _FURNITURE.match(text) or (para.link_share > 0.6 and len(text) < 300):
            continue
        if _key(text) in repeats or _DATE_LINE.match(text):
            continue
        if match := _SOURCE_LINE.match(text):
            body.source = body.source or clean_text(match.group("name"))
            continue
        kept.append(para)
    _take_closing_lines(kept, body)
    body.paragraphs = [p.text for p in kept]
    return body


def _take_closing_lines(kept: list[Paragraph], body: Body) -> None:
    """The last lines of many articles are the byline and the source, not text."""
    for _ in range(3):
        if not kept:
            return
        last = kept[-1]
        if match := _THEO_LINE.match(last.text) or _AGENCY_LINE.match(last.text):
            body.source = body.source or match.group("name").strip()
        elif _looks_like_byline(last):
            body.byline = [n for n in re.split(r"\s*[-–,/&]\s*|\s+và\s+", _BYLINE_LINE.match(last.text)["names"]) if n]
        else:
            return
        kept.pop()


def _looks_like_byline(para: Paragraph) -> bool:
    """A short line of capitalised words, set in bold, aligned right or named as the author's: the closing byline."""
    if not (para.bold or para.right or para.author) or len(para.text) > 60:
        return False
    match = _BYLINE_LINE.match(para.text)
    if not match:
        return False
    words = match["names"].replace("-", " ").split()
    return 1 <= len(words) <= 8 and all(w[:1].isupper() or w in ("-", "–", "và") for w in words)


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def node_text(node) -> str | None:
    """All the text of an element as one cleaned string."""
    return clean_text(" ".join(node.itertext())) if node is not None else None


__all__ = ["Body", "Paragraph", "collect_paragraphs", "split_body", "node_text", "text_length"]
