"""The main window on a fresh archive with the samples, and settings kept apart."""

import pytest

pytest.importorskip("PySide6.QtWidgets", reason="the desktop app needs PySide6")

from PySide6.QtCore import QSettings

from briefing_app.ui.app import application
from briefing_app.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))


@pytest.fixture
def window(qtbot, tmp_path):
    application()
    shown = MainWindow(tmp_path / "archive.db")
    qtbot.addWidget(shown)
    shown.resize(1200, 800)
    shown.show()
    qtbot.waitUntil(lambda: shown.model.rowCount() == 4 and not shown.busy, timeout=20000)
    yield shown
    shown.close()
