"""`crawler sites` lists every bundled profile with what it covers."""

from __future__ import annotations

import json

from crawler.cli import main
from crawler.profiles import load_profiles


def test_sites_lists_every_profile(capsys):
    assert main(["sites"]) == 0
    out = capsys.readouterr().out
    for profile in load_profiles():
        assert profile.id in out
        assert profile.domains[0] in out


def test_sites_json_says_what_each_profile_covers(capsys):
    assert main(["sites", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["id"] for r in rows} == {p.id for p in load_profiles()}
    for row in rows:
        assert row["domains"] and isinstance(row["fields"], list)
        assert "caption" not in row["fields"]  # captions come with `images`
