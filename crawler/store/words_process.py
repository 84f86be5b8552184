"""Search words made in a helper process, while the writer's own process writes the batch.

Making an article's search words (words.py) is pure Python, about 70 us for a 4 KB body: a third of what the
writer spent per article. The machine has another core, so :class:`WordsHelper` hands a batch's titles and
bodies to a helper process when the batch starts and collects the words when the batch writes its full-text
rows, after the articles, revisions, authors, tags and images. The batch is still written by one transaction in
the writer's process, as before: the helper only computes, and touches no database.

- One request at a time, over the helper's stdin and stdout: the batch's titles and bodies as length-prefixed
  UTF-16 (the cheapest form to make from Vietnamese strings), the words back as one ``marshal``'d list.
- Whatever goes wrong with the helper (it cannot start, it died, it answered nonsense), the words are made in
  this process, as they were before the helper existed, and the helper is not used again: a batch never fails
  because of it.
- The helper ends when its stdin closes: :meth:`WordsHelper.close`, the writer's process exiting, or the writer's
  process being killed (even with ``kill -9``), so no helper outlives its writer.
- The helper computes the words of every article of a batch, also those found unchanged (whose words are not
  written): which ones are new is only known once the batch is in the database. That work is on the other core.
"""

from __future__ import annotations

import logging
import marshal
import struct
import subprocess
import sys
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path

from crawler.store.words import article_words

log = logging.getLogger(__name__)

_HEADER = struct.Struct("<Q")
_LENGTHS = struct.Struct("<II")  # bytes of an article's title and of its body
# The pipe's buffer on the writer's side: a batch goes in a few large writes.
_PIPE_BUFFER = 1 << 20
# Text goes as UTF-16: Python keeps Vietnamese text as 2-byte characters, which UTF-16 copies nearly as is (half
# the cost of UTF-8). surrogatepass: a lone surrogate goes through instead of failing the batch here.
_CODEC = ("utf-16-le", "surrogatepass")
# The folder that holds the ``crawler`` package: the helper imports it from there, installed or not.
_ROOT = str(Path(__file__).resolve().parents[2])
_HELPER_CODE = f"import sys; sys.path.insert(0, {_ROOT!r}); from crawler.store.words_process import serve; serve()"


def joined_words(title: str | None, body: str | None) -> str:
    """An article's search words as the full-text tables take them: separated by spaces."""
    return " ".join(article_words(title, body))


