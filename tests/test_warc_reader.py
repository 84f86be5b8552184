"""Replaying from WARC files other tools wrote: no request records, chunked and gzipped payloads, revisit
records, WARC/1.0 URIs in <>, folders of files, a torn tail, a file gzipped as one stream."""

from __future__ import annotations

import gzip
import io
import logging

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.utils.test import get_crawler
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.archive import ArchiveError, UnusableRecord, find_archive, open_archive
from middlewares.archive import ReplayMiddleware

HTML = "<html><body><p>Tin mới</p></body></html>".encode()
URL = "http://news.example/a-100001.html"
DATE = "2026-11-25T12:00:00Z"


def response(writer, url, payload, headers=(), date=DATE, version_uri=None):
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), *headers], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        version_uri or url,
        "response",
        payload=io.BytesIO(payload),
        length=len(payload),
        http_headers=http,
        warc_headers_dict={"WARC-Date": date},
    )
    writer.write_record(record)
    return record


def revisit(writer, url, refers_to, digest, date="2026-11-26T08:00:00Z", profile=None):
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("X-Seen", "again")], protocol="HTTP/1.1")
    record = writer.create_revisit_record(url, digest, refers_to, DATE, http_headers=http)
    record.rec_headers.replace_header("WARC-Date", date)
    if profile:
        record.rec_headers.replace_header("WARC-Profile", profile)
    writer.write_record(record)


def warc(tmp_path, build, name="x.warc.gz", version="1.1"):
    path = tmp_path / name
    with path.open("wb") as handle:
        build(WARCWriter(handle, gzip=name.endswith(".gz"), warc_version=version))
    return path


def chunked(data: bytes, size: int = 7) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size]) for i in range(0, len(data), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def test_response_records_answer_without_request_records(tmp_path):
    path = warc(tmp_path, lambda w: response(w, URL, HTML))
    page = open_archive(path).load(URL)
    assert (page.status, page.body, page.fetched_at) == (200, HTML, "2026-11-25T12:00:00+00:00")
    assert open_archive(path).load("http://news.example/other-100002.html") is None


@pytest.mark.parametrize("name", ["x.warc", "x.warc.gz"])
def test_a_chunked_gzipped_payload_is_dechunked_and_left_for_scrapy_to_decompress(tmp_path, name):
    stored = chunked(gzip.compress(HTML))
    headers = [("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")]
    page = open_archive(warc(tmp_path, lambda w: response(w, URL, stored, headers), name)).load(URL)
    assert gzip.decompress(page.body) == HTML
    assert ("Content-Encoding", "gzip") in page.headers and not any(k == "Transfer-Encoding" for k, _ in page.headers)


def test_a_payload_marked_gzip_but_stored_decoded_loses_the_header(tmp_path):
    page = open_archive(warc(tmp_path, lambda w: response(w, URL, HTML, [("Content-Encoding", "gzip")]))).load(URL)
    assert page.body == HTML and not any(k.lower() == "content-encoding" for k, _ in page.headers)


def test_a_revisit_answers_with_its_own_headers_and_date_and_the_original_payload(tmp_path):
    def build(w):
        original = response(w, URL, HTML)
        revisit(w, URL, URL, original.rec_headers.get_header("WARC-Payload-Digest"))

    page = open_archive(warc(tmp_path, build)).load(URL)
    assert page.body == HTML and ("X-Seen", "again") in page.headers
    assert page.fetched_at == "2026-11-26T08:00:00+00:00"  # when the revisit was made


def test_a_revisit_of_another_url_written_before_its_original(tmp_path):
    other = "http://news.example/a-100001.html?utm_source=x"

    def build(w):
        digest = response(WARCWriter(io.BytesIO()), URL, HTML).rec_headers.get_header("WARC-Payload-Digest")
        revisit(w, other, URL, digest)
        response(w, URL, HTML)

    assert open_archive(warc(tmp_path, build)).load(other).body == HTML


def test_a_not_modified_revisit_takes_the_original_status(tmp_path):
    def build(w):
        original = response(w, URL, HTML)
        profile = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
        revisit(w, URL, URL, original.rec_headers.get_header("WARC-Payload-Digest"), profile=profile)

    page = open_archive(warc(tmp_path, build)).load(URL)
    assert page.status == 200 and page.body == HTML and ("X-Seen", "again") not in page.headers


def test_a_revisit_whose_original_is_missing_fails_with_the_reason(tmp_path):
    path = warc(tmp_path, lambda w: revisit(w, URL, URL, "sha1:AAAA"))
    with pytest.raises(UnusableRecord, match="revisit of a record not in the archive"):
        open_archive(path).load(URL)
    crawler = get_crawler(settings_dict={"NEWS_REPLAY": str(path)})
    middleware = ReplayMiddleware.from_crawler(crawler)
    with pytest.raises(IgnoreRequest, match="revisit of a record not in the archive"):
        middleware.process_request(Request(URL))


def test_warc_1_0_uris_in_angle_brackets_and_unescaped(tmp_path):
    url = "http://news.example/tin-mới-100003.html"
    path = warc(tmp_path, lambda w: response(w, url, HTML, version_uri=f"<{url}>"), version="1.0")
    assert open_archive(path).load(Request(url).url).body == HTML  # as Scrapy spells it: percent-encoded


def test_a_folder_of_warcs_the_last_record_answers(tmp_path):
    (tmp_path / "2026" / "11").mkdir(parents=True)
    warc(tmp_path, lambda w: response(w, URL, b"old"), name="2026/11/CC-NEWS-01.warc.gz")
    warc(tmp_path, lambda w: response(w, URL, HTML), name="2026/11/CC-NEWS-02.warc")
    assert find_archive(tmp_path) == (
        "warc",
        [tmp_path / "2026/11/CC-NEWS-01.warc.gz", tmp_path / "2026/11/CC-NEWS-02.warc"],
    )
    assert open_archive(tmp_path).load(URL).body == HTML


def test_a_torn_last_record_is_left_out_with_a_warning(tmp_path, caplog):
    def build(w):
        response(w, URL, HTML)
        response(w, "http://news.example/b-100002.html", HTML * 50)

    path = warc(tmp_path, build, name="x.warc")
    path.write_bytes(path.read_bytes()[:-300])
    with caplog.at_level(logging.WARNING):
        archive = open_archive(path)
    assert archive.load(URL).body == HTML and archive.load("http://news.example/b-100002.html") is None
    assert "torn record" in caplog.text


def test_a_warc_gzipped_as_one_stream_is_refused_naming_the_fix(tmp_path):
    def build(w):
        response(w, URL, HTML)
        response(w, "http://news.example/b-100002.html", HTML)

    plain = warc(tmp_path, build, name="x.warc")
    one_stream = tmp_path / "one.warc.gz"
    one_stream.write_bytes(gzip.compress(plain.read_bytes()))
    with pytest.raises(ArchiveError, match="warcio recompress"):
        open_archive(one_stream)


def test_find_archive_kinds_and_errors(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "index.jsonl").write_text("")
    assert find_archive(tmp_path / "folder") == ("folder", [tmp_path / "folder"])
    with pytest.raises(ArchiveError, match="no WARC file"):
        find_archive(tmp_path / "missing.warc.gz")
    with pytest.raises(ArchiveError, match="no archive"):
        find_archive(tmp_path / "missing")
