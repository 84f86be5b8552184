"""Known storage failures, turned into messages a user can act on.

A driver's error names the symptom ("attempt to write a readonly database"); the user needs the database (its
URL, password hidden), the problem and what to do. :func:`translate` does that for the failures we know; an
error it does not know is left alone, so the caller re-raises it with its traceback.
"""

from __future__ import annotations

import re


class StoreError(Exception):
    """A storage failure the user can fix: the message names the database and what to do."""

    def __init__(self, url: str, problem: str, hint: str):
        self.url, self.problem, self.hint = url, problem, hint
        super().__init__(f"{problem} ({url}): {hint}")


# What a rolled-back batch means for the data, said once for every failure that can happen mid-crawl.
_INTACT = "the failing batch was rolled back and what was stored before is intact"

# (driver message pattern, problem, hint). Connection errors from psycopg carry no SQLSTATE, only the server's
# text, so these match on messages; {0} is the pattern's first group.
# fmt: off
_MESSAGES: tuple[tuple[str, str, str], ...] = (
    (r"readonly database", "the database file is read-only",
     "make the file and its folder writable (chmod u+w), or give another database with --db / NEWS_DB_URL"),
    (r"database or disk is full", "the disk is full (or the database reached its size limit)",
     f"free some space and run again; {_INTACT}"),
    (r"unable to open database file", "cannot open the database file",
     "check that its folder exists and is writable, or give another path with --db / NEWS_DB_URL"),
    (r"file is not a database|database disk image is malformed", "the file is not a usable SQLite database",
     "give another path with --db / NEWS_DB_URL (a new file is created empty)"),
    (r"database is locked", "the database stayed locked by another process",
     f"another writer held it too long; run again when it is done; {_INTACT}"),
    (r'database "([^"]+)" does not exist', 'database "{0}" does not exist',
     "create it (createdb {0}, or CREATE DATABASE {0}) or fix the database name in the URL"),
    (r'role "([^"]+)" does not exist', 'role "{0}" does not exist',
     "create it (createuser {0}, or CREATE ROLE {0} LOGIN) or put an existing user in the URL"),
    (r"password authentication failed for user \"([^\"]+)\"", 'wrong password for user "{0}"',
     "fix the password in the URL (it is hidden here)"),
    (r"Connection refused|No such file or directory.*\n?.*Is the server running",
     "cannot reach the PostgreSQL server",
     "is it running? Start it, or fix the host and port in --db / NEWS_DB_URL"),
    (r"failed to resolve host '([^']+)'", 'cannot resolve the host name "{0}"', "fix the host in the URL"),
    (r"timeout expired|timed out", "the database server did not answer in time",
     "check that the host and port are right and that a firewall lets the connection through"),
    (r"server closed the connection unexpectedly|terminating connection|connection is closed|consuming input failed",
     "lost the connection to the database server", f"check the server and run again; {_INTACT}"),
)
# fmt: on

# PostgreSQL errors that come with a SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_SQLSTATES: dict[str, tuple[str, str]] = {
    "53100": ("the database server's disk is full", f"free space on the server and run again; {_INTACT}"),
    "53300": ("the database server has too many connections", "close some clients or raise max_connections"),
    "25006": ("the database is read-only (a standby server, or default_transaction_read_only)",
              "point --db / NEWS_DB_URL at the primary server"),
    "42501": ("the database user may not write the crawler's tables",
              "GRANT the user CREATE on the schema and INSERT/UPDATE/DELETE on the tables"),
    "3D000": ("the database does not exist", "create it or fix the database name in the URL"),
}  # fmt: skip


def translate(exc: BaseException, url: str) -> StoreError | None:
    """A :class:`StoreError` for a known failure (``url`` already redacted), None for an unknown one."""
    orig = getattr(exc, "orig", None) or exc
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate in _SQLSTATES:
        problem, hint = _SQLSTATES[sqlstate]
        return StoreError(url, problem, hint)
    text = str(orig)
    for pattern, problem, hint in _MESSAGES:
        match = re.search(pattern, text)
        if match:
            groups = match.groups()
            return StoreError(url, problem.format(*groups), hint.format(*groups))
    return None
