"""A damaged archive at the app's start: the offer to restore its latest backup, at open
(damage opening sees) or a moment later from the check that reads the whole file."""

from __future__ import annotations

from typing import ClassVar

import pytest

pytest.importorskip("PySide6.QtWidgets", reason="the desktop app needs PySide6")

from PySide6.QtWidgets import QMessageBox

from briefing_app.core.archive import Archive
from briefing_app.core.articles import store_article
from briefing_app.ui import app as app_module
from briefing_app.ui.app import Session, application, archive_ready
from briefing_app.ui.main_window import MainWindow
from tests.archive_state import all_rows, archive_with_a_backup, article, damage

Yes, No = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


@pytest.fixture
def backed_up(tmp_path):
    """(archive, its rows when backed up, the backup beside it), more articles since."""
    path = tmp_path / "archive.db"
    return path, *archive_with_a_backup(path, 5, 34)


@pytest.fixture
def dialogs(monkeypatch):
    """The message boxes the app shows, answered: `dialogs.answer` for questions."""

    class Dialogs:
        answer = Yes
        shown: ClassVar[list[tuple[str, str]]] = []

    def show(kind):
        def record(parent, title, text, *buttons):
            Dialogs.shown.append((kind, text))
            return Dialogs.answer if kind == "question" else QMessageBox.StandardButton.Ok

        return record

    Dialogs.shown = []
    for kind in ("question", "information", "critical", "warning"):
        monkeypatch.setattr(QMessageBox, kind, show(kind))
    return Dialogs


@pytest.mark.parametrize("how", ["truncated", "schema page"])
def test_at_open_the_latest_backup_is_offered_and_restored(backed_up, dialogs, how):
    path, saved, backup = backed_up
    damage(path, how)
    application()

    assert archive_ready(path)

    (question, _), (information, told) = dialogs.shown
    assert (question, information) == ("question", "information")
    assert backup.name in dialogs.shown[0][1] and "damaged" in dialogs.shown[0][1]
    assert "kept as archive.damaged-" in told
    with Archive.open(path) as archive:
        assert all_rows(archive.conn) == saved


def test_declining_leaves_the_archive_as_it_is(backed_up, dialogs):
    path, _, _ = backed_up
    damage(path, "truncated")
    before = path.read_bytes()
    dialogs.answer = No
    application()

    assert not archive_ready(path)
    assert [kind for kind, _ in dialogs.shown] == ["question"]
    assert path.read_bytes() == before


def test_without_a_backup_or_for_a_newer_archive_the_message_is_shown(tmp_path, dialogs):
    damaged, newer = tmp_path / "damaged.db", tmp_path / "newer.db"
    for path in (damaged, newer):
        with Archive.open(path) as archive:
            store_article(archive, article(1))
    damage(damaged, "truncated")
    with Archive.open(newer) as archive:
        archive.conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('briefing_app', '9999_later', '2099-01-01')"
        )
    application()

    assert not archive_ready(damaged) and not archive_ready(newer)
    assert [kind for kind, _ in dialogs.shown] == ["critical", "critical"]
    assert "restore a backup of it with `briefing-app restore" in dialogs.shown[0][1]
    assert "newer version of Briefing" in dialogs.shown[1][1]


def test_an_unattended_screenshot_asks_nothing_and_says_why_it_stops(backed_up, dialogs, capsys):
    path, _, _ = backed_up
    damage(path, "truncated")
    application()

    assert app_module.run(path, screenshot=path.with_name("shot.png")) == 1
    assert dialogs.shown == []
    assert capsys.readouterr().err.startswith(f"briefing-app: {path}: the archive is corrupt")


