"""Writer processes: two at once on one PostgreSQL database, and one killed with SIGKILL mid-run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_support import make_record

from crawler.store import open_store
from crawler.store.schema import article_authors, article_images, article_tags, articles

SCRIPT = Path(__file__).with_name("store_support.py")


def writer_process(url: str, count: int, batch: int, seed: int | None = None) -> subprocess.Popen:
    command = [sys.executable, str(SCRIPT), url, str(count), str(batch)]
    if seed is not None:
        command += ["--seed", str(seed)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def table_counts(url: str) -> dict[str, int]:
    engine = open_store(url)
    with engine.connect() as conn:
        counts = {
            table.name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
            for table in (articles, article_authors, article_tags, article_images)
        }
        counts["distinct"] = conn.execute(sa.select(sa.func.count(sa.distinct(articles.c.canonical_url)))).scalar()
        if engine.dialect.name == "sqlite":
            counts["integrity"] = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
    engine.dispose()
    return counts


def consistent(counts: dict[str, int], n: int) -> bool:
    """n articles, each once, each with all its child rows (a batch is all or nothing)."""
    record = make_record(0)
    return (
        counts["articles"] == counts["distinct"] == n
        and counts["article_authors"] == n * len(record["authors"])
        and counts["article_tags"] == n * len(record["tags"])
        and counts["article_images"] == n * len(record["images"])
        and counts.get("integrity", "ok") == "ok"
    )


def test_two_writer_processes_on_one_postgresql_database(pg_url):
    open_store(pg_url).dispose()  # the schema first, so both start writing at once
    n = 3000
    # Different orders: the two meet on the same articles in different batches, the case for locks.
    processes = [writer_process(pg_url, n, 100, seed=seed) for seed in (1, 2)]
    results = [p.communicate(timeout=300) for p in processes]

    for process, (_, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err
    # Between them every article was new exactly once; the rest found it unchanged.
    new = sum(int(out.splitlines()[-1].split()[-1]) for out, _ in results)
    assert new == n
    assert consistent(table_counts(pg_url), n)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_kill_9_loses_at_most_the_open_batch_and_a_rerun_completes(engine, request, tmp_path):
    url = f"sqlite:///{tmp_path}/news.db" if engine == "sqlite" else request.getfixturevalue("pg_url")
    n, batch = 20_000, 200
    process = writer_process(url, n, batch)
    committed = 0
    while committed < 5 * batch:  # a few batches are durable, and it is in the middle of more
        line = process.stdout.readline()
        assert line, process.stderr.read()
        committed = int(line.split()[1])
    time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    counts = table_counts(url)
    stored = counts["articles"]
    # Everything reported durable is there; a batch is there whole or not at all.
    assert stored >= committed and stored % batch == 0 and stored < n
    assert consistent(counts, stored)

    rerun = writer_process(url, n, batch)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert int(out.splitlines()[-1].split()[-1]) == n - stored  # exactly the lost ones are new
    assert consistent(table_counts(url), n)
