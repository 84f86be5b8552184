"""Records back out of the database, streaming: memory stays flat whether there are a thousand rows or millions.

Rows come through a server-side cursor on PostgreSQL (SQLite steps through its result lazily anyway), a chunk
at a time; each chunk's authors, tags and images are fetched with one query per child table. Writers take any
iterable of records and hold one record (Parquet: one row group) at a time.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from crawler.items import EXPORT_FIELDS
from crawler.store.records import load_records
from crawler.store.schema import articles

# Rows fetched from the cursor at a time: large enough that the child queries are few, small enough to be
# nothing in memory (about 5 MB with 4 KB bodies).
CHUNK_ROWS = 1000
# Records per Parquet row group: readers skip groups by their statistics, so not one giant group either.
PARQUET_GROUP_ROWS = 10_000


class ExportError(Exception):
    """The export cannot be written as asked; the message says why."""


def iter_records(
    engine: Engine,
    since: datetime | None = None,
    until: datetime | None = None,
    site: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> Iterator[dict]:
    """Stored records in storage order. ``since`` (inclusive) and ``until`` (exclusive) compare with the
    publication time in UTC, so they leave out articles whose time has no known offset; ``site`` is exact."""
    query = sa.select(articles).order_by(articles.c.id)
    if site is not None:
        query = query.where(articles.c.site == site)
    if since is not None:
        query = query.where(articles.c.published_utc >= since)
    if until is not None:
        query = query.where(articles.c.published_utc < until)
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=chunk_rows).execute(query)
        for rows in result.partitions():
            yield from load_records(conn, rows)


def write_jsonl(records: Iterable[dict], out: IO[str]) -> int:
    """One JSON object per line, fields in record order, UTF-8 unescaped; returns the number written."""
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(records: Iterable[dict], out: IO[str]) -> int:
    """A header of the record's fields, then one row per record; lists are JSON cells (as ``crawler scrape
    -o x.csv`` writes them), so names with commas and image captions survive."""
    writer = csv.writer(out)
    writer.writerow(EXPORT_FIELDS)
    count = 0
    for record in records:
        writer.writerow([_csv_cell(record[name]) for name in EXPORT_FIELDS])
        count += 1
    return count


def write_parquet(records: Iterable[dict], path: str) -> int:
    """A Parquet file with typed columns (lists as lists, images as structs); needs the ``parquet`` extra."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ExportError("Parquet needs pyarrow: pip install 'news-crawler[parquet]'") from None
    schema = _parquet_schema(pa)
    count, group = 0, []
    with pq.ParquetWriter(path, schema) as writer:
        for record in records:
            group.append(record)
            if len(group) == PARQUET_GROUP_ROWS:
                writer.write_table(pa.Table.from_pylist(group, schema=schema))
                count, group = count + len(group), []
        if group or count == 0:
            writer.write_table(pa.Table.from_pylist(group, schema=schema))
            count += len(group)
    return count


def _parquet_schema(pa):
    types = {
        "authors": pa.list_(pa.string()),
        "tags": pa.list_(pa.string()),
        "images": pa.list_(pa.struct([("url", pa.string()), ("caption", pa.string()), ("credit", pa.string())])),
        "schema_version": pa.int32(),
    }
    return pa.schema([(name, types.get(name, pa.string())) for name in EXPORT_FIELDS])


def _csv_cell(value):
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


# Format name -> writer: jsonl and csv write to an open text file, parquet to a path (pyarrow opens it).
WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}
