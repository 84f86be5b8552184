"""What the store already holds, asked in batches: the incremental and resume checks of a crawl.

Reads the ``articles`` table of crawler/store (its schema, its engine); writes nothing. Lookups go by the
unique index on ``canonical_url``, ``IN`` lists of :data:`CHUNK` keys: the cost grows with the links a crawl
looks at, not with the size of the store (bench/known.py on SQLite: 1.4 µs a link with ten thousand or a
hundred thousand stored articles, 2.2 µs with a million). A preloaded set would cost ~170 MB per million
articles and seconds to load before the first request; the index is already there.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from crawler.store.records import iter_chunks
from crawler.store.schema import articles

# Keys per IN list: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters, and few round trips.
CHUNK = 900


class StoredUrls:
    """``stored(urls)``: those of ``urls`` that are stored. With ``seen_since`` (a refresh being resumed) only
    articles stored or confirmed since then count: the rest are to be fetched again."""

    def __init__(self, engine: Engine, seen_since: datetime | None = None):
        self.engine = engine
        self.seen_since = seen_since
        self.queries = 0

    def __call__(self, urls: list[str]) -> set[str]:
        return self.stored(urls)

    def stored(self, urls: Iterable[str]) -> set[str]:
        found: set[str] = set()
        with self.engine.connect() as conn:
            for chunk in iter_chunks(urls, CHUNK):
                query = sa.select(articles.c.canonical_url).where(articles.c.canonical_url.in_(chunk))
                if self.seen_since is not None:
                    query = query.where(articles.c.last_seen >= self.seen_since)
                found.update(conn.execute(query).scalars())
                self.queries += 1
        return found


def newest_published(engine: Engine, sites: Iterable[str]) -> datetime | None:
    """The latest publication time stored for these sites (record ``site`` values), from the (site,
    published_utc) index: where an incremental crawl picks up."""
    query = sa.select(sa.func.max(articles.c.published_utc)).where(articles.c.site.in_(list(sites)))
    with engine.connect() as conn:
        value = conn.execute(query).scalar()
    if value is None:
        return None
    # max() bypasses the column type on SQLite (text comes back); read it through the column's own type.
    if isinstance(value, str):
        value = articles.c.published_utc.type.process_result_value(datetime.fromisoformat(value), engine.dialect)
    return value
