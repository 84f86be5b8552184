"""Authors: person names from the page's metadata and its visible byline; organisations are not authors.

Order of trust: people the page's JSON-LD declares as ``Person``, then the byline printed at the head of the
article, then names from other metadata (``<meta name=author>``, untyped JSON-LD), then the bold line closing a
Vietnamese article. The first source that names somebody wins; sources are not merged, because they disagree
in form ("Brazil, Rachel" in citation tags) more often than they add a name.
"""

from __future__ import annotations

import re

from lxml import etree

from crawler.extract.content import is_hidden
from crawler.text import clean_text, fold, unique

# "By", "Von", "Par", "Bởi", "Tác giả:", "Text:" — words that introduce a byline, in the languages we meet.
# A lead word may stand alone too: "By" often sits in an element of its own before the name.
_LEAD_WORDS = re.compile(
    r"^(?:(?:written|reported|posted|published|story|words)?\s*by|von|vom|par|por|(?-i:di|da)|af|av|door|przez|"
    r"autor(?:in|es|a)?|author|auteur|bởi|tác giả|phóng viên|pv|bài|text|texte|reporter|from|"
    r"redaktion|作者|记者|責任編集|责编)(?:\s*[:\-–：]\s*|\s+|$)",
    re.I,
)
_SPLIT = re.compile(
    # The short conjunctions only in lower case: "Y Bhin Niê" is a name (Ê Đê names open with "Y"), not "and".
    r"\s*(?:,|;|&|、|\band\b|\bund\b|(?-i:\b(?:et|y|e|og|och|en|và)\b)|\s[-–—|/]\s|\||\n)\s*",
    re.I,
)
# Trailing parts of a byline that are not the name: "X in London", "X, Reporter", "구현모 기자 ninek@…".
_SUFFIX = re.compile(
    r"\s+(?:in|aus|reporting from)\s+[A-ZÀ-Þ].*$|\s+(?:기자|특파원|記者|特派員|记者)(?:\s.*)?$|\s+외\s*\d+\s*명$"
)
# "(Reuters)", "(Hà Nội)", "(avec …)": asides, not names.
_PARENTHESES = re.compile(r"\s*[(\[（][^)\]）]*[)\]）]?")
_TRAILING_PLACE = re.compile(r",\s*[^\W\d_]{3,}\.?$")
# Words that make a "name" an organisation, a role or a stray label rather than a person.
_NOT_PERSON = re.compile(
    r"\b(news|nachrichten|nachrichtenagentur|agenturen|redaktion|redaction|rédaction|editorial|editors?|staff|"
    r"team|desk|agency|agencies|newsroom|press|presse|media|online|digital|reuters|afp|dpa|apa|ap|kna|epd|sid|"
    r"ttxvn|vna|associated|bloomberg|tribune|times|post|journal|zeitung|magazin|magazine|gmbh|ltd|inc|llc|"
    r"corp|group|report|service|writer|contributors?|correspondent|journalist(?:in)?|reporter(?:in)?|redakteur(?:in)?|"
    r"korrespondent(?:in)?|edited|photographer|fotograf(?:in)?|updated|published|minutes?|read|show|view|search|"
    r"authors?|more|báo|tòa soạn|ban biên tập|nhóm|theo|nguồn|share|follow|facebook|twitter|email)\b",
    re.I,
)
# A "person" that is nothing but a desk label, however the JSON-LD types it: "Nachrichten", "Redaktion", "Admin".
_LABEL_ONLY = re.compile(
    r"(?:(?:news|nachrichten|redaktion|rédaction|redacción|redazione|editorial|editors?|staff|admin|"
    r"administrator|newsroom|online|web|desk)\s*)+",
    re.I,
)
# Byline-marked elements that hold something else: the author's job title or bio, a commenter's name.
_NOT_BYLINE_CLASS = re.compile(r"title|job|role|bio|desc|comment|avatar|image|photo|credit|caption|social|follow", re.I)
# Regions whose bylines belong to other articles or to readers.
_OTHER_PEOPLE = re.compile(r"comment|related|teaser|recommend|more-?stories|most-?read|sidebar|footer", re.I)
# Words a site's name carries that say nothing about which site it is.
_GENERIC_SITE_WORDS = frozenset(
    "the a le la les el der die das de du www com net org news online digital báo điện tử".split()
)
_BYLINE_CLASS = re.compile(
    r"author(?!ity|i[sz])|autor(?!i[sz])|byline|writer|journalist|reporter|tac-?gia|tacgia|creator", re.I
)
# Elements whose class, id, rel or itemprop mentions an author, and links to an author's page; compiled once,
# each attribute tested on its own (concat() over every element costs twice as much). The exact test is
# _is_byline_element.
_BYLINE_XPATH = etree.XPath(
    ".//*[contains(@class, 'uthor') or contains(@class, 'yline') or contains(@class, 'riter') "
    "or contains(@class, 'autor') or contains(@class, 'tacgia') or contains(@class, 'tac-gia') "
    "or contains(@id, 'uthor') or @rel = 'author' or @itemprop = 'author'] "
    "| .//a[contains(@href, '/autor') or contains(@href, '/author') or contains(@href, '/auteur')]"
)
_AUTHOR_PAGE = re.compile(r"/(?:authors?|autor(?:en|in)?|auteurs?|autore|journalists?|reporters?|tac-?gia)/", re.I)
_NOT_BYLINE_TAGS = frozenset("meta link script img body html article section main".split())


