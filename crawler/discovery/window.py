"""Date windows: which articles a crawl wants, by publication time (``--since``/``--until``).

A bound is a relative age (``6h``, ``30m``, ``2d``, ``1w``: that long before now), a day (``2026-11-01``: its
midnight in the site's time zone; as ``--until``, the end of that day, so ``--until 2026-11-20`` includes the
20th) or an ISO 8601 time (without an offset: the site's local time). ``since`` is inclusive, ``until``
exclusive. Pure functions: ``now`` is passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$", re.I)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class WindowError(ValueError):
    """A --since/--until value that is not a time; the message says what is accepted."""


@dataclass(frozen=True)
class Window:
    """[since, until) in aware datetimes; None: open on that side."""

    since: datetime | None = None
    until: datetime | None = None

    def contains(self, moment: datetime) -> bool:
        return (self.since is None or moment >= self.since) and (self.until is None or moment < self.until)

    def is_older(self, moment: datetime) -> bool:
        """True when ``moment`` is before the window: a newest-first list is past it from here on."""
        return self.since is not None and moment < self.since

    def admits(self, published: datetime | None, modified: datetime | None = None) -> bool:
        """Whether a link with these source dates may hold an article in the window. A publication date decides;
        a last modification before ``since`` rules the article out (it was published before it changed);
        without dates the page must be fetched to know."""
        if published is not None:
            return self.contains(published)
        if modified is not None:
            return not self.is_older(modified)
        return True

    @property
    def is_open(self) -> bool:
        return self.since is None and self.until is None

    def describe(self) -> str:
        if self.is_open:
            return "all dates"
        since = self.since.isoformat() if self.since else "the beginning"
        until = self.until.isoformat() if self.until else "now"
        return f"{since} to {until}"


def parse_bound(text: str, now: datetime, tz: tzinfo, *, end: bool = False) -> datetime:
    """One --since/--until value as an aware datetime (``end``: a bare day means the end of that day)."""
    text = text.strip()
    relative = _RELATIVE.match(text)
    if relative:
        return now - timedelta(**{_UNITS[relative.group(2).lower()]: float(relative.group(1))})
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            day = date.fromisoformat(text) + timedelta(days=1 if end else 0)
        except ValueError:
            raise WindowError(f"{text!r} is not a day (YYYY-MM-DD)") from None
        return datetime(day.year, day.month, day.day, tzinfo=tz)
    moment = parse_timestamp(text, tz)
    if moment is None:
        raise WindowError(f"{text!r} is not a time: use an age (6h, 2d, 1w), a day (2026-11-01) or ISO 8601")
    return moment


def make_window(since: str | None, until: str | None, now: datetime, tz: tzinfo) -> Window:
    window = Window(
        since=parse_bound(since, now, tz) if since else None,
        until=parse_bound(until, now, tz, end=True) if until else None,
    )
    if window.since and window.until and window.since >= window.until:
        raise WindowError(f"--since ({window.since.isoformat()}) is not before --until ({window.until.isoformat()})")
    return window


def parse_timestamp(text: str | None, tz: tzinfo = timezone.utc) -> datetime | None:
    """A W3C/ISO 8601 time (sitemaps, Atom, ``<time datetime>``) or an RFC 822 one (RSS), aware; None if
    unreadable. A time without an offset, or a date alone, is read in ``tz``."""
    if not text or not text.strip():
        return None
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)
