"""Dates: the raw date text of news pages to ISO 8601, and the choice among the dates a page states.

Pure: no Scrapy, no clock. ``now`` (the fetch time) is passed in, so relative dates ("2 giờ trước") are
testable and a date is never taken from the clock.

A value says exactly what the page says, no more:

- ``2020-09-13T12:05:00+07:00`` when the offset is known (stated in the text, else the site's time zone);
- ``2020-09-13T12:05:00`` when the time is known but nobody knows the offset (an offset is never guessed);
- ``2020-09-13`` when the text gives only a date (a time is never invented).

:func:`parse_date` tries, in order: a regex fast path for the forms news sites print most (ISO 8601,
"13/9/2020, 12:05 (GMT+7)", "Ngày 13 tháng 9 năm 2020", English month names, RFC 2822, epoch numbers);
relative dates in Vietnamese and English against ``now``; a numeric date inside a longer line ("Mạnh Quân |
13/09/2020 12:05"); dateparser for month names in other languages; an English date inside a longer line;
last, dateparser for relative dates in other languages ("vor 2 Stunden"). A zone named at the end of the text
is taken off first, by the same code for every path, so "GMT+7", "+07:00", "EDT" or "ET" mean the same
everywhere (dateparser reads "ET" as EST all year round).

Choices worth knowing:

- Day/month order of "05/09/2020": a component above 12 decides; otherwise ``day_first``; when that is None,
  day first, except for English pages of American time zones (or, with no time zone, language "en-US").
  Year-first ISO dates are never reordered.
- A date without a year ("12:05 13/9", seen on front pages for this year's articles) takes the year of
  ``now``, and the year before when that would put it more than two days after ``now``. Only with a time and
  a slash: a bare "13/9" is as likely a score or a ratio. Without ``now`` it is rejected. Month-name dates
  without a year are rejected.
- Relative dates: seconds, minutes and hours give a time; days and weeks give a date only; months and years
  ("2 tháng trước") are too vague and give None. Without ``now``, None.
- Rejected (None): no date in the text, years before 1990, dates more than a year after ``now`` (after 2100
  without ``now``), impossible dates (31/02), plain numbers other than 10- or 13-digit epoch times.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from datetime import timezone as fixed_offset
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.text import clean_text

_UTC = fixed_offset.utc
_EARLIEST_YEAR = 1990
_LATEST_YEAR_WITHOUT_NOW = 2100
_FUTURE_SLACK = timedelta(days=365)
# A year-less date up to this far after `now` is this year's (a clock a little off); beyond, last year's.
_YEARLESS_SLACK = timedelta(days=2)
# Longer text is a paragraph, not a date line; dateparser would spend milliseconds on it for nothing.
_MAX_LENGTH = 200
# Machine and visible dates "agree" within this: sites print minutes, metadata carries seconds.
_AGREE_WITHIN = timedelta(minutes=5)
_QUARTER_HOUR = timedelta(minutes=15)
_MINUTE_LAG = timedelta(minutes=1)
_VIETNAM_ZONE = "Asia/Ho_Chi_Minh"


@dataclass(frozen=True)
class ParsedDate:
    """A date as the text states it."""

    value: str
    """ISO 8601: with an offset when one is known, without a time when the text gives none."""
    has_time: bool
    has_offset: bool
    moment: datetime | date
    """An aware datetime (offset known), a naive one (time, no offset), or a date (date only)."""


@dataclass
class DateRules:
    """How to read one site's dates."""

    timezone: str | None
    """IANA zone giving the offset when the text states none; None: leave the offset out."""
    day_first: bool | None
    """Order of ambiguous numeric dates; None: decided by language and time zone (see the module doc)."""
    languages: tuple[str, ...]
    """Languages for month names, most likely first."""


# --- zones ---------------------------------------------------------------------------------------------