def clean_names(values, *, site_name: str | None = None) -> list[str]:
    """Person names from byline strings: lead words stripped, lists split, organisations dropped."""
    return unique(n for n in _names(values) if is_person_name(n, site_name=site_name))


def _names(values):
    """Candidate names in byline strings, before any judgement of whether they name a person."""
    for value in values:
        for line in (value or "").split("\n"):
            line = clean_text(line)
            if not line or line.startswith(("http://", "https://")):
                continue
            line = _PARENTHESES.sub(" ", line)
            for part in _SPLIT.split(_drop_place(_LEAD_WORDS.sub("", line))):
                if name := _clean_name(part):
                    yield name


def _drop_place(line: str) -> str:
    """ "Anna Sleegers, Frankfurt" -> "Anna Sleegers": one word after the comma that closes a list of full
    names is where they wrote from (the dateline convention of German and agency bylines), not another name."""
    match = _TRAILING_PLACE.search(line)
    if match and any(len(p.split()) > 1 for p in _SPLIT.split(line[: match.start()])):
        return line[: match.start()]
    return line


def _clean_name(part: str) -> str | None:
    part = _LEAD_WORDS.sub("", part.strip())
    part = re.sub(r"\S+@\S+", "", part)
    part = _SUFFIX.sub("", part.strip())
    part = part.strip(" .,:;|-–—•*\"'“”")
    return clean_text(part)


def is_person_name(name: str, *, site_name: str | None = None) -> bool:
    """Whether a cleaned name looks like a person's: short, capitalised, no organisation word, not the site."""
    if not _plausible(name) or is_site_name(name, site_name):
        return False
    if _NOT_PERSON.search(name):
        return False
    words = name.split()
    if not _is_cased(name):  # Chinese, Japanese, Korean, Hindi…: no capitals to go by, only letters
        return len(name) <= 12 and bool(re.fullmatch(r"(?:[^\W\d_]|[\s·・])+", name))
    # Person names are capitalised word by word (particles such as "van", "de", "bin" aside).
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised >= max(1, len(words) - 2) and words[0][:1].isupper() or name.isupper() and len(words) <= 3


# Digits, addresses and domain names ("BAOMOI.COM", "VnExpress.net") never stand in a person's name.
_NOT_NAME_SHAPE = re.compile(r"\d|@|:|www\.|\w\.(?:com|net|org|info|vn|de|fr|uk|co|io|tv|at|ch|es|it|nl|jp|kr)\b", re.I)


def _plausible(name: str) -> bool:
    """Shape alone: a few words, no digits, no address."""
    return 1 <= len(name.split()) <= 5 and len(name) <= 50 and not _NOT_NAME_SHAPE.search(name)


def _is_cased(text: str) -> bool:
    return any(c.lower() != c.upper() for c in text)


def is_site_name(name: str, site_name: str | None, *, exact: bool = False) -> bool:
    """The site (or its publisher) named as the author: "VnExpress" for "vnexpress.net", "MDR THÜRINGEN" for "MDR".

    ``exact``: only the site's name itself, not a name that carries it ("BR24 Redaktion" for "BR24").
    """
    if not site_name:
        return False
    words = set(re.findall(r"\w+", name.casefold()))
    site = set(re.findall(r"\w+", site_name.casefold())) - _GENERIC_SITE_WORDS
    if not words or not site:
        return False
    # "Dân trí" for "dantri.com.vn": a host name writes the words run together and without accents.
    if fold("".join(sorted(words, key=name.casefold().find))) in {fold(w) for w in site}:
        return True
    # One inside the other: the name is part of the site's name, or carries all of its distinctive words.
    return words <= site | _GENERIC_SITE_WORDS or not exact and site <= words


