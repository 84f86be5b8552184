"""Machine-readable metadata: JSON-LD, OpenGraph, ``<meta>`` and itemprop, read once per page.

The second tier of evidence after a site's profile: publishers fill these for search engines and social
networks, so they are usually right about dates and headlines, and often wrong or thin about bylines.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field

from crawler.text import clean_text

ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "socialmediaposting",
    "techarticle", "scholarlyarticle", "report", "webpage", "medicalwebpage", "creativework",
}  # fmt: skip
# Within that set, how strongly a type says "this node describes the article itself".
_TYPE_RANK = {"webpage": 1, "medicalwebpage": 1, "creativework": 1, "article": 3, "blogposting": 3}


@dataclass
class Metadata:
    """What the page says about itself, each value cleaned; lists in page order."""

    title_candidates: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    published: list[tuple[str, str]] = field(default_factory=list)  # (origin, raw)
    modified: list[tuple[str, str]] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    author_types: dict[str, str] = field(default_factory=dict)  # name -> JSON-LD @type
    canonical: str | None = None
    og_url: str | None = None
    site_name: str | None = None
    publisher: str | None = None
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    og_type: str | None = None
    ld_types: list[str] = field(default_factory=list)
    article_body: str | None = None
    images: list[str] = field(default_factory=list)
    title_tag: str | None = None
    og_title: str | None = None
    ld_headline: str | None = None
    # Every declared title, most trusted first: JSON-LD headline, Dublin Core, OpenGraph, <meta name=title>,
    # Twitter, Parse.ly (the order Mozilla's Readability trusts them in). The <title> element is not included.
    titles: list[str] = field(default_factory=list)


def read_metadata(page) -> Metadata:
    meta = Metadata()
    sel = page.sel
    _read_jsonld(sel, meta)
    _read_meta_tags(sel, meta)
    meta.title_tag = clean_text(" ".join(sel.xpath("//head/title//text()").getall())) or clean_text(
        sel.xpath("//title/text()").get()
    )
    meta.canonical = clean_text(sel.xpath("//link[@rel='canonical']/@href").get())
    lang = sel.xpath("/html/@lang").get() or sel.xpath("/html/@xml:lang").get()
    meta.language = _language(lang) or meta.language
    return meta


# --- JSON-LD -------------------------------------------------------------------------------------------


def _read_jsonld(sel, meta: Metadata) -> None:
    nodes = []
    for script in sel.xpath("//script[contains(translate(@type,'LDJSON','ldjson'),'ld+json')]/text()").getall():
        data = _loads(script)
        if data is not None:
            nodes.extend(_walk(data))
    articles = [n for n in nodes if _types(n) & ARTICLE_TYPES]
    meta.ld_types = sorted({t for n in nodes for t in _types(n)})
    if not articles:
        return
    # The node that most looks like the article: a real article type, with a headline and a date.
    article = max(
        articles,
        key=lambda n: (max(_TYPE_RANK.get(t, 5) for t in _types(n) & ARTICLE_TYPES)
                       + bool(n.get("headline")) + bool(n.get("datePublished"))),
    )  # fmt: skip
    headline = _text(article.get("headline")) or _text(article.get("name"))
    if headline and _types(article) - {"webpage", "medicalwebpage", "creativework"}:
        meta.ld_headline = headline
        meta.title_candidates.append(headline)
        meta.titles.append(headline)
    if description := _text(article.get("description")):
        meta.descriptions.append(description)
    if published := _text(article.get("datePublished")) or _text(article.get("dateCreated")):
        meta.published.append(("jsonld", published))
    if modified := _text(article.get("dateModified")):
        meta.modified.append(("jsonld", modified))
    for person in _as_list(article.get("author")) + _as_list(article.get("creator")):
        name, kind = _person(person, nodes)
        if name:
            meta.authors.append(name)
            meta.author_types[name] = kind
    meta.publisher = _person(article.get("publisher"), nodes)[0] if article.get("publisher") else None
    meta.section = _first_text(article.get("articleSection"))
    meta.tags.extend(_keywords(article.get("keywords")))
    meta.language = _language(_text(article.get("inLanguage")))
    meta.article_body = _text(article.get("articleBody"))
    for image in _as_list(article.get("image")):
        url = image.get("url") or image.get("contentUrl") if isinstance(image, dict) else image
        if isinstance(url, str):
            meta.images.append(url)


def _loads(script: str):
    script = script.strip()
    # Scripts wrapped for old XHTML parsers: <!-- ... -->, <![CDATA[ ... ]]> (also behind // comments).
    script = re.sub(r"^(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)$", "", script).strip()
    try:
        return json.loads(script)
    except ValueError:
        pass
    # Common publisher mistakes: raw newlines/tabs inside strings, a trailing semicolon or comma.
    cleaned = re.sub(r"[\x00-\x1f]", " ", script).rstrip(";")
    cleaned = re.sub(r",\s*([}\]])", r"\1", cleaned)
    try:
        return json.loads(cleaned)
    except ValueError:
        return None


def _walk(data, depth=0):
    """Every dict in a JSON-LD document that has an @type (lists and @graph included)."""
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in data:
                yield from _walk(data[key], depth + 1)


def _types(node: dict) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return clean_text(value) if isinstance(value, str) else None


def _first_text(value) -> str | None:
    for item in _as_list(value):
        if text := _text(item):
            return text
    return None


def _person(value, nodes) -> tuple[str | None, str]:
    """(name, @type) of an author/publisher reference, following @id links within the page."""
    if isinstance(value, str):
        return clean_text(value), ""
    if not isinstance(value, dict):
        return None, ""
    if "name" not in value and "@id" in value:
        value = next((n for n in nodes if n.get("@id") == value["@id"] and "name" in n), value)
    kind = " ".join(sorted(_types(value)))
    return _text(value.get("name")), kind


def _keywords(value) -> list[str]:
    out = []
    for item in _as_list(value):
        if isinstance(item, str):
            out.extend(t for t in (clean_text(p) for p in item.split(",")) if t)
    return out


# --- <meta> tags ---------------------------------------------------------------------------------------

_PUBLISHED_KEYS = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "article.published", "dc.date.issued", "dc.date", "dcterms.created",
    "sailthru.date", "parsely-pub-date", "cxenseparse:recs:publishtime", "date", "citation_publication_date",
    "article_date_original", "og:article:published_time", "dc.date.created", "datecreated",
)  # fmt: skip
_TITLE_KEYS = (
    "dc:title", "dc.title", "dcterm:title", "dcterms.title", "og:title", "weibo:article:title",
    "weibo:webpage:title", "title", "twitter:title", "parsely-title",
)  # fmt: skip
_MODIFIED_KEYS = (
    "article:modified_time", "og:updated_time", "datemodified", "lastmod", "last-modified",
    "dcterms.modified", "dc.date.modified", "og:article:modified_time",
)  # fmt: skip


def _read_meta_tags(sel, meta: Metadata) -> None:
    values: dict[str, list[str]] = {}
    for node in sel.xpath("//meta[@content]"):
        prop = node.attrib.get("property")
        # RDFa lets one tag declare several properties at once: property="og:title twitter:title".
        keys = prop.split() if prop else [node.attrib.get("name") or node.attrib.get("itemprop") or ""]
        content = clean_text(node.attrib.get("content"))
        for key in keys if content else ():
            if key := key.strip().lower():
                values.setdefault(key, []).append(content)

    def first(*keys):
        for key in keys:
            if key in values:
                return values[key][0]
        return None

    if og_title := first("og:title"):
        meta.og_title = og_title
        meta.title_candidates.append(og_title)
    if twitter := first("twitter:title"):
        meta.title_candidates.append(twitter)
    for key in _TITLE_KEYS:
        if (value := first(key)) and value not in meta.titles:
            meta.titles.append(value)
    meta.descriptions.extend(v for k in ("og:description", "description", "twitter:description") if (v := first(k)))
    for key in _PUBLISHED_KEYS:
        meta.published.extend(("meta", v) for v in values.get(key, [])[:1])
    for key in _MODIFIED_KEYS:
        meta.modified.extend(("meta", v) for v in values.get(key, [])[:1])
    for node in sel.xpath("//*[@itemprop='datePublished' or @itemprop='dateModified'][not(self::meta)]"):
        raw = node.attrib.get("datetime") or node.attrib.get("content")
        if raw:
            target = meta.published if node.attrib["itemprop"] == "datePublished" else meta.modified
            target.append(("meta", raw))
    for key in ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author", "byl"):
        for value in values.get(key, []):
            if not value.startswith(("http://", "https://")):
                meta.authors.append(value)
    meta.og_url = first("og:url")
    meta.site_name = first("og:site_name", "application-name", "apple-mobile-web-app-title")
    meta.og_type = first("og:type")
    section = first("article:section", "section", "parsely-section")
    # "Thể thao,World Cup 2026,Tin tức": a comma-joined list of sections; the first is the article's own.
    meta.section = meta.section or (_keywords(section)[0] if section and _keywords(section) else section)
    if not meta.tags:
        # Some CMSs put every tag in one article:tag, comma-joined, as keywords metas do.
        tags = _keywords(values.get("article:tag", [])) or _keywords(first("news_keywords", "keywords"))
        meta.tags.extend(tags)
    meta.language = meta.language or _language(first("og:locale", "content-language", "language", "dc.language"))
    meta.images.extend(values.get("og:image", [])[:1])


def _language(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().replace("_", "-")
    return value if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value) else None


# --- The tag list shown on the page ----------------------------------------------------------------------

# Names of a box of tag links: "tags", "article__tag", "tag-cotnent", data-role="tags", "article-tags".
_TAG_BOX = re.compile(r"(?:^|[\s_-])tags?(?:$|[\s_-])|keywords?|tu-?khoa", re.I)
_TAG_LABEL = re.compile(r"^(?:tags?|từ khóa|từ khoá|chủ đề|xem thêm về|keywords?|topics?|schlagwörter|themen)\s*:?$", re.I)


def shown_tags(start) -> list[str]:
    """The tag links a reader sees under the article, in order: the keywords meta often adds entries the page
    does not show. Only a box named as the tags' counts ("tags", "article__tag", data-role="tags", links
    marked "article-tags"), and only the first one from the article's start (`start`) to the end of its
    <main>, so a "trending tags" strip in the header stays out; links that merely point at topic pages are
    too often words inside a sentence."""
    if start is None:
        return []
    tags: list[str] = []
    box = None
    verdicts: dict = {}  # element -> named as a tag box? Sibling links share their ancestors.
    for link in _links_from(start):
        if box is not None and not any(a is box for a in link.iterancestors()):
            break  # past the tag box: its links come together, and only the first box counts
        holder = _tag_box(link, verdicts)
        if holder is None or (box is not None and holder is not box):
            continue
        box = holder
        text = clean_text(" ".join(link.itertext()))
        text = text.lstrip("#").strip() if text else None
        if text and len(text) <= 60 and not _TAG_LABEL.match(text):
            tags.append(text)
    return tags


def _links_from(start):
    """The links from `start` to the end of its <main> (or <body>), in page order, without walking what is before."""
    yield from start.iter("a")
    node = start
    while node.getparent() is not None and node.tag not in ("main", "body"):
        for sibling in node.itersiblings():
            if isinstance(sibling.tag, str):
                yield from sibling.iter("a")
        node = node.getparent()


def _tag_box(link, verdicts: dict):
    """The named box of tag links this link belongs to, or None."""
    names = " ".join(v for k, v in link.attrib.items() if k.startswith("data-") and len(v) < 40)
    if names and _TAG_BOX.search(names):
        return _list_of(link)
    for ancestor in _ancestors(link, 4):
        verdict = verdicts.get(ancestor)
        if verdict is None:
            verdict = verdicts[ancestor] = _names_tag_box(ancestor)
        if verdict:
            return ancestor
    return None


def _list_of(link):
    """The element holding a list of links, above each link's own wrappers ("<li><h3><a>")."""
    node = link.getparent()
    while node is not None and node.tag in ("li", "h2", "h3", "h4", "h5", "span", "strong", "b", "em"):
        node = node.getparent()
    return node


def choose_tags(shown: list[str], meta_tags: list[str]) -> list[str]:
    """The tags a reader sees, when the page has no keywords meta or the meta holds them all and more;
    otherwise the meta's.

    The meta lists entries the page does not show; a shown list that is not inside it may be a strip of
    other links taken for tags, and a single link may be the first of a list folded behind "more", so
    neither is trusted over the page's own metadata."""
    if not meta_tags:
        return shown
    known = {t.casefold() for t in meta_tags}
    if len(shown) >= 2 and all(t.casefold() in known for t in shown):
        return shown
    return meta_tags


def _ancestors(el, levels: int):
    for _ in range(levels):
        el = el.getparent()
        if el is None:
            return
        yield el


def _names_tag_box(el) -> bool:
    return _is_tag_box_name(f"{el.get('class', '')} {el.get('id', '')} {el.get('data-role', '')}")


@functools.lru_cache(maxsize=4096)
def _is_tag_box_name(names: str) -> bool:
    # Cached: every link of a page asks about its few ancestors, and pages repeat their class names.
    return bool(_TAG_BOX.search(names))
