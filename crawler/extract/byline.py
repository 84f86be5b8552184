"""Authors: person names from the visible byline and the page's metadata; organisations are not authors."""

from __future__ import annotations

import re

from crawler.extract.content import is_hidden
from crawler.text import clean_text, unique

# "By", "Von", "Par", "Bởi", "Tác giả:", "Text:" — words that introduce a byline, in the languages we meet.
_LEAD_WORDS = re.compile(
    r"^(?:(?:written|reported|posted|published)?\s*by|von|par|por|di|af|av|door|przez|autor(?:in)?|author|"
    r"bởi|tác giả|phóng viên|pv|bài|text|texte|reporter|from)\s*[:\-–]?\s+",
    re.I,
)
_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bog\b|\boch\b|\ben\b|\bvà\b|\s[-–—|/]\s|\n)\s*", re.I)
# Words that make a "name" an organisation, a role or a stray label rather than a person.
_NOT_PERSON = re.compile(
    r"\b(news|nachrichten|redaktion|redaction|rédaction|editorial|editors?|staff|team|desk|agency|agencies|"
    r"newsroom|press|presse|media|online|digital|reuters|afp|dpa|apa|ap|kna|epd|sid|ttxvn|vna|"
    r"associated|bloomberg|associated press|tribune|times|post|journal|zeitung|magazin|magazine|gmbh|ltd|"
    r"inc|llc|corp|group|report|service|contributors?|correspondent|updated|published|minutes?|read|"
    r"báo|tòa soạn|ban biên tập|nhóm phóng viên|theo|nguồn|share|follow|facebook|twitter|email)\b",
    re.I,
)
_BYLINE_CLASS = re.compile(r"author|byline|writer|journalist|reporter|tac-?gia|tacgia|creator", re.I)
_BYLINE_XPATH = (
    "//*[@rel='author' or @itemprop='author' or contains(@class,'author') or contains(@class,'byline') "
    "or contains(@class,'Author') or contains(@class,'Byline') or contains(@id,'author') or contains(@class,'writer') "
    "or contains(@class,'tacgia') or contains(@class,'tac-gia')]"
)


def clean_names(values, *, site_name: str | None = None) -> list[str]:
    """Person names from byline strings: lead words stripped, lists split, organisations dropped."""
    names = []
    for value in values:
        value = clean_text(value)
        if not value or value.startswith(("http://", "https://")):
            continue
        for part in _SPLIT.split(_LEAD_WORDS.sub("", value)):
            name = _clean_name(part)
            if name and is_person_name(name, site_name=site_name):
                names.append(name)
    return unique(names)


def _clean_name(part: str) -> str | None:
    part = _LEAD_WORDS.sub("", part.strip())
    part = re.sub(r"\s*[\(\[].*?[\)\]]\s*", " ", part)  # "(Reuters)", "(Hà Nội)"
    part = re.sub(r"\S+@\S+", "", part)
    part = part.strip(" .,:;|-–—•*\"'“”")
    return clean_text(part)


def is_person_name(name: str, *, site_name: str | None = None) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 5 or len(name) > 50:
        return False
    if site_name and name.casefold() in site_name.casefold():
        return False
    if _NOT_PERSON.search(name) or re.search(r"\d|@|www\.|\.com|\.vn", name):
        return False
    # Person names are capitalised word by word (particles such as "van", "de", "bin" aside).
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised >= max(1, len(words) - 2) and words[0][:1].isupper() or name.isupper() and len(words) <= 3


def visible_bylines(scope) -> list[str]:
    """Texts of the byline elements in a region of the page (innermost elements, hidden ones skipped)."""
    texts = []
    for el in scope.xpath("." + _BYLINE_XPATH if scope.tag != "html" else _BYLINE_XPATH):
        if is_hidden(el) or el.tag in ("meta", "link", "script", "img", "body", "html", "article", "section"):
            continue
        if not _BYLINE_CLASS.search(f"{el.get('class', '')} {el.get('id', '')} {el.get('rel', '')} "
                                    f"{el.get('itemprop', '')}"):  # fmt: skip
            continue
        # Prefer the innermost element: a wrapper's text also holds dates and labels.
        if any(child is not el and _BYLINE_CLASS.search(child.get("class", "") + child.get("itemprop", ""))
               for child in el.iter() if isinstance(child.tag, str)):  # fmt: skip
            continue
        name_el = el.find(".//*[@itemprop='name']")
        text = clean_text(" ".join((name_el if name_el is not None else el).itertext()))
        if text and len(text) <= 120:
            texts.append(text)
    return texts


def choose_authors(meta, scope, closing_byline: list[str], *, site_name: str | None = None) -> list[str]:
    """The first source that names people: JSON-LD/meta persons, the visible byline, the closing byline line."""
    people = [n for n in meta.authors if "organization" not in meta.author_types.get(n, "")]
    for source in (people, visible_bylines(scope), closing_byline):
        names = clean_names(source, site_name=site_name)
        if names:
            return names
    return []
