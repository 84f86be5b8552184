"""Site profiles: the bundled ones load and are covered by test pages; broken ones fail loudly and precisely."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from parsel import Selector

from crawler.profiles import (
    PROFILE_DIR,
    ProfileError,
    find_profile,
    load_profile,
    load_profiles,
    query,
)

FIXTURES = Path(__file__).parent / "fixtures"
BUNDLED = load_profiles()

MINIMAL = 'id = "{id}"\nname = "Example"\ndomains = ["example.vn"]\n'


def write_profile(tmp_path: Path, extra: str = "", *, stem: str = "example", profile_id: str | None = None) -> Path:
    path = tmp_path / f"{stem}.toml"
    path.write_text(MINIMAL.format(id=profile_id or stem) + extra, encoding="utf-8")
    return path


# --- the bundled profiles ---------------------------------------------------------------------------------


def test_profiles_are_bundled():
    assert BUNDLED, f"no profile in {PROFILE_DIR}"


@pytest.mark.parametrize("profile", BUNDLED, ids=lambda p: p.id)
def test_bundled_profile_is_complete(profile):
    assert profile.id == profile.path.stem
    assert profile.domains and profile.language and profile.timezone
    assert profile.has("title") or "title" in profile.generic
    assert profile.has("body") or "body" in profile.generic


@pytest.mark.parametrize("profile", BUNDLED, ids=lambda p: p.id)
def test_every_selector_runs_under_parsel(profile):
    # load_profile compiled them with lxml; this runs them the way the extractor does.
    page = Selector(
        text="<html><body><div><p>x</p><table><tr><td><img src='a.jpg'></td></tr></table></div></body></html>"
    )
    block = page.css("table")[0]
    for field, selectors in profile.selectors.items():
        for selector in selectors:
            query(block if field in ("caption", "credit") else page, selector)
    for selector in profile.drop:
        query(page, selector)


@pytest.mark.parametrize("profile", BUNDLED, ids=lambda p: p.id)
def test_every_profile_has_a_fixture_case(profile):
    cases = [c for c in (FIXTURES / profile.id).glob("*.json") if c.with_suffix(".html").is_file()]
    assert cases, f"no test page (<case>.html + <case>.json) under tests/fixtures/{profile.id}/"


def test_profiles_module_does_not_import_scrapy():
    code = "import sys, crawler.profiles; sys.exit('scrapy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent.parent).returncode == 0


def test_laodongthudo_lede_prefix_strips_the_papers_mark():
    profile = find_profile("https://laodongthudo.vn/")
    for text in ("(LĐTĐ) Trong những năm qua", "(LĐTĐ)Trong những năm qua", "(LĐTĐ) - Trong những năm qua"):
        for pattern in profile.lede_prefix:
            text = pattern.sub("", text, count=1)
        assert text == "Trong những năm qua"


# --- loading and validation -------------------------------------------------------------------------------


def test_full_profile_loads(tmp_path):
    path = write_profile(
        tmp_path,
        'language = "vi"\ntimezone = "Asia/Ho_Chi_Minh"\nday_first = true\narticle_url = \'-\\d+\\.html$\'\n'
        'verified = true\nnotes = "checked"\ngeneric = ["tags"]\n'
        '[selectors]\ntitle = ["h1.title", "xpath://meta[@property=\'og:title\']/@content"]\n'
        "[cleanup]\ndrop = [\".share\"]\nlede_prefix = ['^\\(LĐTĐ\\)\\s*']\n",
    )
    profile = load_profile(path)
    assert profile.id == "example" and profile.name == "Example" and profile.domains == ("example.vn",)
    assert (profile.language, profile.timezone, profile.day_first, profile.verified) == (
        "vi",
        "Asia/Ho_Chi_Minh",
        True,
        True,
    )
    assert profile.article_url.search("https://example.vn/a-123.html")
    assert profile.selectors["title"] == ("h1.title", "xpath://meta[@property='og:title']/@content")
    assert profile.drop == (".share",)
    assert profile.lede_prefix[0].sub("", "(LĐTĐ) Tin") == "Tin"
    assert profile.generic == frozenset({"tags"})
    assert profile.path == path


def test_optional_keys_default(tmp_path):
    profile = load_profile(write_profile(tmp_path))
    assert profile.language is None and profile.timezone is None and profile.day_first is None
    assert profile.article_url is None and dict(profile.selectors) == {} and profile.drop == ()
    assert profile.lede_prefix == () and profile.generic == frozenset()
    assert profile.verified is False and profile.notes == ""


BROKEN = [
    # (what is wrong, TOML appended to a minimal valid profile, the key the message must name)
    ("unknown top-level key", 'selector = ["h1"]\n', "unknown key 'selector'"),
    ("unknown selectors field", '[selectors]\ntitel = ["h1"]\n', "unknown key 'selectors.titel'"),
    ("unknown cleanup key", '[cleanup]\nremove = [".ad"]\n', "unknown key 'cleanup.remove'"),
    ("bad CSS", '[selectors]\ntitle = ["h1.title", "h1["]\n', "selectors.title[1]: bad CSS selector 'h1['"),
    ("unknown pseudo-element", '[selectors]\ntitle = ["h1::txt"]\n', "selectors.title[0]: bad CSS selector"),
    ("bad XPath", '[selectors]\nbody = ["xpath://div["]\n', "selectors.body[0]: bad XPath"),
    ("unknown XPath function", '[selectors]\nbody = ["xpath://p[nope(.)]"]\n', "selectors.body[0]: bad XPath"),
    ("unbound XPath prefix", '[selectors]\nbody = ["xpath://x:p"]\n', "selectors.body[0]: bad XPath"),
    ("empty XPath", '[selectors]\nbody = ["xpath:"]\n', "selectors.body[0]"),
    ("bad drop selector", '[cleanup]\ndrop = [".ok", "div >> p"]\n', "cleanup.drop[1]"),
    ("bad article_url regex", 'article_url = "(\\\\d+"\n', "article_url: bad regex"),
    ("bad lede_prefix regex", '[cleanup]\nlede_prefix = ["^(LĐTĐ"]\n', "cleanup.lede_prefix[0]: bad regex"),
    ("unknown time zone", 'timezone = "Mars/Olympus_Mons"\n', "timezone: unknown time zone"),
    ("bad language tag", 'language = "Vietnamese"\n', "language"),
    ("string for a boolean", 'day_first = "yes"\n', "day_first: expected true or false"),
    ("integer for a boolean", "verified = 1\n", "verified: expected true or false"),
    ("string for a selector list", '[selectors]\ntitle = "h1"\n', "selectors.title: expected a list"),
    ("number in a selector list", "[selectors]\ntitle = [1]\n", "selectors.title[0]: expected a string"),
    ("empty selector list", "[selectors]\ntitle = []\n", "selectors.title: empty list"),
    ("selectors not a table", 'selectors = ["h1"]\n', "selectors: expected a table"),
    ("unknown generic field", 'generic = ["titel"]\n', "generic[0]: unknown field 'titel'"),
    ("empty notes", 'notes = ""\n', "notes: must not be empty"),
    ("unknown page type", '[page_types]\nvideos = { urls = ["/video/"] }\n', "unknown key 'page_types.videos'"),
    ("unknown page type key", '[page_types]\nvideo = { url = ["/video/"] }\n', "unknown key 'page_types.video.url'"),
    ("bad page type regex", '[page_types]\nvideo = { urls = ["(video"] }\n', "page_types.video.urls[0]: bad regex"),
    ("bad page type marker", '[page_types]\ngallery = { markers = ["div >> p"] }\n', "page_types.gallery.markers[0]"),
]


@pytest.mark.parametrize(("extra", "names"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_profile_names_file_and_key(tmp_path, extra, names):
    path = write_profile(tmp_path, extra)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert message.startswith("example.toml: "), message
    assert names in message, message
    assert caught.value.path == path


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ('name = "x"\ndomains = ["example.vn"]\n', "missing key 'id'"),
        ('id = "example"\ndomains = ["example.vn"]\n', "missing key 'name'"),
        ('id = "example"\nname = "x"\ndomains = "example.vn"\n', "domains: expected a list"),
        ('id = "example"\nname = "x"\ndomains = []\n', "domains: must list at least one domain"),
        ('id = "example"\nname = "x"\ndomains = ["https://example.vn"]\n', "domains[0]"),
        ('id = "example"\nname = "x"\ndomains = ["Example.VN"]\n', "domains[0]"),
        ('id = "example"\nname = "x"\ndomains = [\n', "not valid TOML"),
    ],
)
def test_broken_required_keys(tmp_path, text, names):
    path = tmp_path / "example.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=r"^example\.toml: ") as caught:
        load_profile(path)
    assert names in str(caught.value)


def test_id_must_be_the_file_stem(tmp_path):
    path = write_profile(tmp_path, stem="other", profile_id="example")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value).startswith("other.toml: id: 'example'")
    assert caught.value.key == "id"


def test_missing_file_is_a_profile_error(tmp_path):
    with pytest.raises(ProfileError, match=r"^absent\.toml: cannot read"):
        load_profile(tmp_path / "absent.toml")


def test_load_profiles_reads_a_directory_in_order(tmp_path):
    write_profile(tmp_path, stem="b").write_text(MINIMAL.format(id="b").replace("example.vn", "b.vn"), encoding="utf-8")
    write_profile(tmp_path, stem="a")
    (tmp_path / "README.md").write_text("not a profile")
    assert [p.id for p in load_profiles(tmp_path)] == ["a", "b"]


def test_two_profiles_cannot_claim_one_domain(tmp_path):
    write_profile(tmp_path, stem="a")
    write_profile(tmp_path, stem="b")
    with pytest.raises(ProfileError, match=r"^b\.toml: domains: 'example\.vn' is also in a\.toml"):
        load_profiles(tmp_path)


# --- finding a profile by URL -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://laodongthudo.vn/khong-ngung-nang-cao-hieu-luc-114627.html",
        "http://www.laodongthudo.vn/thoi-su",
        "https://m.laodongthudo.vn/x-1234.html",
        "https://LaoDongThuDo.vn./x",
        "laodongthudo.vn/x-1234.html",
    ],
)
def test_find_profile_by_domain_and_subdomain(url):
    profile = find_profile(url)
    assert profile is not None and profile.id == "laodongthudo"
    assert profile.matches(url)


@pytest.mark.parametrize(
    "url",
    [None, "", "https://example.com/", "https://notlaodongthudo.vn/", "https://laodongthudo.vn.example.com/", "/x"],
)
def test_find_profile_none_for_unknown(url):
    assert find_profile(url) is None


def test_find_profile_prefers_the_longest_domain(tmp_path):
    write_profile(tmp_path, stem="parent")
    (tmp_path / "child.toml").write_text(MINIMAL.format(id="child").replace("example.vn", "news.example.vn"))
    profiles = load_profiles(tmp_path)
    assert find_profile("https://news.example.vn/a", profiles).id == "child"
    assert find_profile("https://live.news.example.vn/a", profiles).id == "child"
    assert find_profile("https://www.example.vn/a", profiles).id == "parent"
    assert find_profile("https://oldnews.example.vn/a", profiles).id == "parent"


# --- selecting ----------------------------------------------------------------------------------------------

PAGE = Selector(
    text="""<html><head><meta property="og:title" content="From meta"><meta name="description" content=""></head>
    <body><h1 class="empty">  </h1><h1 class="title">From <b>h1</b></h1>
    <table class="pic"><tr><td><img src="a.jpg"></td></tr><tr><td>Caption (Ảnh: An)</td></tr></table>
    <div class="figure"><img src="b.jpg"></div></body></html>"""
)


def selecting_profile(tmp_path, selectors: str):
    return load_profile(write_profile(tmp_path, "[selectors]\n" + selectors))


def test_select_first_non_empty_wins(tmp_path):
    profile = selecting_profile(
        tmp_path,
        'title = ["h1.missing", "h1.empty", "h1.title", "meta[property=\'og:title\']::attr(content)"]\n'
        'lede = ["meta[name=\'description\']::attr(content)", "h1.title::text"]\n',
    )
    assert profile.select(PAGE, "title").xpath("string()").getall() == ["From h1"]
    assert profile.select(PAGE, "lede").getall() == ["From "]


def test_select_falls_through_to_later_alternatives(tmp_path):
    profile = selecting_profile(tmp_path, 'title = ["h2", "xpath://meta[@property=\'og:title\']/@content"]\n')
    assert profile.select(PAGE, "title").getall() == ["From meta"]


def test_select_empty_when_nothing_matches_or_field_absent(tmp_path):
    profile = selecting_profile(tmp_path, 'title = ["h2", "h3"]\n')
    assert len(profile.select(PAGE, "title")) == 0
    assert len(profile.select(PAGE, "lede")) == 0
    assert profile.has("title") and not profile.has("lede")


def test_select_counts_pictures_without_text(tmp_path):
    profile = selecting_profile(tmp_path, 'images = ["div.figure"]\n')
    assert len(profile.select(PAGE, "images")) == 1


def test_select_inside_an_image_block(tmp_path):
    profile = selecting_profile(
        tmp_path,
        'images = ["table.pic"]\ncaption = ["figcaption", "xpath:.//tr[not(.//img)]/td"]\n'
        "credit = [\"xpath:normalize-space(substring-before(substring-after(string(.//tr[2]), 'Ảnh:'), ')'))\"]\n",
    )
    (block,) = profile.select(PAGE, "images")
    assert profile.select(block, "caption").xpath("string()").get() == "Caption (Ảnh: An)"
    assert profile.select(block, "credit").get() == "An"


def test_query_handles_both_syntaxes():
    assert query(PAGE, "h1.title b::text").getall() == ["h1"]
    assert query(PAGE, "xpath://h1[@class='title']/b/text()").getall() == ["h1"]
    assert query(PAGE, "xpath: //h1[has-class('title')]/b/text()").getall() == ["h1"]


def test_page_types_by_url_shape_and_by_marker(tmp_path):
    profile = load_profile(
        write_profile(
            tmp_path,
            '[page_types]\nvideo = { urls = ["/video/"] }\ngallery = { markers = ["body.photo-page"] }\n',
        )
    )
    gallery = Selector(text="<html><body class='photo-page'><h1>x</h1></body></html>")
    article = Selector(text="<html><body class='detail'><h1>x</h1></body></html>")
    assert profile.page_type("https://example.vn/video/clip-123.html", article) == "video"
    assert profile.page_type("https://example.vn/anh-dep-123.html", gallery) == "gallery"
    assert profile.page_type("https://example.vn/bai-viet-123.html", article) is None
