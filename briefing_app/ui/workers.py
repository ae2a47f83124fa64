"""Archive work off the UI thread, results back on it.

One worker thread owns its own archive connection and runs jobs in order (one writer per
process, as the archive wants); each job's result comes back through a Qt signal, so widgets
are only ever touched on the UI thread. A job carries a ticket: callers that only want the
latest answer (search as you type) drop results of older tickets.
"""

from __future__ import annotations

import itertools
import queue
import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from briefing_app.core.archive import Archive, database_error, find_damage
from briefing_app.core.errors import ArchiveCorrupt, BriefingError
from briefing_app.core.paths import default_archive_path

Job = Callable[[Archive], Any]

_TICKETS = itertools.count(1)
"""One sequence for every worker: a window that keeps callbacks by ticket can use several."""

# What SQLite raises for the archive's state or the machine's (busy, disk full, I/O error,
# damaged file); its subclasses (IntegrityError, ProgrammingError, ...) mean a bug.
_ENVIRONMENTAL = (sqlite3.OperationalError, sqlite3.DatabaseError)


class ArchiveWorker(QObject):
    finished = Signal(int, object)
    """(ticket, result) of a job that succeeded."""
    failed = Signal(int, str)
    """(ticket, message) of a job that raised an error the user can act on."""
    damaged = Signal(int, object)
    """(ticket, ArchiveCorrupt) of a job that met a damaged archive: the window offers to
    restore the latest backup rather than only saying so."""

    def __init__(
        self, path: Path | None, *, name: str = "archive-worker", start: bool = True
    ) -> None:
        """`start=False` for a worker whose thread `start()` begins later (a reader that
        must wait until the writer has brought the schema up to date)."""
        super().__init__()
        self._path = path
        self._jobs: queue.Queue[tuple[int, Job] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        if start:
            self.start()

    def start(self) -> None:
        self._thread.start()

    def submit(self, job: Job) -> int:
        ticket = next(_TICKETS)
        self._jobs.put((ticket, job))
        return ticket

    def stop(self) -> None:
        self._jobs.put(None)
        if self._thread.ident is not None:  # started
            self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            archive = Archive.open(self._path)
        except BriefingError as error:
            self._report(0, error)
            return
        with archive:
            while (item := self._jobs.get()) is not None:
                ticket, job = item
                try:
                    result = job(archive)
                except BriefingError as error:
                    self._report(ticket, error)
                except Exception as error:
                    self._report(ticket, self._describe(archive, error))
                else:
                    self.finished.emit(ticket, result)

    def _report(self, ticket: int, error: BriefingError) -> None:
        if isinstance(error, ArchiveCorrupt):
            self.damaged.emit(ticket, error)
        else:
            self.failed.emit(ticket, str(error))

    @staticmethod
    def _describe(archive: Archive, error: Exception) -> BriefingError:
        """What to tell of a job that failed; the worker goes on to the next job either
        way, or every later action of the session would wait for ever."""
        if isinstance(error, sqlite3.Error) and type(error) in _ENVIRONMENTAL:
            return database_error(archive.path, error)  # busy, disk full, I/O, damaged
        # A bug: reported where bugs are (the tests fail on it).
        sys.excepthook(type(error), error, error.__traceback__)
        return BriefingError(f"Something went wrong inside Briefing: {error}")


class ArchiveCheck(QObject):
    """Reads the whole archive once, in the background on a connection of its own (the
    worker goes on meanwhile), so that damage opening cannot see is found at start rather
    than when a damaged page is needed."""

    checked = Signal(object)
    """None, or the ArchiveCorrupt that names the latest backup; on the UI thread."""

    def __init__(self, path: Path | None) -> None:
        """Connect to `checked`, then `start()`: a check that ends first is not lost."""
        super().__init__()
        self.path = path if path is not None else default_archive_path()
        self._thread = threading.Thread(target=self._run, name="archive-check", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        self.checked.emit(find_damage(self.path))
