"""``crawler jobs check FILE`` and ``crawler jobs run NAME [--file FILE]``: the jobs file, checked or run once.

``check`` reads the whole file and prints every problem with its line (exit 2), or the jobs it holds (exit 0).
``run`` runs one job once, for cron and systemd timers (crawler/scheduling/runner.py): exit 0 when every site
was crawled, 1 when one failed, 75 when the job is running already (the run is skipped, and recorded as
skipped), 130 when stopped.
"""

from __future__ import annotations

import argparse
import sys

help = "check a jobs file (every error with its line), or run one of its jobs once (for cron, systemd timers)"

DEFAULT_FILE = "jobs.toml"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="check a jobs file and list its jobs")
    check.add_argument("file", metavar="FILE", help="the jobs file (TOML)")
    run = actions.add_parser("run", help="run one job once: a crawl process per site, recorded with its health")
    run.add_argument("name", metavar="NAME", help="the job's name ([jobs.NAME] in the file)")
    run.add_argument("--file", default=DEFAULT_FILE, help=f"the jobs file (default: {DEFAULT_FILE})")


def run(args: argparse.Namespace) -> int:
    from crawler.scheduling.jobfile import load_jobs_or_report

    jobs = load_jobs_or_report(args.file, "crawler jobs")
    if jobs is None:
        return 2
    if args.action == "check":
        for job in jobs:
            window = f", since {job.since}" if job.since else ""
            window += f", until {job.until}" if job.until else ""
            print(f"{job.name}: {' '.join(job.sites)}, {job.schedule.describe()}{window}")
        print(f"crawler jobs: {args.file}: {len(jobs)} job(s), no problem found", file=sys.stderr)
        return 0
    by_name = {job.name: job for job in jobs}
    if args.name not in by_name:
        print(f"crawler jobs run: no job '{args.name}' in {args.file} (jobs: {', '.join(by_name)})", file=sys.stderr)
        return 2
    from crawler.scheduling.runner import run_job

    return run_job(by_name[args.name])
