"""Date normalisation: real-world date strings, the choice among a page's dates, and the rules per site."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from crawler.dates import DateRules, ParsedDate, date_rules, normalise_dates, parse_date, resolve_date
from crawler.items import Article, DateEvidence

# Fetch time of every relative case: 10:00 in Hanoi, 03:00 UTC.
NOW = datetime(2026, 7, 21, 3, 0, tzinfo=timezone.utc)

VN = {"timezone": "Asia/Ho_Chi_Minh", "day_first": True, "languages": ("vi", "en"), "now": NOW}
EN = {"languages": ("en",), "now": NOW}
US = {"languages": ("en",), "timezone": "America/New_York", "now": NOW}
DE = {"languages": ("de", "en"), "now": NOW}
DE_BERLIN = {**DE, "timezone": "Europe/Berlin"}
FR = {"languages": ("fr", "en"), "now": NOW}
PLAIN = {"now": NOW}  # no site knowledge at all

CASES = [
    # Vietnamese sites' date lines (vnexpress, thanhnien, nhandan, vietnamnet, dantri, vietnamplus, laodongthudo)
    ("13/09/2020 12:05", VN, "2020-09-13T12:05:00+07:00"),
    ("13/9/2020, 12:05 (GMT+7)", PLAIN, "2020-09-13T12:05:00+07:00"),
    ("Chủ nhật, 13/9/2020, 12:05 (GMT+7)", PLAIN, "2020-09-13T12:05:00+07:00"),
    ("Chủ nhật, 19/7/2026, 22:35 (GMT+7)", VN, "2026-07-19T22:35:00+07:00"),
    ("Thứ hai, 20/07/2026 - 06:31", VN, "2026-07-20T06:31:00+07:00"),
    ("Thứ Hai, ngày 20/07/2026 - 06:31", VN, "2026-07-20T06:31:00+07:00"),
    ("Thứ ba, 21/07/2026 - 00:00", VN, "2026-07-21T00:00:00+07:00"),
    ("Thứ 3, 21/07/2026", VN, "2026-07-21"),
    ("T2, 20/7/2026 06:31", VN, "2026-07-20T06:31:00+07:00"),
    ("CN, 19/7/2026", VN, "2026-07-19"),
    ("20/07/2026 06:31 GMT+7", PLAIN, "2026-07-20T06:31:00+07:00"),
    ("17/07/2026 22:18 GMT+7", PLAIN, "2026-07-17T22:18:00+07:00"),
    ("16/07/2026   18:04 (GMT+07:00)", PLAIN, "2026-07-16T18:04:00+07:00"),
    ("12:05 13/09/2020", VN, "2020-09-13T12:05:00+07:00"),
    ("13-09-2020 12:05", VN, "2020-09-13T12:05:00+07:00"),
    ("13.7.2026", VN, "2026-07-13"),
    ("Cập nhật: 21/07/2026 07:17", VN, "2026-07-21T07:17:00+07:00"),
    ("Đăng lúc 06:31 20/07/2026", VN, "2026-07-20T06:31:00+07:00"),
    ("Ngày 13 tháng 9 năm 2020", VN, "2020-09-13"),
    ("12:05, ngày 13 tháng 9 năm 2020", VN, "2020-09-13T12:05:00+07:00"),
    ("ngày 13/9/2020 lúc 12:05", VN, "2020-09-13T12:05:00+07:00"),
    ("7:15 CH 13/9/2020", VN, "2020-09-13T19:15:00+07:00"),
    ("Mạnh Quân | 13/09/2020 12:05 | Thời sự", VN, "2020-09-13T12:05:00+07:00"),
    ("Tác giả: Mạnh Quân - 12:05 ngày 13/09/2020 (GMT+7)", {"now": NOW}, "2020-09-13T12:05:00+07:00"),
    # machine-readable forms (meta, JSON-LD, <time datetime>, hidden inputs, data-time)
    ("2026-07-20T06:31:56+07:00", VN, "2026-07-20T06:31:56+07:00"),
    ("2026-07-16T18:04:00.000 +07:00", PLAIN, "2026-07-16T18:04:00+07:00"),
    ("2026-07-06T18:16:00.000+07:00", PLAIN, "2026-07-06T18:16:00+07:00"),
    ("2024-05-03T15:47:42.389Z", PLAIN, "2024-05-03T15:47:42+00:00"),
    ("2020-09-13T12:05:00+0700", PLAIN, "2020-09-13T12:05:00+07:00"),
    ("2020-09-13T08:05:00-04", PLAIN, "2020-09-13T08:05:00-04:00"),
    ("2020-09-13 12:05", PLAIN, "2020-09-13T12:05:00"),
    ("2020-09-13 12:05", VN, "2020-09-13T12:05:00+07:00"),
    ("2026-07-17T22:18:00", VN, "2026-07-17T22:18:00+07:00"),
    ("2026-07-21 00:00", VN, "2026-07-21T00:00:00+07:00"),
    ("2020-09-13", VN, "2020-09-13"),
    ("2024/05/03 17:47", PLAIN, "2024-05-03T17:47:00"),
    ("Sun, 13 Sep 2020 12:05:00 +0700", PLAIN, "2020-09-13T12:05:00+07:00"),
    ("Fri, 03 May 2024 15:47:42 GMT", PLAIN, "2024-05-03T15:47:42+00:00"),
    ("1784503916", VN, "2026-07-20T06:31:56+07:00"),
    ("1784503916000", PLAIN, "2026-07-19T23:31:56+00:00"),
    # explicit zone in the text wins over the site's zone
    ("2024-05-03T15:47:42Z", VN, "2024-05-03T15:47:42+00:00"),
    ("13/09/2020 12:05 UTC", VN, "2020-09-13T12:05:00+00:00"),
    ("3 May 2024 14:30 CET", DE_BERLIN, "2024-05-03T14:30:00+01:00"),
    # English (US / UK)
    ("May 3, 2024 7:15 pm EDT", EN, "2024-05-03T19:15:00-04:00"),
    ("Published May 3, 2024", EN, "2024-05-03"),
    ("Friday, May 3, 2024", EN, "2024-05-03"),
    ("Updated 3 May 2024, 14:30 BST", EN, "2024-05-03T14:30:00+01:00"),
    ("Aug. 8, 2024 5:00 a.m. ET", EN, "2024-08-08T05:00:00-04:00"),
    ("Jan. 8, 2024 5:00 a.m. ET", EN, "2024-01-08T05:00:00-05:00"),
    ("August 8, 2024 at 5:00 PM PT", EN, "2024-08-08T17:00:00-07:00"),
    ("Posted on 3rd May 2024", EN, "2024-05-03"),
    ("Updated: 5:03 PM EDT, Fri May 3, 2024", EN, "2024-05-03T17:03:00-04:00"),
    ("Published on: June 25, 2024 5 min read", EN, "2024-06-25"),
    ("Dec. 6, 2024, 10:00 PM UTC / Updated Dec. 7, 2024, 12:43 PM UTC", EN, "2024-12-06T22:00:00+00:00"),
    ("May 3, 2024 7:15 pm", US, "2024-05-03T19:15:00-04:00"),
    # German, French, Spanish, Dutch
    ("3. Mai 2024, 14:30 Uhr", DE, "2024-05-03T14:30:00"),
    ("3. Mai 2024, 14:30 Uhr", DE_BERLIN, "2024-05-03T14:30:00+02:00"),
    ("Stand: 22.11.2024 09:47 Uhr", DE, "2024-11-22T09:47:00"),
    ("Freitag, 03.05.2024, 17:47 Uhr", DE_BERLIN, "2024-05-03T17:47:00+02:00"),
    ("03.05.24", DE, "2024-05-03"),
    ("24 avril 2024", FR, "2024-04-24"),
    ("Publié le 24 avril 2024 à 14h30", FR, "2024-04-24T14:30:00"),
    ("3 de mayo de 2024", {"languages": ("es", "en")}, "2024-05-03"),
    ("2 februari 2025 om 23:02", {"languages": ("nl", "en")}, "2025-02-02T23:02:00"),
    # ambiguous day/month order
    ("05/09/2020", {"day_first": True}, "2020-09-05"),
    ("05/09/2020", {"day_first": False}, "2020-05-09"),
    ("05/09/2020", {"languages": ("en",)}, "2020-09-05"),
    ("05/09/2020", {"languages": ("en",), "timezone": "America/New_York"}, "2020-05-09"),
    ("05/09/2020", {"languages": ("en-US",)}, "2020-05-09"),
    ("05/09/2020", {"languages": ("en-US",), "timezone": "Europe/London"}, "2020-09-05"),
    ("05/09/2020", {"languages": ("vi", "en")}, "2020-09-05"),
    ("09/13/2020", {"day_first": True}, "2020-09-13"),
    ("13/09/2020", {"day_first": False}, "2020-09-13"),
    ("2020-05-09", {"day_first": False}, "2020-05-09"),
    # relative dates against NOW, in the site's zone, else NOW's
    ("2 giờ trước", VN, "2026-07-21T08:00:00+07:00"),
    ("30 phút trước", VN, "2026-07-21T09:30:00+07:00"),
    ("vừa xong", VN, "2026-07-21T10:00:00+07:00"),
    ("hôm qua", VN, "2026-07-20"),
    ("hôm qua lúc 10:30", VN, "2026-07-20T10:30:00+07:00"),
    ("3 ngày trước", VN, "2026-07-18"),
    ("5 minutes ago", PLAIN, "2026-07-21T02:55:00+00:00"),
    ("an hour ago", EN, "2026-07-21T02:00:00+00:00"),
    ("yesterday", PLAIN, "2026-07-20"),
    ("3 days ago", PLAIN, "2026-07-18"),
    ("vor 2 Stunden", DE_BERLIN, "2026-07-21T03:00:00+02:00"),
    ("il y a 3 jours", FR, "2026-07-18"),
    ("včera 14:40", {"languages": ("cs", "en"), "now": NOW}, "2026-07-20T14:40:00"),
    # the page's clock on a relative day has the site's offset, not the fetch time's
    ("hôm qua lúc 10:30", {"languages": ("vi", "en"), "now": NOW}, "2026-07-20T10:30:00"),
    # a year-less date takes NOW's year, or the year before when that would be in the future
    ("12:05 20/7", VN, "2026-07-20T12:05:00+07:00"),
    ("12:05 13/9", VN, "2025-09-13T12:05:00+07:00"),
    # junk and what must not be guessed
    ("", VN, None),
    ("   ", VN, None),
    ("Tin liên quan", VN, None),
    ("Xem thêm", VN, None),
    ("12345", VN, None),
    ("2020", VN, None),
    ("0912345678", VN, None),
    ("13/9", VN, None),
    ("31/02/2020", VN, None),
    ("00/00/2020 12:05", VN, None),
    ("13/09/2020 25:05", VN, None),
    ("13/09/1890", VN, None),
    ("13/09/2099", VN, None),
    ("May 3", EN, None),
    ("2 tháng trước", VN, None),
    ("2 giờ trước", {"timezone": "Asia/Ho_Chi_Minh"}, None),
    ("13/09/2020 12:05 GMT+25", PLAIN, None),
    ("GMT+7", PLAIN, None),
]


@pytest.mark.parametrize(("raw", "options", "expected"), CASES, ids=[f"{i:03d}:{c[0]}" for i, c in enumerate(CASES)])
def test_parse_date(raw, options, expected):
    parsed = parse_date(raw, **options)
    assert (parsed.value if parsed else None) == expected


def test_parsed_date_flags_say_what_the_text_gave():
    with_offset = parse_date("13/09/2020 12:05", **VN)
    assert (with_offset.has_time, with_offset.has_offset) == (True, True)
    assert with_offset.moment == datetime(2020, 9, 13, 5, 5, tzinfo=timezone.utc)

    wall_clock = parse_date("2020-09-13 12:05")
    assert (wall_clock.has_time, wall_clock.has_offset) == (True, False)
    assert wall_clock.moment == datetime(2020, 9, 13, 12, 5)

    date_only = parse_date("Ngày 13 tháng 9 năm 2020", **VN)
    assert date_only == ParsedDate("2020-09-13", False, False, date(2020, 9, 13))


def test_no_microseconds_and_never_z():
    parsed = parse_date("2024-05-03T15:47:42.389123Z")
    assert parsed.value == "2024-05-03T15:47:42+00:00"
    assert parsed.moment.microsecond == 0


def test_unknown_timezone_is_an_error_naming_it():
    with pytest.raises(ValueError, match="Asia/Hanoi_City"):
        parse_date("13/09/2020 12:05", timezone="Asia/Hanoi_City")


# --- resolve_date --------------------------------------------------------------------------------------

VN_RULES = DateRules("Asia/Ho_Chi_Minh", True, ("vi", "en"))
PLAIN_RULES = DateRules(None, None, ("en",))


def ev(raw, origin):
    return DateEvidence(raw, origin not in ("profile", "visible"), origin)


def test_agreeing_machine_date_lends_seconds_and_offset_raw_is_what_the_reader_sees():
    evidence = [
        DateEvidence("Thứ Hai, ngày 20/07/2026 - 06:31", False, "profile"),
        ev("2026-07-20T06:31:56+07:00", "jsonld"),
    ]
    assert resolve_date(evidence, VN_RULES, NOW) == ("2026-07-20T06:31:56+07:00", "Thứ Hai, ngày 20/07/2026 - 06:31")


def test_machine_date_in_utc_agreeing_as_an_instant_is_shown_in_the_page_offset():
    evidence = [DateEvidence("20/07/2026 06:31", False, "profile"), ev("2026-07-19T23:31:56Z", "meta")]
    assert resolve_date(evidence, VN_RULES, NOW) == ("2026-07-20T06:31:56+07:00", "20/07/2026 06:31")


def test_utc_value_takes_the_offset_another_tag_states_for_the_same_instant():
    # rollingstone.com: JSON-LD in UTC, <time> in the newsroom's offset, the visible line a date only.
    evidence = [
        ev("2024-04-25T08:21:02Z", "jsonld"),
        ev("2024-04-25 04:21:02.000000-0400", "time"),
        DateEvidence("April 25, 2024", False, "visible"),
    ]
    assert resolve_date(evidence, PLAIN_RULES, NOW) == ("2024-04-25T04:21:02-04:00", "April 25, 2024")


def test_machine_date_without_offset_takes_the_visible_offset():
    evidence = [DateEvidence("17/07/2026 22:18 GMT+7", False, "visible"), ev("2026-07-17T22:18:00", "meta")]
    # Visible comes last in trust order, but it is the one that states the offset.
    assert resolve_date([evidence[1], evidence[0]], PLAIN_RULES, NOW) == (
        "2026-07-17T22:18:00+07:00",
        "17/07/2026 22:18 GMT+7",
    )


def test_machine_date_with_time_confirms_a_visible_date_only():
    evidence = [DateEvidence("Thứ 3, 21/07/2026", False, "profile"), ev("2026-07-21T00:00:00+07:00", "jsonld")]
    assert resolve_date(evidence, VN_RULES, NOW)[0] == "2026-07-21T00:00:00+07:00"


def test_profile_visible_date_that_machine_dates_contradict_wins():
    evidence = [
        DateEvidence("21/07/2026 00:00", False, "profile"),
        ev("2026-07-20T21:55:19+07:00", "jsonld"),
        ev("2026-07-20T21:55:19+07:00", "meta"),
    ]
    assert resolve_date(evidence, VN_RULES, NOW) == ("2026-07-21T00:00:00+07:00", "21/07/2026 00:00")


def test_heuristic_visible_date_does_not_overrule_machine_dates():
    evidence = [ev("2026-07-20T21:55:19+07:00", "jsonld"), DateEvidence("18/7/2026", False, "visible")]
    assert resolve_date(evidence, VN_RULES, NOW) == ("2026-07-20T21:55:19+07:00", "2026-07-20T21:55:19+07:00")


def test_first_readable_candidate_in_trust_order_wins_otherwise():
    evidence = [ev("not a date", "jsonld"), ev("2026-07-20T06:31:56+07:00", "meta"), ev("2026-07-01", "time")]
    assert resolve_date(evidence, VN_RULES, NOW) == ("2026-07-20T06:31:56+07:00", "2026-07-20T06:31:56+07:00")


def test_wall_clocks_are_compared_when_an_offset_is_missing():
    # No site zone: the visible 06:31 has no offset, the machine 06:31:56+07:00 has one; same wall clock.
    evidence = [DateEvidence("20/07/2026 06:31", False, "profile"), ev("2026-07-20T06:31:56+07:00", "jsonld")]
    assert resolve_date(evidence, PLAIN_RULES, NOW)[0] == "2026-07-20T06:31:56+07:00"


def test_page_clock_without_offset_agrees_with_utc_metadata_at_a_real_offset():
    # derstandard.at: "3. Mai 2024, 17:47" on the page, 15:47:42Z in JSON-LD: the page is at +02:00.
    evidence = [
        ev("2024-05-03T15:47:42.389Z", "jsonld"),
        ev("2024-05-03T17:47", "time"),
        DateEvidence("3. Mai 2024, 17:47", False, "visible"),
    ]
    rules = DateRules(None, None, ("de", "en"))
    assert resolve_date(evidence, rules, NOW) == ("2024-05-03T17:47:42+02:00", "3. Mai 2024, 17:47")


def test_page_clock_matching_no_real_offset_is_a_disagreement():
    evidence = [DateEvidence("20/07/2026 06:31", False, "profile"), ev("2026-07-19T23:40:00Z", "jsonld")]
    assert resolve_date(evidence, PLAIN_RULES, NOW) == ("2026-07-20T06:31:00", "20/07/2026 06:31")


def test_nothing_readable_keeps_the_first_raw_and_no_value():
    evidence = [ev(" ", "jsonld"), DateEvidence("Cập nhật lúc ??", False, "profile"), ev("", "meta")]
    assert resolve_date(evidence, VN_RULES, NOW) == (None, "Cập nhật lúc ??")
    assert resolve_date([], VN_RULES, NOW) == (None, None)


# --- normalise_dates -----------------------------------------------------------------------------------


def test_normalise_dates_fills_fields_and_clears_evidence():
    article = Article(url="https://laodongthudo.vn/x-1234.html", site="laodongthudo.vn")
    article.dates = {
        "published": [DateEvidence("13/09/2020 12:05", False, "profile")],
        "modified": [ev("2020-09-13T12:05:00+07:00", "meta")],
    }
    assert normalise_dates(article, now=NOW, rules=VN_RULES) == []
    assert (article.published, article.published_raw) == ("2020-09-13T12:05:00+07:00", "13/09/2020 12:05")
    # Equal to published, and kept: it is what the page says.
    assert (article.modified, article.modified_raw) == ("2020-09-13T12:05:00+07:00", "2020-09-13T12:05:00+07:00")
    assert article.dates == {}


def test_normalise_dates_reports_unreadable_evidence_and_keeps_raw():
    article = Article()
    article.dates = {"published": [DateEvidence("Cập nhật lúc ??", False, "visible")]}
    assert normalise_dates(article, now=NOW, rules=VN_RULES) == ["published"]
    assert (article.published, article.published_raw) == (None, "Cập nhật lúc ??")
    assert (article.modified, article.modified_raw) == (None, None)


def test_normalise_dates_leaves_a_set_value_without_evidence_alone():
    article = Article(published="2020-09-13T12:05:00+07:00", published_raw="13/09/2020 12:05")
    assert normalise_dates(article, now=NOW, rules=VN_RULES) == []
    assert (article.published, article.published_raw) == ("2020-09-13T12:05:00+07:00", "13/09/2020 12:05")


def test_normalise_dates_never_uses_now_for_a_missing_date():
    article = Article()
    article.dates = {"published": [DateEvidence("hôm nay", False, "visible")]}
    normalise_dates(article, now=NOW, rules=VN_RULES)
    assert article.published == "2026-07-21"  # the page said "today": a date, with no time made up


# --- date_rules ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "site", "profile", "expected"),
    [
        ("vi", "vnexpress.net", None, DateRules("Asia/Ho_Chi_Minh", True, ("vi", "en"))),
        (None, "dantri.com.vn", None, DateRules("Asia/Ho_Chi_Minh", True, ("vi", "en"))),
        ("vi-VN", None, None, DateRules("Asia/Ho_Chi_Minh", True, ("vi", "en"))),
        ("de-AT", "derstandard.at", None, DateRules(None, None, ("de", "en"))),
        ("en-US", "cnn.com", None, DateRules(None, None, ("en",))),
        (None, None, None, DateRules(None, None, ("en",))),
        (
            "en",
            "example.com",
            SimpleNamespace(timezone="America/New_York", day_first=False, language="en"),
            DateRules("America/New_York", False, ("en",)),
        ),
        (
            "en",
            "example.vn",
            SimpleNamespace(timezone=None, day_first=None, language="vi"),
            DateRules("Asia/Ho_Chi_Minh", True, ("vi", "en")),
        ),
        (
            "fr",
            "lemonde.fr",
            SimpleNamespace(timezone="Europe/Paris", day_first=None, language=None),
            DateRules("Europe/Paris", None, ("fr", "en")),
        ),
    ],
)
def test_date_rules(language, site, profile, expected):
    assert date_rules(language, site, profile) == expected


def test_importing_dates_does_not_import_scrapy():
    code = "import sys, crawler.dates; print(sorted(m for m in sys.modules if m.split('.')[0] == 'scrapy'))"
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert result.stdout.strip() == "[]"
