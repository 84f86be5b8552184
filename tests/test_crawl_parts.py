"""The small parts of a site crawl: Retry-After, the folder archive, job files, the progress table."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crawler.archive import ArchivedPage, FolderArchive, open_archive
from crawler.discovery import jobs
from crawler.discovery.window import Window
from crawler.progress import Progress, format_line, format_table
from middlewares.retry import retry_after_seconds

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def test_retry_after_in_seconds_or_as_a_date():
    assert retry_after_seconds(b"120", NOW) == 120
    assert retry_after_seconds("Wed, 25 Nov 2026 12:00:30 GMT", NOW) == 30
    assert retry_after_seconds("Wed, 25 Nov 2026 11:00:00 GMT", NOW) == 0  # in the past: now
    assert retry_after_seconds("soon", NOW) is None and retry_after_seconds(None, NOW) is None


def test_folder_archive_round_trip(tmp_path):
    archive = FolderArchive(tmp_path / "a")
    page = ArchivedPage(
        url="http://baomau.example/x-100001.html?page=1",
        status=200,
        headers=[("Content-Type", "text/html"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
        body=b"\x1f\x8b raw bytes",
        fetched_at="2026-11-25T12:00:00+00:00",
    )
    archive.save(page)
    again = open_archive(tmp_path / "a").load(page.url)
    assert again == ArchivedPage(**{**page.__dict__, "response_url": page.url})
    assert archive.load("http://baomau.example/other.html") is None
    assert len(archive) == 1 and (tmp_path / "a" / "index.jsonl").read_text().count("\n") == 1


def test_a_job_resumes_only_when_unfinished_and_asked_the_same(tmp_path):
    options = {"since": "6h", "until": None, "refresh": False}
    window = Window(NOW - timedelta(hours=6))
    assert jobs.load_unfinished(tmp_path, "hourly", "baomau", options) == (None, None)
    job = jobs.start_job(tmp_path, "hourly", "baomau", options, window, False, NOW)
    resumed, why = jobs.load_unfinished(tmp_path, "hourly", "baomau", options)
    assert resumed == job and why is None and resumed.window == window  # the window as first resolved
    other, why = jobs.load_unfinished(tmp_path, "hourly", "baomau", {**options, "since": "2d"})
    assert other is None and "other options" in why
    job.finished = NOW.isoformat()
    jobs.save_job(tmp_path, job)
    assert jobs.load_unfinished(tmp_path, "hourly", "baomau", options) == (None, None)


def test_progress_line_and_table():
    p = Progress("baomau", pages=120, new=80, updated=2, unchanged=3, skipped=30, failed=1, elapsed=60, queued=60)
    assert format_line(p) == (
        "baomau: 120 pages, 80 new, 2 updated, 30 skipped (stored), 1 failed, 2.0 pages/s, 60 queued, ~30s left"
    )
    table = format_table([p]).splitlines()
    assert table[0].split() == ["site", "pages", "new", "updated", "unchanged", "skipped", "failed", "pages/s", "time"]
    assert table[1].split() == ["baomau", "120", "80", "2", "3", "30", "1", "2.0", "1m00s"]
