"""Finding the text container and sorting its blocks into paragraphs, byline and source."""

import pytest

from crawler.extract.body import Paragraph, collect_paragraphs, split_body
from crawler.extract.content import find_content
from crawler.extract.document import load_page

SENTENCE = "This sentence is part of the article text, with a comma, and it is long enough to count as a paragraph."


def _root(html: str):
    return load_page(f"<html><body>{html}</body></html>").root


def _body(html: str, lede=None):
    content = find_content(_root(html))
    return split_body(collect_paragraphs(content), lede=lede)


def test_text_split_over_sibling_containers_is_kept_whole():
    sections = "".join(f'<section class="block"><div class="inline"><p>{i}. {SENTENCE}</p></div></section>' for i in range(6))
    html = f'<nav><a href="/">Home</a></nav><div class="story">{sections}</div><div class="footer">Footer</div>'
    body = _body(html)
    assert len(body.paragraphs) == 6
    assert body.paragraphs[0].startswith("0.") and body.paragraphs[-1].startswith("5.")


def test_paragraphs_straight_under_body_are_found():
    html = f"<h1>Headline</h1><p>{SENTENCE}</p><h2>Sub</h2><p>{SENTENCE}</p>"
    assert find_content(_root(html)).tag == "body"


def test_text_between_double_br_is_split_into_paragraphs():
    html = f'<div class="post-body">First {SENTENCE}<br><br>Second {SENTENCE}<br>still second.<br><br>Third.</div>'
    body = _body(html)
    assert [p.split()[0] for p in body.paragraphs] == ["First", "Second", "Third."]


def test_boilerplate_is_dropped_and_in_text_links_kept():
    html = (
        f'<div class="article-body"><p>{SENTENCE}</p>'
        '<div class="share-bar"><a href="#">Facebook</a><a href="#">Twitter</a></div>'
        f'<p>Read about <a class="cms-relate" href="/x">the bridge</a> here. {SENTENCE}</p>'
        '<div class="box-tinlienquan"><a href="/a">Related story one</a><a href="/b">Related story two</a></div>'
        "<p>Xem thêm: Cầu cũ sẽ đóng cửa</p>"
        '<div class="newsletter">Sign up for our newsletter</div>'
        f"<p>{SENTENCE}</p></div>"
    )
    text = " ".join(_body(html).paragraphs)
    assert "Facebook" not in text and "Related story" not in text and "Xem thêm" not in text
    assert "newsletter" not in text
    assert "Read about the bridge here." in text


def test_closing_byline_and_source_lines():
    html = (
        f'<div class="detail-content"><p>{SENTENCE}</p><p>{SENTENCE}</p>'
        '<p style="text-align:right"><strong>Hà Phong - Minh Thư</strong></p>'
        "<p>Theo TTXVN</p></div>"
    )
    body = _body(html)
    assert body.byline == ["Hà Phong", "Minh Thư"]
    assert body.source == "TTXVN"
    assert len(body.paragraphs) == 2


def test_nguon_line_goes_to_source():
    html = f'<div class="content"><p>{SENTENCE}</p><p>Nguồn: Bộ Y tế</p><p>{SENTENCE}</p></div>'
    body = _body(html)
    assert body.source == "Bộ Y tế"
    assert all("Nguồn" not in p for p in body.paragraphs)


def test_bold_and_right_flags():
    content = _root(
        '<div><p><b>Mạnh Quân</b></p><p align="right">Nhóm PV</p><p>plain <b>bold</b> text</p></div>'
    ).find("body/div")
    bold, right, plain = collect_paragraphs(content)
    assert bold.bold and not bold.right
    assert right.right
    assert not plain.bold


def test_lede_is_not_repeated_in_the_body():
    lede = "The council voted to close the old bridge to cars from next spring."
    html = f'<div class="article-content"><p>{lede}</p><p>{SENTENCE}</p><p>{SENTENCE}</p></div>'
    assert lede not in _body(html, lede=lede).paragraphs


@pytest.mark.parametrize(("line", "source"), [("(TTXVN/Vietnam+)", "TTXVN/Vietnam+"), ("(TTXVN)", "TTXVN"), ("(AFP).", "AFP")])
def test_a_closing_agency_line_in_brackets_is_the_source(line, source):
    paragraphs = [Paragraph(text="Nội dung bài viết đầy đủ về sự việc xảy ra trong ngày hôm qua.", tag="p"),
                  Paragraph(text=line, tag="p")]  # fmt: skip
    body = split_body(paragraphs)
    assert body.source == source
    assert body.paragraphs == ["Nội dung bài viết đầy đủ về sự việc xảy ra trong ngày hôm qua."]


# --- What sits above or inside the text but is not text --------------------------------------------------


def test_paragraph_repeating_the_title_or_date_line_is_not_text():
    html = (
        "<article><h1>Cầu treo sửa xong sau ba tháng</h1><div><span>Chủ nhật, 22/11/2026 - 13:02 (GMT+7)</span></div>"
        f"<p>{SENTENCE}</p><p>{SENTENCE} Again.</p></article>"
    )
    body = split_body(collect_paragraphs(_root(html).find(".//article")), title="Cầu treo sửa xong sau ba tháng")
    assert body.paragraphs == [SENTENCE, f"{SENTENCE} Again."]


def test_hidden_player_title_is_not_text():
    html = (
        f'<div class="story"><p>{SENTENCE}</p><div id="embed_video_1" style="display:none;">'
        '<div class="parser_title" style="display:none">Headline of the video</div></div>'
        f"<p>{SENTENCE} Two.</p></div>"
    )
    assert "Headline of the video" not in _body(html).paragraphs


def test_embedded_video_caption_and_related_boxes_are_not_text():
    html = (
        f'<div class="story"><p>{SENTENCE}</p>'
        '<div class="VCSortableInPreviewMode" type="VideoStream" data-vid="cdn/x.mp4">'
        '<div class="VideoCMS_Caption"><p>Boats queue at the floating market</p></div></div>'
        '<div class="VCSortableInPreviewMode" type="RelatedNews"><p><a href="/other-1.htm">Another story</a> '
        "with a line of its own that describes it at some length</p></div>"
        '<article class="insert-news"><a href="/other-2.html">Schools open evening classes</a>'
        "<div>Many schools hold evening classes, teachers charge nothing.</div></article>"
        f"<p>{SENTENCE} Two.</p></div>"
    )
    assert _body(html).paragraphs == [SENTENCE, f"{SENTENCE} Two."]


def test_closing_line_in_an_author_box_is_the_byline():
    html = f'<div class="story"><p>{SENTENCE}</p><p>{SENTENCE} Two.</p><p class="author">Đinh Thị Yến</p></div>'
    body = _body(html)
    assert body.paragraphs[-1] == f"{SENTENCE} Two."
    assert body.byline == ["Đinh Thị Yến"]


def test_linked_cell_of_related_titles_is_not_text():
    links = "".join(f'<a href="/story-{i}.html">Related headline number {i} of the box</a>' for i in range(3))
    html = f'<div class="story"><table><tr><td>{links}</td></tr></table><p>{SENTENCE}</p><p>{SENTENCE} Two.</p></div>'
    assert _body(html).paragraphs == [SENTENCE, f"{SENTENCE} Two."]
