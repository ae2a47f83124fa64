"""Filter chips under the search field: actor, speaker, tag, source and date.

Each chip is one filter of the query language (`actor:"Kim Jong Un"`, `after:2025-09-01`),
added from a menu and removed with a click; the search runs on the typed words plus the
chips, so the words can change while the filters stay.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QMenu, QToolButton, QWidget

CHOOSABLE = {"actor": "Actor", "speaker": "Speaker", "tag": "Tag", "source": "Source"}
PERIODS = {"Past week": 7, "Past month": 31, "Past year": 365}
DATE_LABEL = "Date"


def _ignoring_arguments(function: Callable[..., None], *args: Any) -> Callable[..., None]:
    """A slot that calls `function(*args)` whatever the signal passes (a menu passes
    `checked`)."""
    return lambda *_: function(*args)


def quoted(value: str) -> str:
    return '"' + value.replace('"', "") + '"'


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, choices: Callable[[str], list[str]]) -> None:
        """`choices(kind)` lists the values the archive has for a kind (for the menus)."""
        super().__init__()
        self._choices = choices
        self.filters: dict[str, str] = {}
        """Chip label kind -> its filter text in the query language."""
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.add_button = QToolButton()
        self.add_button.setText("Filter")
        self.add_button.setAccessibleName("Add a filter")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.add_button)
        for kind, label in CHOOSABLE.items():
            menu.addAction(f"{label}…", _ignoring_arguments(self.ask, kind))
        dates = menu.addMenu(DATE_LABEL)
        for label, days in PERIODS.items():
            dates.addAction(label, _ignoring_arguments(self._since, days, label))
        dates.addAction("Since…", self._ask_since)
        self.add_button.setMenu(menu)
        self._layout.addWidget(self.add_button)
        self._layout.addStretch(1)
        self._chips: dict[str, QToolButton] = {}

    def query(self) -> str:
        return " ".join(self.filters.values())

    def set_filter(self, kind: str, value: str, *, label: str | None = None) -> None:
        """One chip per kind: a new actor replaces the old one."""
        text = f"{kind}:{quoted(value)}" if kind in CHOOSABLE else value
        self.filters[kind] = text
        chip = self._chips.get(kind)
        if chip is None:
            chip = self._chips[kind] = QToolButton()
            chip.setObjectName("filterChip")
            chip.clicked.connect(lambda _=False, k=kind: self.remove(k))
            self._layout.insertWidget(self._layout.count() - 1, chip)
        caption = CHOOSABLE.get(kind, DATE_LABEL)
        chip.setText(f"{caption}: {label or value}  ✕")
        chip.setToolTip(f"{text} (click to remove)")
        chip.setAccessibleName(f"Remove the filter {caption} {label or value}")
        self.changed.emit()

    def remove(self, kind: str) -> None:
        chip = self._chips.pop(kind, None)
        self.filters.pop(kind, None)
        if chip is not None:
            chip.deleteLater()
            self.changed.emit()

    def clear(self) -> None:
        for kind in list(self._chips):
            self._chips.pop(kind).deleteLater()
        self.filters.clear()

    def ask(self, kind: str) -> None:
        value, accepted = QInputDialog.getItem(
            self, CHOOSABLE[kind], f"{CHOOSABLE[kind]}:", self._choices(kind), 0, True
        )
        if accepted and value.strip():
            self.set_filter(kind, value.strip())

    def _since(self, days: int, label: str, today: date | None = None) -> None:
        start = (today or date.today()) - timedelta(days=days)
        self.set_filter("date", f"after:{start.isoformat()}", label=label.lower())

    def _ask_since(self) -> None:
        text, accepted = QInputDialog.getText(self, DATE_LABEL, "Since (YYYY-MM-DD):")
        if accepted and text.strip():
            self.set_filter("date", f"after:{text.strip()}", label=f"since {text.strip()}")