# Abbreviations news sites print after a time, as fixed offsets in minutes. ET, CT, MT and PT do not say
# whether summer time applies, so they name the zone and the date decides (dateparser gets these wrong).
_ZONE_ABBREVIATIONS: dict[str, int | str] = {
    "Z": 0, "UTC": 0, "GMT": 0, "WET": 0, "WEST": 60, "BST": 60, "CET": 60, "CEST": 120, "EET": 120,
    "EEST": 180, "MSK": 180, "ICT": 420, "WIB": 420, "SGT": 480, "HKT": 480, "AWST": 480, "JST": 540,
    "KST": 540, "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "AKST": -540, "AKDT": -480, "HST": -600,
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles",
}  # fmt: skip
_ABBREVIATIONS = "|".join(sorted(_ZONE_ABBREVIATIONS, key=len, reverse=True))
# A zone token: "GMT", "GMT+7", "UTC+07:00", "+07:00", "+0700", "Z", "EDT" (not inside a word).
_ZONE_TOKEN = rf"""(?:
    (?<![^\W\d_])(?i:GMT|UTC)\s?(?P<gmt>[+-]\s?\d{{1,2}}(?::?\d{{2}})?)?
  | (?P<offset>[+-]\d{{2}}(?::?\d{{2}})?)
  | (?<![^\W\d_])(?P<abbr>{_ABBREVIATIONS})
)"""
# At the end of the text, "(GMT+7)" and ", UTC" included; right after a time inside a longer line.
_TRAILING_ZONE = re.compile(rf"[\s,]*\(?\s*{_ZONE_TOKEN}\s*\)?$", re.X)
_ZONE_AFTER_TIME = re.compile(rf"\s?\(?\s?{_ZONE_TOKEN}\)?(?!\w)", re.X)
_AMERICAN_ZONES = ("America/", "US/", "Pacific/Honolulu")


@lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


@lru_cache(maxsize=256)
def _offset(text: str) -> tzinfo:
    """'+7', '+07', '+0700', '+07:00', '- 4' as a fixed offset; ValueError beyond ±14 hours."""
    text = text.replace(" ", "").replace(":", "")
    sign = -1 if text[0] == "-" else 1
    digits = text[1:]
    hours, minutes = (int(digits), 0) if len(digits) <= 2 else (int(digits[:-2]), int(digits[-2:]))
    if hours > 14 or minutes >= 60:
        raise ValueError(f"offset out of range: {text}")
    return fixed_offset(sign * timedelta(hours=hours, minutes=minutes))


def _split_zone(text: str) -> tuple[str, tzinfo | None]:
    """The text without its trailing zone, and that zone (None when it states none)."""
    tail = text[-7:]
    if tail[-1].isdigit() and "+" not in tail and "-" not in tail:
        return text, None  # the common "13/09/2020 12:05": spares the regex a scan from every position
    m = _TRAILING_ZONE.search(text)
    if m is None:
        return text, None
    body = text[: m.start()]
    # "+07:00" only after a time: in "2020-09-13" the "-13" is the day.
    if m["offset"] and (not body[-1:].isdigit() or ":" not in body):
        return text, None
    return body, _zone_of(m)


def _zone_of(m: re.Match) -> tzinfo:
    if m["offset"]:
        return _offset(m["offset"])
    if m["abbr"]:
        named = _ZONE_ABBREVIATIONS[m["abbr"]]
        return _zone(named) if isinstance(named, str) else fixed_offset(timedelta(minutes=named))
    return _offset(m["gmt"]) if m["gmt"] else _UTC


# --- parsing context -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    now: datetime | None
    """Aware (a naive ``now`` is taken as UTC, which is what fetch times are stored in)."""
    zone: tzinfo | None
    day_first: bool
    """Resolved order for ambiguous numeric dates."""
    languages: tuple[str, ...] | None
    """dateparser language codes; None lets dateparser detect (slow)."""


def _context(now, timezone, day_first, languages) -> _Context:
    if now is not None and now.tzinfo is None:
        now = now.replace(tzinfo=_UTC)
    languages = tuple(languages) if languages else None
    return _Context(
        now=now,
        zone=_zone(timezone) if timezone else None,
        day_first=_prefers_day_first(day_first, languages, timezone),
        languages=_dateparser_languages(languages) if languages else None,
    )


@lru_cache(maxsize=256)
def _prefers_day_first(day_first: bool | None, languages: tuple[str, ...] | None, timezone: str | None) -> bool:
    if day_first is not None:
        return day_first
    first = languages[0].lower().replace("_", "-") if languages else ""
    if not first.startswith("en"):
        return True
    if timezone:
        return not timezone.startswith(_AMERICAN_ZONES)
    return first != "en-us"


