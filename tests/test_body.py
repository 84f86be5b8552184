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
