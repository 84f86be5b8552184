"""Archives of fetched responses: written by a live crawl (``--archive DIR`` or ``--archive FILE.warc.gz``),
read back by a replay (``--replay ARCHIVE``), so a site can be re-extracted after a profile fix without
downloading it again, and a crawl can be tested offline.

Two forms. A WARC file (.warc, .warc.gz; crawler/warc_writer.py, crawler/warc_reader.py) is what Common
Crawl's news archive and many newsrooms keep; a replay reads one file, or every WARC file under a folder. A
folder archive holds one page per request URL::

    DIR/<host>/<sha1 of the URL>.json    {"url", "response_url", "status", "headers": [[name, value], ...],
                                          "fetched_at"}
    DIR/<host>/<sha1 of the URL>.body    the body exactly as received (still compressed if it was sent so)
    DIR/index.jsonl                      one line per page saved: url, status, fetched_at, path

The body and headers are the raw answer (before Scrapy's decompression), what a WARC response record keeps
too; the replay hands them to the same middlewares a live answer goes through. No Scrapy here.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

WARC_SUFFIXES = (".warc", ".warc.gz")


class ArchiveError(ValueError):
    """An archive that cannot be used; the message says why."""


class UnusableRecord(LookupError):
    """The archive holds the URL, but not in a form that can answer it (a revisit whose original is not in
    the archive, a torn record); the message says why and becomes the fetch failure's reason."""


@dataclass(frozen=True)
class ArchivedPage:
    url: str
    """The request URL: the archive's key."""
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: str
    """When it was fetched, ISO 8601 (the record's crawled_at on replay)."""
    response_url: str | None = None
    """The URL the answer came from, when not the request URL."""
    method: str = "GET"
    request_headers: tuple[tuple[str, str], ...] = ()
    """The request as sent: a WARC keeps it in a request record; a folder archive does not keep it."""


class FolderArchive:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def save(self, page: ArchivedPage) -> Path:
        meta_path = self._path(page.url)
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(meta_path.with_suffix(".body"), page.body)
        meta = {
            "url": page.url,
            "response_url": page.response_url or page.url,
            "status": page.status,
            "headers": [list(pair) for pair in page.headers],
            "fetched_at": page.fetched_at,
        }
        # The metadata last: a page whose .json exists is complete, even after a kill -9.
        _write_atomic(meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        line = {
            "url": page.url,
            "status": page.status,
            "fetched_at": page.fetched_at,
            "path": str(meta_path.relative_to(self.root)),
        }
        with (self.root / "index.jsonl").open("a", encoding="utf-8") as index:
            index.write(json.dumps(line, ensure_ascii=False) + "\n")
        return meta_path

    def load(self, url: str) -> ArchivedPage | None:
        meta_path = self._path(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = meta_path.with_suffix(".body").read_bytes()
        except FileNotFoundError:
            return None
        return ArchivedPage(
            url=meta["url"],
            status=meta["status"],
            headers=[(name, value) for name, value in meta["headers"]],
            body=body,
            fetched_at=meta["fetched_at"],
            response_url=meta.get("response_url"),
        )

    def __len__(self) -> int:
        return sum(1 for _ in self.root.glob("*/*.json"))

    def close(self) -> None:
        """Nothing held open: each page is written whole when saved."""

    def _path(self, url: str) -> Path:
        host = (urlsplit(url).hostname or "_").lower()
        return self.root / host / (hashlib.sha1(url.encode("utf-8")).hexdigest() + ".json")


def is_warc(path: str | Path) -> bool:
    return str(path).lower().endswith(WARC_SUFFIXES)


def find_archive(path: str | Path) -> tuple[str, list[Path]]:
    """What ``path`` holds, without reading it: ``("folder", [path])`` for a folder archive, ``("warc", files)``
    for a WARC file or a folder of them (searched through its subfolders, in name order: where a URL is in
    more than one record, the last one answers). Cheap, so the command line checks --replay before starting."""
    path = Path(path)
    if is_warc(path):
        if not path.is_file():
            raise ArchiveError(f"no WARC file at {path}")
        return "warc", [path]
    if not path.is_dir():
        raise ArchiveError(f"no archive at {path} (a folder made by --archive, a WARC file, or a folder of them)")
    if (path / "index.jsonl").exists():
        return "folder", [path]
    warcs = sorted(p for p in path.rglob("*") if is_warc(p) and p.is_file())
    return ("warc", warcs) if warcs else ("folder", [path])


def open_archive(path: str | Path):
    """The archive at ``path`` for reading (see :func:`find_archive`). A WARC archive is indexed here, one pass
    over its files."""
    kind, files = find_archive(path)
    if kind == "folder":
        return FolderArchive(files[0])
    from crawler.warc_reader import WarcArchive

    return WarcArchive(files)


def open_writer(target: str | Path):
    """Where a crawl saves what it fetched: a WARC file when ``target`` ends in .warc or .warc.gz (gzipped
    record by record), else a folder archive."""
    if is_warc(target):
        from crawler.warc_writer import WarcWriter

        return WarcWriter(target)
    return FolderArchive(target)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
