"""Every user action as one entry of the window's undo stack, written to the archive at once.

The first run records the action through the archive's undo log (see core.undo); undo and
redo replay the recorded steps. All of it runs on the one archive worker, in order, so an
undo always finds the step its action stored, even when pressed before the action is done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from briefing_app.core.archive import Archive
from briefing_app.core.undo import Step, undo_log


class Runs(Protocol):
    def run(self, job: Callable[[Archive], Any], then: Callable[[Any], None]) -> int: ...

    def after_edit(self, *, library: bool) -> None: ...


class ArchiveEdit(QUndoCommand):
    def __init__(
        self,
        window: Runs,
        text: str,
        action: Callable[[Archive], Any],
        then: Callable[[Any], None] | None = None,
        *,
        library: bool = True,
    ) -> None:
        """`then` gets the action's result, the first time it runs; `library` False for an
        action that changes nothing the library shows (its counts take a while to make on a
        large archive)."""
        super().__init__(text)
        self.window = window
        self.library = library
        self.action: Callable[[Archive], Any] | None = action
        self.then = then
        self.steps: dict[str, Step] = {}

    def redo(self) -> None:
        action = self.action
        if action is not None:  # the first time: do it, and keep what undoes it
            self.action = None

            def record(archive: Archive) -> Any:
                result, self.steps["undo"] = undo_log(archive).record(action)
                return result

            def done(result: Any) -> None:
                self.window.after_edit(library=self.library)
                if self.then is not None:
                    self.then(result)

            self.window.run(record, done)
        else:
            self._replay("redo", "undo")

    def undo(self) -> None:
        self._replay("undo", "redo")

    def _replay(self, which: str, reverse: str) -> None:
        def replay(archive: Archive) -> None:
            step = self.steps.pop(which, None)
            if step is not None:  # None when the action itself failed
                self.steps[reverse] = undo_log(archive).replay(step)

        self.window.run(replay, lambda _: self.window.after_edit(library=self.library))
