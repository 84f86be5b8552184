"""Scoring extracted records against a corpus' labels, exactly as ``corpus/README.md`` ("How a record is
compared with its label") defines it.

Pure: no Scrapy, no extraction, no clock; the only I/O is :func:`load_truth`. The pieces:

- :func:`score_page` compares one record with one label and keeps, per field, the verdict together with the
  expected and extracted values (for diffs);
- :func:`evaluate` scores a whole corpus and aggregates per group of pages;
- :func:`format_report` and :func:`format_diff` turn that into text.

A label value of ``None`` means "not labelled" and is not scored; ``[]`` is labelled ("there are none").
A record with an ``error`` key, or no record at all, scores as an empty record.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

LEDE_F1 = 0.8
"""A lede is right when its token F1 with the label reaches this."""
CAPTION_F1 = 0.8
"""An extracted caption matches a labelled one when their token F1 reaches this."""
BODY_F1 = 0.88
"""The body target: reported as the share of pages whose body token F1 reaches it."""
PUBLISHED_SLACK = timedelta(seconds=90)
"""Two timestamps are "the same instant" within this; sources disagree by seconds, minute labels drop them."""

# Soft hyphen too: it is invisible, and a label keeping one must not split "Wort\u00adtrennung" into 2 tokens.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")


# --- Text -----------------------------------------------------------------------------------------


def normalise(text: str | None) -> str:
    """NFC, zero-width characters removed, whitespace runs collapsed and stripped; None becomes ''."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    return _SPACE.sub(" ", text).strip()


def tokens(text: str | None) -> Counter:
    """The bag of casefolded ``\\w+`` tokens of the normalised text."""
    return Counter(_TOKEN.findall(normalise(text).casefold()))


def bag_f1(got: Counter, want: Counter) -> float:
    """F1 of two bags; two empty bags agree perfectly (a labelled-empty field extracted as empty)."""
    if not got and not want:
        return 1.0
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def token_f1(got: str | None, want: str | None) -> float:
    """Token F1 of two texts (README: bags of casefolded ``\\w+`` tokens)."""
    return bag_f1(tokens(got), tokens(want))


def _joined(text: str | list | None) -> str:
    """A body as one string: labels store paragraphs as a list."""
    if isinstance(text, list):
        return "\n".join(t for t in text if t)
    return text or ""


def _names(values: Iterable[str] | str | None) -> set[str]:
    if isinstance(values, str):  # a malformed record: one name instead of a list
        values = [values]
    return {normalise(v).casefold() for v in values or ()} - {""}


def _primary_subtag(tag: str | None) -> str:
    return re.split(r"[-_]", normalise(tag).casefold(), maxsplit=1)[0]


# --- Dates ----------------------------------------------------------------------------------------

_ISO = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?"
)


@dataclass(frozen=True)
class _When:
    date: str
    """``YYYY-MM-DD`` as written."""
    clock: datetime | None
    """The timestamp (aware when the text has an offset), None for a date alone."""


def _parse_when(text: str | None) -> _When | None:
    """Read an ISO 8601 date or timestamp; None when it is not one."""
    match = _ISO.fullmatch(normalise(text))
    if not match:
        return None
    try:
        day = datetime.strptime(match["date"], "%Y-%m-%d")
        if match["h"] is None:
            return _When(match["date"], None)
        clock = day.replace(hour=int(match["h"]), minute=int(match["m"]), second=int(match["s"] or 0))
    except ValueError:
        return None
    return _When(match["date"], clock.replace(tzinfo=_offset(match["tz"])))


def _offset(text: str | None) -> timezone | None:
    if not text:
        return None
    if text == "Z":
        return timezone.utc
    digits = text[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    return timezone(-delta if text[0] == "-" else delta)


def published_matches(got: str | None, want: str, precision: str | None) -> bool:
    """The README's ``published`` rule."""
    label, found = _parse_when(want), _parse_when(got)
    if label is None or found is None:
        return False
    if precision == "day" or label.clock is None:
        return found.date == label.date  # the calendar date as written, not converted
    if found.clock is None:
        return False  # a date alone cannot match a timed label
    a, b = found.clock, label.clock
    if a.tzinfo is None or b.tzinfo is None:
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)  # unknown offset: compare wall clocks
    return abs(a - b) <= PUBLISHED_SLACK


