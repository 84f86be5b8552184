"""Discovery as plain functions: windows, sources (robots.txt, sitemaps, feeds, listings) and the frontier."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from crawler.discovery.frontier import DUPLICATE, NOT_ARTICLE, OUT_OF_WINDOW, STORED, Frontier
from crawler.discovery.sources import Link, parse_feed, parse_listing, parse_sitemap, robots_sitemaps
from crawler.discovery.window import Window, WindowError, make_window, parse_bound, parse_timestamp

VN = timezone(timedelta(hours=7))
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


# --- windows ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("6h", False, NOW - timedelta(hours=6)),
        ("30m", False, NOW - timedelta(minutes=30)),
        ("2d", False, NOW - timedelta(days=2)),
        ("1w", False, NOW - timedelta(weeks=1)),
        ("2026-11-01", False, datetime(2026, 11, 1, tzinfo=VN)),
        ("2026-11-20", True, datetime(2026, 11, 21, tzinfo=VN)),  # --until a day: through its end
        ("2026-11-20T08:30", False, datetime(2026, 11, 20, 8, 30, tzinfo=VN)),
        ("2026-11-20T08:30:00Z", False, datetime(2026, 11, 20, 8, 30, tzinfo=timezone.utc)),
    ],
)
def test_parse_bound(text, end, expected):
    assert parse_bound(text, NOW, VN, end=end) == expected


@pytest.mark.parametrize("text", ["yesterday", "6 hours", "2026-13-01", ""])
def test_a_bad_bound_is_a_window_error(text):
    with pytest.raises(WindowError):
        make_window(text or "x", None, NOW, VN)


def test_since_must_be_before_until():
    with pytest.raises(WindowError, match="not before"):
        make_window("2026-11-20", "2026-11-01", NOW, VN)


def test_window_admits_by_publication_then_by_modification():
    window = Window(datetime(2026, 11, 1, tzinfo=VN), datetime(2026, 11, 21, tzinfo=VN))
    inside, before, after = (datetime(2026, 11, d, tzinfo=VN) for d in (5, 1, 25))
    assert window.admits(inside) and not window.admits(before - timedelta(minutes=1)) and not window.admits(after)
    assert window.admits(before)  # since is inclusive
    # Only a last modification: before the window rules it out; after it says nothing about publication.
    assert not window.admits(None, modified=before - timedelta(days=1))
    assert window.admits(None, modified=after)
    assert window.admits(None, None)


def test_parse_timestamp_forms():
    assert parse_timestamp("2026-11-20", VN) == datetime(2026, 11, 20, tzinfo=VN)
    assert parse_timestamp("Fri, 20 Nov 2026 08:30:00 +0700") == datetime(2026, 11, 20, 8, 30, tzinfo=VN)
    assert parse_timestamp("not a date") is None and parse_timestamp(None) is None


# --- sources ----------------------------------------------------------------------------------------------


def test_robots_sitemap_lines():
    text = "User-agent: *\nDisallow: /tim-kiem\nsitemap: https://a.vn/s1.xml\nSitemap:https://a.vn/s2.xml\n"
    assert robots_sitemaps(text) == ["https://a.vn/s1.xml", "https://a.vn/s2.xml"]


INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://a.vn/sitemaps/2026-11.xml</loc><lastmod>2026-11-24T22:00:00+07:00</lastmod></sitemap>
<sitemap><loc>https://a.vn/sitemaps/2026-10.xml</loc></sitemap></sitemapindex>"""

URLSET = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://a.vn/tin-123456.html</loc><lastmod>2026-11-24</lastmod>
<news:news><news:publication_date>2026-11-23T10:00:00+07:00</news:publication_date></news:news></url>
<url><loc> https://a.vn/tin-654321.html </loc></url><url><lastmod>2026-11-01</lastmod></url></urlset>"""


def test_sitemap_index_and_urlset():
    index = parse_sitemap(INDEX)
    assert index.is_index
    assert [link.url for link in index.links] == [
        "https://a.vn/sitemaps/2026-11.xml",
        "https://a.vn/sitemaps/2026-10.xml",
    ]
    assert index.links[0].modified == datetime(2026, 11, 24, 22, tzinfo=VN) and index.links[1].modified is None
    urlset = parse_sitemap(gzip.compress(URLSET), VN)  # .xml.gz served as is
    assert not urlset.is_index
    assert urlset.links == [
        Link("https://a.vn/tin-123456.html", datetime(2026, 11, 23, 10, tzinfo=VN), datetime(2026, 11, 24, tzinfo=VN)),
        Link("https://a.vn/tin-654321.html"),
    ]


