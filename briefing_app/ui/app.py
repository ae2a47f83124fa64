"""Starting the desktop app: the QApplication, its identity, the main window."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from briefing_app import __version__
from briefing_app.ui.main_window import MainWindow

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from briefing_app.core.errors import ArchiveCorrupt

APP_ID = "app.briefing.Briefing"
"""One reverse-DNS id for the .desktop file, the AppStream metainfo and the window system."""


def application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("Briefing")
    QCoreApplication.setApplicationName("Briefing")
    QCoreApplication.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    return app


def run(
    archive: Path | None,
    *,
    screenshot: Path | None = None,
    open_article: int | None = None,
    query: str | None = None,
    size: tuple[int, int] | None = None,
) -> int:
    """Show the main window (at `size`, else as it was last closed); with `screenshot`, save
    a PNG of it once it is laid out and every pending load has arrived, then quit."""
    app = application()
    attended = screenshot is None  # an unattended screenshot asks nothing
    # The frame first, drawn at once; the archive is checked and the rest built into it.
    window = MainWindow(archive, deferred=True)
    if size is not None:
        window.resize(*size)
    window.show()
    app.processEvents()
    if not archive_ready(archive, window, attended=attended):
        window.close()
        return 1
    if not window.isVisible():  # closed while the archive was being opened
        return 0
    session = Session(app, archive, window, check=attended)  # kept until the app quits
    window = session.window
    if query:
        window.search_field.setText(query)
        window.search_now()
    if open_article is not None:
        window.open_article(open_article)
    if screenshot is None:
        return app.exec()
    saved: list[bool] = []
    # Unattended: an error in a slot must end the run (Qt would only print it and wait).
    sys.excepthook = lambda *error: (traceback.print_exception(*error), app.exit(1))

    def take_when_ready() -> None:
        if window.busy:
            QTimer.singleShot(50, take_when_ready)
            return
        if open_article is None and window.model.rowCount() and window.open_article_id is None:
            window.table.selectRow(0)
            QTimer.singleShot(50, take_when_ready)
            return
        saved.append(window.grab().save(str(screenshot), "PNG"))
        window.close()
        app.quit()

    QTimer.singleShot(100, take_when_ready)
    status = app.exec()
    return 0 if status == 0 and saved and saved[0] else 1


def archive_ready(
    path: Path | None, parent: QWidget | None = None, *, attended: bool = True
) -> bool:
    """Open the archive once before the window does: for a damaged one, the offer to restore
    its latest backup; for anything else that stops it (a newer version's archive, not an
    archive), the message (on standard error when nobody is there to answer). False when
    the app cannot go on."""
    from briefing_app.core.archive import Archive
    from briefing_app.core.errors import ArchiveCorrupt, BriefingError

    try:
        _open_while_painting(lambda: Archive.open(path).close(), parent)
    except BriefingError as error:
        if not attended:
            print(f"briefing-app: {error}", file=sys.stderr)
            return False
        if isinstance(error, ArchiveCorrupt):
            return ask_to_restore(error, parent) and restore_latest_backup(error, parent)
        QMessageBox.critical(parent, "Briefing", str(error))
        return False
    return True


UPGRADING = "Still opening the archive (after an update, it is backed up and upgraded first)…"


def _open_while_painting(open_archive: Callable[[], None], parent: QWidget | None) -> None:
    """Run `open_archive` in a thread, the window painting meanwhile: opening is quick, but
    after an update the archive is backed up before it is upgraded, which takes a while for
    a large one. Raises what it raised; the window may have been closed meanwhile."""
    import threading

    failure: list[BaseException] = []

    def attempt() -> None:
        try:
            open_archive()
        except BaseException as error:
            failure.append(error)

    opening = threading.Thread(target=attempt, name="archive-open", daemon=True)
    opening.start()
    opening.join(0.3)
    if opening.is_alive():
        status = getattr(parent, "statusBar", None)
        if status is not None:
            status().showMessage(UPGRADING)
        while opening.is_alive():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            opening.join(0.02)
    if failure:
        raise failure[0]


def ask_to_restore(error: ArchiveCorrupt, parent: QWidget | None) -> bool:
    if error.backup is None or error.path is None:
        QMessageBox.critical(parent, "Briefing", str(error))
        return False
    answer = QMessageBox.question(
        parent,
        "Briefing: the archive is damaged",
        f"The archive {error.path} is damaged ({error.reason}).\n\n"
        f"Restore the latest backup, {error.backup.name}? Changes made since that backup "
        "are not in it. The damaged file is kept beside the archive.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def restore_latest_backup(error: ArchiveCorrupt, parent: QWidget | None) -> bool:
    """Put the backup the error names in place of the damaged archive (no connection may be
    open on it); True once it is there."""
    from briefing_app.core.archive import replace_damaged_archive
    from briefing_app.core.errors import BriefingError

    assert error.path is not None and error.backup is not None
    try:
        kept = replace_damaged_archive(error.path, error.backup)
    except BriefingError as failure:
        QMessageBox.critical(parent, "Briefing", str(failure))
        return False
    QMessageBox.information(
        parent,
        "Briefing",
        f"Restored {error.path.name} from {error.backup.name}. The damaged file was kept "
        f"as {kept.name}.",
    )
    return True


class Session(QObject):
    """The main window on an archive, which is read whole in the background once the window
    is open: damage found there gets the same offer as at open, and once the backup is in
    place the window opens again on it."""

    def __init__(
        self, app: QApplication, path: Path | None, window: MainWindow, *, check: bool
    ) -> None:
        """`window` is shown, not yet built: the session builds it."""
        from briefing_app.ui.workers import ArchiveCheck

        super().__init__()
        self.app = app
        self.path = path
        self._offered: set[int] = set()
        """Windows whose damaged archive was offered a restore: asked once each, whether
        the background check or a job of the window found the damage first."""
        self.window = self._take(window)
        self.check = ArchiveCheck(path) if check else None
        self._checked_window = self.window
        if self.check is not None:
            self.check.checked.connect(self._on_checked)
            self.check.start()

    def _take(self, window: MainWindow) -> MainWindow:
        window.on_damage = lambda damage: self._on_damage(damage, window)
        if not window.built:
            window.build()
        window.show()
        return window

    def _on_checked(self, damage: ArchiveCorrupt | None) -> None:
        self._on_damage(damage, self._checked_window)

    def _on_damage(self, damage: ArchiveCorrupt | None, window: MainWindow) -> None:
        if damage is None or window is not self.window or id(window) in self._offered:
            return
        self._offered.add(id(window))
        if not ask_to_restore(damage, self.window):
            return
        # Between closing this window and opening the next, no window is open.
        self.app.setQuitOnLastWindowClosed(False)
        self.window.close()  # stops its workers and keeps its geometry for the next one
        self.window.deleteLater()
        restore_latest_backup(damage, None)
        self.window = self._take(MainWindow(self.path, deferred=True))
        self.app.setQuitOnLastWindowClosed(True)