# --- One page -------------------------------------------------------------------------------------


@dataclass
class FieldResult:
    """One field of one page: the verdict, and what was expected and found (for diffs)."""

    ok: bool
    expected: object
    got: object
    score: float | None = None
    """Token (or set) F1 for the fields measured that way."""


@dataclass
class CaptionTally:
    """Captions of one page whose ``images`` are labelled; summed over pages for the pooled rates."""

    labelled: int = 0
    """Labelled images with a caption."""
    recalled: int = 0
    """Of those, matched by an extracted caption."""
    extracted: int = 0
    """Extracted images with a caption."""
    precise: int = 0
    """Of those, matched to a labelled caption (the same pairs: matching is one-to-one)."""
    credits: int = 0
    """Matched pairs whose label has a credit."""
    credits_ok: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    bad_credits: list[tuple[str, str, str | None]] = field(default_factory=list)
    """(labelled caption, labelled credit, extracted credit)."""


@dataclass
class PageScore:
    """One page's comparison: a result per labelled field, and its caption tally."""

    id: str
    fields: dict[str, FieldResult] = field(default_factory=dict)
    captions: CaptionTally | None = None
    """None when the page's images are not labelled."""
    error: str | None = None
    """The record's ``error`` (or "no record"), when the page was scored as empty."""

    @property
    def wrong(self) -> dict[str, FieldResult]:
        """The fields this page gets wrong."""
        return {name: result for name, result in self.fields.items() if not result.ok}


def match_captions(got_images: list[dict], want_images: list[dict]) -> CaptionTally:
    """Pair extracted with labelled captions one-to-one, best F1 first (greedy); count the README's rates."""
    wanted, found = _captioned(want_images), _captioned(got_images)
    want_bags, got_bags = [tokens(c) for c, _ in wanted], [tokens(c) for c, _ in found]
    pairs = []
    for w, want_bag in enumerate(want_bags):
        for g, got_bag in enumerate(got_bags):
            f1 = bag_f1(got_bag, want_bag)
            if f1 >= CAPTION_F1:
                pairs.append((-f1, w, g))  # ties go to page order
    tally = CaptionTally(labelled=len(wanted), extracted=len(found))
    used_w, used_g = set(), set()
    for _, w, g in sorted(pairs):
        if w in used_w or g in used_g:
            continue
        used_w.add(w)
        used_g.add(g)
        _count_credit(tally, wanted[w], found[g][1])
    tally.recalled = tally.precise = len(used_w)
    tally.missed = [c for i, (c, _) in enumerate(wanted) if i not in used_w]
    tally.extra = [c for i, (c, _) in enumerate(found) if i not in used_g]
    return tally


def _count_credit(tally: CaptionTally, wanted: tuple[str, str | None], got_credit: str | None) -> None:
    caption, credit = wanted
    if credit is None:
        return
    tally.credits += 1
    if normalise(credit).casefold() == normalise(got_credit).casefold():
        tally.credits_ok += 1
    else:
        tally.bad_credits.append((caption, credit, got_credit))


def _captioned(images: list[dict]) -> list[tuple[str, str | None]]:
    """(caption, credit) of the images that have a caption."""
    pairs = [(normalise(i.get("caption")), i.get("credit")) for i in images]
    return [(caption, credit) for caption, credit in pairs if caption]


def _title(record: dict, label: dict) -> FieldResult:
    got = record.get("title")
    return FieldResult(normalise(got) == normalise(label["title"]), label["title"], got)


def _published(record: dict, label: dict) -> FieldResult:
    got = record.get("published")
    ok = published_matches(got, label["published"], label.get("published_precision"))
    return FieldResult(ok, label["published"], got)


def _authors(record: dict, label: dict) -> FieldResult:
    got = record.get("authors") or []
    return FieldResult(_names(got) == _names(label["authors"]), label["authors"], got)


def _lede(record: dict, label: dict) -> FieldResult:
    f1 = token_f1(record.get("lede"), label["lede"])
    return FieldResult(f1 >= LEDE_F1, label["lede"], record.get("lede"), f1)


def _body(record: dict, label: dict) -> FieldResult:
    f1 = token_f1(_joined(record.get("body")), _joined(label["body"]))
    return FieldResult(f1 >= BODY_F1, label["body"], record.get("body"), f1)


