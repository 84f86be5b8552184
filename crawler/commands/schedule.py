"""``crawler schedule FILE``: run the jobs of a jobs file on their schedules until SIGTERM or Ctrl-C.

The whole file is checked first; one bad job and none starts. Each run is a ``crawler jobs run NAME`` process
(crawler/scheduling/scheduler.py); on SIGTERM or Ctrl-C no new run starts, the running ones are asked to stop
(their crawls finish their batch) and the scheduler exits when they have.
"""

from __future__ import annotations

import argparse
import sys

help = "run the jobs of a jobs file on their schedules (a long-lived scheduler; SIGTERM stops it cleanly)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the jobs file (TOML)")


def run(args: argparse.Namespace) -> int:
    from crawler.scheduling.jobfile import JobFileError, load_jobs

    try:
        jobs = load_jobs(args.file)
    except JobFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"crawler schedule: {len(exc.problems)} problem(s) in {args.file}; no job was started", file=sys.stderr)
        return 2
    from crawler.scheduling.scheduler import run_scheduler

    return run_scheduler(args.file, jobs)
