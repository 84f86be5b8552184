"""The lede: a named standfirst, a block under the headline that says what the description says, else the
description; the site's opening mark left out."""

from crawler.extract import lede
from crawler.extract.document import load_page

DESCRIPTION = "The council voted to close the old bridge to cars from next spring, ending years of argument."


def _scope(html: str):
    return load_page(f"<html><body>{html}</body></html>").root.find("body")


def test_named_standfirst_with_bem_and_hashed_class_names():
    scope = _scope(
        '<article><h1>Bridge to close</h1><p class="article-header__lead_x1Y2z">'
        "The council voted to close the old bridge to cars from next spring, ending years of argument.</p>"
        "<p>Body text that is long enough to count as a paragraph of the article, with commas, here.</p></article>"
    )
    assert lede.choose_lede(lede.visible_ledes(scope), []) == DESCRIPTION


def test_unnamed_block_agreeing_with_description_beats_description():
    scope = _scope(
        '<article><h1>Bridge to close</h1><div class="fs-4 lh-lg">Berlin. The council voted to close the old '
        "bridge to cars from next spring, ending years of argument.</div>"
        "<p>Body text that is long enough to count as a paragraph of the article.</p>"
        "<p>A second paragraph of the body, also long enough to count as one.</p></article>"
    )
    chosen = lede.choose_lede(lede.visible_ledes(scope), [DESCRIPTION])
    assert chosen.startswith("Berlin. The council voted")


def test_first_body_paragraph_is_not_a_visible_lede():
    scope = _scope(
        "<article><h1>Bridge to close</h1>"
        "<p>The council voted to close the old bridge to cars from next spring, ending years of argument.</p>"
        "<p>A second paragraph of the body, long enough to count as a paragraph.</p></article>"
    )
    assert lede.visible_ledes(scope) == []


def test_list_of_other_articles_summaries_is_not_the_lede():
    items = "".join(
        f'<div><p class="post-excerpt">Summary number {i} of some other article on this site, long enough.</p></div>'
        for i in range(4)
    )
    scope = _scope(f"<article><h1>Bridge to close</h1><p>Short.</p>{items}</article>")
    assert lede.choose_lede(lede.visible_ledes(scope), [DESCRIPTION]) == DESCRIPTION


def test_caption_and_header_with_headline_are_not_ledes():
    scope = _scope(
        '<header class="story-lead"><h1>Bridge to close</h1></header>'
        '<figure><figcaption class="summary">The old bridge at dawn, seen from the east bank of the river.'
        "</figcaption></figure>"
    )
    assert lede.visible_ledes(scope) == []


def test_description_is_the_fallback():
    assert lede.choose_lede([], [DESCRIPTION, "other"]) == DESCRIPTION
    assert lede.choose_lede([], []) is None


def test_site_marks_are_stripped():
    rest = "Hà Nội tổ chức lễ hội mùa thu với nhiều hoạt động văn hóa đặc sắc."
    for mark in ("(LĐTĐ) ", "TPO - ", "(Dân trí) - ", "GD&TĐ - ", "(CNN) — "):
        assert lede.strip_site_mark(mark + rest) == rest
    assert lede.strip_site_mark(rest) == rest
    assert lede.strip_site_mark(None) is None