def _body_with(record: dict, label: dict) -> FieldResult:
    body = normalise(_joined(record.get("body")))
    absent = [s for s in label["body_with"] if normalise(s) not in body]
    return FieldResult(not absent, absent, body)


def _body_without(record: dict, label: dict) -> FieldResult:
    body = normalise(_joined(record.get("body")))
    present = [s for s in label["body_without"] if normalise(s) in body]
    return FieldResult(not present, present, body)


def _is_article(record: dict, label: dict) -> FieldResult:
    got = record.get("page_type")
    return FieldResult((got == "article") == label["is_article"], label["is_article"], got)


def _language(record: dict, label: dict) -> FieldResult:
    got = record.get("language")
    return FieldResult(_primary_subtag(got) == _primary_subtag(label["lang"]), label["lang"], got)


def _tags(record: dict, label: dict) -> FieldResult:
    got = record.get("tags") or []
    want_set, got_set = _names(label["tags"]), _names(got)
    f1 = bag_f1(Counter(got_set), Counter(want_set))
    return FieldResult(f1 == 1.0, label["tags"], got, f1)


# Record field -> (label key, rule). The rule runs only when the label key is not None.
_RULES: dict[str, tuple[str, Callable[[dict, dict], FieldResult]]] = {
    "title": ("title", _title),
    "published": ("published", _published),
    "authors": ("authors", _authors),
    "lede": ("lede", _lede),
    "body": ("body", _body),
    "body_with": ("body_with", _body_with),
    "body_without": ("body_without", _body_without),
    "is_article": ("is_article", _is_article),
    "language": ("lang", _language),
    "tags": ("tags", _tags),
}


def score_page(record: dict | None, label: dict) -> PageScore:
    """Compare one extracted record (``Article.to_dict()`` shape) with its label."""
    page = PageScore(id=label.get("id", ""))
    if record is None:
        record, page.error = {}, "no record"
    elif "error" in record:
        record, page.error = {}, str(record["error"])
    for name, (key, rule) in _RULES.items():
        if label.get(key) is not None:
            page.fields[name] = rule(record, label)
    if label.get("is_article") is False:
        # Nothing on a non-article page is a field: only whether the extractor said so.
        page.fields = {k: v for k, v in page.fields.items() if k == "is_article"}
    elif label.get("images") is not None:
        page.captions = match_captions(record.get("images") or [], label["images"])
    return page


# --- A corpus -------------------------------------------------------------------------------------


def load_truth(corpus_dir: str | Path) -> dict[str, dict]:
    """The labels of a corpus folder (its ``truth.jsonl``), by page id."""
    with open(Path(corpus_dir) / "truth.jsonl", encoding="utf-8") as lines:
        labels = [json.loads(line) for line in lines if line.strip()]
    return {label["id"]: label for label in labels}


@dataclass(frozen=True)
class Metric:
    value: float | None
    """Accuracy, mean or pooled rate; None when nothing was labelled."""
    n: int
    """Labelled pages (captions for the caption rows)."""


def _share(name: str) -> Callable[[list[PageScore]], Metric]:
    def measure(pages: list[PageScore]) -> Metric:
        oks = [p.fields[name].ok for p in pages if name in p.fields]
        return Metric(sum(oks) / len(oks) if oks else None, len(oks))

    return measure


def _mean(name: str) -> Callable[[list[PageScore]], Metric]:
    def measure(pages: list[PageScore]) -> Metric:
        scores = [p.fields[name].score for p in pages if name in p.fields]
        return Metric(sum(scores) / len(scores) if scores else None, len(scores))

    return measure


def _pooled(hits: str, total: str) -> Callable[[list[PageScore]], Metric]:
    def measure(pages: list[PageScore]) -> Metric:
        tallies = [p.captions for p in pages if p.captions is not None]
        n = sum(getattr(t, total) for t in tallies)
        return Metric(sum(getattr(t, hits) for t in tallies) / n if n else None, n)

    return measure


