"""Lint, format and type checks run with the tests so main stays clean."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).parent.parent


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is not installed (pip install -e '.[test]')"
    return found


def test_ruff_lint():
    result = subprocess.run(
        [tool("ruff"), "check", "."], cwd=PROJECT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format():
    result = subprocess.run(
        [tool("ruff"), "format", "--check", "."], cwd=PROJECT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_core_is_clean():
    result = subprocess.run([tool("mypy")], cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_never_imports_qt():
    offenders = [
        str(path.relative_to(PROJECT))
        for path in (PROJECT / "briefing_app" / "core").rglob("*.py")
        if any(
            line.lstrip().startswith((f"import {name}", f"from {name}"))
            for line in path.read_text().splitlines()
            for name in ("PySide6", "shiboken6", "qtawesome")
        )
    ]
    assert offenders == []
