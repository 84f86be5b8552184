"""The jobs file: a good one read whole, a bad one refused with every problem and its line."""

from __future__ import annotations

import pytest

from crawler.cli import main
from crawler.scheduling.jobfile import JobFileError, Schedule, load_jobs, parse_jobs, parse_schedule

SITES = {"baomau", "vnexpress", "dantri"}

GOOD = """\
[jobs.news]
sites = ["vnexpress", "dantri"]
schedule = "15m"
since = "6h"
db = "sqlite:///data/news.db"
settings = { DOWNLOAD_DELAY = 1, AUTOTHROTTLE_ENABLED = false, NEWS_HOST_MAP = { "a.example" = "127.0.0.1:1" } }

[jobs.nightly]
sites = ["baomau"]
schedule = "30 2 * * *"
"""

BAD = """\
# two mistakes in the first job, one in the second, a third job fine
[jobs.news]
sites = ["vnexpress", "nosuch"]
schedule = "every 15 minutes"

[jobs.nightly]
sites = ["baomau"]
schedule = "61 2 * * *"
colour = "blue"

[jobs.fine]
sites = ["dantri"]
schedule = "1h"
"""


def test_a_good_file_gives_every_job():
    news, nightly = parse_jobs(GOOD, "jobs.toml", SITES)
    assert news.name == "news" and news.sites == ("vnexpress", "dantri") and news.since == "6h"
    assert news.schedule == Schedule(every=900)
    # As -s NAME=VALUE would give them: Scrapy reads booleans from "False" and dicts from JSON.
    assert news.settings == {
        "DOWNLOAD_DELAY": "1",
        "AUTOTHROTTLE_ENABLED": "False",
        "NEWS_HOST_MAP": '{"a.example": "127.0.0.1:1"}',
    }
    assert nightly.schedule == Schedule(cron="30 2 * * *") and nightly.db is None and nightly.line == 8


def test_a_bad_file_is_refused_with_every_problem_and_its_line():
    with pytest.raises(JobFileError) as caught:
        parse_jobs(BAD, "jobs.toml", SITES)
    problems = caught.value.problems
    assert len(problems) == 4, problems
    assert problems[0].startswith("jobs.toml:3: jobs.news.sites: no profile 'nosuch'")
    assert problems[1].startswith("jobs.toml:4: jobs.news.schedule: not an interval (30s, 15m, 2h, 1d)")
    assert problems[2].startswith("jobs.toml:8: jobs.nightly.schedule: bad cron expression '61 2 * * *'")
    assert problems[3].startswith("jobs.toml:9: jobs.nightly.colour: unknown key")


def test_a_site_in_a_multi_line_list_is_pointed_at_on_its_own_line():
    text = '[jobs.a]\nschedule = "1m"\nsites = [\n  "baomau",\n  "nosuch",\n]\nsince = "yesterday"\n'
    with pytest.raises(JobFileError) as caught:
        parse_jobs(text, "j.toml", SITES)
    assert [p.split(": ")[0] for p in caught.value.problems] == ["j.toml:5", "j.toml:7"]


def test_broken_toml_says_where():
    with pytest.raises(JobFileError) as caught:
        parse_jobs('[jobs.a]\nsites = ["baomau"\nschedule = "1m"\n', "j.toml", SITES)
    assert caught.value.problems[0].startswith("j.toml:3: not valid TOML")


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "j.toml:1: jobs: no jobs"),
        ('[jobs."two words"]\nsites = ["baomau"]\nschedule = "1m"\n', "j.toml:1: jobs.two words: a job name is"),
        ('[jobs.a]\nsites = ["baomau"]\n', "j.toml:1: jobs.a: missing 'schedule'"),
        ('[jobs.a]\nsites = ["baomau"]\nschedule = "1m"\ndb = "mysql://x/y"\n', "j.toml:4: jobs.a.db: a database URL"),
        ('[jobs.a]\nsites = ["baomau"]\nschedule = "1m"\nsince = "2d"\nuntil = "3d"\n', "j.toml:5: jobs.a.until:"),
        ('[jobs.a]\nsites = ["baomau"]\nschedule = "1m"\n[jobs.a.settings]\ndelay = 1\n', "j.toml:5: jobs.a.settings.delay"),
    ],
)
def test_each_kind_of_mistake(text, problem):
    with pytest.raises(JobFileError) as caught:
        parse_jobs(text, "j.toml", SITES)
    assert caught.value.problems[0].startswith(problem), caught.value.problems


def test_schedules():
    assert parse_schedule("30s") == Schedule(every=30)
    assert parse_schedule("2h") == Schedule(every=7200)
    assert parse_schedule("*/15  * * * 1-5") == Schedule(cron="*/15 * * * 1-5")
    with pytest.raises(ValueError, match="at least 1s"):
        parse_schedule("0m")


def test_jobs_check_prints_the_problems_and_starts_nothing(tmp_path, capsys):
    path = tmp_path / "jobs.toml"
    path.write_text(BAD.replace("dantri", "baomau").replace("vnexpress", "baomau"), encoding="utf-8")
    assert main(["jobs", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:3: jobs.news.sites: no profile 'nosuch'" in err
    assert "4 problem(s)" in err and "no job was started" in err
    # `schedule` and `jobs run` read the file the same way and refuse it the same way, before any run.
    assert main(["schedule", str(path)]) == 2
    assert main(["jobs", "run", "fine", "--file", str(path)]) == 2
    assert "no job was started" in capsys.readouterr().err


def test_jobs_check_lists_a_good_file(tmp_path, capsys):
    path = tmp_path / "jobs.toml"
    path.write_text(GOOD.replace("vnexpress", "baomau").replace("dantri", "tuoitre"), encoding="utf-8")
    assert main(["jobs", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "news: baomau tuoitre, every 900s, since 6h" in out and "nightly: baomau, cron '30 2 * * *'" in out


def test_a_missing_file():
    with pytest.raises(JobFileError, match="cannot read the jobs file"):
        load_jobs("/nonexistent/jobs.toml", SITES)
