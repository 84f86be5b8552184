"""How a batch's rows reach each engine fastest. The writer (writer.py) decides what to write; this module how.

The statements are SQLAlchemy Core compiled for the engine at hand (or, for PostgreSQL's COPY, named from the
Table objects); only the way rows are handed to the driver differs from a plain ``conn.execute``:

- **PostgreSQL**: new articles go in with psycopg's ``executemany(returning=True)``, which sends one INSERT per
  row in pipeline mode (the server works while the client sends the next): about 40 us an article, where
  SQLAlchemy's multi-row VALUES pages took 150. Authors, tags, images and search words go in with COPY, a
  quarter of the cost of an INSERT per row.
- **SQLite**: rows go straight to ``sqlite3`` as lists, skipping SQLAlchemy's per-row parameter processing,
  which cost more than SQLite itself (articles: 30 us each instead of 50).

Values still pass through the columns' own converters (the UTC datetimes), so they are stored exactly as
SQLAlchemy would store them. Driver errors come out as SQLAlchemy's, so the writer retries and explains them
as before.

Search words (words.py) are made here, only for the articles whose rows are written, unless the writer had a
helper process make them already (words_process.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

from crawler.store.records import child_rows
from crawler.store.schema import CHILD_TABLES, FULLTEXT, articles, fulltext_key, has_fulltext
from crawler.store.words_process import joined_words

# Columns the writer fills on insert, in statement order: the row's (all but the id the database assigns),
# then the two times the writer sets.
_SEEN_COLUMNS = ("first_seen", "last_seen")
_ROW_COLUMNS = tuple(column.name for column in articles.c if column.name not in ("id", *_SEEN_COLUMNS))
_INSERT_COLUMNS = _ROW_COLUMNS + _SEEN_COLUMNS


def insert_articles(conn: Connection, rows: list[dict], now: datetime) -> dict[str, int]:
    """Insert the rows whose canonical URL is not stored yet; returns {canonical_url: id} of those."""
    sql = _insert_articles_sql(conn.dialect)
    process = _bind_processors(conn.dialect)
    params = []
    for row in rows:
        values = [row[name] for name in _ROW_COLUMNS]
        values += (now, now)
        for index, processor in process:
            values[index] = processor(values[index])
        params.append(values)
    inserted: dict[str, int] = {}
    with _driver_cursor(conn, sql) as cursor:
        if conn.dialect.name == "postgresql":
            cursor.executemany(sql, params, returning=True)
            inserted.update(cursor.fetchall())
            while cursor.nextset():
                inserted.update(cursor.fetchall())
        else:
            # sqlite3's executemany returns no rows; one execute per row costs nothing more, since SQLite
            # has no round trips to save.
            for values in params:
                cursor.execute(sql, values)
                inserted.update(cursor.fetchall())
    return inserted


def insert_children(
    conn: Connection, items: list[tuple[int, dict]], words: Callable[[], Sequence[str]] | None = None
) -> None:
    """Authors, tags, images and search words of ``(article id, record)`` pairs (whose old ones are gone).

    ``words``: gives the records' search words (joined by spaces, in ``items`` order), made elsewhere while
    the rest was written; called last, so that they have the most time. None: they are made here.
    """
    if not items:
        return
    rows: dict[str, list[dict]] = {name: [] for name in CHILD_TABLES}
    for article_id, record in items:
        for name, table_rows in child_rows(article_id, record).items():
            rows[name].extend(table_rows)
    for name, table in CHILD_TABLES.items():
        columns = [column.name for column in table.c]
        _insert_tuples(conn, table.name, columns, [tuple(map(row.get, columns)) for row in rows[name]])
    if has_fulltext(conn):
        # Words joined by spaces: what FTS5 tokenises back into them, and a tsvector's text form.
        joined = words() if words is not None else [joined_words(r["title"], r["body"]) for _, r in items]
        rows = [(id_, text) for (id_, _), text in zip(items, joined, strict=True)]
        _insert_tuples(conn, FULLTEXT, [fulltext_key(conn), "words"], rows)


def delete_children(conn: Connection, ids: list[int]) -> None:
    """Remove the authors, tags, images and search words of ``ids``, whose rows are about to be replaced."""
    for table in CHILD_TABLES.values():
        conn.execute(table.delete().where(table.c.article_id.in_(ids)))
    if has_fulltext(conn):
        key = sa.column(fulltext_key(conn))
        conn.execute(sa.delete(sa.table(FULLTEXT, key)).where(key.in_(ids)))


def _insert_tuples(conn: Connection, table: str, columns: list[str], tuples: list[tuple]) -> None:
    if not tuples:
        return
    if conn.dialect.name == "postgresql":
        quote = conn.dialect.identifier_preparer.quote
        sql = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN"
        with _driver_cursor(conn, sql) as cursor, cursor.copy(sql) as copy:
            for row in tuples:
                copy.write_row(row)
    else:
        sql = _insert_sql(conn.dialect, table, tuple(columns))
        with _driver_cursor(conn, sql) as cursor:
            cursor.executemany(sql, tuples)


@contextmanager
def _driver_cursor(conn: Connection, sql: str) -> Iterator:
    """A cursor of the driver, inside ``conn``'s transaction, whose errors come out as SQLAlchemy's would
    (``sqlalchemy.exc.DBAPIError`` and its kinds), so that the writer retries and explains them alike."""
    cursor = conn.connection.cursor()
    try:
        yield cursor
    except conn.dialect.loaded_dbapi.Error as exc:
        if conn.dialect.is_disconnect(exc, conn.connection.dbapi_connection, cursor):
            conn.invalidate(exc)
        raise sa.exc.DBAPIError.instance(sql, None, exc, conn.dialect.loaded_dbapi.Error) from exc
    finally:
        cursor.close()


@lru_cache(maxsize=32)  # per dialect (one per engine)
def _insert_sql(dialect: Dialect, table: str, columns: tuple[str, ...]) -> str:
    """A positional INSERT for ``table``'s ``columns``, as the dialect writes it."""
    statement = sa.insert(sa.table(table, *map(sa.column, columns)))
    return str(statement.values({name: sa.bindparam(name) for name in columns}).compile(dialect=dialect))


@lru_cache(maxsize=32)  # per dialect (one per engine)
def _insert_articles_sql(dialect: Dialect) -> str:
    """INSERT ... ON CONFLICT (canonical_url) DO NOTHING RETURNING canonical_url, id, with positional
    parameters in ``_INSERT_COLUMNS`` order."""
    if dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = (
        insert(articles)
        .values({name: sa.bindparam(name) for name in _INSERT_COLUMNS})
        .on_conflict_do_nothing(index_elements=[articles.c.canonical_url])
        .returning(articles.c.canonical_url, articles.c.id)
    )
    if dialect.paramstyle == "pyformat":
        # psycopg's dialect writes %(name)s; the same dialect told to write %s takes rows as lists.
        dialect = type(dialect)(paramstyle="format")
    return str(statement.compile(dialect=dialect))


@lru_cache(maxsize=32)  # per dialect (one per engine)
def _bind_processors(dialect: Dialect) -> tuple[tuple[int, Callable], ...]:
    """(position, converter) of the article columns whose type converts values for the driver (the
    datetimes: UTC, and naive text on SQLite), so that rows going straight to the driver are stored exactly
    as SQLAlchemy would store them."""
    found = []
    for index, name in enumerate(_INSERT_COLUMNS):
        processor = articles.c[name].type.bind_processor(dialect)
        if processor is not None:
            found.append((index, processor))
    return tuple(found)
