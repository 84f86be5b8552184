"""Batched upserts: articles go in by canonical URL, in one transaction per batch.

Per batch, whatever its size, a handful of statements (executemany or IN lists), never a query per article:

1. ``INSERT ... ON CONFLICT (canonical_url) DO NOTHING RETURNING id`` for the whole batch: the rows returned
   are the new articles. That the database says so, not an earlier read, is what keeps several writer
   processes from duplicating or misclassifying an article on PostgreSQL.
2. The others already existed: their rows are read ``FOR UPDATE`` (locked until commit) with their hash.
3. Same content hash: only ``last_seen`` moves. A changed hash: the previous version goes to ``revisions``,
   then the row and its authors, tags and images are replaced.

The search words of a batch's articles are made by a helper process (words_process.py) while the batch's other
rows are written, and written last, in the same transaction.

A batch that fails is rolled back whole (what was stored before stays as it was) and stays pending; one that
lost a PostgreSQL deadlock or serialization conflict is retried. Keys are written in sorted order, so two
writers lock rows in the same order and rarely deadlock at all.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from crawler.items import Article
from crawler.store import bulk
from crawler.store.engine import redact
from crawler.store.errors import translate
from crawler.store.records import article_row, as_record, iter_chunks, load_records
from crawler.store.schema import articles, revisions
from crawler.store.words_process import WordsHelper

log = logging.getLogger(__name__)

# PostgreSQL's "try again" errors: serialization_failure, deadlock_detected.
_RETRY_SQLSTATES = {"40001", "40P01"}
_ATTEMPTS = 5
# IN (...) lists of at most this many keys: far below SQLite's and PostgreSQL's parameter limits.
_IN_CHUNK = 1000
# Batches of fewer articles make their search words themselves: a helper process is not worth starting for a
# slow crawl's timer flushes or a test's few records.
HELPER_MIN_BATCH = 50


@dataclass(frozen=True)
class Outcome:
    """What storing one record did: ``new``, ``updated`` (a revision was kept) or ``unchanged``."""

    site: str | None
    canonical_url: str
    status: str


class ArticleWriter:
    """Collects records and writes them ``batch_size`` at a time; :meth:`flush` writes the open batch;
    :meth:`close` stops the helper process (also stopped when the writer is garbage-collected or the process
    exits)."""

    def __init__(self, engine: Engine, batch_size: int = 500, clock: Callable[[], datetime] | None = None):
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.engine = engine
        self.batch_size = batch_size
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        # canonical_url -> (record, articles row); a dict keeps the order records came in.
        self._pending: dict[str, tuple[dict, dict]] = {}
        self._helper = WordsHelper()

    @property
    def pending(self) -> int:
        return len(self._pending)

    def add(self, article: Article | Mapping) -> list[Outcome]:
        """Queue a record; returns the outcomes of the batch this completed, else []."""
        record = as_record(article)
        row = article_row(record)
        outcomes = []
        if row["canonical_url"] in self._pending:
            # The same article twice in one batch (an AMP page with the same canonical URL): write the first,
            # so that the second is compared with it like any re-crawl.
            outcomes += self.flush()
        self._pending[row["canonical_url"]] = (record, row)
        if len(self._pending) >= self.batch_size:
            outcomes += self.flush()
        return outcomes

    def flush(self) -> list[Outcome]:
        """Write the open batch in one transaction; returns its outcomes in the order records were added."""
        if not self._pending:
            return []
        batch = list(self._pending.values())
        words = None
        if len(batch) >= HELPER_MIN_BATCH:
            keys = list(self._pending)
            made = self._helper.submit([(record["title"], record["body"]) for record, _ in batch])
            words = _Keyed(keys, made)
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                with self.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
                    statuses = write_batch(conn, batch, self._clock(), words)
                break
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) in _RETRY_SQLSTATES and attempt < _ATTEMPTS:
                    log.info("Store: batch retried after %s (attempt %d)", type(exc.orig).__name__, attempt)
                    time.sleep(random.uniform(0.05, 0.2) * attempt)  # jitter: the two writers do not meet again
                    continue
                error = translate(exc, redact(self.engine.url))
                if error is None:
                    raise
                raise error from exc
        outcomes = [Outcome(record["site"], key, statuses[key]) for key, (record, _) in self._pending.items()]
        self._pending.clear()
        return outcomes

    def close(self) -> None:
        """Stop the helper process; the writer still works (making search words itself)."""
        self._helper.close()


class _Keyed:
    """A batch's search words by canonical URL, asked of the helper the first time they are needed."""

    def __init__(self, keys: list[str], made: Callable[[], list[str]]):
        self._keys, self._made, self._words = keys, made, None

    def __getitem__(self, key: str) -> str:
        if self._words is None:
            self._words = dict(zip(self._keys, self._made(), strict=True))
        return self._words[key]