def test_a_broken_sitemap_gives_what_it_can():
    assert parse_sitemap(b"").links == [] and parse_sitemap(b"<html>not xml").links == []
    broken = URLSET.replace(b"</urlset>", b"<url><loc>&bogus;</loc>")
    assert "https://a.vn/tin-123456.html" in [link.url for link in parse_sitemap(broken).links]


def test_rss_and_atom_feeds():
    rss = b"""<rss version="2.0"><channel><item><title>A</title><link>/a-111111.html?utm_source=rss</link>
    <pubDate>Tue, 24 Nov 2026 22:00:00 +0700</pubDate></item><item><link>https://a.vn/b-222222.html</link></item>
    </channel></rss>"""
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="https://a.vn/c-3.html"/>
    <link rel="enclosure" href="https://a.vn/c.jpg"/><published>2026-11-24T10:00:00Z</published></entry></feed>"""
    assert parse_feed(rss, "https://a.vn/rss") == [
        Link("https://a.vn/a-111111.html?utm_source=rss", datetime(2026, 11, 24, 22, tzinfo=VN)),
        Link("https://a.vn/b-222222.html"),
    ]
    assert parse_feed(atom, "https://a.vn/atom") == [
        Link("https://a.vn/c-3.html", datetime(2026, 11, 24, 10, tzinfo=timezone.utc))
    ]


def test_listing_links_carry_their_items_time():
    page = b"""<html><body><nav><a href="/thoi-su">Thoi su</a></nav><section>
    <article><h3><a href="/thoi-su/a-111111.html">A</a></h3><time datetime="2026-11-24T22:00:00+07:00">x</time></article>
    <article><h3><a href="/thoi-su/b-222222.html">B</a></h3></article>
    </section><a rel="next" href="?page=2">Sau</a></body></html>"""
    links, _root = parse_listing(page, "https://a.vn/thoi-su", VN)
    by_url = {link.url: link.published for link in links}
    assert by_url["https://a.vn/thoi-su/a-111111.html"] == datetime(2026, 11, 24, 22, tzinfo=VN)
    assert by_url["https://a.vn/thoi-su/b-222222.html"] is None  # no time in its own item
    assert by_url["https://a.vn/thoi-su?page=2"] is None


# --- the frontier -----------------------------------------------------------------------------------------


def test_frontier_filters_by_shape_window_duplicates_and_store_in_one_batch():
    lookups = []

    def stored(urls):
        lookups.append(list(urls))
        return {"https://a.vn/stored-100003.html"}

    window = Window(since=datetime(2026, 11, 1, tzinfo=VN))
    frontier = Frontier(re.compile(r"-\d{6}\.html$"), window, stored)
    new, old = datetime(2026, 11, 5, tzinfo=VN), datetime(2026, 10, 5, tzinfo=VN)
    decision = frontier.decide([
        Link("https://a.vn/new-100001.html?utm_source=rss#top", new),
        Link("https://a.vn/new-100001.html", new),         # the same article, canonically
        Link("https://a.vn/old-100002.html", old),
        Link("https://a.vn/stored-100003.html"),
        Link("https://a.vn/thoi-su"),
    ])  # fmt: skip
    assert decision.requests == ["https://a.vn/new-100001.html"]
    assert decision.rejected == {DUPLICATE: 1, OUT_OF_WINDOW: 1, STORED: 1, NOT_ARTICLE: 1}
    assert lookups == [["https://a.vn/new-100001.html", "https://a.vn/stored-100003.html"]]  # one batch
    again = frontier.decide([Link("https://a.vn/new-100001.html"), Link("https://a.vn/stored-100003.html")])
    assert again.requests == [] and again.rejected == {DUPLICATE: 2}


def test_discovery_modules_do_not_import_scrapy():
    code = "import sys, crawler.discovery.frontier, crawler.discovery.sources, crawler.discovery.jobs; print('scrapy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
