"""Writing what a crawl fetched as a WARC file (``crawler crawl --archive FILE.warc.gz``), with warcio.

Each answer becomes a response record (WARC/1.1; WARC-Date the fetch time, the HTTP status line and headers,
the body as received, still compressed if the site sent it so) and the request record that asked for it. A
.warc.gz is gzipped record by record, as the WARC standard's annex asks, so a reader can seek to any record
and a file can be appended to: a resumed crawl appends to the archive of the run it resumes. No Scrapy here.
"""

from __future__ import annotations

import io
import logging
import zlib
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from crawler import __version__
from crawler.archive import ArchivedPage, ArchiveError
from crawler.warc_reader import Scan

logger = logging.getLogger(__name__)

# Scrapy's HTTP client has already joined a chunked body: the payload kept is not chunked any more, so the
# header is kept under the name Common Crawl gives it, where readers will not try to de-chunk the payload.
_RENAMED = {"transfer-encoding": "X-Crawler-Transfer-Encoding"}


class WarcWriter:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.gzip = self.path.name.lower().endswith(".gz")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists() or self.path.stat().st_size == 0
        if not new:
            _cut_torn_tail(self.path)
        # Unbuffered and appending: each record pair is one write at the end of the file, even with several
        # sites' crawls (one writer each) appending to the same file in one process.
        self._file = open(self.path, "ab", buffering=0)  # noqa: SIM115 - closed in close()
        if new:
            self._write(lambda writer: writer.write_record(_warcinfo(writer, self.path.name)))

    def save(self, page: ArchivedPage) -> None:
        def write(writer: WARCWriter) -> None:
            writer.write_request_response_pair(_request_record(writer, page), _response_record(writer, page))

        self._write(write)

    def close(self) -> None:
        self._file.close()

    def _write(self, build) -> None:
        # Built in memory first, so a record is never left half-written by an error while it is made.
        buffer = io.BytesIO()
        build(WARCWriter(buffer, gzip=self.gzip, warc_version="1.1"))
        data = memoryview(buffer.getvalue())
        while data:
            data = data[self._file.write(data) :]


def warc_date(fetched_at: str) -> str:
    """An ISO 8601 fetch time ('2026-11-25T19:00:00+07:00') as a WARC-Date ('2026-11-25T12:00:00Z')."""
    moment = datetime.fromisoformat(fetched_at).astimezone(timezone.utc).replace(tzinfo=None)
    return datetime_to_iso_date(moment, use_micros=True)


def _response_record(writer: WARCWriter, page: ArchivedPage):
    reason = _reason(page.status)
    headers = [(_RENAMED.get(name.lower(), name), value) for name, value in page.headers]
    http = StatusAndHeaders(f"{page.status} {reason}".strip(), headers, protocol="HTTP/1.1")
    return writer.create_warc_record(
        page.response_url or page.url,
        "response",
        payload=io.BytesIO(page.body),
        length=len(page.body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": warc_date(page.fetched_at)},
    )


def _request_record(writer: WARCWriter, page: ArchivedPage):
    parts = urlsplit(page.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = list(page.request_headers)
    # Scrapy's HTTP client adds Host itself, after the middlewares: the request as sent had it.
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", parts.netloc))
    http = StatusAndHeaders(f"{page.method} {target} HTTP/1.1", headers, is_http_request=True)
    return writer.create_warc_record(page.url, "request", http_headers=http)


def _warcinfo(writer: WARCWriter, filename: str):
    info = {"software": f"news-crawler/{__version__} (warcio)", "format": "WARC File Format 1.1"}
    return writer.create_warcinfo_record(filename, info)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _cut_torn_tail(path: Path) -> None:
    """Cut a torn last record off (a crawl killed while writing it), so the records appended after it can be
    read; a file that is not a WARC at all is refused, not appended to."""
    scan = Scan(path)
    whole = sum(1 for _ in scan)
    if not whole:
        raise ArchiveError(f"{path}: not a WARC file ({scan.problem}); give --archive a new file")
    end = scan.end
    if path.name.lower().endswith(".gz") and not _member_is_whole(path, scan.last_offset, end):
        end = scan.last_offset  # its payload is all there, but a gzip member without its trailer ends it
    size = path.stat().st_size
    if end < size:
        logger.warning("Archive: torn record cut off (%(bytes)d bytes): %(path)s", {"bytes": size - end, "path": path})
        with path.open("r+b") as handle:
            handle.truncate(end)


def _member_is_whole(path: Path, start: int, end: int) -> bool:
    with path.open("rb") as handle:
        handle.seek(start)
        member = handle.read(end - start)
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        inflater.decompress(member)
    except zlib.error:
        return False
    return inflater.eof
