"""Site profiles: what the crawler knows about one site, as data (one TOML file per site in this folder).

A profile names the site's domains, language and time zone, the shape of its article URLs, and ordered
lists of selectors per record field (most specific first; the first one that matches something wins).
Profiles are validated when loaded: an unknown key, a value of the wrong type, a selector or regex that
does not compile, or a time zone that does not exist is a :class:`ProfileError` naming the file and the
key, so a typo fails at start-up instead of silently emptying a field mid-crawl.

A selector string is CSS (parsel syntax: ``::text`` and ``::attr(name)`` allowed) unless it starts with
``xpath:``; then the rest is XPath (parsel's ``re:``/``set:`` EXSLT prefixes and ``has-class()`` work).

This module is pure: it reads TOML and runs selectors, and never imports Scrapy.
"""

from __future__ import annotations

import functools
import os
import re
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from types import MappingProxyType
from typing import NoReturn
from urllib.parse import urlsplit

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from cssselect import SelectorError
from lxml import etree
from lxml import html as lxml_html
from parsel import Selector, SelectorList
from parsel.csstranslator import css2xpath

from crawler.profiles.discovery import CrawlLimits, Discovery, build_discovery, build_limits

PROFILE_DIR = Path(__file__).resolve().parent
# Folders of profiles beyond the bundled ones (os.pathsep-separated): a site of one's own without editing the
# package, or a test's. An environment variable, not a setting: spiders are made from the profiles when
# spiders/sites.py is imported, before any Scrapy setting is read, and a job's crawl processes inherit it.
PROFILE_DIRS_ENV = "NEWS_PROFILE_DIRS"
XPATH_PREFIX = "xpath:"

# Fields a profile may give selectors for. `caption` and `credit` are evaluated inside each `images` block.
SELECTOR_FIELDS = (
    "title", "lede", "body", "published", "modified", "authors", "images", "caption", "credit", "tags",
    "section", "source",
)  # fmt: skip
# Fields `generic` may name: the record fields (captions and credits come with `images`).
GENERIC_FIELDS = tuple(f for f in SELECTOR_FIELDS if f not in ("caption", "credit"))

_TOP_KEYS = (
    "id", "name", "domains", "language", "timezone", "day_first", "article_url", "verified", "notes",
    "selectors", "cleanup", "generic", "page_types", "discovery", "crawl",
)  # fmt: skip
_REQUIRED_KEYS = ("id", "name", "domains")
_CLEANUP_KEYS = ("drop", "lede_prefix")
# What a page can be instead of an article; a profile says how to recognise each on its site.
PAGE_TYPES = ("listing", "video", "gallery", "live", "podcast", "redirect", "error", "other")
_PAGE_TYPE_KEYS = ("urls", "markers")

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"^{_LABEL}(?:\.{_LABEL})+$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

# parsel runs XPath with these prefixes bound; validation binds them too, or `re:test()` would look broken.
_XPATH_NAMESPACES = dict(Selector._default_namespaces)
# lxml only notices an unregistered function or an unbound prefix when it evaluates an expression, so each
# selector is also run once on this small article-shaped page.
_PROBE = lxml_html.fromstring(
    "<html><head><meta name='d' content='x'></head><body><div class='c'><h1>t</h1><p>a <b>b</b></p>"
    "<table><tr><td><img src='i.jpg'></td></tr><tr><td>c</td></tr></table></div></body></html>"
)
# A match made only of these elements is content even without text (a picture, a meta tag's attribute).
_MEDIA_TAGS = frozenset({"img", "picture", "video", "audio", "iframe", "object", "embed", "svg", "source"})
_DATA_TAGS = frozenset({"meta", "time", "link", "input"})


class ProfileError(ValueError):
    """A profile file that cannot be used. The message starts with the file name and names the key."""

    def __init__(self, path: str | Path, key: str | None, problem: str):
        self.path = Path(path)
        self.key = key
        self.problem = problem
        where = f"{self.path.name}: {key}: " if key else f"{self.path.name}: "
        super().__init__(where + problem)


