"""Bad input never crashes extraction: it yields a record with what could be found, or a clear error."""

from __future__ import annotations

import gzip
import unicodedata
from datetime import datetime, timezone

import pytest

from crawler.extract import ExtractionError, build_record
from crawler.extract.document import decode_html, load_page

NOW = datetime(2026, 7, 20, 8, 0, tzinfo=timezone.utc)
TITLE = "Hà Nội: Người dân đổ về trung tâm đón Tết Độc Lập"
PARAGRAPH = (
    "Từ sáng sớm, hàng nghìn người dân đã có mặt tại các tuyến phố trung tâm, mang theo cờ hoa và "
    "chụp ảnh lưu niệm cùng gia đình, bạn bè trong không khí rộn ràng của ngày lễ lớn. "
)


def article_html(charset: str = "utf-8", lang: str = "vi") -> str:
    body = "".join(f"<p>{PARAGRAPH}Đoạn {i}.</p>" for i in range(6))
    return (
        f'<html lang="{lang}"><head><meta charset="{charset}"><title>{TITLE} | Báo Mẫu</title></head>'
        f'<body><article><h1>{TITLE}</h1><div class="article-body">{body}</div></article></body></html>'
    )


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Vietnamese text in windows-1258: precomposed vowels where the code page has them, tones combining."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        # The code page has the vowels with circumflex, breve and horn; the five tone marks stay combining.
        marks = unicodedata.normalize("NFD", char)
        tones = "".join(m for m in marks if m in _TONES)
        letter = unicodedata.normalize("NFC", "".join(m for m in marks if m not in _TONES))
        out += (letter + tones).encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize("data", [b"", b"   \n\t ", gzip.compress(b"")], ids=["empty", "blank", "empty-gzip"])
def test_empty_input_is_a_clear_error(data):
    with pytest.raises(ExtractionError, match="empty page"):
        build_record(data, "https://example.vn/a-1.html", NOW)


def test_binary_bytes_are_a_clear_error():
    data = bytes(range(256)) * 64
    with pytest.raises(ExtractionError, match="binary"):
        build_record(data.replace(b"<", b""), "https://example.vn/a-1.html", NOW)


def test_windows_1258_page_is_decoded():
    data = to_cp1258(article_html(charset="windows-1258"))
    record = build_record(data, "https://example.vn/ha-noi-1.html", NOW)
    assert record.title == TITLE
    assert "hàng nghìn người dân" in record.body


def test_utf8_page_with_a_lying_charset_is_decoded_as_utf8():
    data = article_html(charset="iso-8859-1").encode("utf-8")
    record = build_record(data, "https://example.com/a-1.html", NOW)
    assert record.title == TITLE


def test_legacy_page_claiming_utf8_falls_back_to_the_vietnamese_code_page():
    data = to_cp1258(article_html(charset="utf-8"))
    text, encoding = decode_html(data, url="https://example.vn/a-1.html")
    assert encoding == "cp1258"
    assert TITLE in unicodedata.normalize("NFC", text)


def test_byte_order_mark_and_xml_declaration():
    data = b"\xef\xbb\xbf<?xml version='1.0' encoding='utf-8'?>" + article_html().encode("utf-8")
    assert build_record(data, "https://example.vn/a-1.html", NOW).title == TITLE


def test_gzip_bytes_are_recognised_by_their_magic_number():
    data = gzip.compress(article_html().encode("utf-8"))
    assert build_record(data, "https://example.vn/a-1.html", NOW).title == TITLE


def test_a_five_megabyte_page_gives_a_record():
    filler = "<div class='comment'><p>" + "bình luận " * 40 + "</p></div>"
    page = article_html().replace("</article>", "</article>" + filler * (5_000_000 // len(filler)))
    record = build_record(page.encode("utf-8"), "https://example.vn/a-1.html", NOW)
    assert len(page) > 5_000_000
    assert record.title == TITLE
    assert record.body and "hàng nghìn người dân" in record.body


def test_broken_html_still_gives_what_can_be_found():
    page = f"<html><body><h1>{TITLE}<div class='article-body'><p>{PARAGRAPH}<p>{PARAGRAPH}<table><tr><td>"
    record = build_record(page.encode("utf-8"), "https://example.vn/a-1.html", NOW)
    assert TITLE in (record.title or "")
    assert "hàng nghìn người dân" in (record.body or "")


def test_a_page_with_no_article_is_a_record_saying_so():
    links = "".join(f"<li><a href='/tin-{i}.html'>Tin số {i} trong ngày</a></li>" for i in range(40))
    page = f"<html><head><title>Trang chủ</title></head><body><nav><ul>{links}</ul></nav></body></html>"
    record = build_record(page.encode("utf-8"), "https://example.vn/", NOW)
    assert record.page_type != "article"
    assert record.published is None and record.authors == [] and record.images == []


def test_a_date_that_cannot_be_read_stays_null_with_its_text():
    page = article_html().replace("<h1>", "<span class='date'>Thứ hai, ngày không rõ</span><h1>")
    record = build_record(page.encode("utf-8"), "https://example.vn/a-1.html", NOW)
    assert record.published is None  # never "now"


def test_load_page_keeps_the_url_as_base():
    page = load_page(b"<html><head><base href='https://cdn.example.vn/x/'></head><body></body></html>", "https://example.vn/a")
    assert page.absolute("img.jpg") == "https://cdn.example.vn/x/img.jpg"
