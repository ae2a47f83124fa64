"""Start-up shows the window's frame first and builds the rest into it once it is drawn."""

import subprocess
import sys

import pytest

pytest.importorskip("PySide6.QtWidgets", reason="the desktop app needs PySide6")

from PySide6.QtCore import QSettings

from briefing_app.core.errors import ArchiveError
from briefing_app.ui.app import application
from briefing_app.ui.main_window import MainWindow


def test_the_frame_is_built_into_once_drawn(qtbot, tmp_path):
    application()
    window = MainWindow(tmp_path / "archive.db", deferred=True)
    qtbot.addWidget(window)
    window.show()
    assert not window.built and window.busy
    assert not (tmp_path / "archive.db").exists()  # nothing touched the archive yet
    assert window.centralWidget() is None

    window.build()
    qtbot.waitUntil(lambda: window.model.rowCount() == 4 and not window.busy, timeout=20000)
    assert window.built and window.centralWidget() is window.splitter
    window.close()


def test_a_frame_closed_before_it_is_built_keeps_its_geometry(qtbot, tmp_path):
    application()
    window = MainWindow(tmp_path / "archive.db", deferred=True)
    qtbot.addWidget(window)
    window.resize(700, 480)
    window.show()
    window.close()
    assert QSettings().value("window/geometry") is not None

    again = MainWindow(tmp_path / "archive.db", deferred=True)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 480)
    assert not (tmp_path / "archive.db").exists()


def test_starting_the_app_loads_only_what_the_frame_needs():
    """What the command line and the app module load before the window is drawn: not Qt's
    namespace (~40 ms), not SQLite, not the archive, the engine or the reader's widgets."""
    code = (
        "import sys, briefing_app.cli, briefing_app.ui.app, PySide6.QtCore as core; "
        "print(' '.join(sorted(sys.modules)), 'Qt' in vars(core) and 'Qt-namespace')"
    )
    loaded = set(subprocess.run([sys.executable, "-c", code], check=True,
                                capture_output=True, text=True).stdout.split())  # fmt: skip
    too_early = {
        "Qt-namespace",  # PySide6 loads a type when it is first asked for
        "sqlite3",
        "sqlite_utils",
        "briefing_app.core.archive",
        "briefing_app.core.models",
        "briefing_app.core.extract",
        "briefing_app.core.reading",
        "briefing_app.ui.reader",
        "briefing_app.ui.article_list",
        "qtawesome",
    }
    assert "briefing_app.ui.main_window" in loaded
    assert loaded & too_early == set()


def test_the_window_reads_even_when_loading_the_samples_fails(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from briefing_app.ui import main_window

    def broken(archive):
        raise ArchiveError("no samples today: the disk is full")

    warnings: list[str] = []
    monkeypatch.setattr(main_window, "_load_samples", broken)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    application()
    window = MainWindow(tmp_path / "archive.db")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.busy, timeout=20000)
    assert warnings and "no samples today" in warnings[0]
    assert window.library.topLevelItemCount() > 0  # the library was read all the same
    window.close()


def test_a_failed_library_count_lets_the_next_one_run(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from briefing_app.core import articles

    application()
    window = MainWindow(tmp_path / "archive.db")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() == 4 and not window.busy, timeout=20000)
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: None)
    real_stats = articles.archive_stats

    def busy(archive):
        raise ArchiveError("the archive is busy")

    monkeypatch.setattr(articles, "archive_stats", busy)
    window.refresh_library()
    qtbot.waitUntil(lambda: not window.busy, timeout=20000)
    monkeypatch.setattr(articles, "archive_stats", real_stats)
    window.library.clear()
    window.refresh_library()
    qtbot.waitUntil(
        lambda: not window.busy and window.library.topLevelItemCount() > 0, timeout=20000
    )
    window.close()
