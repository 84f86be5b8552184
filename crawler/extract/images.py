"""Article pictures with their captions and photo credits.

A picture and its caption are held together by a *caption block*: ``figure`` (its ``figcaption`` may also sit
just after it), an image table whose other cell is the caption (``image_desc``, ``pCaption``), or a CMS box
with one picture and a caption element (``PhotoCMS_Caption``, ``image-caption``). The credit is an element of
its own (``span.credit``, ``cite``, ``itemprop=copyrightHolder``) or the tail of the caption ("Ảnh: X",
"Foto: dpa", "(Adel Hana/AP)"). Lazy loading is undone: ``data-src``, ``srcset`` on ``<source>``, and the
``<img>`` inside ``<noscript>`` that is often the only real one.
"""

from __future__ import annotations

import functools
import re

from crawler.extract.content import link_density, negative_name, text_length
from crawler.items import Image
from crawler.text import clean_text

_CREDIT_WORDS = (
    r"nguồn ảnh|ảnh minh họa|ảnh minh hoạ|ảnh chụp màn hình|ảnh|clip|video|đồ họa|đồ hoạ|"
    r"image credits?|photo credits?|photos?|photograph(?:y)?|pictures?|pic|images?|credits?|"
    r"bildquelle|fotoquelle|symbolfoto|symbolbild|archivfoto|archivbild|fotos?|foto(?:grafie)?|bild(?:er)?|quelle|"
    r"source|©|copyright|graphic|illustration|crédit(?:s)?|fotó|kuva|zdjęcie|fuente|фото|источник"
)
# A credit in brackets at the end: "(Ảnh: Phương Huế)", "[Photo: AP]", "(Foto: dpa)".
_BRACKET_CREDIT = re.compile(rf"[\(\[]\s*(?P<label>{_CREDIT_WORDS})\s*[:.]?\s*(?P<name>[^()\[\]]*)[\)\]]\s*\.?$", re.I)
# A credit after the caption's last sentence: "... huyện. Ảnh: Phương Huế", "... | Foto: dpa".
_TAIL_CREDIT = re.compile(
    rf"(?:^|(?<=[.!?…\"”’)])\s*|\s+[-–—|/]\s*|\s+)(?P<label>{_CREDIT_WORDS})\s*:\s*(?P<name>[^:]{{1,120}})$", re.I
)
# "— Picture by Yusof Mat Isa", "Photo by Handout/AFP".
_BY_CREDIT = re.compile(
    r"(?:^|(?<=[.!?…\"”’)])\s*|\s+[-–—|/]\s*)(?P<label>(?:photo|picture|image|foto)s?\s+(?:by|von))\s+"
    r"(?P<name>[^:]{1,120})$",
    re.I,
)
# An unlabelled "(Photographer/Agency)" ending the caption, as Canadian and US papers write it.
_SLASH_CREDIT = re.compile(r"\((?P<name>[^()]{2,80}/[^()]{2,80})\)\s*\.?$")
# Lithuanian puts the word after the name, in the genitive: "... / J. Petraičio / LRT nuotr." = photo by.
_NUOTR_CREDIT = re.compile(r"\s+/\s+(?P<name>[^/]{2,60}(?:/[^/]{2,60}){0,3}\bnuotr\.?)\s*$", re.I)
# Japanese: "（潟沼義樹撮影）" = photographed by.
_SATSUEI_CREDIT = re.compile(r"[（(](?P<name>[^（）()]{1,30})撮影[）)]\s*$")
# Korean papers end the caption with the agency or photographer after its last sentence: "... 있다. 연합뉴스".
_KOREAN_TAIL = re.compile(r"(?<=[.다])\s+(?P<name>[가-힣A-Za-z0-9]{2,12})(?:\s*기자)?\s*$")
_HANGUL = re.compile(r"[가-힣]")
_COPYRIGHT = re.compile(r"(?:(?:^|\s)(?:©|\(c\)|copyright)|（[cｃCＣ]）)\s*(?P<name>[^©]{2,100})$", re.I)
# "Ảnh minh họa" ends a caption to say the picture is an illustration; nobody is credited.
_ILLUSTRATIVE = re.compile(r"^ảnh minh h[ọo]a$", re.I)
_ILLUSTRATIVE_TAIL = re.compile(r"\s*[(\[]?\s*ảnh minh h[ọo]a\s*[)\]]?\s*\.?$", re.I)
_CREDIT_LABEL = re.compile(
    rf"^[\(\[]?\s*(?:(?:photo|picture|image|foto)s?\s+(?:by|von)\b|{_CREDIT_WORDS})\s*[:.]?\s*", re.I
)
# A text that opens with a credit label and its colon: "Фото: X", "Photo by X", "© X".
_LABELLED_CREDIT = re.compile(
    rf"^[\(\[]?\s*(?:©|(?:photo|picture|image|foto)s?\s+(?:by|von)\s|(?:{_CREDIT_WORDS})\s*:)", re.I
)