@dataclass(frozen=True)
class PageTypeRule:
    """How a site marks one kind of non-article page: URL shapes (regex, searched) or markup (selectors)."""

    urls: tuple[re.Pattern, ...] = ()
    markers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """One site's profile, validated. Build it with :func:`load_profile`."""

    id: str
    name: str
    domains: tuple[str, ...]
    language: str | None
    timezone: str | None
    day_first: bool | None
    article_url: re.Pattern | None
    selectors: Mapping[str, tuple[str, ...]]
    drop: tuple[str, ...]
    lede_prefix: tuple[re.Pattern, ...]
    generic: frozenset[str]
    verified: bool
    notes: str
    path: Path | None = None
    page_types: Mapping[str, PageTypeRule] = dataclass_field(default_factory=lambda: MappingProxyType({}))
    discovery: Discovery | None = None
    """Where the site lists its articles ([discovery]); None only for profiles built by hand in tests."""
    limits: CrawlLimits = CrawlLimits()
    """The site's own concurrency and delay ([crawl])."""

    # The selectors mapping is not hashable; a profile is identified by its id and its file.
    def __hash__(self) -> int:
        return hash((self.id, self.path))

    def select(self, sel: Selector, field: str) -> SelectorList:
        """The matches of the first selector in ``field``'s list that matches something, else an empty list.

        Matches that are only blank text (an empty template placeholder, ``content=""``) do not count, so
        the next alternative gets its turn."""
        for selector in self.selectors.get(field, ()):
            found = query(sel, selector)
            if not all(_is_blank(item) for item in found):
                return found
        return SelectorList([])

    def has(self, field: str) -> bool:
        """True when the profile gives selectors for ``field``."""
        return bool(self.selectors.get(field))

    def page_type(self, url: str | None, sel: Selector | None = None) -> str | None:
        """The non-article type this site's URL shapes or markers give the page, else None."""
        for kind, rule in self.page_types.items():
            if url and any(pattern.search(url) for pattern in rule.urls):
                return kind
            if sel is not None and any(query(sel, marker) for marker in rule.markers):
                return kind
        return None

    def matches(self, url: str | None) -> bool:
        """True when the URL's host is one of the profile's domains or a subdomain of one."""
        return self._matched_domain(url) is not None

    def _matched_domain(self, url: str | None) -> str | None:
        host = _host(url)
        if not host:
            return None
        return max((d for d in self.domains if host == d or host.endswith("." + d)), key=len, default=None)


def query(sel: Selector, selector: str) -> SelectorList:
    """Run one profile selector: XPath when it starts with ``xpath:``, CSS otherwise."""
    if selector.startswith(XPATH_PREFIX):
        return sel.xpath(selector[len(XPATH_PREFIX) :].strip())
    return sel.css(selector)


