"""The article list: a table model that loads its rows page by page, off the UI thread."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from briefing_app.core.models import ArticleSummary

PAGE = 200
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 10
COLUMNS = ("Title", "Source", "Date", "Actors", "Notes")
SORT_KEYS = ("title", "source", "published", "actors", "notes")
"""The archive's sort key of each column."""

Index = QModelIndex | QPersistentModelIndex
PageLoader = Callable[[int, int, Callable[[list[ArticleSummary], list[str]], None]], None]
"""(offset, limit, deliver): fetch a page somewhere else and deliver it (rows, snippets)."""


class ArticleListModel(QAbstractTableModel):
    """Rows arrive a page at a time when the view scrolls near the end (canFetchMore /
    fetchMore), so an archive of 100,000 articles opens at once."""

    def __init__(
        self, load_page: PageLoader, on_sort: Callable[[str, bool], None] | None = None
    ) -> None:
        """`on_sort(key, descending)` is told when the user sorts by a column."""
        super().__init__()
        self._load_page = load_page
        self.on_sort = on_sort
        self._rows: list[ArticleSummary] = []
        self._snippets: list[str] = []
        self._exhausted = False
        self._loading = False

    def reset(self, load_page: PageLoader) -> None:
        self.beginResetModel()
        self._load_page = load_page
        self._rows, self._snippets = [], []
        self._exhausted = False
        self._loading = False
        self.endResetModel()

    def summary(self, row: int) -> ArticleSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def article_id(self, row: int) -> int | None:
        summary = self.summary(row)
        return summary.id if summary is not None else None

    # Qt's model interface ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.title, row.source or "", (row.published or "")[:10], row.actors,
                row.notes or "",
            )[index.column()]  # fmt: skip
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole snippet, which the row clips
            snippet = self._snippets[index.row()]
            title = html.escape(row.title)
            return f"<p><b>{title}</b></p><p>{snippet}</p>" if snippet else title
        if role == SNIPPET_ROLE:
            return self._snippets[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The archive sorts (the rows here are only the pages loaded so far)."""
        if self.on_sort is not None:
            self.on_sort(SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._loading = True
        self._load_page(len(self._rows), PAGE, self._append)

    def _append(self, rows: list[ArticleSummary], snippets: list[str]) -> None:
        self._loading = False
        if len(rows) < PAGE:
            self._exhausted = True
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self._snippets.extend(snippets)
            self.endInsertRows()


def snippet_html(snippet: str, marks: tuple[tuple[int, int], ...]) -> str:
    """The snippet escaped, with its matched stretches in bold."""
    parts, position = [], 0
    for start, end in marks:
        parts += [html.escape(snippet[position:start]), f"<b>{html.escape(snippet[start:end])}</b>"]
        position = end
    return " ".join("".join([*parts, html.escape(snippet[position:])]).split())


class SnippetDelegate(QStyledItemDelegate):
    """Search results: the title, and under it the snippet with the matches in bold."""

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(2)
        title = html.escape(str(index.data(Qt.ItemDataRole.DisplayRole)))
        document.setHtml(
            f'<p style="white-space: pre"><b>{title}</b><br>'
            f"<small>{index.data(SNIPPET_ROLE)}</small></p>"
        )
        document.setTextWidth(option.rect.width())
        return document

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: Index) -> None:
        if not index.data(SNIPPET_ROLE):
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        text_option = QStyleOptionViewItem(option)
        text_option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text_option, painter)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        document = self._document(option, index)  # kept alive while its layout draws
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(option.rect.translated(-option.rect.topLeft()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        if not index.data(SNIPPET_ROLE):
            return super().sizeHint(option, index)
        document = self._document(option, index)
        return QSize(int(document.idealWidth()), int(document.size().height()))
