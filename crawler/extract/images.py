"""Article pictures with their captions and photo credits.

Captions come in three shapes across news CMSs: ``figure``/``figcaption``; tables whose second row is the
caption (``image_desc``, ``pCaption``); and CMS blocks that pair an image with a caption element
(``PhotoCMS_Caption``). The credit is either an element of its own or the tail of the caption text.
"""

from __future__ import annotations

import re

from crawler.extract.content import is_boilerplate
from crawler.items import Image
from crawler.text import clean_text

_CREDIT_WORDS = (
    r"nguồn ảnh|ảnh minh họa|ảnh minh hoạ|ảnh chụp màn hình|ảnh|clip|video|đồ họa|đồ hoạ|photos?|"
    r"photograph(?:y)?|pictures?|pic|images?|credits?|fotos?|foto(?:grafie)?|bild(?:er)?|quelle|"
    r"source|©|copyright|graphic|illustration|crédit(?:s)?|fotó|kuva|zdjęcie|fuente"
)
# A credit in brackets at the end: "(Ảnh: Phương Huế)", "[Photo: AP]", "(Foto: dpa)".
_BRACKET_CREDIT = re.compile(rf"[\(\[]\s*(?P<label>{_CREDIT_WORDS})\s*[:.]?\s*(?P<name>[^()\[\]]*)[\)\]]\s*\.?$", re.I)
# A credit after the caption's last sentence: "... huyện. Ảnh: Phương Huế", "... | Foto: dpa".
_TAIL_CREDIT = re.compile(
    rf"(?:^|(?<=[.!?…\"”’)])\s*|\s+[-–—|/]\s*|\s+)(?P<label>{_CREDIT_WORDS})\s*:\s*(?P<name>[^:]{{1,120}})$", re.I
)
_COPYRIGHT = re.compile(r"(?:^|\s)(?:©|\(c\)|copyright)\s*(?P<name>[^©]{2,100})$", re.I)
_ILLUSTRATIVE = re.compile(r"^ảnh minh h[ọo]a$", re.I)
# A credit element: the class/itemprop names CMSs give it.
_CREDIT_CLASS = re.compile(r"credit|copyright|photographer|author|byline|attribution|source|rights|urheber", re.I)
_SKIP_SRC = re.compile(r"logo|icon|avatar|sprite|pixel|blank\.|spacer|placeholder|loading|1x1|emoji|badge", re.I)
_LAZY_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-url", "data-full-src", "data-hi-res-src")


def split_credit(text: str | None) -> tuple[str | None, str | None]:
    """(caption, credit) from a caption that may end in a photo credit."""
    text = clean_text(text)
    if not text:
        return None, None
    for pattern in (_BRACKET_CREDIT, _TAIL_CREDIT, _COPYRIGHT):
        match = pattern.search(text)
        if match:
            caption = clean_text(text[: match.start()].rstrip(" -–—|/"))
            return caption, _credit_name(match)
    return text, None


def _credit_name(match: re.Match) -> str | None:
    name = clean_text(match.group("name").strip(" .:-–"))
    label = (match.groupdict().get("label") or "").strip()
    if _ILLUSTRATIVE.match(label) and not name:
        return None  # "Ảnh minh họa": an illustration, nobody credited
    return name


def clean_credit(text: str | None) -> str | None:
    """A credit element's text without its label ("Foto: dpa" -> "dpa")."""
    text = clean_text(text)
    if not text:
        return None
    text = re.sub(rf"^[\(\[]?\s*(?:{_CREDIT_WORDS})\s*[:.]?\s*", "", text, flags=re.I).strip(" ()[]")
    return clean_text(text)


def image_url(page, img) -> str | None:
    """The real picture behind an <img>: lazy-loading attributes and srcset before the placeholder src."""
    for attr in _LAZY_ATTRS:
        if value := img.get(attr):
            return page.absolute(value)
    for attr in ("data-srcset", "srcset"):
        if value := img.get(attr):
            first = value.strip().split(",")[0].split()
            if first:
                return page.absolute(first[0])
    src = img.get("src")
    if src and not src.startswith("data:"):
        return page.absolute(src)
    source = img.getparent().find("source") if img.getparent() is not None else None
    if source is not None and (srcset := source.get("srcset") or source.get("data-srcset")):
        return page.absolute(srcset.strip().split(",")[0].split()[0])
    return None