# A source named the way agencies are: "X/AFP", "©", a known agency in any case, or "Name (REUTERS)".
_AGENCY = re.compile(
    r"/|©|\b(?:AP|(?i:AFP|Reuters|Getty|dpa|EPA|Imago|Shutterstock|Keystone|Xinhua|EFE|ANSA))\b|"
    r"\([A-ZÀ-Ý][A-ZÀ-Ý .&-]{1,20}\)$"
)

# Class, id, itemprop and data-* names that mark a credit element, and a caption element.
_CREDIT_CLASS = re.compile(
    r"credit|copyright|photographer|fotograf|author|byline|attribution|source|rights|urheber|quelle|"
    r"bildnachweis|creator|distributor|agency",
    re.I,
)
_CAPTION_CLASS = re.compile(
    r"caption|image_desc|img-desc|imgdesc|desc|pcaption|legend|legende|bildunterschrift|chuthich|note|"
    r"infotext|(?:media|image|img|photo|bild|foto)\w*?[-_]*(?:info|text|title)",
    re.I,
)
_SKIP_SRC = re.compile(r"logo|icon|avatar|sprite|pixel|blank\.|spacer|placeholder|1x1|emoji|badge", re.I)
_SKIP_CLASS = re.compile(r"logo|icon|avatar|sprite|emoji|badge", re.I)
_LAZY_ATTRS = (
    "data-src", "data-original", "data-lazy-src", "data-lazy", "data-url", "data-full-src", "data-hi-res-src",
    "data-original-url",
)  # fmt: skip
_IMG_TAGS = ("img", "amp-img")
# A link to the picture itself or its viewer (lightbox, photo page) is not a link to another story.
_VIEWER_LINK = re.compile(
    r"\.(?:jpe?g|png|gif|webp|avif)\b|^#|/(?:images?|photos?|fotos?|bild(?:er)?|galler(?:y|ie)|galerie)(?:/|$|\?)", re.I
)
# Class names of a box that holds one picture.
_PICTURE_BOX = re.compile(r"image|img|picture|photo|bild|foto|figure", re.I)
# A box that plays a video: its text is the video's title, not a picture caption.
_VIDEO = re.compile(r"video|player", re.I)
# Wrappers that belong to the picture itself: never the reason to drop it.
_PICTURE_PARTS = frozenset(("picture", "source", "noscript", "figure", "figcaption", "a", "span", "button"))
# Class tokens that name the picture ("image-widget", "article-widget-image") do not make a box boilerplate.
_MEDIA_TOKEN = re.compile(r"image|img|photo|picture|media|figure|foto|bild", re.I)
# Nor does a paywall: the subscriber's article sits inside it.
_PAYWALL_TOKEN = re.compile(r"paywall", re.I)


