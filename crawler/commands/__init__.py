"""The subcommands of ``crawler``, one module each.

A command module exposes ``help: str`` (the one-line summary in ``crawler --help``), ``add_arguments(parser)``
and ``run(args) -> int`` (the exit code). Modules import heavy libraries (Scrapy) inside ``run`` so that
``crawler extract`` and ``crawler --help`` start fast.
"""

# In the order `crawler --help` lists them.
COMMANDS = ("scrape", "crawl", "extract", "eval", "sites", "demo", "export", "stats", "jobs", "schedule", "runs", "health")
