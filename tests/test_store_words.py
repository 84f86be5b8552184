"""Search words (crawler/store/words.py): what the full-text index holds and what a search looks for."""

from __future__ import annotations

from crawler.store.words import MAX_WORD_CHARS, article_words, query_words


def test_words_are_casefolded_without_accents_and_each_once():
    words = article_words("Hà Nội: Hà Nội!", "ĐƯỜNG phố, đường-phố; Straße 2024 x_y")
    assert sorted(words) == ["2024", "duong", "ha", "noi", "pho", "strasse", "x", "y"]


def test_a_query_is_made_like_the_articles_words():
    assert sorted(query_words("Đà Nẵng")) == sorted(article_words("da nang", None)) == ["da", "nang"]
    assert query_words("  --  ") == []


def test_scripts_without_accents_keep_their_letters():
    assert sorted(article_words("Москва", "東京 タワー")) == ["москва", "タワー", "東京"]


def test_overlong_tokens_are_not_words():
    assert article_words("a" * (MAX_WORD_CHARS + 1), "ok " + "ß" * MAX_WORD_CHARS) == ["ok"]