# Report rows: metric name -> (row title, measure), in display order.
METRICS: dict[str, tuple[str, Callable[[list[PageScore]], Metric]]] = {
    "title": ("title", _share("title")),
    "published": ("published", _share("published")),
    "authors": ("authors", _share("authors")),
    "lede": (f"lede (F1≥{LEDE_F1})", _share("lede")),
    "body": ("body F1 (mean)", _mean("body")),
    "body_ok": (f"body F1≥{BODY_F1}", _share("body")),
    "body_with": ("body_with", _share("body_with")),
    "body_without": ("body_without", _share("body_without")),
    "caption_recall": ("caption recall", _pooled("recalled", "labelled")),
    "caption_precision": ("caption precision", _pooled("precise", "extracted")),
    "credit": ("credit", _pooled("credits_ok", "credits")),
    "is_article": ("is_article", _share("is_article")),
    "language": ("language", _share("language")),
    "tags": ("tags set F1 (mean)", _mean("tags")),
}


def _is_vietnamese(page_id: str, label: dict) -> bool:
    # fundus' VnExpress page reports with the Vietnamese sites: same language, same site family.
    return page_id.startswith("vi-") or _primary_subtag(label.get("lang")) == "vi"


# Report columns: group name -> membership test on (id, label).
GROUPS: dict[str, Callable[[str, dict], bool]] = {
    "all": lambda page_id, label: True,
    "fundus": lambda page_id, label: page_id.startswith("fundus-"),
    "readability": lambda page_id, label: page_id.startswith("readability-"),
    "vi": _is_vietnamese,
}


@dataclass
class Report:
    pages: list[PageScore]
    groups: dict[str, dict[str, Metric]]
    """Group name -> metric name -> Metric (see :data:`GROUPS`, :data:`METRICS`)."""
    group_sizes: dict[str, int]

    def metric(self, name: str, group: str = "all") -> Metric:
        return self.groups[group][name]

    @property
    def errors(self) -> dict[str, str]:
        """Pages scored as empty (extraction error or no record), with the reason."""
        return {p.id: p.error for p in self.pages if p.error is not None}


def evaluate(records: Mapping[str, dict], truth: Mapping[str, dict]) -> Report:
    """Score every labelled page (a page without a record scores as empty) and aggregate per group."""
    pages = [score_page(records.get(page_id), label) for page_id, label in truth.items()]
    groups, sizes = {}, {}
    for group, member in GROUPS.items():
        chosen = [p for p in pages if member(p.id, truth[p.id])]
        groups[group] = {name: measure(chosen) for name, (_, measure) in METRICS.items()}
        sizes[group] = len(chosen)
    return Report(pages, groups, sizes)


# --- Text output ----------------------------------------------------------------------------------


def format_report(report: Report) -> str:
    """An aligned table: one row per metric, one column per group, each cell ``value (n)``."""
    columns = list(report.groups)
    rows = [["", *columns], ["pages", *(str(report.group_sizes[g]) for g in columns)]]
    for name, (title, _) in METRICS.items():
        rows.append([title, *(_cell(report.groups[g][name]) for g in columns)])
    widths = [max(len(row[i]) for row in rows) for i in range(len(columns) + 1)]
    lines = [_table_line(row, widths) for row in rows]
    lines.append(
        "n = labelled pages (captions for the caption rows); "
        "vi = the vi-* pages and the other pages labelled lang vi (fundus' VnExpress)"
    )
    if report.errors:
        lines.append(f"{len(report.errors)} page(s) scored as empty (extraction error or no record)")
    return "\n".join(lines)


def _table_line(row: list[str], widths: list[int]) -> str:
    """The first column left-aligned, the numbers right-aligned."""
    cells = [row[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)]
    return "  ".join(cells).rstrip()


def _cell(metric: Metric) -> str:
    return "-" if metric.value is None else f"{metric.value:.3f} ({metric.n})"


DIFF_WIDTH = 100
"""Characters of a value shown in a diff; long values are windowed around their first difference."""


def format_diff(page_scores: Iterable[PageScore]) -> str:
    """Each page's wrong fields and caption misses, expected against extracted; right pages are left out."""
    blocks = [_page_diff(page) for page in page_scores]
    return "\n\n".join(block for block in blocks if block)


def _page_diff(page: PageScore) -> str:
    lines = [f"  error       {page.error}"] if page.error else []
    for name, result in page.wrong.items():
        lines += _field_diff(name, result)
    if page.captions is not None:
        lines += _caption_diff(page.captions)
    return "\n".join([page.id, *lines]) if lines else ""


