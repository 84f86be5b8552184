"""The headline rules of crawler/extract/title.py, on small pages written for these tests."""

from __future__ import annotations

import pytest

from crawler.extract.document import load_page
from crawler.extract.metadata import read_metadata
from crawler.extract.title import choose_title, headline_texts, read_heading, strip_site_name


def title_of(html: str, site: str | None = None) -> str | None:
    page = load_page(f"<!DOCTYPE html><html>{html}</html>")
    meta = read_metadata(page)
    return choose_title(headline_texts(page.root), meta, meta.site_name, site)


def heading(fragment: str):
    page = load_page(f"<html><body>{fragment}</body></html>")
    return read_heading(page.root.find(".//body")[0])


# --- reading a heading's text ---------------------------------------------------------------------------


def test_inline_elements_join_without_invented_spaces():
    assert heading("<h1>Die <em>Stadt</em>, der <a href='#'>Fluss</a>: ein Tag</h1>") == "Die Stadt, der Fluss: ein Tag"


def test_visually_hidden_separator_is_read_not_spaced():
    h = heading(
        '<h1><span class="kicker">Bahnstreik</span><span class="visually-hidden">: </span>'
        "<span>Züge stehen still</span></h1>"
    )
    assert h == "Bahnstreik: Züge stehen still"
    assert h.variants == ("Bahnstreik: Züge stehen still", "Züge stehen still")


def test_separator_inside_the_kicker_span():
    h = heading('<h1><span class="subline">Hafen<span class="sr-only">:</span></span> <span>Neue Kräne</span></h1>')
    assert h == "Hafen: Neue Kräne"


def test_kicker_by_class_gets_a_colon():
    h = heading('<h1> <span class="article__topline">Fußball</span> <span class="title">Ein spätes Tor</span> </h1>')
    assert h == "Fußball: Ein spätes Tor"
    assert "Ein spätes Tor" in h.variants


def test_kicker_glued_to_the_headline_reads_as_two_lines():
    assert heading("<h1><span>Wahl</span>Der Tag danach im Rathaus</h1>") == "Wahl: Der Tag danach im Rathaus"


def test_plain_inline_markup_is_not_a_kicker():
    h = heading("<h1><em>Why</em> the river floods every spring</h1>")
    assert h == "Why the river floods every spring"
    assert h.variants == ("Why the river floods every spring",)


def test_block_children_are_spaced_and_hidden_ones_dropped():
    h = heading('<h1>Ein Titel<br>mit Umbruch<span style="display:none">versteckt</span></h1>')
    assert h == "Ein Titel mit Umbruch"


# --- choosing among headings and metadata ---------------------------------------------------------------


def test_h1_confirmed_by_metadata_uses_the_metadata_text():
    html = """<head><meta property="og:title" content="Bahnstreik: Züge stehen still"></head><body><article>
      <h1><span class="topline">Bahnstreik</span> <span class="headline">Züge stehen still</span></h1></article></body>"""
    assert title_of(html) == "Bahnstreik: Züge stehen still"


def test_kicker_dropped_when_metadata_has_only_the_headline():
    html = """<head><meta property="og:title" content="Ein spätes Tor"></head><body><article>
      <h1><span class="topline">Fußball</span> <span class="headline">Ein spätes Tor</span></h1></article></body>"""
    assert title_of(html) == "Ein spätes Tor"


def test_metadata_with_kicker_in_front_of_the_h1():
    html = """<head><script type="application/ld+json">{"@type": "NewsArticle",
      "headline": "Nach dem Rücktritt: Die Partei sucht eine Spitze"}</script></head>
      <body><article><h1>Die Partei sucht eine Spitze</h1></article></body>"""
    assert title_of(html) == "Nach dem Rücktritt: Die Partei sucht eine Spitze"


def test_banner_h1_loses_to_the_confirmed_one():
    html = """<head><meta property="og:title" content="Nairobi bei Nacht"></head><body><article>
      <h1>Guter Journalismus braucht deine Unterstützung.</h1><h1>Nairobi bei Nacht</h1></article></body>"""
    assert title_of(html) == "Nairobi bei Nacht"


def test_breadcrumb_h1_is_not_the_headline():
    html = """<head><meta property="og:title" content="The long story of the harbour"></head><body>
      <nav class="breadcrumbs"><h1>Home</h1></nav>
      <article><header><h2 itemprop="headline">The long story of the harbour</h2></header></article></body>"""
    assert title_of(html) == "The long story of the harbour"


def test_unconfirmed_h1_gives_way_to_the_declared_title():
    html = """<head><title>Title element</title><meta property="dc:title og:title" content="Declared title">
      </head><body><article><h1>Some heading</h1></article></body>"""
    assert title_of(html) == "Declared title"


def test_h1_alone_without_metadata():
    assert title_of("<body><article><h1>Only a heading here</h1></article></body>") == "Only a heading here"


def test_typography_as_shown_wins_among_same_words():
    html = """<head><meta property="og:title" content="Kicker: 'Quoted' words">
      <script type="application/ld+json">{"@type": "Article", "headline": "Kicker - ‘Quoted’ words"}</script>
      </head><body><h1><span class="kicker">Kicker</span><span>'Quoted' words</span></h1></body>"""
    assert title_of(html) == "Kicker: 'Quoted' words"


def test_title_element_decoration_confirms_the_h1():
    html = "<head><title>Harbour cranes - Wikipedia</title></head><body><h1>Harbour cranes</h1></body>"
    assert title_of(html) == "Harbour cranes"


def test_title_element_alone_loses_its_short_last_segment():
    assert title_of("<head><title>Lorem ipsum dolor sit amet – My website</title></head><body></body>") == (
        "Lorem ipsum dolor sit amet"
    )


# --- site names -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "site_name", "expected"),
    [
        ("Headline of the day | Example News", "Example News", "Headline of the day"),
        ("Headline of the day - Politics | Example", "Example", "Headline of the day - Politics"),
        ("짧은 제목입니다 정말로-정치ㅣ예시일보", "예시일보", "짧은 제목입니다 정말로"),
        ("Gaetz-Rückzug bringt Wende", "Zeitung", "Gaetz-Rückzug bringt Wende"),
        ("No separators at all", "Example", "No separators at all"),
    ],
)
def test_strip_site_name(title, site_name, expected):
    assert strip_site_name(title, site_name, None) == expected