def split_credit(text: str | None) -> tuple[str | None, str | None]:
    """(caption, credit) from a caption that may end in a photo credit."""
    text = clean_text(text)
    if not text:
        return None, None
    patterns = [_BRACKET_CREDIT, _TAIL_CREDIT, _BY_CREDIT, _NUOTR_CREDIT, _SATSUEI_CREDIT, _SLASH_CREDIT, _COPYRIGHT]
    if _HANGUL.search(text[:40]):
        patterns.append(_KOREAN_TAIL)
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            caption = clean_text(text[: match.start()].rstrip(" -–—|/"))
            return caption, _credit_name(match)
    illustrative = _ILLUSTRATIVE_TAIL.search(text)
    if illustrative and illustrative.start() > 0:
        return clean_text(text[: illustrative.start()]), None
    return text, None


def _credit_name(match: re.Match) -> str | None:
    name = clean_text(match.group("name").strip(" .:-–"))
    label = (match.groupdict().get("label") or "").strip()
    if _ILLUSTRATIVE.match(label) and not name:
        return None  # "Ảnh minh họa": an illustration, nobody credited
    return _join_authors(name)


def clean_credit(text: str | None) -> str | None:
    """A credit element's text without its label ("Foto: dpa" -> "dpa"), several authors joined by "; "."""
    text = clean_text(text)
    if not text:
        return None
    text = _CREDIT_LABEL.sub("", _unwrap(text))
    return _join_authors(clean_text(_unwrap(text)))


def _unwrap(text: str) -> str:
    """ "(Image: Getty)" -> "Image: Getty"; a bracket that only closes ("Misja (dpa)") stays."""
    text = text.strip()
    if text[:1] in "([" and text[-1:] in ")]":
        return text[1:-1].strip()
    if text[:1] in "([" and not re.search(r"[)\]]", text):
        return text[1:].strip()
    return text.rstrip(" )]") if text.count(")") > text.count("(") else text


def _join_authors(text: str | None) -> str | None:
    """ "AP/dpa | Richard Drew", "Anna X, Seznam Zprávy" name two parties: the record joins authors with "; "."""
    if not text:
        return None
    return clean_text(re.sub(r"\s+\|\s+|\s*[;,]\s+", "; ", text).strip(" ;|"))


# --- The picture behind an <img> -----------------------------------------------------------------------


def image_url(page, img) -> str | None:
    """The real picture behind an <img>: lazy-loading attributes and srcset before the placeholder src."""
    for attr in _LAZY_ATTRS:
        if (value := img.get(attr)) and not value.startswith("data:"):
            return page.absolute(value)
    for attr, value in img.attrib.items():  # other lazy loaders: data-flickity-lazyload-src, data-echo-src ...
        if attr.startswith("data-") and attr.endswith("src") and value.strip() and not value.startswith("data:"):
            return page.absolute(value)
    src = img.get("src")
    if src and not src.startswith("data:") and not _SKIP_SRC.search(src):
        return page.absolute(src)
    for attr, value in img.attrib.items():
        if attr.endswith("srcset") and (url := _first_srcset(page, value)):
            return url
    # <picture>: the <source> elements (libxml2 nests them, so look at the ancestors' too).
    picture = next((a for a in img.iterancestors() if a.tag == "picture"), None)
    for source in picture.iter("source") if picture is not None else ():
        for attr, value in source.attrib.items():
            if attr.endswith("srcset") and (url := _first_srcset(page, value)):
                return url
    return page.absolute(src) if src and not src.startswith("data:") else None


def _first_srcset(page, value: str | None) -> str | None:
    if not value:
        return None
    first = value.strip().split(",")[0].split()
    if not first or first[0].startswith("data:"):
        return None
    return page.absolute(first[0])


def _is_decoration(img) -> bool:
    """Icons, logos and tracking pixels; a caption overrides the size rule (16x9 is an aspect ratio, not a size)."""
    return _decoration(img.get("src"), img.get("data-src"), img.get("class", ""), img.get("alt", "")[:40])


@functools.lru_cache(maxsize=4096)
def _decoration(src, data_src, cls: str, alt: str) -> bool:
    """Cached: every box around a picture counts its pictures again."""
    if src and not data_src and _SKIP_SRC.search(src.rsplit("/", 1)[-1]):
        return True
    return bool(_SKIP_CLASS.search(f"{cls} {alt}"))


