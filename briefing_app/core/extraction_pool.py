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

CHUNK = 24
"""Articles per task: enough to make the cost of a task small next to the work in it, few
enough that the writer does not wait long for the first results."""


def worker_count() -> int:
    """One core is the writer's; the others may extract (at least one worker)."""
    return max(1, (os.cpu_count() or 1) - 1)


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
    """Each article's rows, or what the engine raised on it: that article alone fails, at
    its turn, as it would in the serial path."""
    assert _engine is not None, "the worker was started without its registry"
    found: list[Rows | Exception] = []
    for body, published in texts:
        try:
            found.append(extraction_rows(_engine.extract(body, published)))
        except Exception as error:
            found.append(error)
    return found


class ExtractionPool:
    """Bodies in, `Rows` out, in order, from worker processes; `extract` is the in-process
    engine, used if the workers die or cannot start (a script that calls this without an
    `if __name__ == "__main__"` guard), so an import never loses its annotations.

    Workers are started by 'forkserver' (or 'spawn' where there is none), never by a plain
    fork: the app calls this from a Qt worker thread, and forking a process that has threads
    can copy a held lock into the child.
    """

    def __init__(
        self,
        registry: Registry,
        extract: Callable[[str, date | None], Extraction],
    ) -> None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        self._executor = ProcessPoolExecutor(
            worker_count(),
            mp_context=context,
            initializer=_start_worker,
            initargs=(registry,),
        )
        self._extract = extract
        self._pending: list[tuple[str, date | None]] = []
        self._futures: dict[int, Future[list[Rows | Exception]] | None] = {}
        """None for a chunk that could not be sent (the workers did not start)."""
        self._chunks: dict[int, list[tuple[str, date | None]]] = {}
        self._submitted = 0

    def submit(self, body: str, published: date | None) -> int:
        """Queue a body; returns the ticket that `result` takes."""
        self._pending.append((body, published))
        ticket = self._submitted * CHUNK + len(self._pending) - 1
        if len(self._pending) == CHUNK:
            self.flush()
        return ticket

    def flush(self) -> None:
        """Send the queued bodies now (a partial chunk) rather than wait for a full one."""
        if self._pending:
            number = self._submitted
            try:
                self._futures[number] = self._executor.submit(_extract_chunk, self._pending)
            except (BrokenProcessPool, OSError, RuntimeError):
                self._futures[number] = None
            self._chunks[number] = self._pending
            self._pending = []
            self._submitted += 1

    def result(self, ticket: int) -> Rows:
        """The rows of a ticket; asking in ticket order lets earlier chunks be forgotten."""
        number, offset = divmod(ticket, CHUNK)
        if number >= self._submitted:
            self.flush()
        for done in [key for key in self._futures if key < number]:
            del self._futures[done], self._chunks[done]
        future = self._futures[number]
        try:
            if future is None:
                raise BrokenProcessPool("no worker")
            found = future.result()[offset]
        except BrokenProcessPool:
            return extraction_rows(self._extract(*self._chunks[number][offset]))
        if isinstance(found, Exception):
            raise found
        return found

    def close(self) -> None:
        """Stop the workers: tasks not started are dropped, the one running is awaited."""
        self._executor.shutdown(wait=True, cancel_futures=True)
