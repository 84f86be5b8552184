"""The search-words helper process (crawler/store/words_process.py) and the writer using it."""

from __future__ import annotations

import sqlalchemy as sa
from store_support import make_record

from crawler.store import words_process
from crawler.store.schema import fulltext_ids
from crawler.store.words_process import WordsHelper, joined_words
from crawler.store.writer import HELPER_MIN_BATCH, ArticleWriter


def words_of(texts) -> list[list[str]]:
    return [sorted(joined_words(t, b).split()) for t, b in texts]


def as_lists(joined: list[str]) -> list[list[str]]:
    return [sorted(words.split()) for words in joined]  # in no particular order (each process hashes its own way)


TEXTS = [("Hà Nội mưa lớn", "Đường phố ngập; ĐÀ NẴNG nắng."), (None, "Straße 2024"), ("Москва", None), (None, None)]


def test_the_helper_makes_the_same_words_as_this_process():
    helper = WordsHelper()
    try:
        first, second = helper.submit(TEXTS), helper.submit(TEXTS[::-1])  # the first answer is drained
        assert as_lists(second()) == words_of(TEXTS[::-1])
        assert as_lists(first()) == words_of(TEXTS)  # made here: the helper's answer was dropped
        assert helper._process is not None and helper._process.poll() is None
    finally:
        process = helper._process
        helper.close()
    assert process.returncode == 0  # it ended when its stdin closed


def test_a_helper_that_died_is_replaced_by_this_process(caplog):
    helper = WordsHelper()
    words = helper.submit(TEXTS)
    helper._process.kill()
    helper._process.wait()
    assert as_lists(words()) == words_of(TEXTS)
    assert "made in this process from now on" in caplog.text
    assert as_lists(helper.submit(TEXTS)()) == words_of(TEXTS)  # and so on, without it


def test_a_helper_that_cannot_start_changes_nothing(monkeypatch, store):
    monkeypatch.setattr(words_process.sys, "executable", "")
    writer = ArticleWriter(store, batch_size=HELPER_MIN_BATCH)
    for i in range(HELPER_MIN_BATCH):
        writer.add(make_record(i, body=f"Tin {i}: Đà Nẵng"))
    with store.connect() as conn:
        assert len(fulltext_ids(conn, "da nang", limit=1000)) == HELPER_MIN_BATCH


def test_the_writer_writes_the_helpers_words(store):
    writer = ArticleWriter(store, batch_size=HELPER_MIN_BATCH)
    for i in range(2 * HELPER_MIN_BATCH):
        writer.add(make_record(i, title=f"Tin {i}", body="Cần Thơ" if i % 2 else "Đà Nẵng"))
    assert writer._helper._process is not None  # the batches were big enough to use it
    writer.add(make_record(0, title="Tin 0", body="Đã sửa: Huế"))  # a correction: only its new words are found
    writer.flush()
    writer.close()
    with store.connect() as conn:
        assert len(fulltext_ids(conn, "can tho", limit=1000)) == HELPER_MIN_BATCH
        assert len(fulltext_ids(conn, "da nang", limit=1000)) == HELPER_MIN_BATCH - 1
        assert len(fulltext_ids(conn, "hue")) == 1
        assert conn.execute(sa.text("SELECT count(*) FROM articles_fts")).scalar() == 2 * HELPER_MIN_BATCH