class WordsHelper:
    """A helper process making search words; :meth:`submit` a batch, call what it returns for its words."""

    def __init__(self):
        self._process: subprocess.Popen | None = None
        self._broken = False
        self._sent = 0  # requests sent
        self._unread: int | None = None  # the request whose answer is still in the pipe
        self._finalizer: weakref.finalize | None = None

    def submit(self, texts: Sequence[tuple[str | None, str | None]]) -> Callable[[], list[str]]:
        """Start making the words of ``(title, body)`` pairs; returns a function giving them, joined by spaces,
        in the same order (waiting for the helper then; made in this process when the helper cannot)."""
        texts = list(texts)
        return _Words(self, texts, self._send(texts))

    def close(self) -> None:
        """Stop the helper (it finishes nothing more); :meth:`submit` works on, without it."""
        if self._finalizer is not None:
            self._finalizer()
        self._process, self._finalizer, self._unread = None, None, None
        self._broken = True

    # -- the pipe --------------------------------------------------------------------------------------------

    def _send(self, texts: list[tuple[str | None, str | None]]) -> int | None:
        """Send a request; returns its number, None when it could not be sent."""
        if self._broken:
            return None
        try:
            if self._process is None:
                self._start()
            if self._unread is not None:
                self._read()  # the previous batch's answer, never asked for (no article of it was new)
            # Article by article into the pipe's buffer: no copy of the whole batch is ever made (a 4 MB
            # buffer per batch made the allocator keep 60 MB).
            stdin = self._process.stdin
            stdin.write(_HEADER.pack(len(texts)))
            for title, body in texts:
                title_data, body_data = (title or "").encode(*_CODEC), (body or "").encode(*_CODEC)
                stdin.write(_LENGTHS.pack(len(title_data), len(body_data)))
                stdin.write(title_data)
                stdin.write(body_data)
            stdin.flush()
            self._sent += 1
            self._unread = self._sent
            return self._sent
        except Exception as exc:  # noqa: BLE001 - any failure: words are made here instead
            self._give_up(exc)
            return None

    def _receive(self, number: int | None, count: int) -> list[str] | None:
        """The answer to request ``number``; None when it is not to be had (not sent, drained, helper gone)."""
        if number is None or number != self._unread:
            return None
        try:
            answer = self._read()
            if not isinstance(answer, list) or len(answer) != count:
                raise ValueError(f"the helper answered {type(answer).__name__} for {count} articles")
            return answer
        except Exception as exc:  # noqa: BLE001
            self._give_up(exc)
            return None

    def _read(self):
        self._unread = None
        stdout = self._process.stdout
        header = stdout.read(_HEADER.size)
        if len(header) != _HEADER.size:
            raise EOFError("the helper process ended")
        (size,) = _HEADER.unpack(header)
        data = stdout.read(size)
        if len(data) != size:
            raise EOFError("the helper process ended")
        return marshal.loads(data)

    def _start(self) -> None:
        if not sys.executable:
            raise RuntimeError("no Python executable to start a helper with")
        process = subprocess.Popen(
            [sys.executable, "-c", _HELPER_CODE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=_PIPE_BUFFER,
            close_fds=True,
            # Not in the terminal's process group: Ctrl-C stops the crawl, whose exit then ends the helper.
            start_new_session=True,
        )
        self._process = process
        self._finalizer = weakref.finalize(self, _stop, process)

    def _give_up(self, exc: Exception) -> None:
        log.warning("Store: search words are made in this process from now on (helper process: %s)", exc)
        self.close()


class _Words:
    """The words of one submitted batch: the helper's answer, or made here."""

    def __init__(self, helper: WordsHelper, texts: list[tuple[str | None, str | None]], number: int | None):
        self._helper, self._texts, self._number = helper, texts, number
        self._result: list[str] | None = None

    def __call__(self) -> list[str]:
        if self._result is None:
            answer = self._helper._receive(self._number, len(self._texts))
            self._result = answer if answer is not None else [joined_words(t, b) for t, b in self._texts]
            self._texts = []
        return self._result


def _stop(process: subprocess.Popen) -> None:
    """Close the helper's stdin (it exits at once) and reap it."""
    for pipe in (process.stdin, process.stdout):
        try:
            pipe.close()
        except OSError:
            pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def serve(stdin=None, stdout=None) -> None:
    """The helper's loop: a batch of UTF-16 ``(title, body)`` pairs in, their joined words out, until stdin
    closes."""
    stdin = stdin or open(sys.stdin.fileno(), "rb", buffering=_PIPE_BUFFER, closefd=False)  # noqa: SIM115
    stdout = stdout or sys.stdout.buffer
    try:
        while True:
            header = stdin.read(_HEADER.size)
            if len(header) != _HEADER.size:
                return  # the writer closed the pipe, exited or was killed
            (count,) = _HEADER.unpack(header)
            # The whole batch first, then the words: the writer is not kept waiting on a full pipe meanwhile.
            texts = []
            for _ in range(count):
                title_size, body_size = _LENGTHS.unpack(stdin.read(_LENGTHS.size))
                texts.append((stdin.read(title_size), stdin.read(body_size)))
            joined = [joined_words(title.decode(*_CODEC), body.decode(*_CODEC)) for title, body in texts]
            answer = marshal.dumps(joined)
            stdout.write(_HEADER.pack(len(answer)))
            stdout.write(answer)
            stdout.flush()
    except (BrokenPipeError, KeyboardInterrupt):
        return  # the writer went away (or Ctrl-C reached the whole process group): nothing to finish
