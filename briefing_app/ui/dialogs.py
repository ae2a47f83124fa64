"""Small dialogs of the reader: a highlight's colour, label and note; choosing an actor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from briefing_app.core.highlights import COLOURS
from briefing_app.core.models import KINDS
from briefing_app.core.reading import HIGHLIGHT_COLOURS


def colour_swatch(colour: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def swatch(highlight_colour: str) -> QIcon:
    return colour_swatch(HIGHLIGHT_COLOURS[highlight_colour][0])


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class HighlightDialog(QDialog):
    """Colour, optional label and optional markdown note of a highlight."""

    def __init__(
        self,
        parent: QWidget | None,
        quote: str,
        *,
        colour: str = "yellow",
        label: str = "",
        note: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Highlight")
        layout = QFormLayout(self)
        self.colour = QComboBox()
        self.colour.setAccessibleName("Colour")
        for name in COLOURS:
            self.colour.addItem(swatch(name), name.capitalize(), name)
        self.colour.setCurrentIndex(COLOURS.index(colour))
        self.label = QLineEdit(label)
        self.label.setAccessibleName("Label")
        self.label.setPlaceholderText("for example: key judgement, follow up")
        self.note = QPlainTextEdit(note)
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("A note in markdown (optional)")
        shown = quote if len(quote) <= 90 else quote[:87] + "…"
        layout.addRow("Text:", QLineEdit(shown, readOnly=True))
        layout.addRow("Colour:", self.colour)
        layout.addRow("Label:", self.label)
        layout.addRow("Note:", self.note)
        layout.addRow(_buttons(self))
        self.resize(460, 300)

    def values(self) -> tuple[str, str, str]:
        """(colour, label, note); "" for an empty label or note."""
        return (
            str(self.colour.currentData()),
            self.label.text().strip(),
            self.note.toPlainText().strip(),
        )


class ActorDialog(QDialog):
    """An actor's name, completed from the archive's actors; with `kind`, also a kind for a
    name the archive does not know yet."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        names: list[str],
        *,
        name: str = "",
        kind: str | None = None,
        allow_empty: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QFormLayout(self)
        self.name = QLineEdit(name)
        self.name.setAccessibleName("Actor")
        if allow_empty:
            self.name.setPlaceholderText("empty: nobody")
        completer = QCompleter(names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.name.setCompleter(completer)
        layout.addRow("Actor:", self.name)
        self.kind: QComboBox | None = None
        if kind is not None:
            self.kind = QComboBox()
            self.kind.setAccessibleName("Kind")
            self.kind.addItems(list(KINDS))
            self.kind.setCurrentText(kind)
            layout.addRow("Kind (if new):", self.kind)
        buttons = _buttons(self)
        layout.addRow(buttons)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        if not allow_empty:
            self.name.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
            ok.setEnabled(bool(name.strip()))
        self.resize(380, 0)

    def chosen(self) -> tuple[str, str | None]:
        return self.name.text().strip(), self.kind.currentText() if self.kind else None