@lru_cache(maxsize=256)
def _dateparser_languages(languages: tuple[str, ...]) -> tuple[str, ...]:
    """Tags dateparser knows ('en-US' becomes 'en'); unknown ones are dropped rather than raising."""
    from dateparser.data.languages_info import language_order

    known, out = set(language_order), []
    for tag in languages:
        tag = tag.replace("_", "-")
        code = tag if tag in known else tag.split("-")[0].lower()
        if code in known and code not in out:
            out.append(code)
    return tuple(out) or ("en",)


def _local_now(ctx: _Context) -> datetime:
    return ctx.now.astimezone(ctx.zone) if ctx.zone else ctx.now


# --- building values -----------------------------------------------------------------------------------


def _from_datetime(moment: datetime) -> ParsedDate:
    moment = moment.replace(microsecond=0)
    return ParsedDate(moment.isoformat(), True, moment.tzinfo is not None, moment)


def _from_date(day: date) -> ParsedDate:
    return ParsedDate(day.isoformat(), False, False, day)


def _assemble(day: date, clock: time | None, zone: tzinfo | None, ctx: _Context) -> ParsedDate:
    """The stated zone wins over the site's; a date alone stays a date, whatever the zone."""
    if clock is None:
        return _from_date(day)
    return _from_datetime(datetime.combine(day, clock, tzinfo=zone or ctx.zone))


def _calendar_day(parsed: ParsedDate) -> date:
    moment = parsed.moment
    return moment.date() if isinstance(moment, datetime) else moment


def _plausible(parsed: ParsedDate, ctx: _Context) -> bool:
    day = _calendar_day(parsed)
    if day.year < _EARLIEST_YEAR:
        return False
    if ctx.now is None:
        return day.year <= _LATEST_YEAR_WITHOUT_NOW
    return day <= ctx.now.date() + _FUTURE_SLACK


# --- fast path: numeric forms --------------------------------------------------------------------------

# Labels and weekdays before the date: "Cập nhật:", "Published on", "Thứ hai,", "T2", "CN", "Sun,".
_LABELS = re.compile(
    r"""^(?:(?:
        cập\snhật(?:\s(?:lúc|ngày))? | đăng(?:\s(?:lúc|ngày|tải))? | ngày\s(?:đăng|cập\snhật|xuất\sbản)
      | xuất\sbản | thời\sgian
      | (?:first\s|last\s)?(?:published|updated|modified|posted)(?:\s(?:on|at))?
      | veröffentlicht(?:\sam)? | aktualisiert(?:\sam)? | stand | publié(?:\sle)? | mis\sà\sjour(?:\sle)?
      | publicado(?:\sel)? | actualizado(?:\sel)? | pubblicato(?:\sil)? | aggiornato(?:\sil)?
      | thứ\s(?:hai|ba|tư|năm|sáu|bảy|bẩy|[2-7]) | chủ\snhật | t[2-7] | cn
      | (?:mon|tues|wednes|thurs|fri|satur|sun)day | (?:mon|tue|wed|thu|fri|sat|sun)\.?
    )(?:\s?[:,|–—-]\s?|\s))+""",
    re.I | re.X,
)
# Clock: "12:05", "12:05:00.000", "12h05", "7:15 pm", "7:15 CH" (chiều = pm, sáng = am), "14:30 Uhr".
_TIME = (
    r"(?P<H>\d{1,2})\s?[:h]\s?(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"(?:\s?(?P<ampm>[ap]\.?\s?m\.?|sa|ch)(?!\w))?(?:\s?(?:uhr|giờ)(?!\w))?"
)
# Between date and time: "T", ", ", " - ", " | ", " lúc ", " at ", " um ", " à ".
_GAP = r"(?:T|\s?[,|–—-]\s?|\s)(?:(?:vào\s)?(?:lúc|at|um|à|alle|om)\s)?"
# Year first (never reordered) or day and month in either order, year optional (checked in code).
_DATE = (
    r"(?:ngày\s)?(?:(?P<y>\d{4})(?P<ys>[-/.])(?P<m>\d{1,2})(?P=ys)(?P<d>\d{1,2})"
    r"|(?P<a>\d{1,2})(?P<s>[-/.])(?P<b>\d{1,2})(?:(?P=s)(?P<c>\d{4}|\d{2}))?)"
)
_DATE_FIRST = re.compile(rf"{_DATE}(?:{_GAP}{_TIME})?", re.I)
_TIME_FIRST = re.compile(rf"{_TIME}{_GAP}{_DATE}", re.I)
_VIETNAMESE_MONTH = re.compile(r"(\d{1,2})\stháng\s(\d{1,2})(?:\s?,\s?|\snăm\s|\s)(\d{4})", re.I)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for name in names
}  # fmt: skip
# English month names (RFC 2822 needs them anyway): "13 Sep 2020 12:05:00", "May 3, 2024 at 7:15 pm".
_NAMED_DAY_FIRST = re.compile(
    rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?\s(?:of\s)?(?P<mon>[a-z]{{3,9}})\.?,?\s(?P<y>\d{{4}})(?:{_GAP}{_TIME})?",
    re.I,
)
_NAMED_MONTH_FIRST = re.compile(
    rf"(?P<mon>[a-z]{{3,9}})\.?\s(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s(?P<y>\d{{4}})(?:{_GAP}{_TIME})?", re.I
)
# The same inside a longer line ("Mạnh Quân | 13/09/2020 12:05 | Thời sự", "Published on: June 25, 2024
# 5 min read"); the year is required there.
_EMBEDDED_NUMERIC = (
    re.compile(rf"(?<![\w:]){_TIME}{_GAP}{_DATE}(?![\w/:])", re.I),
    re.compile(rf"(?<![\w/.:-]){_DATE}(?:{_GAP}{_TIME})?(?![\w/:])", re.I),
)
_EMBEDDED_NAMED = tuple(
    re.compile(rf"(?<!\w){p.pattern}(?![\w:])", re.I) for p in (_NAMED_DAY_FIRST, _NAMED_MONTH_FIRST)
)


