"""The jobs file: which sites to crawl, when, over which dates, into which database, with which settings.

    [jobs.news]                      # the job's name: [A-Za-z0-9_.-]
    sites = ["vnexpress", "dantri"]  # profile ids (crawler sites lists them)
    schedule = "15m"                 # an interval (30s, 15m, 2h, 1d) or a cron expression ("*/15 * * * *")
    since = "6h"                     # optional, as crawl --since; until likewise
    db = "sqlite:///data/news.db"    # optional: default $NEWS_DB_URL, else sqlite:///data/news.db
    settings = { DOWNLOAD_DELAY = 1 }  # optional: as crawl -s NAME=VALUE

The whole file is checked before anything runs, and every error is reported, each with its line: a file with one
bad job starts none (a half-started set of jobs is harder to notice than a refusal). tomllib gives a line for
syntax errors only, so the lines of keys and values are found by scanning the text (:class:`_Lines`).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
_INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_JOB_KEYS = ("sites", "schedule", "since", "until", "db", "settings")
_REQUIRED = ("sites", "schedule")


@dataclass(frozen=True)
class Schedule:
    """Either ``every`` seconds or a five-field ``cron`` expression (the machine's local time, as cron's)."""

    every: int | None = None
    cron: str | None = None

    def describe(self) -> str:
        return f"every {self.every}s" if self.every else f"cron '{self.cron}'"

    def trigger(self):
        """The APScheduler trigger that fires this schedule."""
        from apscheduler.triggers.cron import CronTrigger
        from apscheduler.triggers.interval import IntervalTrigger

        return IntervalTrigger(seconds=self.every) if self.every else CronTrigger.from_crontab(self.cron)


@dataclass(frozen=True)
class Job:
    name: str
    sites: tuple[str, ...]
    schedule: Schedule
    since: str | None = None
    until: str | None = None
    db: str | None = None
    settings: dict[str, str] = field(default_factory=dict)
    """Scrapy / NEWS_* settings as -s would give them: strings, tables and arrays as JSON."""
    line: int = 0


class JobFileError(ValueError):
    """A jobs file that cannot be used; ``problems`` holds every one of them, as ``FILE:LINE: message``."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def load_jobs_or_report(path: str | Path, command: str) -> list[Job] | None:
    """The jobs of a file, or None after printing every problem on stderr: a bad file never starts half its
    jobs. ``command`` names the caller in the message ("crawler schedule")."""
    try:
        return load_jobs(path)
    except JobFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{command}: {len(exc.problems)} problem(s) in {path}; no job was started", file=sys.stderr)
        return None


