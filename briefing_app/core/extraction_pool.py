"""The extraction engine in a worker process, so that a large import finds actors, quotes and
dates on another core while this process reads, parses and writes (still the only writer).

Workers get the archive's registry once, take bodies in chunks and send back `Rows`: plain
tuples, cheap to pickle, exactly what the serial path would store. Only this module and the
extraction package are imported in a worker.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from typing import TYPE_CHECKING

from briefing_app.core.extract.model import Extraction
from briefing_app.core.extract.registry import Registry
from briefing_app.core.extract.rows import Rows, extraction_rows

if TYPE_CHECKING:
    from briefing_app.core.extract import Engine

CHUNK = 16
"""Articles per task: enough to make the cost of a task small next to the work in it, few
enough that the writer does not wait long for the first results, nor long on a chunk it
takes back."""


def worker_count() -> int:
    """One core is the writer's; the others may extract (at least one worker)."""
    return max(1, (os.cpu_count() or 1) - 1)


CHUNKS_A_WORKER = 2
"""Chunks a worker holds at a time: one running and one queued, so it never waits for the
next."""


def articles_ahead() -> int:
    """Articles to queue ahead of the one being written: the chunks the workers hold, and
    two more that the writer can extract itself rather than wait."""
    return (CHUNKS_A_WORKER * worker_count() + 2) * CHUNK


_PRELOADED = ["__main__", "briefing_app.core.extract.pipeline", __name__]
"""What the process that workers are forked from imports once, so that each worker starts
with the engine loaded ('__main__' is what it preloads by default)."""


def start_early() -> None:
    """Start the process that workers are forked from, without waiting for it: it loads the
    engine while the import copies the gazetteer and reads its first files, and the worker
    made later starts in a few milliseconds instead of about 0.2 s."""
    if _worker_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _worker_context() -> multiprocessing.context.BaseContext:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOADED)  # once running, it keeps what it preloaded
    return context


_engine: Engine | None = None


def _start_worker(registry: Registry) -> None:
    global _engine
    from briefing_app.core.extract import RuleEngine

    _engine = RuleEngine(registry)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()


def _exit_with(sentinel: int) -> None:
    """A worker waits for tasks forever; if the importing process is killed it must not stay
    behind (holding the console's output open, and the memory)."""
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _extract_chunk(texts: list[tuple[str, date | None]]) -> list[Rows | Exception]:
    assert _engine is not None, "the worker was started without its registry"
    return _extracted(_engine.extract, texts)


def _extracted(
    extract: Callable[[str, date | None], Extraction], texts: list[tuple[str, date | None]]
) -> list[Rows | Exception]:
    """Each article's rows, or what the engine raised on it: that article alone fails, at
    its turn, as it would in the serial path."""
    found: list[Rows | Exception] = []
    for body, published in texts:
        try:
            found.append(extraction_rows(extract(body, published)))
        except Exception as error:
            found.append(error)
    return found


class ExtractionPool:
    """Bodies in, `Rows` out, in order, from worker processes; `extract` is the in-process
    engine, used if the workers die or cannot start (a script that calls this without an
    `if __name__ == "__main__"` guard), so an import never loses its annotations.

    The workers get `CHUNKS_A_WORKER` chunks each at a time; further chunks wait here, and
    when the caller would wait for a result it extracts the last of those itself.
    `before_waiting` runs first (the import commits what it has written).

    Workers are started by 'forkserver' (or 'spawn' where there is none), never by a plain
    fork: the app calls this from a Qt worker thread, and forking a process that has threads
    can copy a held lock into the child.
    """

    def __init__(
        self,
        registry: Registry,
        extract: Callable[[str, date | None], Extraction],
        before_waiting: Callable[[], None],
    ) -> None:
        workers = worker_count()
        self._executor = ProcessPoolExecutor(
            workers,
            mp_context=_worker_context(),
            initializer=_start_worker,
            initargs=(registry,),
        )
        self._extract = extract
        self._before_waiting = before_waiting
        self._pending: list[tuple[str, date | None]] = []
        self._chunks: dict[int, list[tuple[str, date | None]]] = {}
        self._futures: dict[int, Future[list[Rows | Exception]] | None] = {}
        """Chunks sent (or taken back); None for one that could not be sent (the workers
        did not start)."""
        self._unsent: deque[int] = deque()
        self._numbered = 0
        self._slots = CHUNKS_A_WORKER * workers
        """Chunks the workers hold at a time."""

    def submit(self, body: str, published: date | None) -> int:
        """Queue a body; returns the ticket that `result` takes."""
        self._pending.append((body, published))
        ticket = self._numbered * CHUNK + len(self._pending) - 1
        if len(self._pending) == CHUNK:
            self.flush()
        return ticket

    def flush(self) -> None:
        """Close the chunk being filled (a partial one) rather than wait for a full one."""
        if self._pending:
            self._chunks[self._numbered] = self._pending
            self._unsent.append(self._numbered)
            self._pending = []
            self._numbered += 1
            self._send()

    def _send(self) -> None:
        """Send chunks in order while the workers have fewer than two each."""
        in_flight = sum(1 for f in self._futures.values() if f is not None and not f.done())
        while self._unsent and in_flight < self._slots:
            number = self._unsent.popleft()
            try:
                self._futures[number] = self._executor.submit(_extract_chunk, self._chunks[number])
            except (BrokenProcessPool, OSError, RuntimeError):
                self._futures[number] = None
            in_flight += 1

    def result(self, ticket: int) -> Rows:
        """The rows of a ticket; asking in ticket order lets earlier chunks be forgotten."""
        number, offset = divmod(ticket, CHUNK)
        if number >= self._numbered:
            self.flush()
        self._forget_chunks_before(number)
        self._send()
        future = self._futures[number]
        if future is not None and not future.done():
            self._before_waiting()
            while self._unsent and not future.done():
                self._take_back(self._unsent.pop())
        try:
            if future is None:
                raise BrokenProcessPool("no worker")
            found = future.result()[offset]
        except BrokenProcessPool:
            return extraction_rows(self._extract(*self._chunks[number][offset]))
        if isinstance(found, Exception):
            raise found
        return found

    def done_before(self, ticket: int) -> None:
        """The caller needs no result before `ticket` any more (it may never have asked for
        some: duplicates)."""
        self._forget_chunks_before(ticket // CHUNK)

    def _forget_chunks_before(self, number: int) -> None:
        """Chunks before `number` are done with, or never needed (all their articles were
        duplicates): they are dropped, and those not sent yet never will be."""
        for done in [key for key in self._chunks if key < number]:
            del self._chunks[done]
            self._futures.pop(done, None)
        while self._unsent and self._unsent[0] < number:
            self._unsent.popleft()

    def _take_back(self, number: int) -> None:
        """Extract a chunk here, not in a worker: the caller's core would sit idle."""
        taken: Future[list[Rows | Exception]] = Future()
        taken.set_result(_extracted(self._extract, self._chunks[number]))
        self._futures[number] = taken

    def close(self) -> None:
        """Stop the workers: tasks not started are dropped, the one running is awaited."""
        self._executor.shutdown(wait=True, cancel_futures=True)