def _is_decoration(img) -> bool:
    src = " ".join(filter(None, (img.get("src"), img.get("data-src"), img.get("class"), img.get("alt"))))
    if _SKIP_SRC.search(src):
        return True
    for attr in ("width", "height"):
        value = img.get(attr, "")
        if value.isdigit() and int(value) < 80:
            return True
    return False


def _inside_boilerplate(el, scope) -> bool:
    node = el.getparent()
    while node is not None and node is not scope:
        if node.tag not in ("figure", "picture") and is_boilerplate(node):
            return True
        node = node.getparent()
    return False


# --- Finding caption blocks -----------------------------------------------------------------------------

_CAPTION_CLASS = re.compile(r"caption|image_desc|img-desc|imgdesc|desc|pcaption|legend|legende|bildunterschrift|chuthich|note", re.I)


def find_images(page, scope, exclude=()) -> list[Image]:
    """Every article picture in `scope` with its caption and credit, in page order, each picture once."""
    images: list[Image] = []
    seen_imgs: set = set()
    seen_urls: set = set()
    for img in scope.iter("img"):
        if img in seen_imgs or _is_decoration(img) or _inside_boilerplate(img, scope):
            continue
        if any(_is_within(img, node) for node in exclude):
            continue
        url = image_url(page, img)
        if not url:
            continue
        block = _caption_block(img, scope)
        caption_text, credit = _caption_of(block, img) if block is not None else (None, None)
        if block is not None:
            seen_imgs.update(block.iter("img"))
        if url in seen_urls:
            continue
        seen_urls.add(url)
        images.append(Image(url=url, caption=caption_text, credit=credit))
    return images


def _is_within(el, ancestor) -> bool:
    node = el
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _caption_block(img, scope):
    """The element that pairs this picture with its caption: figure, image table or CMS caption block."""
    node = img.getparent()
    depth = 0
    while node is not None and depth < 6:
        if node.tag == "figure":
            return node
        if node.tag == "table" and len(list(node.iter("img"))) == 1:
            return node
        if node.tag in ("div", "span", "p") and _has_caption_child(node) and len(list(node.iter("img"))) == 1:
            return node
        if node is scope:
            break
        node = node.getparent()
        depth += 1
    return None


def _has_caption_child(node) -> bool:
    for child in node.iter():
        if child is not node and isinstance(child.tag, str) and _CAPTION_CLASS.search(child.get("class", "")):
            return True
    return False


def _caption_of(block, img) -> tuple[str | None, str | None]:
    caption_el = _caption_element(block)
    if caption_el is None:
        return None, None
    credit_el = None
    for el in caption_el.iter() if caption_el.tag != "table" else ():
        if el is not caption_el and isinstance(el.tag, str) and _is_credit_element(el):
            credit_el = el
            break
    if credit_el is None:
        credit_el = next((el for el in block.iter() if isinstance(el.tag, str) and el is not block
                          and not _is_within(el, caption_el) and _is_credit_element(el)
                          and not list(el.iter("img"))), None)  # fmt: skip
    credit = clean_credit(" ".join(credit_el.itertext())) if credit_el is not None else None
    text = _text_without(caption_el, credit_el)
    caption, tail_credit = split_credit(text)
    return caption, credit or tail_credit


def _caption_element(block):
    if block.tag == "figure":
        caption = block.find(".//figcaption")
        if caption is not None:
            return caption
    for el in block.iter():
        if el is not block and isinstance(el.tag, str) and _CAPTION_CLASS.search(el.get("class", "")):
            if "".join(el.itertext()).strip():
                return el
    if block.tag == "table":
        # Image tables: the caption is the text cell that holds no picture.
        for cell in block.iter("td", "th"):
            if not list(cell.iter("img")) and "".join(cell.itertext()).strip():
                return cell
    return None


def _is_credit_element(el) -> bool:
    names = f"{el.get('class', '')} {el.get('itemprop', '')}"
    return bool(names.strip()) and bool(_CREDIT_CLASS.search(names)) and not _CAPTION_CLASS.search(el.get("class", ""))


def _text_without(el, skip) -> str | None:
    parts = []

    def walk(node):
        if node is skip:
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
