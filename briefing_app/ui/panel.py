"""The side panel of the open article: its actors by kind with mention counts, its quotes
with their speakers, and the user's highlights with their notes rendered from markdown.

A click on an actor steps through its mentions, a click on a quote or a highlight goes
there; the note of the chosen highlight shows below the list.
"""

from __future__ import annotations

import html
from collections import defaultdict
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QTextBrowser, QTreeWidget, QTreeWidgetItem

from briefing_app.ui.dialogs import swatch

KIND_LABELS = {
    "person": "People",
    "country": "Countries",
    "organisation": "Organisations",
    "place": "Places",
    "group": "Groups",
}
SPANS_ROLE = Qt.ItemDataRole.UserRole
HIGHLIGHT_ROLE = Qt.ItemDataRole.UserRole + 1


class ArticlePanel(QSplitter):
    go_to = Signal(int, int)
    """(start, end) in the article's text to select in the reader."""
    edit_highlight = Signal(object)
    """A highlight the user double-clicked, to edit its colour, label and note."""

    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("In this article")
        self.tree.itemClicked.connect(self._on_click)
        self.tree.itemDoubleClicked.connect(self._on_double_click)
        self.tree.currentItemChanged.connect(lambda item, _: self._show_note(item))
        self.note = QTextBrowser()
        self.note.setAccessibleName("Note")
        self.note.setOpenExternalLinks(True)  # only on a click; nothing loads by itself
        self.note.setPlaceholderText("Choose a highlight to see its note.")
        self.addWidget(self.tree)
        self.addWidget(self.note)
        self.setSizes([420, 160])
        self._steps: dict[int, int] = {}

    def fill(self, extraction: Any, highlights: list[Any]) -> None:
        self.tree.clear()
        self.note.clear()
        self._steps.clear()
        spans: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(dict)
        for mention in extraction.mentions:
            places = spans[mention.actor.kind].setdefault(mention.actor.name, [])
            places.append((mention.start, mention.end))
        for kind, label in KIND_LABELS.items():
            if kind in spans:
                by_name = spans[kind]
                group = self._group(f"{label}  ({sum(map(len, by_name.values()))})")
                for name, places in sorted(by_name.items(), key=lambda item: -len(item[1])):
                    self._child(group, f"{name}  ({len(places)})", places)
        if extraction.quotes:
            group = self._group(f"Quotes  ({len(extraction.quotes)})")
            for quote in extraction.quotes:
                speaker = quote.speaker.name if quote.speaker else "no speaker found"
                child = self._child(
                    group,
                    f"“{' '.join(quote.text.split())}” — {speaker}",
                    [(quote.start, quote.end)],
                )
                child.setToolTip(0, f"{speaker}: {quote.cue or 'no cue'}")
        placed = [h for h in highlights if not h.orphan]
        orphans = [h for h in highlights if h.orphan]
        for title, rows in (("Highlights", placed), ("Not found in the new text", orphans)):
            if rows:
                group = self._group(f"{title}  ({len(rows)})")
                for highlight in rows:
                    text = (f"[{highlight.label}] " if highlight.label else "") + highlight.quote
                    where = [] if highlight.orphan else [(highlight.start, highlight.end)]
                    child = self._child(group, text, where)
                    child.setIcon(0, swatch(highlight.colour))
                    child.setData(0, HIGHLIGHT_ROLE, highlight)
                    if highlight.note:
                        child.setText(0, f"{text}  ✎")
        self.tree.expandToDepth(0)

    def _group(self, text: str) -> QTreeWidgetItem:
        group = QTreeWidgetItem([text])
        self.tree.addTopLevelItem(group)
        return group

    def _child(
        self, group: QTreeWidgetItem, text: str, places: list[tuple[int, int]]
    ) -> QTreeWidgetItem:
        child = QTreeWidgetItem([text])
        child.setToolTip(0, text)
        child.setData(0, SPANS_ROLE, places)
        group.addChild(child)
        return child

    def _on_click(self, item: QTreeWidgetItem) -> None:
        places = item.data(0, SPANS_ROLE)
        if not places:
            return
        key = id(item)
        step = self._steps.get(key, -1) + 1
        self._steps = {key: step % len(places)}  # another item starts from its first mention
        self.go_to.emit(*places[step % len(places)])

    def _on_double_click(self, item: QTreeWidgetItem) -> None:
        highlight = item.data(0, HIGHLIGHT_ROLE)
        if highlight is not None:
            self.edit_highlight.emit(highlight)

    def _show_note(self, item: QTreeWidgetItem | None) -> None:
        highlight = item.data(0, HIGHLIGHT_ROLE) if item is not None else None
        if highlight is None:
            self.note.clear()
            return
        from briefing_app.core.notes import note_html  # markdown loads when a note is shown

        label = f"<p><b>{html.escape(highlight.label)}</b></p>" if highlight.label else ""
        note = note_html(highlight.note) if highlight.note else "<p><i>No note.</i></p>"
        self.note.setHtml(label + note)
