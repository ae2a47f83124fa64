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
from contextlib import suppress
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


CHUNKS_A_WORKER = 6
"""Chunks sent to a worker at a time: enough that it does not run dry while the writer
commits a group (up to about 90 ms, five chunks of the engine's time, on a 5,000-file
import); with two, it waited through commits for 8 % of the import. Those it has not
started yet the writer takes back rather than wait for them."""


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


class Claims:
    """Who extracts a chunk: whoever claims it first, a worker as it begins the chunk or the
    writer when it would otherwise wait. Kept in shared memory, so that the writer can take
    back any chunk no worker has begun, also one already in a worker's queue. (Cancelling the
    task cannot do that, and on Python 3.11 a cancelled task breaks the pool's handling of a
    worker that dies.)

    A ring of chunk numbers: a claim succeeds when the chunk's slot holds an earlier number.
    The ring is four times as long as the chunks an import has queued at a time, so a chunk
    it still needs finds there only an earlier chunk or itself (claimed already); only one
    it has gone past (duplicates) can find a later one, and is then skipped.
    """

    def __init__(self, context: multiprocessing.context.BaseContext, queued_at_most: int) -> None:
        self._numbers = context.Array("q", 4 * queued_at_most)

    def claim(self, number: int) -> bool:
        slot = number % len(self._numbers)
        with self._numbers.get_lock():
            if self._numbers[slot] > number:
                return False
            self._numbers[slot] = number + 1
            return True


_engine: Engine | None = None
_claims: Claims | None = None


def _start_worker(registry: Registry, claims: Claims) -> None:
    global _engine, _claims
    from briefing_app.core.extract import RuleEngine

    _engine = RuleEngine(registry)
    _claims = claims
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()


def _exit_with(sentinel: int) -> None:
    """A worker waits for tasks forever; if the importing process is killed it must not stay
    behind (holding the console's output open, and the memory)."""
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _extract_chunk(
    number: int, texts: list[tuple[str, date | None]]
) -> list[Rows | Exception] | None:
    """A chunk's results; None if the writer has claimed it (it extracts it itself)."""
    assert _engine is not None and _claims is not None, "the worker was started without them"
    if not _claims.claim(number):
        return None
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

    The workers get `CHUNKS_A_WORKER` chunks each at a time; further chunks wait here. When
    the caller would wait for a result, it extracts itself the last chunk that no worker
    has started (waiting here, or sent but not begun), and so on until the result is there.
    `before_waiting` runs first (the import commits what it has written). Until the workers
    are started, no chunk is sent and the caller extracts the one it needs, without waiting.

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
        context = _worker_context()
        self._claims = Claims(context, articles_ahead() // CHUNK + 1)
        self._executor = ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(registry, self._claims),
        )
        self._extract = extract
        self._before_waiting = before_waiting
        self._pending: list[tuple[str, date | None]] = []
        self._chunks: dict[int, list[tuple[str, date | None]]] = {}
        self._futures: dict[int, Future[list[Rows | Exception] | None] | None] = {}
        """Chunks sent (or taken back); None for one that could not be sent (the workers
        did not start). A chunk the writer claims gets a future of its own here: the
        worker's answers None."""
        self._unsent: deque[int] = deque()
        self._numbered = 0
        self._slots = CHUNKS_A_WORKER * workers
        """Chunks the workers hold at a time."""
        self._starting = threading.Thread(target=self._start_workers, daemon=True)
        self._starting.start()

    def _start_workers(self) -> None:
        """Have the executor start its workers (it does so for its first task). That waits
        until the process they are forked from has loaded the engine, 0.1-0.2 s into an
        import: meanwhile chunks wait here, and the caller extracts those it needs itself
        instead of waiting too."""
        with suppress(BrokenProcessPool, OSError, RuntimeError):
            self._executor.submit(int)  # the first task: any that pickles and returns

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

    def send_all(self) -> None:
        """Send every chunk, the one being filled too: the workers then have work for as
        long as the caller does something else (the writer takes back any that no worker
        has begun, as before)."""
        self.flush()
        self._slots += len(self._unsent)
        self._send()

    def _send(self) -> None:
        """Send chunks in order while the workers have fewer than `CHUNKS_A_WORKER` each,
        once they are started."""
        if self._starting.is_alive():
            return
        in_flight = sum(1 for f in self._futures.values() if f is not None and not f.done())
        while self._unsent and in_flight < self._slots:
            number = self._unsent.popleft()
            try:
                self._futures[number] = self._executor.submit(
                    _extract_chunk, number, self._chunks[number]
                )
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
        if number not in self._futures:  # not sent: the workers are starting
            self._unsent.remove(number)
            self._take_back(number)
        future = self._futures[number]
        if future is not None and not future.done():
            self._before_waiting()
            while not self._done(number) and self._take_back_last():
                pass
            future = self._futures[number]  # taken back itself, if no worker had begun it
        try:
            chunk = None if future is None else future.result()
            if chunk is None:
                raise BrokenProcessPool("no worker")
            found = chunk[offset]
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

    def _done(self, number: int) -> bool:
        future = self._futures[number]
        return future is None or future.done()

    def _take_back_last(self) -> bool:
        """Take back the last chunk that no worker has begun: one not sent yet, or one sent
        that the writer claims first (all of them while the worker process starts). False
        when every chunk left is begun or done."""
        if self._unsent:
            self._take_back(self._unsent.pop())
            return True
        for number in sorted(self._futures, reverse=True):
            if not self._done(number) and self._claims.claim(number):
                self._take_back(number)
                return True
        return False

    def _take_back(self, number: int) -> None:
        """Extract a chunk here, not in a worker: the caller's core would sit idle."""
        taken: Future[list[Rows | Exception] | None] = Future()
        taken.set_result(_extracted(self._extract, self._chunks[number]))
        self._futures[number] = taken

    def close(self) -> None:
        """Stop the workers: tasks not started are dropped, the one running is awaited."""
        self._starting.join()
        self._executor.shutdown(wait=True, cancel_futures=True)
