"""Reading JSON-LD, OpenGraph and <meta> (crawler/extract/metadata.py), on small pages written for these tests."""

from __future__ import annotations

from crawler.extract.document import load_page
from crawler.extract.metadata import read_metadata


def meta_of(head: str, body: str = "<p>Text.</p>", html_attrs: str = ""):
    return read_metadata(load_page(f"<!DOCTYPE html><html {html_attrs}><head>{head}</head><body>{body}</body></html>"))


def ld(json_text: str) -> str:
    return f'<script type="application/ld+json">{json_text}</script>'


def test_graph_picks_the_article_node_and_follows_author_ids():
    meta = meta_of(
        ld("""{"@context": "https://schema.org", "@graph": [
            {"@type": "WebSite", "@id": "#site", "name": "Example"},
            {"@type": "WebPage", "@id": "#page", "name": "Page name"},
            {"@type": "NewsArticle", "headline": "Harbour reopens", "datePublished": "2024-05-01T08:00:00+02:00",
             "author": [{"@id": "#anna"}, {"@type": "Person", "name": "Ben Roe"}],
             "publisher": {"@id": "#org"}, "keywords": "harbour, city"},
            {"@type": "Person", "@id": "#anna", "name": "Anna Lee"},
            {"@type": "Organization", "@id": "#org", "name": "Example News"}]}""")
    )
    assert meta.ld_headline == "Harbour reopens"
    assert meta.titles[0] == "Harbour reopens"
    assert meta.authors == ["Anna Lee", "Ben Roe"]
    assert meta.author_types["Anna Lee"] == "person"
    assert meta.publisher == "Example News"
    assert ("jsonld", "2024-05-01T08:00:00+02:00") in meta.published
    assert meta.tags == ["harbour", "city"]


def test_webpage_name_is_not_taken_for_a_headline():
    meta = meta_of(ld('{"@type": "WebPage", "name": "Example – Home", "datePublished": "2024-01-01"}'))
    assert meta.ld_headline is None
    assert meta.titles == []


def test_broken_json_ld_is_repaired_or_skipped():
    broken = ld('{"@type": "NewsArticle", "headline": "Line\none", "datePublished": "2024-02-03",};')
    hopeless = ld('{"@type": "NewsArticle", "headline": ')
    meta = meta_of(broken + hopeless)
    assert meta.ld_headline == "Line one"
    assert meta.published[0] == ("jsonld", "2024-02-03")


def test_json_ld_wrapped_in_cdata_or_comments():
    meta = meta_of(ld('<![CDATA[ {"@type": "Article", "headline": "Wrapped"} ]]>'))
    assert meta.ld_headline == "Wrapped"
    meta = meta_of(ld('//<![CDATA[\n{"@type": "Article", "headline": "Commented"}\n//]]>'))
    assert meta.ld_headline == "Commented"


def test_meta_dates_in_order_of_keys():
    meta = meta_of(
        '<meta name="pubdate" content="2024-03-04">'
        '<meta property="article:published_time" content="2024-03-04T10:00:00Z">'
        '<meta property="article:modified_time" content="2024-03-05T09:00:00Z">',
        body='<p>Text <time itemprop="datePublished" datetime="2024-03-04T10:00">4 March</time></p>',
    )
    assert meta.published[0] == ("meta", "2024-03-04T10:00:00Z")
    assert ("meta", "2024-03-04") in meta.published
    assert ("meta", "2024-03-04T10:00") in meta.published
    assert meta.modified == [("meta", "2024-03-05T09:00:00Z")]


def test_space_separated_properties_and_title_order():
    meta = meta_of(
        "<title>Title element</title>"
        '<meta name="twitter:title" content="Twitter title">'
        '<meta property="og:title twitter:title" content="Shared title">'
        '<meta property="x:title dc:title" content="Dublin Core title">'
    )
    assert meta.og_title == "Shared title"
    assert meta.titles == ["Dublin Core title", "Shared title", "Twitter title"]
    assert meta.title_tag == "Title element"


def test_empty_content_declares_nothing():
    meta = meta_of('<meta property="og:title twitter:title"><meta name="parsely-title" content="Parsely title">')
    assert meta.og_title is None
    assert meta.titles == ["Parsely title"]


def test_site_name_language_and_canonical():
    meta = meta_of(
        '<meta property="og:site_name" content="Example News"><link rel="canonical" href="https://example.org/a">',
        html_attrs='lang="de-DE"',
    )
    assert meta.site_name == "Example News"
    assert meta.language == "de-DE"
    assert meta.canonical == "https://example.org/a"


# --- The tag list shown on the page ----------------------------------------------------------------------

from crawler.extract.metadata import choose_tags, shown_tags  # noqa: E402


def _shown(body: str) -> list[str]:
    page = load_page(f"<html><body>{body}</body></html>")
    return shown_tags(page.root.xpath("//*[@id='story']")[0])


def test_shown_tags_come_from_the_first_named_box_after_the_article_start():
    body = (
        '<div class="tags"><a href="/tag/hot">Trending</a></div>'
        '<main><article id="story"><p>Text.</p></article>'
        '<ul class="tag-list"><li><h3><a href="/tag/a">#thư viện</a></h3></li><li><h3><a href="/tag/b">ôn thi</a></h3></li></ul>'
        '<div class="tags"><a href="/tag/c">Other box</a></div></main>'
    )
    assert _shown(body) == ["thư viện", "ôn thi"]


def test_links_to_topic_pages_inside_sentences_are_not_tags():
    assert _shown('<main><article id="story"><p>See <a href="/tag/x">this word</a> here.</p></article></main>') == []


def test_shown_tags_win_when_the_meta_holds_them_and_more():
    assert choose_tags(["rong nho", "nuôi biển"], ["rong nho", "nuôi biển", "hợp tác xã"]) == ["rong nho", "nuôi biển"]
    assert choose_tags(["đời sống", "mùa mưa"], []) == ["đời sống", "mùa mưa"]


def test_meta_tags_win_over_a_single_or_foreign_shown_list():
    assert choose_tags(["Dax"], ["Dax", "Euro"]) == ["Dax", "Euro"]
    assert choose_tags(["Alle Themen", "Euro"], ["Dax", "Euro"]) == ["Dax", "Euro"]