def _is_tiny(img) -> bool:
    sizes = [int(v) for v in (img.get("width", ""), img.get("height", "")) if v.isdigit()]
    return bool(sizes) and max(sizes) < 80


def _is_foreign(el, stop, memo: dict) -> bool:
    """Inside a box a reader skips (related links, ads, hidden parts) between the picture and `stop`.

    A box named for its one picture ("widget--type-image", "mediaBlock ps-sidebar", id "doc_media_7") overrules
    furniture names below it: those are the picture's own wrappers ("widget__wrapper"), and the names beside
    its own say how the picture is placed or opened. `memo` keeps each ancestor's verdict for the page.
    """
    furniture = False
    for node in el.iterancestors():
        if node is stop:
            break
        if node.tag in _PICTURE_PARTS:
            continue
        verdict = memo.get(node)
        if verdict is None:
            verdict = memo[node] = _box_verdict(node)
        if verdict == _SKIP:
            return True
        if verdict == _FRAME:
            furniture = False
        elif verdict == _FURNITURE:
            furniture = True
    return furniture


_SKIP, _FURNITURE, _FRAME, _PLAIN = "skip", "furniture", "frame", "plain"
_RELATED_TYPE = re.compile(r"related", re.I)


def _box_verdict(node) -> str:
    """_SKIP: never shown or never this article's; _FURNITURE: named as page furniture; _FRAME: one picture's box."""
    if node.tag in ("aside", "nav", "form", "template") or node.get("hidden") is not None:
        return _SKIP
    if node.tag == "dialog" and node.get("open") is None:
        return _SKIP  # a closed overlay: the full-size copy of a picture shown in the text
    if node.tag == "article" and _is_embedded_article(node):
        return _SKIP
    if _RELATED_TYPE.search(node.get("type") or ""):
        return _SKIP  # a CMS's related-story box in the text (type="RelatedNews", "RelatedOneNews")
    style = node.get("style")
    if style and re.search(r"display\s*:\s*none", style):
        return _SKIP
    tokens = f"{node.get('class', '')} {node.get('id', '')}".split()
    media = [t for t in tokens if _MEDIA_TOKEN.search(t)]
    if media and _count_pictures(node) == 1:
        return _FRAME
    names = " ".join(t for t in tokens if t not in media and not _PAYWALL_TOKEN.search(t))
    if negative_name(names) and (text_length(node) < 1200 or link_density(node) > 0.4):
        return _FURNITURE
    return _PLAIN


def _is_embedded_article(node) -> bool:
    """An <article> inside another, or a short one whose picture links elsewhere: a card for another story."""
    if any(a.tag == "article" for a in node.iterancestors()):
        return True
    linked = any(a.get("href") and a.find(".//img") is not None for a in node.iter("a"))
    return linked and text_length(node) < 400


# --- Finding caption blocks -----------------------------------------------------------------------------


def find_images(page, scope, exclude=(), core=None) -> list[Image]:
    """Every article picture in `scope` (and the lead figure just above it) with caption and credit, in page order.

    `core`, the box of the text itself inside a wider `scope`: outside it only captioned pictures count, since
    an uncaptioned one there is most often a teaser's thumbnail.
    """
    images: list[Image] = []
    used: set = set()
    seen: set = set()
    memo: dict = {}
    for region, imgs in _regions(scope, memo):
        for img in imgs:
            if img in used or _is_foreign(img, region, memo) or any(_is_within(img, node) for node in exclude):
                continue
            image = _picture(page, img, region, used)
            if image is None or (image.url, image.caption) in seen or (image.caption is None and image.url in seen):
                continue
            if image.caption is None and core is not None and not _is_within(img, core):
                continue
            seen.update(((image.url, image.caption), image.url))
            images.append(image)
    return images


def _regions(scope, memo):
    """(region, pictures) pairs: lead figures placed before `scope` inside the same article, then `scope`."""
    lead = _lead_figures(scope, memo)
    if lead:
        yield lead[0], [img for fig in lead[1] for img in fig.iter(*_IMG_TAGS)]
    yield scope, scope.iter(*_IMG_TAGS)


