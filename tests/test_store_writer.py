"""ArticleWriter: upserts, revisions, child tables, batches (crawler/store/writer.py), on both engines."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from store_support import make_record

from crawler.items import Article, Image
from crawler.store.export import iter_records
from crawler.store.records import content_hash, published_utc
from crawler.store.schema import article_authors, article_images, article_tags, articles, revisions
from crawler.store.writer import ArticleWriter

T0 = datetime(2024, 5, 3, 12, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def statuses(outcomes) -> list[str]:
    return [o.status for o in outcomes]


def test_new_unchanged_and_changed_articles(store):
    clock = Clock()
    writer = ArticleWriter(store, batch_size=10, clock=clock)
    for i in range(3):
        writer.add(make_record(i))
    assert statuses(writer.flush()) == ["new", "new", "new"]

    clock.now = T0 + timedelta(hours=1)
    writer.add(make_record(0))  # the same again
    writer.add(make_record(1, title="Tin số 1 (đã sửa)"))  # corrected
    writer.add(make_record(2, crawled_at="2024-05-04T00:00:00+00:00", extractor="profile:x"))  # not content
    assert statuses(writer.flush()) == ["unchanged", "updated", "unchanged"]

    with store.connect() as conn:
        rows = {r.canonical_url: r for r in conn.execute(sa.select(articles))}
        revs = conn.execute(sa.select(revisions)).all()
    first, second = (rows[make_record(i)["canonical_url"]] for i in (0, 1))
    assert (first.first_seen, first.last_seen) == (T0, T0 + timedelta(hours=1))
    assert second.title == "Tin số 1 (đã sửa)" and second.first_seen == T0
    # The previous version is kept whole: its fields and its lists.
    assert len(revs) == 1
    assert revs[0].article_id == second.id and revs[0].title == "Tin số 1: Hà Nội mưa lớn"
    assert revs[0].revised_at == T0 + timedelta(hours=1) and revs[0].last_seen == T0
    assert json.loads(revs[0].record) == make_record(1)
    assert count(store, articles) == 3


def test_a_changed_article_replaces_its_authors_tags_and_images(store):
    writer = ArticleWriter(store)
    writer.add(make_record(1))
    writer.flush()
    changed = make_record(1, authors=["Lê Văn C"], tags=["mới"], images=[{"url": "https://x/c.jpg"}])
    writer.add(changed)
    assert statuses(writer.flush()) == ["updated"]

    [stored] = list(iter_records(store))
    assert stored["authors"] == ["Lê Văn C"] and stored["tags"] == ["mới"]
    assert stored["images"] == [{"url": "https://x/c.jpg", "caption": None, "credit": None}]
    assert count(store, article_authors) == 1 and count(store, article_images) == 1


def test_articles_are_queryable_by_author_and_by_tag_without_json(store):
    writer = ArticleWriter(store)
    for i in range(6):
        writer.add(make_record(i))
    writer.flush()
    with store.connect() as conn:
        by_author = conn.execute(
            sa.select(articles.c.canonical_url)
            .join(article_authors, article_authors.c.article_id == articles.c.id)
            .where(article_authors.c.name == "Nguyễn Văn 1")
            .order_by(articles.c.id)
        ).scalars()
        by_tag = conn.execute(
            sa.select(sa.func.count()).select_from(article_tags).where(article_tags.c.tag == "chủ đề 0")
        ).scalar()
        captions = conn.execute(
            sa.select(article_images.c.position, article_images.c.caption, article_images.c.credit)
            .where(article_images.c.article_id == 1)
            .order_by(article_images.c.position)
        ).all()
    assert list(by_author) == [make_record(1)["canonical_url"]]
    assert by_tag == 2  # records 0 and 3
    assert [tuple(c) for c in captions] == [(0, "Đường phố ngập nước.", "Phương Huế"), (1, None, None)]


def test_batches_are_written_when_full_and_on_flush(store):
    writer = ArticleWriter(store, batch_size=3)
    assert writer.add(make_record(0)) == [] and writer.add(make_record(1)) == []
    assert count(store, articles) == 0  # nothing written before the batch is full
    assert statuses(writer.add(make_record(2))) == ["new"] * 3
    writer.add(make_record(3))
    assert writer.pending == 1 and count(store, articles) == 3
    assert statuses(writer.flush()) == ["new"] and writer.pending == 0
    assert writer.flush() == []
    assert count(store, articles) == 4


def test_the_same_article_twice_in_a_batch_is_stored_once(store):
    writer = ArticleWriter(store, batch_size=10)
    writer.add(make_record(1))
    outcomes = writer.add(make_record(1, title="Sửa"))  # the first is written, the second compared with it
    assert statuses(outcomes) == ["new"]
    assert statuses(writer.flush()) == ["updated"]
    assert count(store, articles) == 1 and count(store, revisions) == 1


def test_article_objects_are_stored_like_records(store):
    article = Article(
        url="https://tuoitre.vn/a-1.html",
        canonical_url="https://tuoitre.vn/a-1.html",
        site="tuoitre.vn",
        title="Tiêu đề",
        published="2024-04-24",
        authors=["A"],
        images=[Image("https://tuoitre.vn/i.jpg", "Chú thích", "TTXVN")],
    )
    writer = ArticleWriter(store)
    writer.add(article)
    writer.flush()
    assert list(iter_records(store)) == [article.to_dict()]


def test_a_record_without_any_url_is_refused(store):
    with pytest.raises(ValueError, match="canonical_url"):
        ArticleWriter(store).add(make_record(1, url=None, canonical_url=None))


@pytest.mark.parametrize(
    ("published", "utc"),
    [
        ("2020-09-13T12:05:00+07:00", datetime(2020, 9, 13, 5, 5, tzinfo=timezone.utc)),
        ("2024-05-03T19:15:00Z", datetime(2024, 5, 3, 19, 15, tzinfo=timezone.utc)),
        ("2024-04-24T09:30:00", None),  # no offset: nobody knows the UTC time
        ("2024-04-24", None),
        (None, None),
        ("not a date", None),
    ],
)
def test_published_utc(published, utc):
    assert published_utc(published) == utc


def test_content_hash_covers_content_not_crawl_details():
    base = make_record(1)
    assert content_hash(base) == content_hash(make_record(1, crawled_at="2030-01-01T00:00:00+00:00", tags=[]))
    for field, value in [("title", "x"), ("lede", "x"), ("body", "x"), ("published", None), ("modified", "x"),
                         ("authors", []), ("images", [])]:  # fmt: skip
        assert content_hash(make_record(1, **{field: value})) != content_hash(base), field
