"""Answering a replay from WARC files (``crawler crawl --replay FILE.warc.gz`` or a folder of them), with warcio.

The files are indexed once, at start: target URI -> (file, offset) of the last response or revisit record
for it. Nothing else is kept in memory; a record is read from its offset when its URL is requested. Request
records are not needed (many archives have none). What other tools write is taken as it comes:

- a chunked payload (``Transfer-Encoding: chunked`` kept in the stored response) is de-chunked;
- a compressed payload (``Content-Encoding: gzip``, br, deflate) is handed on compressed, with its header,
  and Scrapy decompresses it as it would a live answer; a payload marked gzip but stored decompressed (some
  tools do) loses the header instead of failing to decompress. Common Crawl keeps decoded payloads with the
  headers renamed (``X-Crawler-Content-Encoding``), which needs nothing;
- a revisit record (the page fetched again, the same payload not stored twice) answers with its own status
  and headers and the payload of the record it refers to (by WARC-Refers-To-Target-URI, or its own URI),
  found in the archive; one whose original is not there fails as ``revisit of a record not in the archive``;
- a file gzipped as one stream (not record by record) cannot be read by offset: it is refused, naming the
  fix; a torn last record (a crawl killed while writing) is left out, with a warning.

The fetch time (the record's crawled_at) is the record's WARC-Date. No Scrapy here.
"""

from __future__ import annotations

import logging
import zlib
from pathlib import Path

from w3lib.url import safe_url_string
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.statusandheaders import StatusAndHeadersParserException
from warcio.timeutils import iso_date_to_datetime

from crawler.archive import ArchivedPage, ArchiveError, UnusableRecord

logger = logging.getLogger(__name__)

# What a damaged or torn record raises when read: warcio's own errors, and (for a record torn inside its
# WARC headers, which then lack WARC-Target-URI) the AttributeError it raises on the missing header.
READ_ERRORS = (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, zlib.error, ValueError, AttributeError)
_ANSWERS = ("response", "revisit")


class WarcArchive:
    def __init__(self, files: list[Path]):
        self.files = list(files)
        self._index: dict[str, tuple] = {}
        """URI -> (file number, offset) for a response; (file number, offset, original) for a revisit,
        original being the (file number, offset) of the response holding its payload, or None."""
        pending: dict[str, str] = {}
        for number, path in enumerate(self.files):
            self._index_file(number, path, pending)
        # A revisit may come before its original (files in another order than they were written).
        for uri, refers_to in pending.items():
            entry = self._index[uri]
            if len(entry) == 3 and entry[2] is None:
                self._index[uri] = (entry[0], entry[1], self._original(refers_to))

    def __len__(self) -> int:
        return len(self._index)

    def load(self, url: str) -> ArchivedPage | None:
        entry = self._index.get(_key(url))
        if entry is None:
            return None
        record = self._read(entry[0], entry[1])
        if len(entry) == 2:
            return record.page(url)
        if entry[2] is None:
            raise UnusableRecord("revisit of a record not in the archive")
        original = self._read(*entry[2])
        if record.digest and original.digest and record.digest != original.digest:
            raise UnusableRecord("revisit of a record not in the archive")
        return record.with_payload_of(original).page(url)

    def _index_file(self, number: int, path: Path, pending: dict[str, str]) -> None:
        scan = Scan(path)
        for record, offset in scan:
            if record.rec_type not in _ANSWERS:
                continue
            uri = _key(record.rec_headers.get_header("WARC-Target-URI") or "")
            if not uri:
                continue
            if record.rec_type == "response":
                self._index[uri] = (number, offset)
                continue
            refers_to = _key(record.rec_headers.get_header("WARC-Refers-To-Target-URI") or "") or uri
            original = self._original(refers_to)
            self._index[uri] = (number, offset, original)
            if original is None:
                pending[uri] = refers_to
        if scan.problem:
            logger.warning(
                "Archive: %(problem)s; the records before it are used: %(path)s",
                {"problem": scan.problem, "path": path},
            )

    def _original(self, uri: str) -> tuple[int, int] | None:
        entry = self._index.get(uri)
        if entry is None:
            return None
        return entry if len(entry) == 2 else entry[2]  # a revisit of a revisit: the payload is the first's

    def _read(self, number: int, offset: int) -> StoredAnswer:
        with self.files[number].open("rb") as handle:
            handle.seek(offset)
            try:
                return StoredAnswer.of(next(iter(ArchiveIterator(handle))))
            except (StopIteration, *READ_ERRORS) as exc:
                raise UnusableRecord(f"unreadable record ({exc.__class__.__name__})") from None


