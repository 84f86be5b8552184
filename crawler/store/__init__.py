"""Storage: article records in SQLite (the default, a file next to you) or PostgreSQL (shared, production).

Plain functions and classes over SQLAlchemy Core, no Scrapy: the store pipeline, ``crawler export`` and
``crawler stats`` all use them, and so can a notebook.

- :mod:`.engine`: a database URL to a checked, ready engine; :func:`.engine.redact` hides passwords.
- :mod:`.schema` / :mod:`.migrate`: the tables and the numbered migrations applied at start-up.
- :mod:`.writer`: batched, crash-safe upserts with revisions.
- :mod:`.export` / :mod:`.stats`: records back out, streaming; counts and field coverage.

This module imports nothing heavy, so ``crawler.settings`` can read the default URL from it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

# A file next to the user: nothing to install or start. Relative to the working directory, like -o FILE.
DEFAULT_URL = "sqlite:///data/news.db"


def configured_url(environ: Mapping[str, str] = os.environ) -> str:
    """The database URL when no option names one: ``$NEWS_DB_URL``, else :data:`DEFAULT_URL`.

    The environment variable lets a deployment point every command at PostgreSQL without repeating --db.
    """
    return environ.get("NEWS_DB_URL") or DEFAULT_URL


def open_store(url: str, *, create: bool = True):
    """A connected engine for ``url`` with its schema migrated to the latest version (raises StoreError).

    Imported here, not at the top, so that reading :data:`DEFAULT_URL` does not load SQLAlchemy.
    """
    from crawler.store.engine import connect
    from crawler.store.migrate import migrate

    engine = connect(url, create=create)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine
