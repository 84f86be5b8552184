"""Archives of fetched responses: written by a live crawl (``--archive DIR``), read back by a replay
(``--replay DIR``), so a site can be re-extracted after a profile fix without downloading it again, and a crawl
can be tested offline.

A folder archive holds one page per request URL::

    DIR/<host>/<sha1 of the URL>.json    {"url", "response_url", "status", "headers": [[name, value], ...],
                                          "fetched_at"}
    DIR/<host>/<sha1 of the URL>.body    the body exactly as received (still compressed if it was sent so)
    DIR/index.jsonl                      one line per page saved: url, status, fetched_at, path

The body and headers are the raw answer (before Scrapy's decompression), what a WARC response record keeps too
(WARC files, read and written with warcio, are the planned second form); the replay hands them to the same
middlewares a live answer goes through. No Scrapy here.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


class ArchiveError(ValueError):
    """An archive that cannot be used; the message says why."""


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

    def _path(self, url: str) -> Path:
        host = (urlsplit(url).hostname or "_").lower()
        return self.root / host / (hashlib.sha1(url.encode("utf-8")).hexdigest() + ".json")


def open_archive(path: str | Path):
    """The archive at ``path`` for reading: a folder archive, or a WARC file (.warc, .warc.gz)."""
    path = Path(path)
    if path.name.endswith((".warc", ".warc.gz")):
        raise ArchiveError(f"{path}: WARC archives are not supported yet; use a folder made by --archive")
    if path.is_dir():
        return FolderArchive(path)
    raise ArchiveError(f"no archive at {path} (a folder made by --archive)")


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
