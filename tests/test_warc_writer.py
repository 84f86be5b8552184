"""WARC files written by `crawler crawl --archive FILE.warc.gz`: records, digests, appending, a torn tail."""

from __future__ import annotations

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.archive import ArchivedPage, ArchiveError, open_archive, open_writer
from crawler.warc_reader import Scan
from crawler.warc_writer import WarcWriter, warc_date

PAGE = ArchivedPage(
    url="http://baomau.example/thoi-su/mot-bai-100001.html?ref=home",
    status=200,
    headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"), ("Set-Cookie", "a=1")],
    body=b"\x1f\x8b\x08\x00 raw gzip bytes, as received",
    fetched_at="2026-11-25T12:00:00+00:00",
    method="GET",
    request_headers=(("User-Agent", "news-crawler"), ("Accept-Encoding", "gzip")),
)


def records(path):
    with open(path, "rb") as handle:
        # "raise": a wrong block or payload digest fails the test.
        for record in ArchiveIterator(handle, check_digests="raise"):
            yield record.rec_type, record.rec_headers, record.http_headers, record.content_stream().read()


@pytest.mark.parametrize("name", ["a.warc.gz", "a.warc"])
def test_a_request_and_a_response_record_per_answer(tmp_path, name):
    writer = open_writer(tmp_path / name)
    assert isinstance(writer, WarcWriter)
    writer.save(PAGE)
    writer.close()
    kinds = list(records(tmp_path / name))
    assert [k[0] for k in kinds] == ["warcinfo", "response", "request"]
    _, response_headers, http, payload = kinds[1]
    assert response_headers.protocol == "WARC/1.1"
    assert response_headers.get_header("WARC-Target-URI") == PAGE.url
    assert response_headers.get_header("WARC-Date") == "2026-11-25T12:00:00Z"  # the fetch time, not the write time
    assert http.statusline == "200 OK" and http.get_header("Set-Cookie") == "a=1"
    _, request_headers, request_http, _ = kinds[2]
    assert request_headers.get_header("WARC-Concurrent-To") == response_headers.get_header("WARC-Record-ID")
    assert request_http.protocol == "GET" and request_http.statusline.startswith(
        "/thoi-su/mot-bai-100001.html?ref=home"
    )
    assert (
        request_http.get_header("Host") == "baomau.example" and request_http.get_header("User-Agent") == "news-crawler"
    )


def test_round_trip_through_the_reader(tmp_path):
    writer = open_writer(tmp_path / "a.warc.gz")
    writer.save(PAGE)
    writer.close()
    again = open_archive(tmp_path / "a.warc.gz").load(PAGE.url)
    assert (again.status, again.headers, again.body, again.fetched_at) == (
        PAGE.status,
        PAGE.headers,
        PAGE.body,
        PAGE.fetched_at,
    )


def test_a_chunked_answer_is_stored_dechunked_under_a_renamed_header(tmp_path):
    writer = WarcWriter(tmp_path / "a.warc.gz")
    writer.save(ArchivedPage(**{**PAGE.__dict__, "headers": [("Transfer-Encoding", "chunked")], "body": b"<p>x</p>"}))
    writer.close()
    (_, _, http, payload) = list(records(tmp_path / "a.warc.gz"))[1]
    assert http.get_header("Transfer-Encoding") is None and http.get_header("X-Crawler-Transfer-Encoding") == "chunked"
    assert payload == b"<p>x</p>"


@pytest.mark.parametrize("name", ["a.warc.gz", "a.warc"])
@pytest.mark.parametrize("kept", [0.3, 0.6, 0.99], ids=["in-the-response", "in-the-request", "at-the-end"])
def test_a_resumed_crawl_appends_after_cutting_a_torn_record(tmp_path, name, kept):
    path, other = tmp_path / name, tmp_path / ("other-" + name)
    for target in (path, other):
        writer = WarcWriter(target)
        writer.save(PAGE)
        writer.close()
    # A crawl killed while writing its second page: the first part of a response and request pair, as written.
    start = [offset for record, offset in Scan(other) if record.rec_type == "response"][0]
    pair = other.read_bytes()[start:]
    with path.open("ab") as handle:
        handle.write(pair[: int(len(pair) * kept)])
    writer = WarcWriter(path)
    writer.save(ArchivedPage(**{**PAGE.__dict__, "url": "http://baomau.example/b-100002.html"}))
    writer.close()
    kinds = [k[0] for k in records(path)]  # every record readable, digests right
    assert kinds[:3] == ["warcinfo", "response", "request"] and kinds[-2:] == ["response", "request"]
    assert len(kinds) in (5, 6)  # a whole response before the tear is kept
    archive = open_archive(path)
    assert archive.load("http://baomau.example/b-100002.html").body == PAGE.body


def test_a_file_that_is_not_a_warc_is_not_appended_to(tmp_path):
    path = tmp_path / "notes.warc.gz"
    path.write_bytes(b"these are my notes\n")
    with pytest.raises(ArchiveError, match="not a WARC file"):
        WarcWriter(path)
    assert path.read_bytes() == b"these are my notes\n"


def test_warc_date_is_utc():
    assert warc_date("2026-11-25T19:00:00+07:00") == "2026-11-25T12:00:00Z"
