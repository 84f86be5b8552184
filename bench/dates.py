"""Date parsing speed: the regex fast path (numeric forms, the bulk of real pages) and the dateparser path.

Run from the repository root: ``python -m bench.dates`` or ``python bench/dates.py [n]``.
Target: at least 50,000 numeric dates per second on the fast path.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timezone
from pathlib import Path

NOW = datetime(2026, 7, 21, 3, 0, tzinfo=timezone.utc)
VIETNAMESE = {"timezone": "Asia/Ho_Chi_Minh", "day_first": True, "languages": ("vi", "en"), "now": NOW}

# As found on Vietnamese and international news pages: date lines, meta tags, JSON-LD, RSS.
FAST_PATH = [
    ("13/09/2020 12:05", VIETNAMESE),
    ("Chủ nhật, 19/7/2026, 22:35 (GMT+7)", VIETNAMESE),
    ("Thứ Hai, ngày 20/07/2026 - 06:31", VIETNAMESE),
    ("17/07/2026 22:18 GMT+7", VIETNAMESE),
    ("16/07/2026 18:04 (GMT+07:00)", VIETNAMESE),
    ("Cập nhật: 21/07/2026 07:17", VIETNAMESE),
    ("12:05 13/09/2020", VIETNAMESE),
    ("Ngày 13 tháng 9 năm 2020", VIETNAMESE),
    ("2026-07-20T06:31:56+07:00", VIETNAMESE),
    ("2026-07-16T18:04:00.000 +07:00", VIETNAMESE),
    ("2024-05-03T15:47:42.389Z", {"now": NOW}),
    ("2026-07-21 00:00", VIETNAMESE),
    ("Sun, 13 Sep 2020 12:05:00 +0700", {"now": NOW}),
    ("03.05.2024, 17:47 Uhr", {"languages": ("de", "en"), "timezone": "Europe/Vienna", "now": NOW}),
]
# Month names in other languages: these go to dateparser.
DATEPARSER = [
    ("3. Mai 2024, 14:30 Uhr", {"languages": ("de", "en"), "timezone": "Europe/Berlin", "now": NOW}),
    ("Freitag, 3. Mai 2024", {"languages": ("de", "en"), "now": NOW}),
    ("24 avril 2024", {"languages": ("fr", "en"), "now": NOW}),
    ("Publié le 24 avril 2024 à 14h30", {"languages": ("fr", "en"), "timezone": "Europe/Paris", "now": NOW}),
    ("3 de mayo de 2024 - 14:30 CEST", {"languages": ("es", "en"), "now": NOW}),
    ("2 februari 2025 om 23:02", {"languages": ("nl", "en"), "now": NOW}),
]


def _rate(cases, n: int) -> float:
    from crawler.dates import parse_date

    for raw, options in cases:  # also warms the caches (zones, dateparser parsers)
        if parse_date(raw, **options) is None:
            raise AssertionError(f"benchmark string not parsed: {raw!r}")
    rounds = max(1, n // len(cases))
    start = time.perf_counter()
    for _ in range(rounds):
        for raw, options in cases:
            parse_date(raw, **options)
    return rounds * len(cases) / (time.perf_counter() - start)


def run(n: int = 50_000) -> dict[str, float]:
    """Print and return parses per second: ``n`` parses on the fast path, ``n // 50`` through dateparser."""
    rates = {"fast path": _rate(FAST_PATH, n), "dateparser": _rate(DATEPARSER, max(n // 50, len(DATEPARSER)))}
    for name, rate in rates.items():
        print(f"dates {name}: {rate:,.0f} parses/s")
    return rates


if __name__ == "__main__":
    if __package__ in (None, ""):  # run as a file: make the repository importable
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