def _clock(m: re.Match) -> time | None:
    if m["H"] is None:
        return None
    hour, minute, second = int(m["H"]), int(m["M"]), int(m["S"] or 0)
    if m["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError("hour out of range for am/pm")
        # "pm", "p.m." and Vietnamese "CH" (chiều) are afternoon; "am" and "SA" (sáng) morning.
        hour = hour % 12 + (12 if m["ampm"][0] in "pPcC" else 0)
    return time(hour, minute, second)


def _day_month(a: int, b: int, day_first: bool) -> tuple[int, int]:
    # A component above 12 cannot be a month, whatever the site's habit.
    if a > 12 >= b:
        return a, b
    if b > 12 >= a:
        return b, a
    return (a, b) if day_first else (b, a)


def _numeric_day(m: re.Match, has_time: bool, ctx: _Context) -> date:
    if m["y"]:
        return date(int(m["y"]), int(m["m"]), int(m["d"]))
    day, month = _day_month(int(m["a"]), int(m["b"]), ctx.day_first)
    year = m["c"]
    if year is None:
        return _yearless_day(day, month, has_time and m["s"] == "/", ctx)
    if len(year) == 2:
        if m["s"] == "-":  # "20-09-13" could as well be year first
            raise ValueError("two-digit year")
        year = ("19" if int(year) >= 90 else "20") + year
    return date(int(year), month, day)


def _yearless_day(day: int, month: int, allowed: bool, ctx: _Context) -> date:
    if not allowed or ctx.now is None:
        raise ValueError("no year")
    today = _local_now(ctx).date()
    found = date(today.year, month, day)
    return found if found <= today + _YEARLESS_SLACK else date(today.year - 1, month, day)


def _parse_numeric(text: str, zone: tzinfo | None, ctx: _Context) -> ParsedDate | None:
    if "tháng" in text.lower():
        text = _VIETNAMESE_MONTH.sub(r"\1/\2/\3", text)
    m = _DATE_FIRST.fullmatch(text) or _TIME_FIRST.fullmatch(text)
    return _from_numeric_match(m, zone, ctx) if m else None


def _from_numeric_match(m: re.Match, zone: tzinfo | None, ctx: _Context) -> ParsedDate | None:
    try:
        clock = _clock(m)
        return _assemble(_numeric_day(m, clock is not None, ctx), clock, zone, ctx)
    except ValueError:  # 31/02, 25:00, 13/13: looks like a date, is not one
        return None


def _parse_named(text: str, zone: tzinfo | None, ctx: _Context) -> ParsedDate | None:
    m = _NAMED_DAY_FIRST.fullmatch(text) or _NAMED_MONTH_FIRST.fullmatch(text)
    return _from_named_match(m, zone, ctx) if m else None


def _from_named_match(m: re.Match, zone: tzinfo | None, ctx: _Context) -> ParsedDate | None:
    month = _MONTHS.get(m["mon"].lower())
    if month is None:  # another language's month: dateparser's job
        return None
    try:
        return _assemble(date(int(m["y"]), month, int(m["d"])), _clock(m), zone, ctx)
    except ValueError:
        return None


def _parse_embedded_numeric(text: str, ctx: _Context) -> ParsedDate | None:
    for pattern in _EMBEDDED_NUMERIC:
        m = pattern.search(text)
        if m is not None and (m["y"] or m["c"]):
            return _from_numeric_match(m, _zone_after(text, m), ctx)
    return None


def _parse_embedded_named(text: str, ctx: _Context) -> ParsedDate | None:
    for pattern in _EMBEDDED_NAMED:
        m = pattern.search(text)
        if m is not None and m["mon"].lower() in _MONTHS:
            return _from_named_match(m, _zone_after(text, m), ctx)
    return None


def _zone_after(text: str, m: re.Match) -> tzinfo | None:
    """The zone right after the time of a date found inside a line ("… 10:00 PM UTC / Updated …")."""
    if m["H"] is None:
        return None
    zone = _ZONE_AFTER_TIME.match(text, m.end())
    try:
        return _zone_of(zone) if zone else None
    except ValueError:
        return None


def _parse_epoch(text: str, ctx: _Context) -> ParsedDate | None:
    """10 digits are seconds, 13 milliseconds (``data-time="1784503916"``); other numbers are not dates."""
    if len(text) not in (10, 13) or text[0] == "0":
        return None
    moment = datetime.fromtimestamp(int(text) / (1000 if len(text) == 13 else 1), _UTC)
    # An instant: shown in the site's zone when known, which is how the page would print it.
    return _from_datetime(moment.astimezone(ctx.zone) if ctx.zone else moment)


# --- relative dates ------------------------------------------------------------------------------------

_AGO = re.compile(
    r"(?:khoảng\s|about\s)?(?P<n>\d{1,3}|một|an?)\s?"
    r"(?P<unit>giây|phút|giờ|tiếng|ngày|tuần|secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?)\s(?:trước|ago)",
    re.I,
)
_DAY_WORD = re.compile(
    r"(?:(?P<H1>\d{1,2})[:h](?P<M1>\d{2}),?\s)?(?P<word>hôm\snay|hôm\squa|hôm\skia|today|yesterday)"
    r"(?:,?\s(?:lúc\s|at\s)?(?P<H2>\d{1,2})[:h](?P<M2>\d{2}))?",
    re.I,
)
_CLOCK = re.compile(r"\d{1,2}[:h.]\d{2}(?!\d)")
_JUST_NOW = re.compile(r"vừa\sxong|vừa\smới|mới\sđây|just\snow", re.I)
_DAYS_BACK = {"hôm nay": 0, "today": 0, "hôm qua": 1, "yesterday": 1, "hôm kia": 2}
_UNIT_SECONDS = {"giây": 1, "phút": 60, "giờ": 3600, "tiếng": 3600, "ngày": 86400, "tuần": 604800,
                 "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}  # fmt: skip


def _parse_relative(text: str, ctx: _Context) -> ParsedDate | None:
    if ctx.now is None:
        return None
    local_now = _local_now(ctx)
    if _JUST_NOW.fullmatch(text):
        return _from_datetime(local_now)
    if m := _AGO.fullmatch(text):
        unit = m["unit"].lower()
        seconds = _UNIT_SECONDS.get(unit) or _UNIT_SECONDS[unit[0]]
        count = int(m["n"]) if m["n"].isdigit() else 1
        if seconds < 86400:
            return _from_datetime((ctx.now - timedelta(seconds=count * seconds)).astimezone(local_now.tzinfo))
        return _from_date(local_now.date() - timedelta(seconds=count * seconds))
    if m := _DAY_WORD.fullmatch(text):
        day = local_now.date() - timedelta(days=_DAYS_BACK[" ".join(m["word"].lower().split())])
        hour, minute = m["H1"] or m["H2"], m["M1"] or m["M2"]
        if hour is None:
            return _from_date(day)
        try:
            # The page's own clock: its offset is known only from the site's zone, not from `now`.
            return _from_datetime(datetime.combine(day, time(int(hour), int(minute)), tzinfo=ctx.zone))
        except ValueError:
            return None
    return None


# --- dateparser ----------------------------------------------------------------------------------------

# Built once per (languages, order) and reused: building a parser costs far more than using it.
# REQUIRE_PARTS: no day, month or year filled in from today. RETURN_TIME_AS_PERIOD: period "time" says the
# text had a time, so a date alone stays a date. Relative and timestamp parsers are off here: relative dates
# need `now` (see _parse_relative_with_dateparser), timestamps are handled above.
_ABSOLUTE_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_TIME_AS_PERIOD": True,
    "PREFER_DATES_FROM": "past",
    "PREFER_LOCALE_DATE_ORDER": False,
    "PARSERS": ["custom-formats", "absolute-time"],
}
_RELATIVE_SETTINGS = {"RETURN_TIME_AS_PERIOD": True, "PARSERS": ["relative-time"]}


@lru_cache(maxsize=64)
def _date_parser(languages: tuple[str, ...] | None, day_first: bool):
    from dateparser.date import DateDataParser

    settings = {**_ABSOLUTE_SETTINGS, "DATE_ORDER": "DMY" if day_first else "MDY"}
    return DateDataParser(languages=list(languages) if languages else None, settings=settings)


def _parse_with_dateparser(text: str, zone: tzinfo | None, ctx: _Context) -> ParsedDate | None:
    if not any(ch.isdigit() for ch in text):  # no year, and REQUIRE_PARTS wants one
        return None
    data = _date_parser(ctx.languages, ctx.day_first).get_date_data(text)
    found = data.date_obj
    if found is None:
        return None
    if data.period != "time":
        return _from_date(found.date())
    if found.tzinfo is not None:  # a zone we do not list, which dateparser knows ("MESZ")
        zone = fixed_offset(found.utcoffset())
    return _assemble(found.date(), found.time(), zone, ctx)


def _parse_relative_with_dateparser(text: str, ctx: _Context) -> ParsedDate | None:
    """'vor 2 Stunden', 'il y a 3 jours', 'ayer': rare enough that building a parser per call is fine."""
    if ctx.now is None:
        return None
    from dateparser.date import DateDataParser

    local_now = _local_now(ctx)
    settings = {**_RELATIVE_SETTINGS, "RELATIVE_BASE": local_now.replace(tzinfo=None)}
    languages = list(ctx.languages) if ctx.languages else None
    data = DateDataParser(languages=languages, settings=settings).get_date_data(text)
    found = data.date_obj
    if (
        found is None
        or data.period not in ("time", "day")
        or found.replace(tzinfo=None) > local_now.replace(tzinfo=None)
    ):
        return None  # weeks, months, years are too vague; "in 2 days" is no publication date
    if data.period == "day":
        return _from_date(found.date())
    # "vor 2 Stunden" is an instant, in now's offset; "gestern, 14:30" is the page's clock (see _parse_relative).
    zone = ctx.zone if _CLOCK.search(text) else local_now.tzinfo
    return _from_datetime(found.replace(tzinfo=zone))


# --- parse_date ----------------------------------------------------------------------------------------


def parse_date(
    raw: str,
    *,
    now: datetime | None = None,
    timezone: str | None = None,
    day_first: bool | None = None,
    languages: Sequence[str] | None = None,
) -> ParsedDate | None:
    """The date ``raw`` states, or None when it states none (see the module doc for the rules).

    ``now``: the fetch time, for relative and year-less dates. ``timezone``: IANA name giving the offset when
    the text states none (a zone in the text wins). ``languages``: page language first; None lets dateparser
    guess, which is slow. Raises ValueError for an unknown ``timezone``.
    """
    text = clean_text(raw) if isinstance(raw, str) else None
    if not text or len(text) > _MAX_LENGTH:
        return None
    ctx = _context(now, timezone, day_first, languages)
    if not text[0].isdigit():  # labels and weekdays start with a letter
        text = _LABELS.sub("", text, count=1) or text
    parsed = _parse_epoch(text, ctx) if text.isdigit() else _parse_text(text, ctx)
    return parsed if parsed is not None and _plausible(parsed, ctx) else None


def _parse_text(text: str, ctx: _Context) -> ParsedDate | None:
    try:
        body, zone = _split_zone(text)
    except ValueError:  # "GMT+25"
        return None
    return (
        _parse_numeric(body, zone, ctx)
        or _parse_named(body, zone, ctx)
        or _parse_relative(text, ctx)
        or _parse_embedded_numeric(text, ctx)
        # dateparser before English month names inside a line: those would lose a time written before them
        or _parse_with_dateparser(body, zone, ctx)
        or _parse_embedded_named(text, ctx)
        or _parse_relative_with_dateparser(text, ctx)
    )


# --- choosing among a page's dates ---------------------------------------------------------------------


def date_rules(language: str | None, site: str | None, profile=None) -> DateRules:
    """How to read a page's dates: the profile's values where it gives them, else by language and site.

    Vietnamese pages (language "vi*" or a ".vn" site) are read day first in Asia/Ho_Chi_Minh. Other pages get
    no time zone and no fixed order (an "en-US" page tag is no proof of an American site: WordPress writes it
    by default), with their language and English for month names.
    """
    language = getattr(profile, "language", None) or language
    primary = (language or "").replace("_", "-").split("-")[0].lower()
    if primary == "vi" or (site or "").lower().rstrip(".").endswith(".vn"):
        defaults = DateRules(_VIETNAM_ZONE, True, ("vi", "en"))
    else:
        defaults = DateRules(None, None, (primary, "en") if primary and primary != "en" else ("en",))
    if profile is None:
        return defaults
    # A profile value left out (None) is no decision, so the default for its language stands.
    day_first = profile.day_first if profile.day_first is not None else defaults.day_first
    return DateRules(profile.timezone or defaults.timezone, day_first, defaults.languages)


def resolve_date(evidence: list, rules: DateRules, now: datetime | None) -> tuple[str | None, str | None]:
    """(value, raw) chosen from ``evidence`` (DateEvidence in trust order).

    A machine-readable date that agrees with the first readable visible one wins, for its seconds and offset
    (the raw is then the visible text: what the reader sees, and what the value was checked against). Agree:
    the same instant within a few minutes; the same wall clock when either lacks an offset, or the page's
    clock showing the machine's instant at a real UTC offset (see _differs_by_an_offset); the same calendar
    date when the visible one has no time. A visible date from the site's profile that no machine date
    confirms wins over them: the page shows it. Otherwise the first readable candidate wins. A winner in UTC
    is shown in the page's own offset when another candidate states it (the same instant, as the reader's
    clock shows it). Nothing readable: (None, the first non-blank raw text), never ``now``.
    """
    if not evidence:
        return None, None
    readable = _readable(evidence, rules, now)
    if not readable:
        return None, next((item.raw for item in evidence if item.raw and item.raw.strip()), None)
    visible = next(((item, parsed) for item, parsed in readable if not item.machine), None)
    if visible is not None:
        for item, parsed in readable:
            if item.machine and _confirms(parsed, visible[1]):
                chosen = _with_offset_of(parsed, visible[1])
                return _in_local_offset(chosen, readable, visible[1]).value, visible[0].raw
        if visible[0].origin == "profile":
            return visible[1].value, visible[0].raw
    item, parsed = readable[0]
    return _in_local_offset(parsed, readable, visible[1] if visible else None).value, item.raw


def _readable(evidence: list, rules: DateRules, now: datetime | None) -> list[tuple[object, ParsedDate]]:
    """(evidence, parsed date) for each candidate that states a date, in trust order."""
    out, seen_visible = [], False
    for item in evidence:
        if seen_visible and not item.machine:
            continue  # only the first readable visible date is ever compared: spare dateparser the others
        parsed = parse_date(
            item.raw, now=now, timezone=rules.timezone, day_first=rules.day_first, languages=rules.languages
        )
        if parsed is not None:
            out.append((item, parsed))
            seen_visible = seen_visible or not item.machine
    return out


def _confirms(machine: ParsedDate, visible: ParsedDate) -> bool:
    """Whether a machine date says what the visible one says (and can lend it seconds and an offset)."""
    if not visible.has_time:
        return _calendar_day(machine) == visible.moment
    if not machine.has_time:  # the visible one is more precise
        return False
    if machine.has_offset and visible.has_offset:
        return abs(machine.moment - visible.moment) <= _AGREE_WITHIN
    # Either lacks an offset: compare the wall clocks.
    if abs(machine.moment.replace(tzinfo=None) - visible.moment.replace(tzinfo=None)) <= _AGREE_WITHIN:
        return True
    return machine.has_offset and _differs_by_an_offset(visible.moment, machine.moment)


def _differs_by_an_offset(wall_clock: datetime, instant: datetime) -> bool:
    """Whether a page's clock without offset ("17:47") shows ``instant`` ("15:47:42Z") in some real offset.

    Pages print local time and put UTC in their metadata; such a pair is one moment, and the metadata's
    value carries the offset the page left out. Real offsets are whole quarter hours from -12:00 to +14:00;
    the page's minutes may lag the metadata's seconds by up to a minute.
    """
    gap = wall_clock - instant.astimezone(_UTC).replace(tzinfo=None)
    quarters = round(gap / _QUARTER_HOUR)
    return -48 <= quarters <= 56 and abs(gap - quarters * _QUARTER_HOUR) <= _MINUTE_LAG


def _in_local_offset(chosen: ParsedDate, readable: list, visible: ParsedDate | None) -> ParsedDate:
    """A UTC value shown in the page's own offset, when another candidate states it: the same instant, as the
    reader's clock shows it (JSON-LD often says "Z" where the page and its other tags say "-04:00")."""
    if not chosen.has_offset or chosen.moment.utcoffset():
        return chosen
    for _, other in readable:
        if other.has_offset and other.moment.utcoffset() and abs(other.moment - chosen.moment) <= _AGREE_WITHIN:
            return _from_datetime(chosen.moment.astimezone(other.moment.tzinfo))
    if visible is not None and visible.has_time and not visible.has_offset:
        if _differs_by_an_offset(visible.moment, chosen.moment):
            offset = round((visible.moment - chosen.moment.replace(tzinfo=None)) / _QUARTER_HOUR) * _QUARTER_HOUR
            return _from_datetime(chosen.moment.astimezone(fixed_offset(offset)))
    return chosen


def _with_offset_of(machine: ParsedDate, visible: ParsedDate) -> ParsedDate:
    if machine.has_time and not machine.has_offset and visible.has_offset:
        return _from_datetime(machine.moment.replace(tzinfo=visible.moment.tzinfo))
    return machine


def normalise_dates(article, *, now: datetime | None, rules: DateRules) -> list[str]:
    """Fill ``published``/``modified`` (and their ``_raw``) from ``article.dates``, then clear the evidence.

    Returns the fields that had evidence but no readable date. A field without evidence keeps what it has; so
    does a field whose evidence cannot be read, when it already has a value (only its raw text is filled in if
    missing). ``modified`` equal to ``published`` is kept: it is what the page says.
    """
    unreadable = []
    for name in ("published", "modified"):
        evidence = article.dates.get(name) or []
        if not evidence:
            continue
        value, raw = resolve_date(evidence, rules, now)
        if value is None:
            unreadable.append(name)
            if getattr(article, name) is not None:
                raw = getattr(article, f"{name}_raw") or raw
                value = getattr(article, name)
        setattr(article, name, value)
        setattr(article, f"{name}_raw", raw)
    article.dates = {}
    return unreadable
