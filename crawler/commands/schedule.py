"""``crawler schedule FILE``: run the jobs of a jobs file on their schedules until SIGTERM or Ctrl-C.

The whole file is checked first; one bad job and none starts. Each run is a ``crawler jobs run NAME`` process
(crawler/scheduling/scheduler.py); on SIGTERM or Ctrl-C no new run starts, the running ones are asked to stop
(their crawls finish their batch) and the scheduler exits when they have.
"""

from __future__ import annotations

import argparse

help = "run the jobs of a jobs file on their schedules (a long-lived scheduler; SIGTERM stops it cleanly)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the jobs file (TOML)")


def run(args: argparse.Namespace) -> int:
    from crawler.scheduling.jobfile import load_jobs_or_report

    jobs = load_jobs_or_report(args.file, "crawler schedule")
    if jobs is None:
        return 2
    from crawler.scheduling.scheduler import run_scheduler

    return run_scheduler(args.file, jobs)
