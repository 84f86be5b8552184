"""What a site crawl has done, as a person reads it: one live line per site, a table at the end.

Plain functions over a Scrapy stats dict (the numbers are counted where they are decided, under news/...
keys; this module only reads them), so the live line, the final table and a test agree by construction.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    site: str
    pages: int
    """Responses received: articles, sitemaps, feeds, listings, robots.txt."""
    new: int
    """Articles stored for the first time."""
    updated: int
    """Articles fetched again whose content changed (a revision was kept)."""
    unchanged: int
    skipped: int
    """Article links not requested because they are stored already."""
    failed: int
    """Fetches that failed and pages whose extraction failed."""
    elapsed: float
    queued: int | None = None

    @property
    def rate(self) -> float:
        return self.pages / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        """Queued requests at the current rate; None while unknown (no rate yet, queue size not known)."""
        if self.queued is None or self.rate <= 0:
            return None
        return self.queued / self.rate


def progress_of(site_id: str, host: str, stats: dict, elapsed: float, queued: int | None = None) -> Progress:
    return Progress(
        site=site_id,
        pages=stats.get("downloader/response_count", 0),
        new=stats.get("news/stored/new", 0),
        updated=stats.get("news/stored/updated", 0),
        unchanged=stats.get("news/stored/unchanged", 0),
        skipped=stats.get(f"news/{host}/links/stored", 0),
        failed=stats.get("news/fetch_failed", 0) + stats.get("news/extract_failed", 0),
        elapsed=elapsed,
        queued=queued,
    )


def format_line(p: Progress) -> str:
    line = (
        f"{p.site}: {p.pages} pages, {p.new} new, {p.updated} updated, {p.skipped} skipped (stored),"
        f" {p.failed} failed, {p.rate:.1f} pages/s"
    )
    if p.queued is not None:
        line += f", {p.queued} queued"
    if p.seconds_left is not None and p.queued:
        line += f", ~{_duration(p.seconds_left)} left"
    return line


COLUMNS = ("site", "pages", "new", "updated", "unchanged", "skipped", "failed", "pages/s", "time")


def format_table(rows: list[Progress]) -> str:
    cells = [COLUMNS] + [
        (p.site, p.pages, p.new, p.updated, p.unchanged, p.skipped, p.failed, f"{p.rate:.1f}", _duration(p.elapsed))
        for p in rows
    ]
    cells = [[str(c) for c in row] for row in cells]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        for row in cells
    ]
    return "\n".join(lines)


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
