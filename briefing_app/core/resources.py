"""Data files shipped with Briefing, read through importlib.resources so they are found in an
editable install, an installed wheel and a frozen bundle alike."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def resource(*parts: str) -> Traversable:
    node = files("briefing_app.resources")
    for part in parts:
        node = node / part
    return node


def sample_files() -> list[Traversable]:
    """The bundled sample articles, in name order."""
    return sorted(
        (item for item in resource("samples").iterdir() if item.is_file()),
        key=lambda item: item.name,
    )
