import os

import pytest

# Qt tests run without a display; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def archive():
    """A fresh in-memory archive at the current schema."""
    from briefing_app.core.archive import Archive

    with Archive.memory() as fresh:
        yield fresh


@pytest.fixture
def archive_path(tmp_path, monkeypatch):
    """A path for an on-disk archive; BRIEFING_APP_DB points there so commands use it."""
    path = tmp_path / "archive.db"
    monkeypatch.setenv("BRIEFING_APP_DB", str(path))
    return path
