"""`crawler scrape` and `crawler demo` end to end: a real Scrapy crawl in a subprocess, pages on 127.0.0.1."""

from __future__ import annotations

import csv
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.items import EXPORT_FIELDS

REPO = Path(__file__).resolve().parent.parent

# Loopback pages need no politeness; without this AutoThrottle spends seconds between requests.
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]


def article(title: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:title" content="{title}"></head>
<body><article><h1>{title}</h1>
<p>Thân bài thử nghiệm cho bộ kiểm thử đầu cuối, viết riêng cho dự án này.</p>
<p>Đoạn thứ hai, để trang trông giống một bài báo thật hơn một chút.</p>
</article></body></html>"""


PAGES = {"/thoi-su/bai-1.html": article("Bài thứ nhất"), "/kinh-te/bai-2.html": article("Bài thứ hai")}


def crawler(*argv: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python -m crawler.cli ...` from `cwd` (not the repo: settings must not depend on the cwd)."""
    # The repo on the path: the tests also run before the project is pip-installed.
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, PYTHONPATH=path)
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


@pytest.fixture
def site(serve):
    return serve(pages=PAGES)


def test_scrape_prints_one_json_line_per_article(site, tmp_path):
    urls = [site.url(p) for p in PAGES]

    result = crawler("scrape", *urls, *FAST, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted((r["url"], r["title"]) for r in records) == sorted(
        [(urls[0], "Bài thứ nhất"), (urls[1], "Bài thứ hai")]
    )
    assert all(list(r) == list(EXPORT_FIELDS) for r in records)  # schema order, no internal `dates`


def test_a_404_and_a_non_html_answer_are_reported_not_emitted(site, tmp_path):
    good, missing, data = site.url("/thoi-su/bai-1.html"), site.missing_url, site.not_html_url

    result = crawler("scrape", good, missing, data, *FAST, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["url"] for line in result.stdout.splitlines()] == [good]
    assert f"Fetch failed (HTTP 404): {missing}" in result.stderr
    assert f"Skipped (not HTML, application/json): {data}" in result.stderr


def test_output_csv_and_json_files(site, tmp_path):
    urls = [site.url(p) for p in PAGES]

    as_csv = crawler("scrape", *urls, *FAST, "-o", "out.csv", cwd=tmp_path)
    as_json = crawler("scrape", *urls, *FAST, "-o", str(tmp_path / "out.json"), cwd=tmp_path)

    assert as_csv.returncode == 0, as_csv.stderr
    assert as_json.returncode == 0, as_json.stderr
    assert as_csv.stdout == as_json.stdout == ""
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted(row["title"] for row in rows) == ["Bài thứ hai", "Bài thứ nhất"]
    assert list(rows[0]) == list(EXPORT_FIELDS)
    # Lists are JSON cells, so images keep their caption and credit and names keep their commas.
    for row in rows:
        assert isinstance(json.loads(row["images"]), list)
        assert isinstance(json.loads(row["authors"]), list)
    records = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert sorted(r["url"] for r in records) == sorted(urls)


def test_a_dead_server_gives_a_clear_message_and_a_failing_exit_code(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/bai.html"

    result = crawler("scrape", url, *FAST, "-s", "RETRY_ENABLED=False", cwd=tmp_path)

    assert result.returncode == 1
    assert result.stdout == ""
    assert f"Fetch failed (connection refused): {url}" in result.stderr
    assert "nothing could be fetched" in result.stderr


def test_a_bad_url_or_option_is_a_usage_error(tmp_path):
    assert crawler("scrape", "tin.example/bai.html", cwd=tmp_path).returncode == 2
    no_format = crawler("scrape", "http://127.0.0.1:9/", "-o", "out.txt", cwd=tmp_path)
    assert no_format.returncode == 2
    assert "--format" in no_format.stderr


def test_demo_crawls_the_demo_site_into_sqlite(tmp_path):
    first = crawler("demo", "--no-progress", cwd=tmp_path)
    second = crawler("demo", "--no-progress", cwd=tmp_path)

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "data" / "news.db").is_file()
    # The summary table: the first run stored every article, the second (incremental) none.
    assert re.search(r"^baomau\s+\d+\s+360\s", first.stderr, re.M), first.stderr
    assert re.search(r"^baomau\s+\d+\s+0\s", second.stderr, re.M), second.stderr


def free_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