def write_batch(
    conn: Connection, batch: list[tuple[dict, dict]], now: datetime, words: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Write ``(record, row)`` pairs inside the caller's transaction; returns canonical_url -> status.

    ``words``: canonical_url -> search words joined by spaces, looked up only when the full-text rows are
    written (made here when None)."""
    batch = sorted(batch, key=lambda pair: pair[1]["canonical_url"])
    by_key = {row["canonical_url"]: (record, row) for record, row in batch}
    inserted = bulk.insert_articles(conn, [row for _, row in batch], now)
    existing = _lock_existing(conn, [key for key in by_key if key not in inserted])
    unchanged = [id_ for key, (id_, hash_) in existing.items() if hash_ == by_key[key][1]["content_hash"]]
    changed = {key: id_ for key, (id_, hash_) in existing.items() if hash_ != by_key[key][1]["content_hash"]}
    for chunk in iter_chunks(unchanged, _IN_CHUNK):
        conn.execute(articles.update().where(articles.c.id.in_(chunk)).values(last_seen=now))
    if changed:
        _keep_revisions(conn, list(changed.values()), now)
        conn.execute(
            articles.update().where(articles.c.id == sa.bindparam("b_id")),
            [{**by_key[key][1], "b_id": id_, "last_seen": now} for key, id_ in changed.items()],
        )
        for chunk in iter_chunks(list(changed.values()), _IN_CHUNK):
            bulk.delete_children(conn, chunk)
    written = {**inserted, **changed}
    joined = None if words is None else (lambda: [words[key] for key in written])
    bulk.insert_children(conn, [(id_, by_key[key][0]) for key, id_ in written.items()], joined)
    statuses = dict.fromkeys(inserted, "new")
    statuses.update(dict.fromkeys(changed, "updated"))
    statuses.update({key: "unchanged" for key in existing if key not in changed})
    return statuses


def _lock_existing(conn: Connection, keys: list[str]) -> dict[str, tuple[int, str]]:
    """{canonical_url: (id, content_hash)} of stored rows, locked until commit (PostgreSQL; a SQLite writer
    holds the whole database already)."""
    found = {}
    for chunk in iter_chunks(keys, _IN_CHUNK):
        query = (
            sa.select(articles.c.canonical_url, articles.c.id, articles.c.content_hash)
            .where(articles.c.canonical_url.in_(chunk))
            .order_by(articles.c.canonical_url)
            .with_for_update()
        )
        found.update({key: (id_, hash_) for key, id_, hash_ in conn.execute(query)})
    missing = set(keys) - set(found)
    if missing:
        # Nothing deletes articles while a crawl runs; if something did, say so rather than lose the record.
        raise RuntimeError(f"articles vanished during the batch: {sorted(missing)[:3]}")
    return found


def _keep_revisions(conn: Connection, ids: list[int], now: datetime) -> None:
    """Copy the stored versions of ``ids`` into ``revisions`` before they are overwritten."""
    for chunk in iter_chunks(ids, _IN_CHUNK):
        rows = conn.execute(sa.select(articles).where(articles.c.id.in_(chunk))).all()
        previous = load_records(conn, rows)
        conn.execute(
            revisions.insert(),
            [
                {
                    "article_id": row.id,
                    "revised_at": now,
                    "title": row.title,
                    "body": row.body,
                    "published": row.published,
                    "modified": row.modified,
                    "content_hash": row.content_hash,
                    "last_seen": row.last_seen,
                    "record": json.dumps(record, ensure_ascii=False),
                }
                for row, record in zip(rows, previous, strict=True)
            ],
        )