def load_profile(path: str | Path) -> Profile:
    """Read and validate one profile file. Raises :class:`ProfileError` on anything it does not accept."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            doc = tomllib.load(handle)
    except OSError as exc:
        raise ProfileError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(path, None, f"not valid TOML: {exc}") from exc
    return _build_profile(_Checker(path), doc)


def load_profiles(directory: str | Path | None = None) -> list[Profile]:
    """Every ``*.toml`` profile in ``directory`` (default: :func:`profile_dirs`), in file-name order per folder.

    Two profiles with one id, or claiming one domain, are an error: which one applied would depend on order."""
    directories = [Path(directory)] if directory is not None else profile_dirs()
    profiles = [load_profile(p) for folder in directories for p in sorted(folder.glob("*.toml"))]
    ids: dict[str, Profile] = {}
    owners: dict[str, Profile] = {}
    for profile in profiles:
        first = ids.setdefault(profile.id, profile)
        if first is not profile:
            raise ProfileError(profile.path, "id", f"'{profile.id}' is also the id of {first.path}")
        for domain in profile.domains:
            owner = owners.setdefault(domain, profile)
            if owner is not profile:
                raise ProfileError(profile.path, "domains", f"'{domain}' is also in {owner.path.name}")
    return profiles


def profile_dirs() -> list[Path]:
    """The bundled profiles' folder, then those $NEWS_PROFILE_DIRS names; a named folder that is not there is an
    error (a typo would otherwise leave its sites out silently)."""
    extra = [Path(p) for p in os.environ.get(PROFILE_DIRS_ENV, "").split(os.pathsep) if p]
    for folder in extra:
        if not folder.is_dir():
            raise ProfileError(folder, None, f"no such folder (from ${PROFILE_DIRS_ENV})")
    return [PROFILE_DIR, *extra]


def find_profile(url: str | None, profiles: Iterable[Profile] | None = None) -> Profile | None:
    """The profile for ``url``: the one whose matching domain is longest (``news.example.vn`` beats
    ``example.vn``), or None. Searches the default profiles (:func:`load_profiles`) unless ``profiles`` is given."""
    best, best_length = None, -1
    for profile in _default_profiles() if profiles is None else profiles:
        domain = profile._matched_domain(url)
        if domain is not None and len(domain) > best_length:
            best, best_length = profile, len(domain)
    return best


@functools.lru_cache(maxsize=1)
def _default_profiles() -> tuple[Profile, ...]:
    # Loaded once per process: profiles are read-only data, read at start-up.
    return tuple(load_profiles())


def _host(url: str | None) -> str | None:
    if not url or not url.strip():
        return None
    url = url.strip()
    # A bare "example.vn/path" has no scheme, and urlsplit only finds a host after "//".
    parts = urlsplit(url if "://" in url or url.startswith("//") else "//" + url)
    try:
        return (parts.hostname or "").rstrip(".") or None
    except ValueError:  # a malformed netloc such as "[::1"
        return None


def _is_blank(item: Selector) -> bool:
    root = item.root
    if isinstance(root, str):
        return not root.strip()
    if not isinstance(root, etree._Element):
        return root is None  # numbers and booleans from XPath functions are answers, not blanks
    if not isinstance(root.tag, str):  # a comment or processing instruction
        return True
    if root.tag in _DATA_TAGS or root.xpath("string()").strip():
        return False
    return not any(isinstance(el.tag, str) and el.tag in _MEDIA_TAGS for el in root.iter())


class _Checker:
    """Type and syntax checks for one profile file; each failure is a ProfileError naming the key."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str | None, problem: str) -> NoReturn:
        raise ProfileError(self.path, key, problem)

    def known_keys(self, table: dict, allowed: tuple[str, ...], prefix: str = "") -> None:
        for key in table:
            if key not in allowed:
                self.fail(None, f"unknown key '{prefix}{key}'")

    def string(self, value, key: str) -> str:
        if not isinstance(value, str):
            self.fail(key, f"expected a string, got {_type_name(value)}")
        if not value.strip():
            self.fail(key, "must not be empty")
        return value

    def boolean(self, value, key: str) -> bool:
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {_type_name(value)}")
        return value

    def table(self, value, key: str) -> dict:
        if not isinstance(value, dict):
            self.fail(key, f"expected a table, got {_type_name(value)}")
        return value

    def strings(self, value, key: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.fail(key, f"expected a list of strings, got {_type_name(value)}")
        return tuple(self.string(item, f"{key}[{i}]") for i, item in enumerate(value))

    def language(self, value, key: str) -> str:
        if not _LANGUAGE.match(self.string(value, key)):
            self.fail(key, f"{value!r} is not a language tag such as 'vi' or 'en-US'")
        return value

    def timezone(self, value, key: str) -> str:
        try:
            zoneinfo.ZoneInfo(self.string(value, key))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.fail(key, f"unknown time zone {value!r} (expected an IANA name such as 'Asia/Ho_Chi_Minh')")
        return value

    def regex(self, value, key: str) -> re.Pattern:
        try:
            return re.compile(self.string(value, key))
        except re.error as exc:
            self.fail(key, f"bad regex {value!r}: {exc}")

    def selector(self, value, key: str) -> str:
        value = self.string(value, key).strip()
        if value.startswith(XPATH_PREFIX):
            self._xpath(value[len(XPATH_PREFIX) :].strip(), key, "bad XPath")
            return value
        try:
            translated = css2xpath(value)
        except SelectorError as exc:
            self.fail(key, f"bad CSS selector {value!r}: {exc}")
        self._xpath(translated, key, f"bad CSS selector {value!r} (as XPath)")
        return value

    def _xpath(self, expression: str, key: str, what: str) -> None:
        try:
            etree.XPath(expression, namespaces=_XPATH_NAMESPACES)(_PROBE)
        except etree.XPathError as exc:
            self.fail(key, f"{what} {expression!r}: {exc}")


def _type_name(value) -> str:
    names = {dict: "a table", list: "a list", str: "a string", bool: "a boolean", int: "an integer"}
    return names.get(type(value), type(value).__name__)


def _build_profile(check: _Checker, doc: dict) -> Profile:
    check.known_keys(doc, _TOP_KEYS)
    for key in _REQUIRED_KEYS:
        if key not in doc:
            check.fail(None, f"missing key '{key}'")
    profile_id = check.string(doc["id"], "id")
    if profile_id != check.path.stem:
        check.fail("id", f"'{profile_id}' is not the file name's stem '{check.path.stem}'")
    cleanup = check.table(doc.get("cleanup", {}), "cleanup")
    check.known_keys(cleanup, _CLEANUP_KEYS, "cleanup.")
    domains = _domains(check, doc["domains"])
    return Profile(
        id=profile_id,
        name=check.string(doc["name"], "name"),
        domains=domains,
        language=_optional(doc, "language", check.language),
        timezone=_optional(doc, "timezone", check.timezone),
        day_first=_optional(doc, "day_first", check.boolean),
        article_url=_optional(doc, "article_url", check.regex),
        selectors=_selectors(check, doc.get("selectors", {})),
        drop=_each(check, check.selector, cleanup, "drop", "cleanup."),
        lede_prefix=_each(check, check.regex, cleanup, "lede_prefix", "cleanup."),
        generic=_generic(check, doc.get("generic", [])),
        verified=check.boolean(doc.get("verified", False), "verified"),
        notes=check.string(doc["notes"], "notes") if "notes" in doc else "",
        path=check.path,
        page_types=_page_types(check, doc.get("page_types", {})),
        discovery=build_discovery(check, doc.get("discovery", {}), domains),
        limits=build_limits(check, doc.get("crawl", {})),
    )


def _optional(doc: dict, key: str, convert):
    return convert(doc[key], key) if key in doc else None


def _each(check: _Checker, convert, table: dict, name: str, prefix: str = "") -> tuple:
    """``convert`` applied to every item of the list ``table[name]`` (absent: empty), keys indexed."""
    key = prefix + name
    items = check.strings(table.get(name, []), key)
    return tuple(convert(item, f"{key}[{i}]") for i, item in enumerate(items))


def _domains(check: _Checker, value) -> tuple[str, ...]:
    domains = check.strings(value, "domains")
    if not domains:
        check.fail("domains", "must list at least one domain")
    for i, domain in enumerate(domains):
        if not _DOMAIN.match(domain):
            check.fail(f"domains[{i}]", f"'{domain}' is not a lower-case host name (no scheme, path or port)")
    return domains


def _selectors(check: _Checker, value) -> Mapping[str, tuple[str, ...]]:
    table = check.table(value, "selectors")
    check.known_keys(table, SELECTOR_FIELDS, "selectors.")
    selectors = {}
    for field in table:
        selectors[field] = _each(check, check.selector, table, field, "selectors.")
        if not selectors[field]:
            check.fail(f"selectors.{field}", "empty list: leave the field out instead")
    return MappingProxyType(selectors)


def _generic(check: _Checker, value) -> frozenset[str]:
    names = check.strings(value, "generic")
    for i, name in enumerate(names):
        if name not in GENERIC_FIELDS:
            check.fail(f"generic[{i}]", f"unknown field '{name}' (one of: {', '.join(GENERIC_FIELDS)})")
    return frozenset(names)


def _page_types(check: _Checker, value) -> Mapping[str, PageTypeRule]:
    table = check.table(value, "page_types")
    check.known_keys(table, PAGE_TYPES, "page_types.")
    rules = {}
    for kind, rule in table.items():
        rule = check.table(rule, f"page_types.{kind}")
        check.known_keys(rule, _PAGE_TYPE_KEYS, f"page_types.{kind}.")
        rules[kind] = PageTypeRule(
            urls=_each(check, check.regex, rule, "urls", f"page_types.{kind}."),
            markers=_each(check, check.selector, rule, "markers", f"page_types.{kind}."),
        )
    return MappingProxyType(rules)