def test_damage_opening_cannot_see_is_found_in_the_background_and_restored(
    backed_up, dialogs, qtbot
):
    path, saved, backup = backed_up
    damage(path, "article pages")
    app = application()
    assert archive_ready(path) and dialogs.shown == []

    session = Session(app, path, MainWindow(path, deferred=True), check=True)
    first = session.window
    qtbot.waitUntil(lambda: session.window is not first, timeout=20000)

    assert [kind for kind, _ in dialogs.shown] == ["question", "information"]
    assert backup.name in dialogs.shown[0][1]
    assert session.window.isVisible() and app.quitOnLastWindowClosed()
    qtbot.waitUntil(lambda: not session.window.busy, timeout=20000)
    session.window.close()
    with Archive.open(path) as archive:
        assert all_rows(archive.conn) == saved


def test_a_sound_archive_is_checked_without_a_word(tmp_path, dialogs, qtbot, monkeypatch):
    path = tmp_path / "archive.db"
    with Archive.open(path) as archive:
        store_article(archive, article(1))
    results: list[object] = []
    on_checked = Session._on_checked
    monkeypatch.setattr(
        Session,
        "_on_checked",
        lambda self, damage: (results.append(damage), on_checked(self, damage)),
    )

    session = Session(application(), path, MainWindow(path, deferred=True), check=True)

    qtbot.waitUntil(lambda: results != [], timeout=20000)
    assert results == [None] and dialogs.shown == []
    qtbot.waitUntil(lambda: not session.window.busy, timeout=20000)
    session.window.close()


def test_damage_a_job_of_the_window_meets_gets_the_same_offer_once(backed_up, dialogs, qtbot):
    """No background check here: the window's own reads find the damage, from both of its
    connections, and the user is asked once, not warned twice."""
    path, saved, backup = backed_up
    damage(path, "article pages")
    app = application()
    session = Session(app, path, MainWindow(path, deferred=True), check=False)
    first = session.window
    qtbot.waitUntil(lambda: session.window is not first, timeout=20000)
    assert [kind for kind, _ in dialogs.shown] == ["question", "information"]
    assert backup.name in dialogs.shown[0][1]
    qtbot.waitUntil(lambda: not session.window.busy, timeout=20000)
    session.window.close()
    with Archive.open(path) as archive:
        assert all_rows(archive.conn) == saved


def test_a_long_upgrade_keeps_the_window_painting_and_says_so(tmp_path, qtbot, monkeypatch):
    import time

    from PySide6.QtCore import QTimer

    path = tmp_path / "archive.db"
    Archive.open(path).close()
    application()
    window = MainWindow(path, deferred=True)
    qtbot.addWidget(window)
    window.show()
    seen: list[str] = []
    timer = QTimer()
    timer.timeout.connect(lambda: seen.append(window.statusBar().currentMessage()))
    timer.start(50)
    opening = Archive.open

    def slow_upgrade(cls, target=None):
        time.sleep(0.8)
        return opening(target)

    monkeypatch.setattr(Archive, "open", classmethod(slow_upgrade))
    assert archive_ready(path, window)
    timer.stop()
    assert len(seen) >= 5, "the event loop ran while the archive was opened"
    assert seen[-1] == app_module.UPGRADING


def test_closing_the_window_while_the_archive_opens_ends_the_app(tmp_path, qtbot, monkeypatch):
    import time

    from PySide6.QtCore import QTimer

    path = tmp_path / "archive.db"
    Archive.open(path).close()
    windows: list[MainWindow] = []
    original = MainWindow.__init__

    def keep(self, *args, **kwargs):
        original(self, *args, **kwargs)
        windows.append(self)

    opening = Archive.open

    def slow_upgrade(cls, target=None):
        time.sleep(0.8)
        return opening(target)

    monkeypatch.setattr(MainWindow, "__init__", keep)
    monkeypatch.setattr(Archive, "open", classmethod(slow_upgrade))
    monkeypatch.setattr(app_module, "Session", lambda *args, **kwargs: pytest.fail("built"))
    QTimer.singleShot(500, lambda: windows[0].close())
    assert app_module.run(path) == 0
