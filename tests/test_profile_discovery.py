"""The [discovery] and [crawl] tables of a profile: defaults, a full table, and errors naming file and key."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.profiles import ProfileError, load_profile, load_profiles
from crawler.profiles.discovery import DEFAULT_NEXT_PAGE

MINIMAL = 'id = "example"\nname = "Example"\ndomains = ["example.vn"]\n'


def write(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "example.toml"
    path.write_text(MINIMAL + extra, encoding="utf-8")
    return path


def test_defaults_crawl_the_home_page_and_robots_sitemaps(tmp_path):
    profile = load_profile(write(tmp_path))
    assert profile.discovery.home == "https://example.vn/"
    assert profile.discovery.robots and profile.discovery.robots_url == "https://example.vn/robots.txt"
    assert profile.discovery.listings == ("https://example.vn/",)
    assert profile.discovery.sitemaps == () and profile.discovery.feeds == ()
    assert profile.discovery.next_page == DEFAULT_NEXT_PAGE and profile.discovery.max_pages is None
    assert profile.limits.concurrency is None and profile.limits.delay is None


def test_a_full_discovery_table(tmp_path):
    profile = load_profile(
        write(
            tmp_path,
            '[discovery]\nhome = "http://example.vn/"\nrobots = false\nsitemaps = ["http://example.vn/s.xml"]\n'
            'feeds = ["http://example.vn/rss"]\nlistings = ["http://example.vn/a", "http://example.vn/b"]\n'
            'next_page = ["a.next::attr(href)"]\nmax_pages = 5\n[crawl]\nconcurrency = 1\ndelay = 2\n',
        )
    )
    d = profile.discovery
    assert (d.home, d.robots, d.sitemaps, d.feeds) == (
        "http://example.vn/",
        False,
        ("http://example.vn/s.xml",),
        ("http://example.vn/rss",),
    )
    assert d.listings == ("http://example.vn/a", "http://example.vn/b") and d.next_page == ("a.next::attr(href)",)
    assert d.max_pages == 5 and profile.limits.concurrency == 1 and profile.limits.delay == 2.0


BROKEN = [
    ("unknown key", "[discovery]\nsitemap = []\n", "unknown key 'discovery.sitemap'"),
    ("relative URL", '[discovery]\nfeeds = ["/rss"]\n', "discovery.feeds[0]: '/rss' is not an absolute http(s) URL"),
    ("bad next_page", '[discovery]\nnext_page = ["a["]\n', "discovery.next_page[0]: bad CSS selector"),
    ("zero max_pages", "[discovery]\nmax_pages = 0\n", "discovery.max_pages: expected a whole number"),
    ("robots not boolean", '[discovery]\nrobots = "yes"\n', "discovery.robots: expected true or false"),
    ("unknown crawl key", "[crawl]\nspeed = 1\n", "unknown key 'crawl.speed'"),
    ("negative delay", "[crawl]\ndelay = -1\n", "crawl.delay: expected a number of seconds"),
    ("fractional concurrency", "[crawl]\nconcurrency = 1.5\n", "crawl.concurrency: expected a whole number"),
]


@pytest.mark.parametrize(("extra", "names"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_discovery_names_file_and_key(tmp_path, extra, names):
    with pytest.raises(ProfileError) as caught:
        load_profile(write(tmp_path, extra))
    assert str(caught.value).startswith("example.toml: ")
    assert names in str(caught.value)


def test_every_bundled_profile_has_a_spider():
    from spiders.sites import SPIDERS

    assert sorted(SPIDERS) == sorted(p.id for p in load_profiles())
    assert SPIDERS["baomau"].custom_settings == {"CONCURRENT_REQUESTS_PER_DOMAIN": 4, "DOWNLOAD_DELAY": 0.25}


def test_bundled_discovery_stays_on_the_site_and_apart_from_articles():
    """Every source a profile names is on its own site (a subdomain such as www. counts), and none has the
    shape of an article: a feed or listing the article_url filter took for an article would be fetched as one."""
    for profile in load_profiles():
        d = profile.discovery
        for url in (d.home, *d.sitemaps, *d.feeds, *d.listings):
            host = urlsplit(url).hostname
            assert any(host == dom or host.endswith("." + dom) for dom in profile.domains), (profile.id, url)
            assert profile.article_url is None or not profile.article_url.search(url), (profile.id, url)
