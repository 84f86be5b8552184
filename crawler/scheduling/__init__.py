"""Scheduled crawl jobs: the jobs file, one run of a job, and the long-lived scheduler.

- :mod:`.jobfile`: the jobs file (TOML) read and checked whole, every error with its line.
- :mod:`.runner`: one run of one job (``crawler jobs run``): the job's lock, a ``crawler crawl`` subprocess per
  site, the run and its health recorded in the database.
- :mod:`.scheduler`: ``crawler schedule``: APScheduler firing runs, each in its own process.

Health verdicts are plain functions in :mod:`crawler.health`; the tables are :mod:`crawler.store.runs`'.
"""