def _field_diff(name: str, result: FieldResult) -> list[str]:
    head = f"  {name:<11} "
    if name in ("body_with", "body_without"):
        verb = "missing" if name == "body_with" else "present"
        return [f"{head}{verb}: {_quote(_clip(s, 0))}" for s in result.expected]
    if name == "body":
        return [f"{head}F1 {result.score:.3f}", *_body_diff(result.expected, result.got, " " * len(head))]
    want, got = result.expected, result.got
    if isinstance(want, str) and isinstance(got, str):
        want, got = _clip_pair(want, got)
    want, got = _quote(_clip_any(want)), _quote(_clip_any(got))
    score = "" if result.score is None else f"  (F1 {result.score:.2f})"
    if len(want) + len(got) <= DIFF_WIDTH:
        return [f"{head}want {want}  got {got}{score}"]  # short values side by side
    return [f"{head}want {want}", f"{' ' * len(head)}got  {got}{score}"]


BODY_DIFF_PARAGRAPHS = 4
"""Missing and extra paragraphs shown per page."""


def _body_diff(want: str | list | None, got: str | list | None, indent: str) -> list[str]:
    """The labelled paragraphs the extracted body lacks and the extracted ones the label lacks: enough to tell
    a cut body from one with boilerplate, without printing whole articles."""
    want_paras, got_paras = _paragraphs(want), _paragraphs(got)
    want_bag, got_bag = tokens(" ".join(want_paras)), tokens(" ".join(got_paras))
    missing = [p for p in want_paras if _coverage(p, got_bag) < 0.5]
    extra = [p for p in got_paras if _coverage(p, want_bag) < 0.5]
    lines = [f"{indent}{len(want_paras)} paragraphs wanted, {len(got_paras)} got"]
    for verb, paras in (("missing", missing), ("extra", extra)):
        lines += [f"{indent}{verb:<8}{_quote(_clip(p, 0))}" for p in paras[:BODY_DIFF_PARAGRAPHS]]
        if len(paras) > BODY_DIFF_PARAGRAPHS:
            lines.append(f"{indent}{verb:<8}… {len(paras) - BODY_DIFF_PARAGRAPHS} more")
    return lines


def _paragraphs(body: str | list | None) -> list[str]:
    parts = body if isinstance(body, list) else (body or "").split("\n")
    return [text for text in map(normalise, parts) if text]


def _coverage(paragraph: str, bag: Counter) -> float:
    """Share of the paragraph's tokens found anywhere in the other side: low for a paragraph it lacks."""
    words = tokens(paragraph)
    return sum(n for word, n in words.items() if word in bag) / sum(words.values()) if words else 1.0


def _caption_diff(tally: CaptionTally) -> list[str]:
    lines = [f"  caption     missed: {_quote(_clip(c, 0))}" for c in tally.missed]
    lines += [f"  caption     extra:  {_quote(_clip(c, 0))}" for c in tally.extra]
    for caption, want, got in tally.bad_credits:
        caption = _quote(_clip(caption, 0, 40))
        lines.append(f"  credit      want {_quote(want)}  got {_quote(got)}  for {caption}")
    return lines


def _clip_pair(want: str, got: str) -> tuple[str, str]:
    """Both values windowed at the same offset, a little before their first difference."""
    want, got = normalise(want), normalise(got)
    same = 0
    while same < min(len(want), len(got)) and want[same] == got[same]:
        same += 1
    start = max(0, same - DIFF_WIDTH // 4) if max(len(want), len(got)) > DIFF_WIDTH else 0
    return _clip(want, start), _clip(got, start)


def _clip(text: str, start: int, width: int = DIFF_WIDTH) -> str:
    end = start + width
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _clip_any(value: object) -> object:
    """Long values cut to the diff width (lists of names to twice that: they are worth reading whole)."""
    if isinstance(value, str) and len(value) > DIFF_WIDTH + 2:
        return _clip(normalise(value), 0)
    if isinstance(value, list) and len(str(value)) > 2 * DIFF_WIDTH:
        return _clip(str(value), 0, 2 * DIFF_WIDTH)
    return value


def _quote(value: object) -> str:
    return f"“{value}”" if isinstance(value, str) else str(value)