def _lead_figures(scope, memo):
    """Captioned figures before `scope` in its article container: the lead picture often sits above the text.

    The container is the nearest ``article``/``main`` ancestor within a few levels; without one, only the
    scope's parent: the lead picture as the text's sibling, while teasers and header strips of the page
    around the article stay out.
    """
    container = None
    node = scope
    for _ in range(6):
        node = node.getparent()
        if node is None or node.tag in ("body", "html"):
            break
        if node.tag in ("article", "main"):
            container = node
            break
    if container is None:
        container = scope.getparent() if scope.tag not in ("article", "main") else None
        if container is None or container.tag in ("body", "html"):
            return None
    figures = []
    for el in container.iter():
        if el is scope:
            break  # document order: what follows is the article text itself
        if el.tag == "figure" and el.find(".//figcaption") is not None and not _is_foreign(el, container, memo):
            figures.append(el)
    return (container, figures[:2]) if figures else None


def _is_within(el, ancestor) -> bool:
    node = el
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _picture(page, img, region, used) -> Image | None:
    if _is_decoration(img) or _is_portrait(img, region) or _is_poster(img, region):
        return None  # never the block's picture: a box around an icon may hold the article's photo too
    block = _caption_block(img, region)
    members = list(block.iter(*_IMG_TAGS)) if block is not None else [img]
    used.update(members)
    main = next((m for m in members if not _is_decoration(m) and image_url(page, m)), None)
    if main is None:
        return None
    described = block is not None and not _is_teaser(block, region) and not _is_video(block, main)
    caption, credit = _caption_of(block, main) if described else (None, None)
    if caption is None:
        caption, credit = _attribute_caption(main, block)
    if caption is None and (echo := _alt_echo(main, region)) is not None:
        caption, credit = _read_caption(echo, echo)
    if caption is None and _is_tiny(main):
        return None
    if caption and credit is None:
        credit = _hidden_credit(main, block)
    return Image(url=image_url(page, main), caption=caption, credit=credit)


# A thumbnail size in the picture's address: "/zoom/80_80/", "/thumb/96x96/", "?w=80&h=80".
_THUMB_SIZE = re.compile(r"/(?:zoom|thumb|crop|resize)\w*/(\d{2,3})[_x](\d{2,3})/|[?&]w(?:idth)?=(\d{2,3})&h(?:eight)?=(\d{2,3})\b")
# Names of an author's box or picture: "detail-author", "author-item-avatar", "isauthor", "byline". Not "avatar"
# alone: CMSs call the article's lead picture its avatar ("figure.article__avatar").
_PORTRAIT_NAME = re.compile(r"author|byline|tac-?gia|profile-pic", re.I)


def _is_portrait(img, region) -> bool:
    """The author's picture: linked as rel=author, named as an author's or avatar, or a small square thumbnail."""
    match = _THUMB_SIZE.search(img.get("src") or "")
    if match and max(int(v) for v in match.groups() if v) <= 150:
        return True
    node = img
    for _ in range(4):
        if node is None or node is region:
            return False
        if (node.tag == "a" and node.get("rel") == "author") or _PORTRAIT_NAME.search(node.get("class", "")):
            return True
        node = node.getparent()
    return False


def _is_poster(img, region) -> bool:
    """The still frame of an embedded video: a box around it plays the video (a player class, data-vid, <video>)."""
    for node in img.iterancestors():
        if node is region or node.tag in ("body", "html"):
            return False
        if _VIDEO.search(node.get("class", "")) or node.get("data-vid") is not None or node.find("video") is not None:
            return True
        if _count_pictures(node) > 1 or _is_text_container(node):
            return False
    return False


