import json
import os
from collections.abc import Callable
from typing import Any

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


@pytest.fixture
def run(archive_path):
    """`briefing-app` through click's CliRunner, on the archive at `archive_path`."""
    from click.testing import CliRunner

    from briefing_app.cli import main

    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(main, [str(arg) for arg in args], input=input)

    return invoke


@pytest.fixture(autouse=True)
def user_templates(tmp_path, monkeypatch):
    """The user's briefing templates folder, private to each test (and not made until a test
    makes it): templates of whoever runs the tests never change what they render."""
    from briefing_app.core import templates

    folder = tmp_path / "user-templates"
    monkeypatch.setattr(templates, "user_templates_dir", lambda: folder)
    return folder


# Figures the reliability tests measure (kills survived, files tried, runs): shown at the end
# of the run and, with BRIEFING_RELIABILITY_FIGURES=FILE, written there as JSON for
# docs/RELIABILITY.md.
FIGURES: dict[str, dict[str, Any]] = {}


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Callable[..., None]:
    """`figures(name=value, ...)` keeps figures under the test's name."""

    def keep(**values: Any) -> None:
        FIGURES.setdefault(request.node.name, {}).update(values)

    return keep


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    for test, values in FIGURES.items():
        shown = ", ".join(f"{name} {value}" for name, value in values.items())
        terminalreporter.write_line(f"{test}: {shown}")
    out = os.environ.get("BRIEFING_RELIABILITY_FIGURES")
    if out:
        with open(out, "w", encoding="utf-8") as file:
            json.dump(FIGURES, file, indent=2)