def declared_people(meta, *, site_name: str | None = None) -> list[str]:
    """Names the page's JSON-LD types as ``Person``: the publisher said so, so only the shape is checked."""
    people = [_first_last(n) for n in meta.authors if "person" in meta.author_types.get(n, "")]
    names = (n for n in _names(people) if _plausible(n) and not _LABEL_ONLY.fullmatch(n))
    return unique(n for n in names if not is_site_name(n, site_name, exact=True))


def _first_last(name: str) -> str:
    """One Person's name in citation order, "Brazil, Rachel", put back as it is printed: "Rachel Brazil"."""
    match = re.fullmatch(r"([^\W\d_][\w'’-]+),\s*([^\W\d_][\w'’-]+)", name.strip())
    return f"{match[2]} {match[1]}" if match else name


def visible_bylines(scope) -> list[str]:
    """Texts of the byline elements in a region of the page (innermost elements, hidden ones skipped)."""
    return [text for _, text in _byline_elements(scope)]


def _byline_elements(scope) -> list:
    candidates = [el for el in _BYLINE_XPATH(scope) if el.tag not in _NOT_BYLINE_TAGS and _is_byline_element(el)]
    # Prefer the innermost element: a wrapper's text also holds dates and labels.
    wrappers = {id(a) for el in candidates for a in el.iterancestors()}
    found = []
    for el in candidates:
        if id(el) in wrappers or is_hidden(el) or _NOT_BYLINE_CLASS.search(el.get("class", "")):
            continue
        if _among_other_people(el, scope):
            continue
        name_el = el.find(".//*[@itemprop='name']")
        text = _element_text(name_el if name_el is not None else el)
        if text and len(text) <= 160:
            found.append((el, text))
    return found


def _is_byline_element(el) -> bool:
    marks = f"{el.get('class', '')} {el.get('id', '')} {el.get('rel', '')} {el.get('itemprop', '')}"
    return bool(_BYLINE_CLASS.search(marks)) or el.tag == "a" and bool(_AUTHOR_PAGE.search(el.get("href", "")))


def _among_other_people(el, scope) -> bool:
    node = el.getparent()
    while node is not None and node is not scope:
        if (
            node.tag in ("figure", "figcaption")
            or is_hidden(node)
            or _OTHER_PEOPLE.search(f"{node.get('class', '')} {node.get('id', '')}")
        ):
            return True
        node = node.getparent()
    return False


def _element_text(el) -> str | None:
    """The text of an element with a line break between its children: names in sibling spans stay apart."""
    pieces = [clean_text(t) for t in el.xpath(".//text()[not(ancestor::script or ancestor::style)]")]
    return "\n".join(p for p in pieces if p) or None


def printed_byline(scope, *, site_name: str | None = None) -> list[str]:
    """The names of the byline of the article region, looked for in the region and then a few levels around it.

    A byline that names no person (an agency, the desk) ends the search: the ones further out are other articles'.
    """
    regions = list(_around(scope))
    elements = _byline_elements(regions[-1])
    for region in regions:
        inside = [(el, text) for el, text in elements if _is_within(el, region)]
        if inside:
            return _first_byline(inside, site_name)
    return []


def _is_within(el, region) -> bool:
    node = el
    while node is not None:
        if node is region:
            return True
        node = node.getparent()
    return False


def _first_byline(elements, site_name) -> list[str]:
    """The names of the first byline with names, and of the bylines beside it.

    Later bylines elsewhere (comment authors, "more from" boxes) are other people's.
    """
    names, anchor = [], None
    for el, text in elements:
        found = clean_names([text], site_name=site_name)
        if anchor is None and found:
            anchor = _grandparent(el)
        if anchor is not None:
            if _grandparent(el) is not anchor:
                break
            names.extend(found)
    return unique(names)


def _grandparent(el):
    parent = el.getparent()
    return parent.getparent() if parent is not None else None


def _around(scope, levels: int = 2):
    """The scope and a few of its ancestors: the byline often sits just outside the text container."""
    yield scope
    node = scope.getparent()
    for _ in range(levels):
        if node is None or node.tag in ("body", "html"):
            return
        yield node
        node = node.getparent()


def choose_authors(meta, scope, closing_byline: list[str], *, site_name: str | None = None) -> list[str]:
    """The first source that names people: declared persons, the printed byline, other metadata, the closing line."""
    if names := declared_people(meta, site_name=site_name):
        return names
    if names := printed_byline(scope, site_name=site_name):
        return names
    undeclared = [n for n in meta.authors if not meta.author_types.get(n)]
    for source in (undeclared, closing_byline):
        if names := clean_names(source, site_name=site_name):
            return names
    return []