def _alt_echo(img, region):
    """The text box right after the picture that shows its alt text (plus perhaps a credit): the page prints
    the alt as the caption, in an element named like any other ("<div class=f46ba790><span>")."""
    alt = clean_text(img.get("alt"))
    if not alt or len(alt) < 8 or _is_tiny(img) or _in_link(img, region):
        return None  # a linked picture is a teaser: the text after it is the other story's headline
    node, levels = img, 0
    while levels < 5:
        if _VIDEO.search(node.get("class", "")):
            return None  # a video's poster: the text beside it is the video's title
        sibling = node.getnext()
        while sibling is not None and (not isinstance(sibling.tag, str) or not _has_text(sibling)):
            sibling = sibling.getnext()
        if sibling is not None:
            return sibling if _echoes(sibling, alt) else None
        node = node.getparent()
        if node is None or node is region or _is_text_container(node):
            return None
        levels += node.tag not in ("picture", "source", "noscript")  # however libxml2 nested the picture
    return None


def _in_link(el, region) -> bool:
    for node in el.iterancestors():
        if node is region:
            return False
        if node.tag == "a" and node.get("href") and not _VIEWER_LINK.search(node.get("href")):
            return True
    return False


_NOT_CAPTION = ("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "p")


def _has_text(el) -> bool:
    return el.tag not in ("script", "style", "button") and bool("".join(el.itertext()).strip())


def _echoes(el, alt: str) -> bool:
    if el.tag in _NOT_CAPTION or any(True for _ in el.iter("a", *_NOT_CAPTION)) or _VIDEO.search(el.get("class", "")):
        return False
    text = clean_text(" ".join(el.itertext())) or ""
    if len(text) >= 8 and alt.startswith(text) and len(alt) > len(text):
        return re.match(r"\s*[-–—|:]", alt[len(text) :]) is not None  # the alt adds " - Site name"
    return text.startswith(alt) and len(text) < len(alt) + 100  # the text adds the credit


def _is_teaser(block, region) -> bool:
    """Text inside the same link as the picture, or a byline box, is a teaser or an author card, not a caption."""
    caption_el = _caption_element(block)
    if caption_el is None:
        return False
    for node in caption_el.iterancestors():
        if node is region:
            break
        if node.tag == "a" and node.get("href") and not _VIEWER_LINK.search(node.get("href")):
            return True
    if caption_el.find(".//address") is not None or caption_el.find(".//a[@rel='author']") is not None:
        return True
    return link_density(caption_el) > 0.5


def _is_video(block, img) -> bool:
    """The box plays a video (a <video> or player in it, or the picture is the poster inside a player)."""
    if block.find(".//video") is not None or block.find(".//iframe") is not None:
        return True
    for node in img.iterancestors():
        if _VIDEO.search(node.get("class", "")):
            return True
        if node is block:
            return False
    return False


def _caption_block(img, scope):
    """The element that pairs this picture with its caption: figure, image table or CMS caption block.

    Named captions (figcaption, "caption" classes) win at any level before an unnamed text in a picture box.
    """
    boxes = _picture_boxes(img, scope)
    for node in boxes:
        if node.tag == "table" or _caption_element(node, named_only=True) is not None:
            return node
    for node in boxes:
        if _unnamed_caption(node) is not None:
            return node
    return next((node for node in boxes if node.tag == "figure"), None)


def _picture_boxes(img, scope) -> list:
    """The ancestors that hold this one picture and no other, up to the text container or `scope`."""
    boxes = []
    node = img.getparent()
    while node is not None and len(boxes) < 7:
        if node.tag in ("picture", "source", "noscript"):
            node = node.getparent()  # the picture's own parts, however libxml2 nested them
            continue
        if _count_pictures(node) > 1 or _is_text_container(node):
            break
        boxes.append(node)
        if node is scope:
            break
        node = node.getparent()
    return boxes


def _is_text_container(node) -> bool:
    """Several paragraphs of their own: the article text, too wide to be one picture's box."""
    return sum(1 for child in node if child.tag == "p") > 2


def _count_pictures(node) -> int:
    """Pictures in a box; the <noscript> copy of a lazy image is the same picture, unless it is the only one."""
    count = 0
    for img in node.iter(*_IMG_TAGS):
        if _is_decoration(img):
            continue
        noscript = next((a for a in img.iterancestors() if a.tag == "noscript"), None)
        if noscript is None or not _has_live_img(noscript.getparent()):
            count += 1
            if count > 1:
                break
    return count


def _has_live_img(node) -> bool:
    return node is not None and any(
        not any(a.tag == "noscript" for a in img.iterancestors()) for img in node.iter(*_IMG_TAGS)
    )


def _caption_of(block, img) -> tuple[str | None, str | None]:
    caption_el = _caption_element(block)
    if caption_el is None:
        return None, None
    return _read_caption(block, caption_el)


def _read_caption(block, caption_el) -> tuple[str | None, str | None]:
    """(caption, credit) of a caption element, the credit from its own element or from the caption's tail."""
    credit_els = _credit_elements(block, caption_el)
    # Inline markup adds no spaces: "Oliver Lane<span>/</span>RegionalHUB" is one name.
    names = [clean_credit("".join(el.itertext())) for el in credit_els]
    credit = _join_authors("; ".join(n for n in names if n))
    caption, tail_credit = split_credit(_text_without(caption_el, credit_els))
    caption = clean_text(caption.rstrip(" /|-–—")) if caption else None
    return caption, credit or tail_credit


_CONTROLS = frozenset(("svg", "button", "script", "style"))


def _caption_element(block, named_only=False):
    """figcaption (not a credit-only one), a caption-named element, or the text cell of an image table."""
    fallback = None
    for el in block.iter():
        if el is block or not isinstance(el.tag, str) or el.tag in _CONTROLS:
            continue  # a "caption" icon or toggle button is not the caption
        named = el.attrib and _caption_named(el.get("class", ""), el.get("id", ""), el.get("itemprop", ""))
        if el.tag == "figcaption" or named:
            if el.tag not in _IMG_TAGS and el.find(".//img") is None and (text := clean_text(" ".join(el.itertext()))):
                if split_credit(text)[0]:
                    return el
                fallback = el if fallback is None else fallback
    if block.tag == "table":
        # Image tables: the caption is the text cell that holds no picture.
        for cell in block.iter("td", "th"):
            if not list(cell.iter("img")) and "".join(cell.itertext()).strip():
                return cell
    if fallback is not None or named_only:
        return fallback
    return _unnamed_caption(block)


@functools.lru_cache(maxsize=4096)
def _caption_named(cls: str, id_: str, itemprop: str) -> bool:
    """Named as a caption and not as a credit. Cached: a page repeats the same few class names."""
    return bool(_CAPTION_CLASS.search(f"{cls} {id_} {itemprop}")) and not _CREDIT_CLASS.search(cls)


def _unnamed_caption(block):
    """A box named as a picture's or a caption's ("image-widget", "article__picture", "p.caption") whose only
    other content is a little plain text: that text is the caption, whatever its element is called."""
    names = f"{block.get('class', '')} {block.get('id', '')}"
    if block.tag in _IMG_TAGS:
        return None
    if not (_PICTURE_BOX.search(names) or _CAPTION_CLASS.search(names) or _has_credit_line(block)):
        return None
    text = clean_text(_text_without(block))
    # A sentence-like text, not a badge ("1 Min", "View 6 Images") nor a whole article.
    if not text or len(text) > 500 or len(re.findall(r"\w+", text)) < 4 or block.find(".//a[@href]") is not None:
        return None
    if any(True for _ in block.iter("h1", "h2", "h3", "h4")) or _count_pictures(block) != 1:
        return None
    return block


def _has_credit_line(block) -> bool:
    """A line of its own that credits a photo ("<span>Foto: X</span>") marks the box as a picture's."""
    for child in block:
        if isinstance(child.tag, str) and len(child) == 0 and child.text:
            text = clean_text(child.text) or ""
            if _LABELLED_CREDIT.match(text) and clean_credit(text):
                return True
    return False


def _credit_elements(block, caption_el) -> list:
    """Credits named as such (photographer and agency may be two), a <cite>/<small> ending the caption,
    or a <footer>/credit-only figcaption beside it."""
    inner = [el for el in caption_el.iter() if el is not caption_el and isinstance(el.tag, str)]
    found = []
    for el in inner:
        if _is_credit_element(el) and not any(_is_within(el, f) for f in found):
            found.append(el)
    if found:
        return found
    if inner and _looks_like_credit_part(inner[-1], caption_el):
        return [inner[-1]]
    first = next((el for el in inner if el.tag not in _IMG_TAGS), None)
    if first is not None and _opens_with_credit(first, caption_el):
        return [first]
    for el in block.iter():
        if el is block or not isinstance(el.tag, str) or _is_within(el, caption_el) or _is_within(caption_el, el):
            continue
        if el.find(".//img") is not None:
            continue
        text = clean_text(" ".join(el.itertext()))
        if not text or len(text) > 200:
            continue
        if (
            _is_credit_element(el)
            or el.tag in ("cite", "footer")
            or ((len(el) == 0 or el.tag == "figcaption") and not split_credit(text)[0])
        ):
            return [el]  # named as a credit, or a bare line that is all credit ("Foto: X")
    return []


def _looks_like_credit_part(el, caption_el) -> bool:
    """The last short child of a caption that names a source: "<span>Text.</span><span>Name (dpa)</span>"."""
    text = clean_text(" ".join(el.itertext()))
    rest = clean_text(_text_without(caption_el, (el,)))
    if not text or not rest or len(text) > 100 or el.getnext() is not None or (el.tail or "").strip():
        return False
    if el.tag in ("cite", "small") or _LABELLED_CREDIT.match(text):
        return True
    return bool(_AGENCY.search(text))


def _opens_with_credit(el, caption_el) -> bool:
    """The caption's first line is a labelled credit ("<span>Foto: X</span> Text"), with the caption after it."""
    text = clean_text(" ".join(el.itertext()))
    if not text or len(text) > 100 or (caption_el.text or "").strip() or not _LABELLED_CREDIT.match(text):
        return False
    if not clean_credit(text):
        return False  # only the label ("<strong>Image Credits:</strong> Strava"): the name follows it
    return bool(clean_text(_text_without(caption_el, (el,))))


def _is_credit_element(el) -> bool:
    return bool(_CREDIT_CLASS.search(_names(el)))


def _names(el) -> str:
    """The names an element is known by: class, id, itemprop and short data-* values."""
    data = " ".join(v for k, v in el.attrib.items() if k.startswith("data-") and len(v) < 40 and " " not in v)
    return f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')} {data}".strip()


def _attribute_caption(img, block) -> tuple[str | None, str | None]:
    """Pictures a script builds: the caption and credit wait in data-* attributes of the <img> or its box."""
    for el in (img, block):
        if el is None:
            continue
        caption = clean_text(el.get("data-caption"))
        if caption:
            credit = next(
                (el.get(a) for a in ("data-credit", "data-source", "data-copyright", "data-author") if el.get(a)), None
            )
            text, tail = split_credit(caption)
            return text, clean_credit(credit) or tail
    return None, None


def _hidden_credit(img, block) -> str | None:
    """A credit the page keeps in the picture's data-* attributes or title tooltip ("… | Bildquelle: WDR")."""
    for attr in ("data-credit", "data-copyright", "data-source", "data-photographer"):
        if value := clean_credit(img.get(attr)):
            return value
    title = clean_text(img.get("title"))
    if title:
        text, credit = split_credit(title)
        if credit and text != title:
            return credit
    return None


def _text_without(el, skip=()) -> str | None:
    parts = []

    def walk(node):
        if node in skip:
            if node.tail:
                parts.append(node.tail)
            return
        if isinstance(node.tag, str):
            if node.tag in ("script", "style", "button", "svg"):
                if node.tail:
                    parts.append(node.tail)
                return
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child)
        if node is not el and node.tail:
            parts.append(node.tail)

    walk(el)
    return clean_text(" ".join(parts))
