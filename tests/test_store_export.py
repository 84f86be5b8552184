"""Getting data out: iter_records and the file writers (crawler/store/export.py), stats (stats.py), and the
`crawler export` / `crawler stats` commands, on both engines."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timezone

import pytest
from store_support import make_record

from crawler.cli import main
from crawler.items import EXPORT_FIELDS
from crawler.store.export import iter_records, write_csv, write_jsonl, write_parquet
from crawler.store.stats import articles_per_day, coverage
from crawler.store.writer import ArticleWriter


def by_url(records) -> list[dict]:
    """Storage order is insertion order by batch, each batch sorted by URL: tests compare sets of records."""
    return sorted(records, key=lambda r: r["canonical_url"])


def urls(records) -> list[str]:
    return sorted(r["url"] for r in records)


def fill(engine, records) -> None:
    writer = ArticleWriter(engine, batch_size=7)
    for record in records:
        writer.add(record)
    writer.flush()


def test_records_come_back_as_they_went_in_across_chunks(store):
    records = [make_record(i) for i in range(25)]
    fill(store, records)
    # Chunks of 4 rows: the child lists of each chunk must still land on the right records.
    assert by_url(iter_records(store, chunk_rows=4)) == by_url(records)


def test_filters_by_site_and_published_time(store):
    records = [make_record(i) for i in range(10)] + [make_record(10, published="2024-05-02T10:30:00")]
    fill(store, records)
    may_3_to_5 = dict(since=datetime(2024, 5, 3, tzinfo=timezone.utc), until=datetime(2024, 5, 5, tzinfo=timezone.utc))

    assert urls(iter_records(store, site="dantri.com.vn")) == urls(records[1:10:2])
    # 10:30+07:00 is 03:30 UTC: records 2, 3 (3rd, 4th of May); record 10 has no offset, so no UTC time.
    assert urls(iter_records(store, **may_3_to_5)) == urls(records[2:4])
    assert urls(iter_records(store, site="vnexpress.net", **may_3_to_5)) == [records[2]["url"]]


def test_jsonl_and_csv_files_round_trip(store, tmp_path):
    records = [make_record(i) for i in range(5)] + [make_record(5, authors=["Lê, Văn A"], lede=None, images=[])]
    fill(store, records)

    with open(tmp_path / "out.jsonl", "w", encoding="utf-8") as out:
        assert write_jsonl(iter_records(store), out) == 6
    with open(tmp_path / "out.csv", "w", encoding="utf-8", newline="") as out:
        assert write_csv(iter_records(store), out) == 6

    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert by_url(json.loads(line) for line in lines) == by_url(records)
    assert "Hà Nội" in lines[0]  # UTF-8, not \u escapes
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as f:
        rows = {row["url"]: row for row in csv.DictReader(f)}
    assert list(rows[records[0]["url"]]) == list(EXPORT_FIELDS)
    assert json.loads(rows[records[5]["url"]]["authors"]) == ["Lê, Văn A"]  # a comma inside a name survives
    assert json.loads(rows[records[0]["url"]]["images"]) == records[0]["images"]
    assert rows[records[5]["url"]]["lede"] == ""
    assert rows[records[0]["url"]]["schema_version"] == "1"


def test_parquet_file(store, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is the optional 'parquet' extra")
    records = [make_record(i) for i in range(5)]
    fill(store, records)

    assert write_parquet(iter_records(store), str(tmp_path / "out.parquet")) == 5

    assert by_url(pq.read_table(tmp_path / "out.parquet").to_pylist()) == by_url(records)


def test_stats_per_site_and_day_and_coverage(store):
    fill(
        store, [make_record(0), make_record(2), make_record(28), make_record(1, published=None, authors=[], lede=None)]
    )

    days = [(d.site, d.day, d.articles) for d in articles_per_day(store)]
    assert days == [("dantri.com.vn", None, 1), ("vnexpress.net", "2024-05-01", 2), ("vnexpress.net", "2024-05-03", 1)]
    by_site = {c.site: c for c in coverage(store)}
    vne, dantri = by_site["vnexpress.net"], by_site["dantri.com.vn"]
    assert (vne.articles, vne.published, vne.authors, vne.lede, vne.images, vne.captioned) == (3, 3, 3, 3, 6, 3)
    assert (dantri.share("published"), dantri.share("authors"), dantri.share("lede")) == (0, 0, 0)
    assert vne.share("captioned") == 0.5


def test_export_and_stats_commands(store, db_url, tmp_path, capsys):
    fill(store, [make_record(i) for i in range(4)])
    out = tmp_path / "export.jsonl"

    assert main(["export", "--db", db_url, "--site", "vnexpress.net", "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert urls(json.loads(line) for line in lines) == urls([make_record(0), make_record(2)])
    assert "2 records" in capsys.readouterr().err

    assert main(["stats", "--db", db_url]) == 0
    printed = capsys.readouterr().out
    assert "Articles per site and day" in printed and "vnexpress.net  2024-05-01" in printed
    assert "Field coverage per site" in printed and "100.0%" in printed


def test_export_usage_and_missing_database(tmp_path, capsys):
    assert main(["export", "--db", f"sqlite:///{tmp_path}/none.db", "-o", str(tmp_path / "x.jsonl")]) == 1
    assert "no database file at" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()  # a reader never creates an empty database
    assert main(["export", "-o", str(tmp_path / "x.txt")]) == 2
    assert "--format" in capsys.readouterr().err
