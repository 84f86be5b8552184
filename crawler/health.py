"""Crawl health: did this run of a site extract what its runs usually do? Plain functions, no I/O.

A layout change rarely breaks a crawl outright: pages still arrive, articles are still stored, but their dates,
bylines or captions silently stop coming out. So each run's share of articles with each field is compared with
the same share over the site's recent runs, and a sharp drop (below ``drop`` times the usual share) is named,
with the numbers. Errors are the other way round: a rise of ``error_rise`` or more in the share of failed pages.
A run that fetched nothing, or found no article link at all, is unhealthy whatever the history.

A run with fewer than ``min_articles`` articles is not judged on its shares: three articles without a byline
say little. The first runs of a site have no history and are judged only on having found something.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

# Field -> (what its count is out of, the words in messages).
FIELDS = {
    "published": ("articles", "a date"),
    "authors": ("articles", "a byline"),
    "lede": ("articles", "a lede"),
    "captioned": ("images", "a caption (of images)"),
}


@dataclass(frozen=True)
class Limits:
    drop: float = 0.5
    """A share below this fraction of the usual one is a drop (NEWS_HEALTH_DROP)."""
    error_rise: float = 0.2
    """An error rate this much above the usual one is a rise (NEWS_HEALTH_ERROR_RISE)."""
    min_articles: int = 5
    """Fewer articles than this: shares are not judged (NEWS_HEALTH_MIN_ARTICLES)."""


@dataclass(frozen=True)
class Problem:
    field: str
    share: float | None
    usual: float | None
    runs: int
    """How many earlier runs ``usual`` comes from."""
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


def judge(run: dict[str, int], history: list[dict[str, int]], limits: Limits) -> list[Problem]:
    """The problems of one site's run (``run``: its counts, as crawl_run_sites keeps them), given the counts of
    its earlier runs; [] when healthy."""
    if run.get("pages", 0) == 0:
        return [Problem("pages", None, None, 0, "nothing fetched (the site or the network is down?)")]
    if run.get("links", 0) == 0:
        return [Problem("links", None, None, 0, "no article link found in sitemaps, feeds or listings")]
    problems = []
    rate, usual_rate = error_rate(run), _pooled_error_rate(history)
    if rate is not None and rate - (usual_rate or 0.0) >= limits.error_rise:
        usual_text = f", usually {usual_rate:.0%}" if usual_rate is not None else ""
        problems.append(Problem("errors", rate, usual_rate, len(history),
                                f"errors: {rate:.0%} of {_attempts(run)} pages failed{usual_text}"))  # fmt: skip
    if run.get("articles", 0) < limits.min_articles or not history:
        return problems
    for name, (base, words) in FIELDS.items():
        share = _share(run, name, base)
        usual = _share(_pool(history), name, base)
        if share is None or not usual:
            continue
        if share < usual * limits.drop:
            message = (
                f"{name}: {share:.0%} of {run[base]} {base} had {words}, usually {usual:.0%}"
                f" ({_runs(len(history))})"
            )
            problems.append(Problem(name, share, usual, len(history), message))
    return problems


def _runs(n: int) -> str:
    return "the last run" if n == 1 else f"the last {n} runs"


def shares(run: dict[str, int]) -> dict[str, float | None]:
    """Each field's share and the error rate, for tables."""
    return {**{name: _share(run, name, base) for name, (base, _) in FIELDS.items()}, "errors": error_rate(run)}


def error_rate(run: dict[str, int]) -> float | None:
    attempts = _attempts(run)
    return run.get("failed", 0) / attempts if attempts else None


def _attempts(run: dict[str, int]) -> int:
    # "pages" counts answers (a 404 included); "failed" counts failed fetches (a 404, or a refused connection,
    # which has no answer) and failed extractions. Neither holds the other, so the larger stands for the tries.
    return max(run.get("pages", 0), run.get("failed", 0))


def _share(counts: dict[str, int], name: str, base: str) -> float | None:
    total = counts.get(base, 0)
    return counts.get(name, 0) / total if total else None


def _pool(history: list[dict[str, int]]) -> dict[str, int]:
    """The runs' counts added up: the usual share weighs each article once, not each run."""
    pooled: dict[str, int] = {}
    for counts in history:
        for name, value in counts.items():
            pooled[name] = pooled.get(name, 0) + (value or 0)
    return pooled


def _pooled_error_rate(history: list[dict[str, int]]) -> float | None:
    return error_rate(_pool(history)) if history else None
