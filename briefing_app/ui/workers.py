"""Archive work off the UI thread, results back on it.

One worker thread owns its own archive connection and runs jobs in order (one writer per
process, as the archive wants); each job's result comes back through a Qt signal, so widgets
are only ever touched on the UI thread. A job carries a ticket: callers that only want the
latest answer (search as you type) drop results of older tickets.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from briefing_app.core.archive import Archive
from briefing_app.core.errors import BriefingError

Job = Callable[[Archive], Any]


class ArchiveWorker(QObject):
    finished = Signal(int, object)
    """(ticket, result) of a job that succeeded."""
    failed = Signal(int, str)
    """(ticket, message) of a job that raised an error the user can act on."""

    def __init__(self, path: Path | None) -> None:
        super().__init__()
        self._path = path
        self._jobs: queue.Queue[tuple[int, Job] | None] = queue.Queue()
        self._tickets = itertools.count(1)
        self._thread = threading.Thread(target=self._run, name="archive-worker", daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> int:
        ticket = next(self._tickets)
        self._jobs.put((ticket, job))
        return ticket

    def stop(self) -> None:
        self._jobs.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            archive = Archive.open(self._path)
        except BriefingError as error:
            self.failed.emit(0, str(error))
            return
        with archive:
            while (item := self._jobs.get()) is not None:
                ticket, job = item
                try:
                    result = job(archive)
                except BriefingError as error:
                    self.failed.emit(ticket, str(error))
                else:
                    self.finished.emit(ticket, result)
