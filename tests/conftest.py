"""Shared fixtures: a small HTTP server on 127.0.0.1 (the only network the tests use)."""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

# Always there, whatever else is served: a page that does not exist and an answer that is not HTML.
MISSING_PATH = "/missing.html"
NOT_HTML_PATH = "/data.json"
_NOT_HTML = (200, "application/json", b'{"headline": "not a page"}')


@dataclass
class LocalSite:
    """A site served on a free port of 127.0.0.1; `routes` maps a path to (status, content type, body)."""

    base_url: str
    routes: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")

    @property
    def missing_url(self) -> str:
        """Answers 404."""
        return self.url(MISSING_PATH)

    @property
    def not_html_url(self) -> str:
        """Answers 200 with a JSON body."""
        return self.url(NOT_HTML_PATH)


def _handler_for(routes: dict[str, tuple[int, str, bytes]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            status, content_type, body = routes.get(self.path.split("?")[0], (404, "text/html", b"Not found"))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):  # noqa: A002 - http.server's signature
            pass

    return Handler


def _routes_from(folder: Path | None, pages: dict[str, bytes | str] | None) -> dict:
    routes = {NOT_HTML_PATH: _NOT_HTML}
    for path in sorted(folder.rglob("*")) if folder else []:
        if path.is_file():
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if content_type == "text/html":
                content_type = "text/html; charset=utf-8"
            routes["/" + path.relative_to(folder).as_posix()] = (200, content_type, path.read_bytes())
    for path, body in (pages or {}).items():
        data = body.encode("utf-8") if isinstance(body, str) else body
        routes["/" + path.lstrip("/")] = (200, "text/html; charset=utf-8", data)
    return routes


@pytest.fixture
def serve() -> Iterator[Callable[..., LocalSite]]:
    """serve(folder=None, pages=None) -> LocalSite: serve a folder's files and/or {path: html} on 127.0.0.1.

    Unknown paths (MISSING_PATH among them) answer 404, NOT_HTML_PATH answers JSON. Stopped at teardown.
    """
    servers = []

    def start(folder: Path | None = None, pages: dict[str, bytes | str] | None = None) -> LocalSite:
        routes = _routes_from(folder, pages)
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(routes))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return LocalSite(base_url=f"http://127.0.0.1:{server.server_address[1]}", routes=routes)

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


# --- Storage: one test, two engines ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The PostgreSQL server URL (NEWS_TEST_PG_URL, default the local one); skips when it does not answer."""
    from store_support import PG_SERVER_URL

    from crawler.store.engine import connect, redact
    from crawler.store.errors import StoreError

    try:
        connect(PG_SERVER_URL).dispose()
    except StoreError as exc:
        pytest.skip(f"PostgreSQL is not reachable at {redact(PG_SERVER_URL)}: {exc}")
    return PG_SERVER_URL


@pytest.fixture
def pg_url(pg_server) -> Iterator[str]:
    """A fresh PostgreSQL database of the test's own, dropped afterwards."""
    from store_support import ScratchDatabase

    database = ScratchDatabase(pg_server)
    try:
        yield database.url
    finally:
        database.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """An empty database, SQLite and then PostgreSQL (skipped when no server answers)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/news.db"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url):
    """An engine on `db_url` with the latest schema."""
    from crawler.store import open_store

    engine = open_store(db_url)
    yield engine
    engine.dispose()
