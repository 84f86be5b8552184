"""Records to rows and rows back to records: the one place that knows how an Article maps onto the tables."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from crawler.items import EXPORT_FIELDS, Article
from crawler.store.schema import CHILD_TABLES, article_authors, article_images, article_tags

SCALAR_FIELDS = tuple(name for name in EXPORT_FIELDS if name not in CHILD_TABLES)

# What a reader would call a new version of the article. Not crawled_at (every fetch has its own), not the
# extractor or the site name (our rules improving is not the site correcting the article), not tags (sites
# retag old articles in bulk; a revision per retag would bury the real corrections).
HASHED_FIELDS = ("title", "lede", "body", "published", "modified", "authors", "images")

# Per child table: the column each list element fills.
_CHILD_VALUE = {"authors": "name", "tags": "tag"}
_IMAGE_KEYS = ("url", "caption", "credit")
# json.dumps(value, ensure_ascii=False, sort_keys=True), without building an encoder on every call.
_encode_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def as_record(article: Article | Mapping) -> dict:
    """The exported form of ``article`` (an Article or a record mapping), every field present."""
    if isinstance(article, Article):
        return article.to_dict()
    record = {name: article.get(name) for name in EXPORT_FIELDS}
    for name in CHILD_TABLES:
        record[name] = list(record[name] or [])
    record["images"] = [_image_dict(image) for image in record["images"]]
    return record


def content_hash(record: Mapping) -> str:
    """sha256 (hex) of the fields whose change makes a revision.

    Strings are hashed as they are, length-prefixed (no JSON encoding of a 4 KB body: this runs once per record
    and was a sixth of the writer's time); lists go through JSON, which is cheap for them.
    """
    digest = hashlib.sha256()
    for name in HASHED_FIELDS:
        value = record.get(name)
        if value is None:
            digest.update(b"N")
            continue
        text = value if isinstance(value, str) else _encode_json(value)
        # UTF-16: half the cost of UTF-8 for Vietnamese text, which Python keeps as 2-byte characters.
        data = text.encode("utf-16-le")
        digest.update(b"S%d:" % len(data))
        digest.update(data)
    return digest.hexdigest()


def published_utc(value: str | None) -> datetime | None:
    """``published`` in UTC, or None when it has no offset (a local time nobody can place, or a date alone)."""
    if not value or len(value) <= 10:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(timezone.utc) if moment.tzinfo else None


def article_row(record: Mapping) -> dict:
    """The ``articles`` columns of a record (without id and the seen times, which the writer sets)."""
    row = {name: record[name] for name in SCALAR_FIELDS}
    row["canonical_url"] = record["canonical_url"] or record["url"]
    if not row["canonical_url"]:
        raise ValueError("a record needs canonical_url (or url) to be stored")
    row["published_utc"] = published_utc(record["published"])
    row["content_hash"] = content_hash(record)
    return row


def child_rows(article_id: int, record: Mapping) -> dict[str, list[dict]]:
    """Rows for each child table, positions in page order."""
    rows = {}
    for name, column in _CHILD_VALUE.items():
        rows[name] = [{"article_id": article_id, "position": i, column: value} for i, value in enumerate(record[name])]
    rows["images"] = [
        {"article_id": article_id, "position": i, **{key: image.get(key) for key in _IMAGE_KEYS}}
        for i, image in enumerate(record["images"])
    ]
    return rows


def load_records(conn: Connection, rows: Sequence) -> list[dict]:
    """Records for ``articles`` rows, with their lists from the child tables: one query per table for all."""
    ids = [row.id for row in rows]
    lists = {name: _children(conn, table, ids) for name, table in CHILD_TABLES.items()}
    records = []
    for row in rows:
        record = {name: getattr(row, name) for name in SCALAR_FIELDS}
        for name in CHILD_TABLES:
            record[name] = lists[name].get(row.id, [])
        records.append({name: record[name] for name in EXPORT_FIELDS})
    return records


def _children(conn: Connection, table: sa.Table, ids: list[int]) -> dict[int, list]:
    if not ids:
        return {}
    found: dict[int, list] = {}
    query = sa.select(table).where(table.c.article_id.in_(ids)).order_by(table.c.article_id, table.c.position)
    for row in conn.execute(query):
        found.setdefault(row.article_id, []).append(_element(table, row))
    return found


def _element(table: sa.Table, row):
    if table is article_authors:
        return row.name
    if table is article_tags:
        return row.tag
    assert table is article_images
    return {key: getattr(row, key) for key in _IMAGE_KEYS}


def _image_dict(image) -> dict:
    if isinstance(image, Mapping):
        return {key: image.get(key) for key in _IMAGE_KEYS}
    return {key: getattr(image, key, None) for key in _IMAGE_KEYS}


def iter_chunks(items: Iterable, size: int) -> Iterable[list]:
    """``items`` in lists of at most ``size``: IN (...) lists stay under the engines' parameter limits."""
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
