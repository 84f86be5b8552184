"""From a parsed page to an :class:`Article`: evidence in order of trust, profile first, then metadata,
then markup heuristics. Pure: no Scrapy, no I/O, no clock (the fetch time is passed in)."""

from __future__ import annotations

from datetime import datetime

from crawler.extract import body as body_mod
from crawler.extract import byline, datelines, images, pagetype
from crawler.extract import lede as lede_mod
from crawler.extract import title as title_mod
from crawler.extract.content import find_content
from crawler.extract.document import Page
from crawler.extract.metadata import Metadata, choose_tags, read_metadata, shown_tags
from crawler.extract.urls import choose_canonical, site_of
from crawler.items import Article
from crawler.text import clean_text, overlap, unique


def extract_from_page(page: Page, *, fetched_at: datetime | None, profile=None) -> Article:
    meta = read_metadata(page)
    article = Article(url=page.url, crawled_at=fetched_at.isoformat() if fetched_at else None)
    article.canonical_url = choose_canonical(page.url, meta.canonical, meta.og_url)
    article.site = site_of(article.canonical_url or page.url)
    article.site_name = meta.site_name or meta.publisher or (profile.name if profile else None)
    article.language = meta.language or (profile.language if profile else None)
    article.extractor = f"profile:{profile.id}" if profile else "generic"

    rules = _Rules(page, profile)
    drop = rules.drop_set()
    content = rules.element("body")
    if content is None:  # no profile, or its selectors no longer match the page
        content = find_content(page.root)
    scope = _article_scope(page.root, content)

    article.title = rules.text("title") or title_mod.choose_title(
        title_mod.headline_texts(scope if scope is not page.root else page.root), meta, article.site_name, article.site
    )
    lede = rules.text("lede") or lede_mod.choose_lede(lede_mod.visible_ledes(scope), meta.descriptions)
    article.lede = lede_mod.strip_site_mark(lede, profile.lede_prefix if profile else ())

    paragraphs = body_mod.collect_paragraphs(content, drop) if content is not None else []
    body = body_mod.split_body(paragraphs, lede=lede, title=article.title)
    if article.lede and lede != article.lede:
        body.paragraphs = [p for p in body.paragraphs if overlap(p, article.lede) < 0.9]
    article.body = "\n\n".join(body.paragraphs) or None

    # The site is named both ways: "Báo Dân trí" and dantri.com.vn.
    site_names = " ".join(filter(None, (article.site_name, article.site))) or None
    article.authors = _authors(rules, meta, scope, body, site_names)
    article.source = rules.text("source") or body.source
    article.images = _images(page, rules, scope, content, drop)
    tags = rules.texts("tags") or choose_tags(shown_tags(scope), meta.tags)
    article.tags = unique([t for t in tags if t])[:50]
    article.section = rules.text("section") or meta.section
    article.dates = {
        "published": datelines.date_evidence(
            rules.texts("published"), meta.published, _time_values(scope), datelines.visible_dates(scope),
            rules.is_machine("published"),
        ),
        "modified": datelines.date_evidence(rules.texts("modified"), meta.modified, [], [], rules.is_machine("modified")),
    }  # fmt: skip
    article.page_type = pagetype.classify(page, meta, article, content, profile)
    return article


def _authors(rules, meta: Metadata, scope, body, site_name) -> list[str]:
    if rules.has("authors"):
        names = byline.clean_names(rules.texts("authors"), site_name=site_name)
        if names:
            return names
    return byline.choose_authors(meta, scope, body.byline, site_name=site_name)


def _images(page, rules, scope, content, drop) -> list:
    blocks = rules.elements("images")
    if blocks:
        return rules.images(page, blocks)
    region = scope if scope is not None else content
    if region is None:
        return []
    return images.find_images(page, _image_region(region), exclude=drop, core=region)


def _image_region(scope):
    """Where the article's pictures are looked for: its whole <article>/<main> when the text sits in one.

    Pages split the text into several boxes with the pictures between them, and the scope holds only the box
    with the headline; the article element is the page's own word for what belongs to the story. Teasers and
    cards inside it are told apart picture by picture (links, boilerplate names, embedded articles).
    """
    node = scope
    for _ in range(10):
        if node.tag in ("article", "main"):
            return node
        node = node.getparent()
        if node is None or node.tag in ("body", "html"):
            break
    return scope


def _time_values(scope) -> list[str]:
    return [t for t in scope.xpath(".//time/@datetime")[:2] if t.strip()]


def _article_scope(root, content):
    """The region holding the article: the smallest ancestor of the text that also holds the headline."""
    if content is None:
        body = root.find("body")
        return body if body is not None else root
    node = content
    for _ in range(8):
        parent = node.getparent()
        if node.tag == "article" or parent is None or parent.tag in ("body", "html"):
            break
        if node.find(".//h1") is not None:
            break
        node = parent
    if node.find(".//h1") is None:
        return node.getparent() if node.getparent() is not None and node.getparent().tag != "html" else node
    return node


class _Rules:
    """A site profile's selectors applied to one page; every method answers "nothing" without a profile."""

    def __init__(self, page: Page, profile):
        self.page, self.profile = page, profile

    def has(self, field: str) -> bool:
        return bool(self.profile) and self.profile.has(field)

    def _select(self, field: str):
        return self.profile.select(self.page.sel, field) if self.has(field) else []

    def texts(self, field: str) -> list[str]:
        out = []
        for item in self._select(field):
            value = item.root if isinstance(item.root, str) else " ".join(item.root.itertext())
            if text := clean_text(value):
                out.append(text)
        return out

    def text(self, field: str) -> str | None:
        texts = self.texts(field)
        return texts[0] if texts else None

    def elements(self, field: str) -> list:
        return [item.root for item in self._select(field) if not isinstance(item.root, str)]

    def element(self, field: str):
        found = self.elements(field)
        return found[0] if found else None

    def is_machine(self, field: str) -> bool:
        """A profile selector that reads an attribute reads machine-readable data (meta content, datetime)."""
        selectors = self.profile.selectors.get(field, ()) if self.profile else ()
        return bool(selectors) and "::attr(" in selectors[0]

    def drop_set(self) -> set:
        if not self.profile:
            return set()
        from crawler.profiles import query

        return {item.root for selector in self.profile.drop for item in query(self.page.sel, selector)}

    def images(self, page, blocks) -> list:
        """Image blocks the profile names: the picture, its caption and credit by the profile's selectors."""
        from parsel import Selector

        out, seen = [], set()
        for block in blocks:
            img = next(block.iter("img"), None)
            url = images.image_url(page, img) if img is not None else None
            if not url or url in seen:
                continue
            seen.add(url)
            sel = Selector(root=block, type="html")
            caption = _first(self.profile.selectors.get("caption", ()), sel)
            credit = _first(self.profile.selectors.get("credit", ()), sel)
            if caption is None and credit is None:
                caption, credit = images._caption_of(block, img)
            else:
                text, tail = images.split_credit(caption)
                caption, credit = text, images.clean_credit(credit) if credit else tail
            out.append(images.Image(url=url, caption=caption, credit=credit))
        return out


def _first(selectors, sel) -> str | None:
    from crawler.profiles import query

    for selector in selectors:
        found = query(sel, selector)
        values = [v if isinstance(v, str) else " ".join(v.itertext()) for v in (i.root for i in found)]
        if text := clean_text(" ".join(values)):
            return text
    return None