class Scan:
    """One pass over a WARC file: its whole records with their offsets, stopping at a torn or unreadable one
    (``problem`` then says what, ``end`` is where the last whole record ends)."""

    def __init__(self, path: Path):
        self.path = path
        self.problem: str | None = None
        self.end = 0
        self.last_offset = 0

    def __iter__(self):
        with self.path.open("rb") as handle:
            records = ArchiveIterator(handle)
            try:
                for record in records:
                    offset = records.get_record_offset()  # reads the record to its end
                    if isinstance(record.raw_stream, LimitReader) and record.raw_stream.limit > 0:
                        self.problem = f"torn record at offset {offset}"
                        return
                    self.last_offset, self.end = offset, records.offset
                    yield record, offset
            except ArchiveLoadFailed as exc:
                if "non-chunked gzip" in str(exc):
                    raise ArchiveError(
                        f"{self.path}: gzipped as one stream, not record by record, so its records cannot be "
                        f"read by offset; `warcio recompress` fixes it"
                    ) from None
                self.problem = f"unreadable after offset {self.end} ({exc})"
            except READ_ERRORS as exc:
                self.problem = f"unreadable after offset {self.end} ({exc.__class__.__name__}: {exc})"


class StoredAnswer:
    """A response or revisit record's HTTP answer: status, headers, payload (de-chunked), fetch time."""

    def __init__(self, status, headers, payload, fetched_at, digest, not_modified):
        self.status: int | None = status
        self.headers: list[tuple[str, str]] = headers
        self.payload: bytes = payload
        self.fetched_at: str = fetched_at
        self.digest: str | None = digest
        self.not_modified: bool = not_modified
        """A revisit of the server-not-modified profile: its own status (304) is not the page's."""

    @classmethod
    def of(cls, record) -> StoredAnswer:
        http = record.http_headers
        headers = list(http.headers) if http is not None else []
        stream = record.raw_stream
        if _header(headers, "transfer-encoding").lower() == "chunked":
            # Falls back to the bytes as they are when the payload was stored de-chunked after all.
            stream = ChunkedDataReader(stream)
        payload = stream.read() if record.rec_type == "response" else b""
        status = _status(http)
        return cls(
            status=status,
            headers=headers,
            payload=payload,
            fetched_at=iso_date_to_datetime(record.rec_headers.get_header("WARC-Date"), tz_aware=True).isoformat(),
            digest=record.rec_headers.get_header("WARC-Payload-Digest"),
            not_modified="server-not-modified" in (record.rec_headers.get_header("WARC-Profile") or ""),
        )

    def with_payload_of(self, original: StoredAnswer) -> StoredAnswer:
        """This revisit answered with its original's payload (and status and headers, when it has none or
        they describe a 304)."""
        own = self.status is not None and not self.not_modified
        return StoredAnswer(
            status=self.status if own else original.status,
            headers=self.headers if own else original.headers,
            payload=original.payload,
            fetched_at=self.fetched_at,
            digest=original.digest,
            not_modified=False,
        )

    def page(self, url: str) -> ArchivedPage:
        if self.status is None:
            raise UnusableRecord("record without an HTTP status line")
        return ArchivedPage(
            url=url,
            status=self.status,
            headers=_replay_headers(self.headers, self.payload),
            body=self.payload,
            fetched_at=self.fetched_at,
        )


def _replay_headers(headers: list[tuple[str, str]], payload: bytes) -> list[tuple[str, str]]:
    """The stored headers as they fit the payload handed on: never chunked any more, and gzip only if the
    payload is gzip (else Scrapy would fail to decompress a payload another tool stored decoded)."""
    is_gzip = payload[:2] == b"\x1f\x8b"
    kept = []
    for name, value in headers:
        lowered = name.lower()
        if lowered == "transfer-encoding":
            continue
        if lowered == "content-encoding" and value.strip().lower() in ("gzip", "x-gzip") and not is_gzip:
            continue
        kept.append((name, value))
    return kept


def _status(http) -> int | None:
    if http is None or not http.statusline:
        return None
    try:
        return int(http.get_statuscode())
    except (TypeError, ValueError):
        return None


def _header(headers: list[tuple[str, str]], name: str) -> str:
    return next((value for key, value in headers if key.lower() == name), "")


def _key(uri: str) -> str:
    """A URI as Scrapy writes request URLs (percent-encoded), so the archive's and the crawl's spellings meet;
    WARC/1.0 files may wrap it in <>."""
    uri = uri.strip()
    if uri.startswith("<") and uri.endswith(">"):
        uri = uri[1:-1]
    return safe_url_string(uri) if uri else ""
