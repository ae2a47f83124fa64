"""Starting the desktop app: the QApplication, its identity, the main window."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from briefing_app import __version__
from briefing_app.ui.main_window import MainWindow

APP_ID = "app.briefing.Briefing"
"""One reverse-DNS id for the .desktop file, the AppStream metainfo and the window system."""


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName("Briefing")
    QCoreApplication.setApplicationName("Briefing")
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication(sys.argv[:1])
    app.setDesktopFileName(APP_ID)
    return app


def run(
    archive: Path | None,
    *,
    screenshot: Path | None = None,
    open_article: int | None = None,
    query: str | None = None,
    size: tuple[int, int] = (1400, 900),
) -> int:
    """Show the main window; with `screenshot`, save a PNG of it once it is laid out and
    every pending load has arrived, then quit."""
    app = application()
    window = MainWindow(archive)
    window.resize(*size)
    window.show()
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
