"""Authors from bylines and metadata: small hand-written cases, one convention each."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.extract.byline import choose_authors, clean_names, is_person_name
from crawler.extract.metadata import Metadata


def _meta(authors=(), types=None) -> Metadata:
    return Metadata(authors=list(authors), author_types=dict(types or {}))


def _scope(html: str):
    """The first <article> of a small page (or its body), as article.py would hand it over."""
    root = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    found = root.find(".//article")
    return found if found is not None else root.find("body")


def _authors(html: str = "", *, meta: Metadata | None = None, closing=(), site_name=None) -> list[str]:
    return choose_authors(meta or _meta(), _scope(html), list(closing), site_name=site_name)


# --- byline strings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Jane Smith and John Doe", ["Jane Smith", "John Doe"]),
        ("Von Anna Meier und Paul Schulz", ["Anna Meier", "Paul Schulz"]),
        ("Par Marie Dupont et Jean Martin", ["Marie Dupont", "Jean Martin"]),
        ("Por Lucía Gómez y Pedro Ruiz", ["Lucía Gómez", "Pedro Ruiz"]),
        ("Tác giả: Ngọc Mai", ["Ngọc Mai"]),
        ("Bởi Mạnh Quân & Hà Phong", ["Mạnh Quân", "Hà Phong"]),
        ("di Marco Bianchi", ["Marco Bianchi"]),
        ("Ana Da Silva", ["Ana Da Silva"]),
        ("Written by: Jane Smith, Kate Brown; Tom Green", ["Jane Smith", "Kate Brown", "Tom Green"]),
    ],
)
def test_lead_words_are_stripped_and_lists_split(byline, names):
    assert clean_names([byline]) == names


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Jane Smith, Reporter", ["Jane Smith"]),
        ("By Jane Smith in London", ["Jane Smith"]),
        ("Max Muster | dpa", ["Max Muster"]),
        ("Von Anna Meier, Frankfurt", ["Anna Meier"]),
        ("Mathias Hagen – Journalist", ["Mathias Hagen"]),
        ("Jane Smith (Reuters)", ["Jane Smith"]),
        ("Jane Smith jane.smith@example.com", ["Jane Smith"]),
        ("Dr. Max Weber", ["Dr. Max Weber"]),
    ],
)
def test_roles_places_and_agencies_around_a_name_are_dropped(byline, names):
    assert clean_names([byline]) == names


@pytest.mark.parametrize(
    "byline", ["Reuters", "Associated Press", "Redaktion", "Nhóm PV", "Theo TTXVN", "Guardian staff", "dpa"]
)
def test_organisations_and_desks_are_not_authors(byline):
    assert clean_names([byline]) == []


def test_the_sites_own_name_is_not_an_author():
    assert clean_names(["VnExpress"], site_name="vnexpress.net") == []
    assert clean_names(["MDR THÜRINGEN"], site_name="MDR") == []
    assert clean_names(["Nina Berg"], site_name="Berg Zeitung") == ["Nina Berg"]


def test_initials_and_uncased_scripts_are_names():
    assert is_person_name("TP")
    assert clean_names(["松岡大地"]) == ["松岡大地"]
    assert clean_names(["신현주 기자"]) == ["신현주"]


# --- choosing among the sources -------------------------------------------------------------------------


def test_jsonld_person_wins_and_organisation_is_left_out():
    meta = _meta(["Example Daily", "Jane Smith"], {"Example Daily": "organization", "Jane Smith": "person"})
    assert _authors('<article><p class="byline">By Someone Else</p></article>', meta=meta) == ["Jane Smith"]


def test_declared_person_beats_a_meta_author_tag():
    # <meta name="author"> often names whoever uploaded the story; the JSON-LD Person is the writer.
    meta = _meta(["Jane Smith", "Web Desk Uploader"], {"Jane Smith": "person"})
    assert _authors(meta=meta) == ["Jane Smith"]


def test_declared_person_in_citation_order_is_turned_round():
    assert _authors(meta=_meta(["Brazil, Rachel"], {"Brazil, Rachel": "person"})) == ["Rachel Brazil"]


def test_declared_person_that_is_the_site_is_dropped():
    meta = _meta(["Example Daily"], {"Example Daily": "person"})
    assert _authors('<article><p class="byline">Von Lena Vogt</p></article>', meta=meta, site_name="Example Daily") == [
        "Lena Vogt"
    ]


def test_organisation_only_metadata_falls_through_to_the_printed_byline():
    meta = _meta(["Example Daily"], {"Example Daily": "organization"})
    assert _authors('<article><div class="author">By Tom Green</div></article>', meta=meta) == ["Tom Green"]


def test_names_in_sibling_spans_stay_apart():
    html = (
        '<article><div class="article-byline"><span>Birgit Berger</span> <span>Anna Maria Fuchs</span>'
        "<span>Jan Weiss</span></div></article>"
    )
    assert _authors(html) == ["Birgit Berger", "Anna Maria Fuchs", "Jan Weiss"]


def test_lead_word_in_its_own_element_and_author_page_link():
    html = '<article><p><span class="label">By</span> <a href="/author/kate-brown/">Kate Brown</a></p></article>'
    assert _authors(html) == ["Kate Brown"]


def test_rel_author_link():
    assert _authors('<article><p>Text by <a rel="author" href="/k">Kate Brown</a></p></article>') == ["Kate Brown"]


def test_job_title_comments_and_hidden_copies_are_skipped():
    html = (
        '<article><div class="author-box"><a class="author-name" href="/a">Kate Brown</a>'
        '<div class="author-job-title">Senior Political Editor</div></div>'
        '<span class="byline" style="display:none">Other Person</span>'
        '<p>Text.</p><section class="comments"><span class="comment-author">Reader Name</span></section></article>'
    )
    assert _authors(html) == ["Kate Brown"]


def test_byline_just_outside_the_text_container():
    html = '<div><p class="byline">Von Lena Vogt</p><div id="text"><p>Der Text.</p></div></div>'
    root = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    scope = root.get_element_by_id("text")
    assert choose_authors(_meta(), scope, []) == ["Lena Vogt"]


def test_agency_byline_does_not_reach_for_other_articles_bylines():
    html = (
        '<main><div class="story"><div class="byline">dpa</div><div id="text"><p>Der Text.</p></div></div>'
        '<div class="appetizer"><div class="appetizer-author">Von Karl Klein</div></div></main>'
    )
    root = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    assert choose_authors(_meta(), root.get_element_by_id("text"), []) == []


def test_untyped_meta_author_when_nothing_is_printed():
    assert _authors("<article><p>Text.</p></article>", meta=_meta(["Anna Meier und Paul Schulz"])) == [
        "Anna Meier",
        "Paul Schulz",
    ]


def test_vietnamese_closing_byline_is_the_last_resort():
    meta = _meta(["VnExpress"], {"VnExpress": "organization"})
    assert _authors("<article><p>Nội dung.</p></article>", meta=meta, closing=["Mạnh Quân"]) == ["Mạnh Quân"]
    assert _authors("<article><p>Nội dung.</p></article>", closing=["TP"]) == ["TP"]


def test_vietnamese_group_and_agency_lines_are_not_authors():
    assert _authors("<article><p>Nội dung.</p></article>", closing=["Nhóm PV"]) == []
    assert _authors("<article><p>Nội dung.</p></article>", meta=_meta(["Theo TTXVN"])) == []


@pytest.mark.parametrize("value", ["BAOMOI.COM", "VnExpress.net", "www.example.de"])
def test_domain_names_are_not_authors(value):
    assert clean_names([value]) == []


@pytest.mark.parametrize(("name", "site"), [("Dân trí", "dantri.com.vn"), ("VnExpress", "vnexpress.net"), ("Tuổi Trẻ", "tuoitre.vn")])
def test_the_site_named_as_in_its_host_is_not_an_author(name, site):
    assert clean_names([name], site_name=site) == []
    assert clean_names(["Trần Minh"], site_name=site) == ["Trần Minh"]


def test_a_capital_y_opens_a_name_it_does_not_join_two():
    assert clean_names(["Y Bhin Niê"]) == ["Y Bhin Niê"]
    assert clean_names(["Juan Pérez y María López"]) == ["Juan Pérez", "María López"]


def test_meta_author_naming_the_site_is_rejected_without_og_site_name():
    # <meta name="author" content="VnExpress"> on vnexpress.net, no og:site_name: only the host names the site.
    assert _authors("<article><p>Text.</p></article>", meta=_meta(["VnExpress"]), site_name="vnexpress.net") == []
