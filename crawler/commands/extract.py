"""``crawler extract``: saved pages in, article records out, no network.

    crawler extract page.html [page2.html.gz ...] [--url URL] [-o OUT.jsonl]
    crawler extract --manifest pages.jsonl [-o OUT.jsonl]

One JSON line per input, in input order: ``{"id": ..., **record}``, or ``{"id": ..., "error": reason}`` for a
page that cannot be processed at all, and the run goes on. A summary goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from crawler.extract import ExtractionError, build_record

help = "extract article records from saved HTML pages (.html or .html.gz), without fetching anything"

log = logging.getLogger(__name__)

# Failures that are about the input, not about our code: an error line is enough, no traceback.
_INPUT_ERRORS = (ExtractionError, OSError, EOFError, zlib.error)


class InputError(ValueError):
    """The options or the manifest cannot be used; the message says why (for a manifest: file and line)."""


@dataclass
class Job:
    """One page to extract."""

    id: str | int
    path: Path
    url: str | None
    fetched_at: datetime


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE", help="saved pages, .html or gzip-compressed")
    parser.add_argument(
        "--manifest", metavar="M.jsonl", help='a JSON lines list of {"id", "path", "url", "fetched_at"}'
    )
    parser.add_argument("--url", help="the URL FILE was fetched from (one FILE only)")
    parser.add_argument(
        "--fetched-at",
        metavar="ISO8601",
        type=_cli_datetime,
        help='when FILE was fetched: the "now" that relative dates count from (default: now)',
    )
    parser.add_argument("-o", "--output", metavar="OUT", help="write the JSON lines to OUT instead of stdout")


def run(args: argparse.Namespace) -> int:
    now = datetime.now(timezone.utc)
    try:
        jobs = _jobs_from_args(args, now)
    except InputError as exc:
        print(f"crawler extract: {exc}", file=sys.stderr)
        return 2
    try:
        out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    except OSError as exc:
        print(f"crawler extract: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        errors, seconds = _extract_all(jobs, out)
    finally:
        if out is not sys.stdout:
            out.close()
    ms = 1000 * seconds / len(jobs)
    print(f"{len(jobs)} pages, {len(jobs) - errors} records, {errors} errors, {ms:.1f} ms/page", file=sys.stderr)
    return 1 if errors == len(jobs) else 0


def _jobs_from_args(args: argparse.Namespace, now: datetime) -> list[Job]:
    """Cross-option checks, then the list of pages to extract."""
    if bool(args.files) == bool(args.manifest):
        raise InputError("give either FILE ... or --manifest M.jsonl")
    if args.manifest:
        if args.url or args.fetched_at:
            raise InputError("--url and --fetched-at are for FILE inputs; a manifest gives them per page")
        return read_manifest(Path(args.manifest), now)
    if args.url and len(args.files) > 1:
        raise InputError("--url names the URL of one page: give one FILE with it")
    fetched_at = args.fetched_at or now
    return [Job(id=f, path=Path(f), url=args.url, fetched_at=fetched_at) for f in args.files]


def _extract_all(jobs: list[Job], out) -> tuple[int, float]:
    """Write one line per job, in order; returns (errors, seconds spent extracting)."""
    errors, seconds = 0, 0.0
    for job in jobs:
        started = time.perf_counter()
        line = extract_one(job)
        seconds += time.perf_counter() - started
        errors += "error" in line
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return errors, seconds


def extract_one(job: Job) -> dict:
    """The output line for one page: its record, or the reason there is none."""
    try:
        html = job.path.read_bytes()
        record = build_record(html, job.url, fetched_at=job.fetched_at)
    except _INPUT_ERRORS as exc:
        return {"id": job.id, "error": _reason(exc)}
    except Exception as exc:
        # Not the input's fault but a bug, worth its traceback. The line still tells; the run goes on.
        log.exception("Extraction failed (%s): %s", type(exc).__name__, job.path)
        return {"id": job.id, "error": f"{type(exc).__name__}: {exc}"}
    return {"id": job.id, **record.to_dict()}


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot read {exc.filename or 'the file'}: {exc.strerror}"
    if isinstance(exc, (EOFError, zlib.error, OSError)):
        return f"not a readable gzip file: {exc}"
    return str(exc) or type(exc).__name__


# --- The manifest --------------------------------------------------------------------------------


def read_manifest(path: Path, now: datetime) -> list[Job]:
    """Every page the manifest lists; every bad line is reported (with its number) before anything runs."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read manifest {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    jobs, problems, seen = [], [], set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            job = _manifest_job(line, path.parent, now)
            if job.id in seen:
                raise ValueError(f"duplicate id {job.id!r}")
        except ValueError as exc:
            problems.append(f"{path} line {number}: {exc}")
            continue
        seen.add(job.id)
        jobs.append(job)
    if problems:
        raise InputError("malformed manifest:\n  " + "\n  ".join(problems))
    if not jobs:
        raise InputError(f"manifest {path} lists no pages")
    return jobs


def _manifest_job(line: str, folder: Path, now: datetime) -> Job:
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg}, column {exc.colno})") from None
    if not isinstance(entry, dict):
        raise ValueError('not a JSON object: expected {"id", "path", "url", "fetched_at"}')
    page_id, rel, url = entry.get("id"), entry.get("path"), entry.get("url")
    if not isinstance(page_id, (str, int)) or isinstance(page_id, bool) or page_id == "":
        raise ValueError('"id" is missing or not a string or a number')
    if not isinstance(rel, str) or not rel:
        raise ValueError('"path" is missing or not a string')
    if url is not None and not isinstance(url, str):
        raise ValueError('"url" must be a string or null')
    fetched_at = parse_fetched_at(entry.get("fetched_at")) or now
    return Job(id=page_id, path=folder / rel, url=url, fetched_at=fetched_at)


def parse_fetched_at(value) -> datetime | None:
    """ISO 8601 to an aware datetime; a time without an offset is taken as UTC (what crawlers record)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError('"fetched_at" must be an ISO 8601 string')
    try:
        # Python < 3.11 does not read the "Z" suffix.
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f'"fetched_at" is not ISO 8601: {value!r}') from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _cli_datetime(value: str) -> datetime:
    try:
        return parse_fetched_at(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).replace('"fetched_at"', "--fetched-at")) from None