def load_jobs(path: str | Path, known_sites: set[str] | None = None) -> list[Job]:
    """Every job of the file, or :class:`JobFileError` with every problem found."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise JobFileError([f"{path}: cannot read the jobs file: {exc.strerror or exc}"]) from None
    if known_sites is None:
        from crawler.profiles import load_profiles

        known_sites = {p.id for p in load_profiles()}
    return parse_jobs(text, str(path), known_sites)


def parse_jobs(text: str, filename: str, known_sites: set[str]) -> list[Job]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib ends its message with "(at line N, column M)": said once, in front, like every other error.
        match = re.search(r"\(at line (\d+), column \d+\)$", str(exc))
        where = match.group(1) if match else "1"
        raise JobFileError([f"{filename}:{where}: not valid TOML: {exc}"]) from None
    checker = _Checker(filename, _Lines(text), known_sites)
    jobs = checker.check(data)
    if checker.problems:
        # In file order, whichever check found them: the user reads the file top down.
        raise JobFileError([f"{filename}:{line}: {message}" for line, message in sorted(checker.problems)])
    return jobs


def parse_schedule(value: str) -> Schedule:
    """``15m`` or a cron expression; ValueError says what is accepted."""
    match = _INTERVAL.match(value)
    if match:
        seconds = int(match.group(1)) * _SECONDS[match.group(2)]
        if seconds < 1:
            raise ValueError("an interval must be at least 1s")
        return Schedule(every=seconds)
    if len(value.split()) != 5:
        raise ValueError(f"not an interval (30s, 15m, 2h, 1d) nor a cron expression of 5 fields: {value!r}")
    from apscheduler.triggers.cron import CronTrigger

    try:
        # Parsed by the library that will fire it, so "checked" means "will run".
        CronTrigger.from_crontab(value)
    except ValueError as exc:
        raise ValueError(f"bad cron expression {value!r}: {exc}") from None
    return Schedule(cron=" ".join(value.split()))


def setting_value(value) -> str:
    """A TOML value as ``-s NAME=VALUE`` gives it: Scrapy reads lists and dicts from JSON strings."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class _Checker:
    def __init__(self, filename: str, lines: _Lines, known_sites: set[str]):
        self.filename, self.lines, self.known_sites = filename, lines, known_sites
        self.problems: list[tuple[int, str]] = []

    def fail(self, path: tuple[str, ...], problem: str, value: str | None = None) -> None:
        line = self.lines.find(path, value)
        self.problems.append((line, f"{'.'.join(path)}: {problem}"))

    def check(self, data: dict) -> list[Job]:
        for key in data:
            if key != "jobs":
                self.fail((key,), "unknown key (the file holds [jobs.NAME] tables)")
        jobs = data.get("jobs")
        if not isinstance(jobs, dict) or not jobs:
            self.fail(("jobs",), "no jobs: add a [jobs.NAME] table with sites and schedule")
            return []
        found = []
        for name, table in jobs.items():
            job = self.check_job(name, table)
            if job is not None:
                found.append(job)
        return found

    def check_job(self, name: str, table) -> Job | None:
        path = ("jobs", name)
        if not _NAME.match(name):
            self.fail(path, "a job name is letters, digits, '_', '-' and '.'")
        if not isinstance(table, dict):
            self.fail(path, "a job is a table ([jobs.NAME] with sites and schedule)")
            return None
        before = len(self.problems)
        for key in table:
            if key not in _JOB_KEYS:
                self.fail((*path, key), f"unknown key (a job has {', '.join(_JOB_KEYS)})")
        for key in _REQUIRED:
            if key not in table:
                self.fail(path, f"missing '{key}'")
        sites = self.check_sites(path, table.get("sites", []))
        schedule = self.check_schedule(path, table.get("schedule"))
        since, until = self.check_window(path, table)
        db = self.check_db(path, table.get("db"))
        settings = self.check_settings(path, table.get("settings", {}))
        if len(self.problems) > before:
            return None
        line = self.lines.find(path)
        return Job(name, sites, schedule, since, until, db, settings, line)

    def check_sites(self, path, sites) -> tuple[str, ...]:
        if not isinstance(sites, list) or not all(isinstance(s, str) for s in sites):
            self.fail((*path, "sites"), "a list of profile ids, e.g. [\"vnexpress\"]")
            return ()
        if not sites and "sites" in self.lines.keys_of(path):
            self.fail((*path, "sites"), "no sites")
        for site in sites:
            if site not in self.known_sites:
                known = ", ".join(sorted(self.known_sites))
                self.fail((*path, "sites"), f"no profile '{site}' (known: {known})", value=site)
        return tuple(dict.fromkeys(sites))

    def check_schedule(self, path, value) -> Schedule | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail((*path, "schedule"), 'a string: "15m" or "*/15 * * * *"')
            return None
        try:
            return parse_schedule(value)
        except ValueError as exc:
            self.fail((*path, "schedule"), str(exc))
            return None

    def check_window(self, path, table) -> tuple[str | None, str | None]:
        from crawler.discovery.window import WindowError, make_window

        bounds = {key: table.get(key) for key in ("since", "until")}
        now = datetime.now(timezone.utc)
        for key, value in bounds.items():
            if value is None:
                continue
            try:
                if not isinstance(value, str):
                    raise WindowError('a string as crawl --since takes it: "6h", "2d", "2026-11-01"')
                make_window(value if key == "since" else None, value if key == "until" else None, now, timezone.utc)
            except WindowError as exc:
                self.fail((*path, key), str(exc))
                return None, None
        try:
            make_window(bounds["since"], bounds["until"], now, timezone.utc)
        except WindowError as exc:
            self.fail((*path, "until"), str(exc))
        return bounds["since"], bounds["until"]

    def check_db(self, path, value) -> str | None:
        if value is None:
            return None
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            backend = make_url(value).get_backend_name() if isinstance(value, str) else None
        except ArgumentError:
            backend = None
        if backend not in ("sqlite", "postgresql", "postgres"):
            self.fail((*path, "db"), "a database URL: sqlite:///FILE or postgresql://user@host/db")
        return value

    def check_settings(self, path, value) -> dict[str, str]:
        if not isinstance(value, dict):
            self.fail((*path, "settings"), "a table of NAME = value, e.g. { DOWNLOAD_DELAY = 1 }")
            return {}
        for name in value:
            if not re.match(r"^[A-Z][A-Z0-9_]*$", name):
                self.fail((*path, "settings", name), "setting names are upper case (DOWNLOAD_DELAY, NEWS_...)")
        return {name: setting_value(v) for name, v in value.items()}


class _Lines:
    """Where tables and keys are in the text: ``[jobs.news]`` and ``schedule = ...`` under it, by line number.

    A scan, not a parser (tomllib keeps no positions): a header line sets the current table, a ``key =`` line
    names a key in it; dotted keys and quoted names are split the way TOML does. Good enough to point at the
    line; when a key is not found, its table's line is given, and the first line at worst.
    """

    _HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
    _KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")
    _PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""")

    def __init__(self, text: str):
        self.text_lines = text.splitlines()
        self.where: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(self.text_lines, start=1):
            header = self._HEADER.match(line)
            if header:
                table = self._split(header.group(1))
                self.where.setdefault(table, number)
                continue
            key = self._KEY.match(line)
            if key:
                parts = self._split(key.group(1))
                for i in range(1, len(parts) + 1):
                    self.where.setdefault(table + parts[:i], number)
                # An inline table's keys: `settings = { DOWNLOAD_DELAY = 1 }`.
                for inner in re.findall(r"[{,]\s*([A-Za-z0-9_-]+)\s*=", line[key.end() :]):
                    self.where.setdefault((*table, *parts, inner), number)

    def _split(self, dotted: str) -> tuple[str, ...]:
        return tuple(p.strip("\"'") for p in self._PART.findall(dotted))

    def keys_of(self, path: tuple[str, ...]) -> set[str]:
        return {p[len(path)] for p in self.where if len(p) > len(path) and p[: len(path)] == path}

    def find(self, path: tuple[str, ...], value: str | None = None) -> int:
        for end in range(len(path), 0, -1):
            if path[:end] in self.where:
                line = self.where[path[:end]]
                return self._value_line(line, value) if value and end == len(path) else line
        return 1

    def _value_line(self, start: int, value: str) -> int:
        """The line, from ``start`` on, where a list element is written (a multi-line array spreads them)."""
        for number in range(start, min(start + 50, len(self.text_lines)) + 1):
            if re.search(rf"""["']{re.escape(value)}["']""", self.text_lines[number - 1]):
                return number
        return start
