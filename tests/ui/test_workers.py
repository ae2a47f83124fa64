"""The archive worker reports what went wrong with a job and goes on to the next one."""

from __future__ import annotations

import sqlite3
import sys

import pytest

pytest.importorskip("PySide6.QtCore", reason="the desktop app needs PySide6")

from briefing_app.ui.workers import ArchiveWorker


@pytest.fixture
def worker(tmp_path, qtbot):
    started = ArchiveWorker(tmp_path / "archive.db")
    results: dict[int, object] = {}
    started.finished.connect(lambda ticket, result: results.__setitem__(ticket, result))
    started.failed.connect(lambda ticket, message: results.__setitem__(ticket, message))
    yield started, results
    started.stop()


def raising(error: Exception):
    def job(archive):
        raise error

    return job


def test_the_archive_busy_or_full_is_a_message_and_the_worker_goes_on(worker, qtbot):
    started, results = worker
    busy = started.submit(raising(sqlite3.OperationalError("database is locked")))
    full = started.submit(raising(sqlite3.OperationalError("database or disk is full")))
    after = started.submit(lambda archive: archive.schema_version())
    qtbot.waitUntil(lambda: after in results, timeout=10000)
    assert "the archive is busy: another program kept it locked" in results[busy]
    assert "database is locked" not in results[busy]
    assert "the disk is full" in results[full]
    assert results[after]


def test_a_bug_in_a_job_is_reported_loudly_and_the_worker_goes_on(worker, qtbot, monkeypatch):
    started, results = worker
    reported: list[type] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, error, trace: reported.append(kind))
    bug = started.submit(raising(sqlite3.IntegrityError("UNIQUE constraint failed")))
    other = started.submit(raising(KeyError("oops")))
    after = started.submit(lambda archive: "still here")
    qtbot.waitUntil(lambda: after in results, timeout=10000)
    assert reported == [sqlite3.IntegrityError, KeyError]
    assert results[bug].startswith("Something went wrong inside Briefing")
    assert results[other].startswith("Something went wrong inside Briefing")
    assert results[after] == "still here"


def test_tickets_are_unique_across_workers(tmp_path):
    first, second = ArchiveWorker(tmp_path / "a.db"), ArchiveWorker(tmp_path / "b.db", start=False)
    tickets = [first.submit(str), second.submit(str), first.submit(str)]
    first.stop()
    second.stop()
    assert len(set(tickets)) == 3
