"""``crawler sites``: the site profiles this crawler knows, with their domains and what each covers."""

from __future__ import annotations

import argparse
import json
import sys

from crawler.profiles import ProfileError, load_profiles

help = "list the site profiles: domains, language, the fields each profile covers"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON object per profile instead of a table")


def describe(profile) -> dict:
    """What a profile covers: its own selectors, the fields it leaves to the generic extractor, page types."""
    return {
        "id": profile.id,
        "name": profile.name,
        "domains": list(profile.domains),
        "language": profile.language,
        "timezone": profile.timezone,
        "verified": profile.verified,
        "fields": [f for f in profile.selectors if f not in ("caption", "credit")],
        "generic": sorted(profile.generic),
        "page_types": sorted(profile.page_types),
    }


def run(args: argparse.Namespace) -> int:
    try:
        profiles = load_profiles()
    except ProfileError as exc:
        print(f"crawler: bad profile: {exc}", file=sys.stderr)
        return 2
    rows = [describe(p) for p in profiles]
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return 0
    header = ("profile", "domains", "lang", "checked", "profile fields", "page types")
    table = [
        (r["id"], ", ".join(r["domains"]), r["language"] or "-", "yes" if r["verified"] else "no",
         ", ".join(r["fields"]) or "-", ", ".join(r["page_types"]) or "-")
        for r in rows
    ]  # fmt: skip
    widths = [max(len(str(row[i])) for row in [header, *table]) for i in range(len(header))]
    for row in [header, *table]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    print(f"\n{len(rows)} profiles; other sites use the generic extractor (JSON-LD, OpenGraph, markup).")
    return 0
