"""The reading view: the article as the app rendered it, and the way back from a place on
screen to an offset in the article's stored text (and from an offset to the screen).

The document is title, meta line, then one block per body paragraph, laid out with
`white-space: pre-wrap` so a block holds its paragraph's text exactly, plus the small speaker
labels after quotes, which are links to `speaker:` and are skipped when counting. Qt counts
in UTF-16 units, the archive in code points; the conversion is made here.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from PySide6.QtCore import QPoint, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QTextCursor, QTextFragment
from PySide6.QtWidgets import QTextBrowser

from briefing_app.core.reading import FIRST_BODY_BLOCK, SPEAKER_SCHEME, block_starts


class ReaderView(QTextBrowser):
    context_requested = Signal(object, object, QPoint)
    """(offset under the mouse or None, selected (start, end) or None, global position)."""
    speaker_clicked = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Reader")
        self.setOpenLinks(False)  # nothing opens by itself
        self.setOpenExternalLinks(False)
        self.document().setDocumentMargin(24)
        self.anchorClicked.connect(self._on_link)
        self._starts: list[int] = []

    def show_article(self, html: str, body: str) -> None:
        self._starts = block_starts(body)
        self.setHtml(html)

    # Screen <-> text ----------------------------------------------------------------------

    def body_offset(self, position: int) -> int | None:
        """The offset in the stored text of a document position (None outside the body)."""
        block = self.document().findBlock(position)
        paragraph = block.blockNumber() - FIRST_BODY_BLOCK
        if not 0 <= paragraph < len(self._starts):
            return None
        counted = 0
        for fragment in _fragments(block):
            if fragment.position() >= position:
                break
            if _is_label(fragment):
                continue
            units = min(fragment.length(), position - fragment.position())
            counted += len(_utf16_prefix(fragment.text(), units))
        return self._starts[paragraph] + counted

    def document_position(self, offset: int) -> int | None:
        """Where an offset of the stored text is in the document."""
        paragraph = bisect_right(self._starts, offset) - 1
        if paragraph < 0:
            return None
        block = self.document().findBlockByNumber(paragraph + FIRST_BODY_BLOCK)
        if not block.isValid():
            return None
        left = offset - self._starts[paragraph]
        for fragment in _fragments(block):
            if _is_label(fragment):
                continue
            text = fragment.text()
            if left <= len(text):
                return fragment.position() + len(text[:left].encode("utf-16-le")) // 2
            left -= len(text)
        return block.position() + block.length() - 1

    def selection_span(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self.body_offset(cursor.selectionStart())
        end = self.body_offset(cursor.selectionEnd())
        if start is None or end is None or start >= end:
            return None
        return start, end

    def select_span(self, start: int, end: int) -> None:
        """Select text[start:end] of the article and scroll it into view."""
        first, last = self.document_position(start), self.document_position(end)
        if first is None or last is None:
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(first)
        cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    # Events ---------------------------------------------------------------------------------

    def contextMenuEvent(self, event: Any) -> None:
        position = self.cursorForPosition(event.pos()).position()
        self.context_requested.emit(
            self.body_offset(position), self.selection_span(), event.globalPos()
        )

    def _on_link(self, url: QUrl) -> None:
        """Links open only on a click: a speaker shows what they said, a web address opens
        in the system's browser."""
        if url.scheme() == SPEAKER_SCHEME:
            self.speaker_clicked.emit(url.path())
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)


def _fragments(block: Any) -> list[QTextFragment]:
    fragments = []
    iterator = block.begin()
    while not iterator.atEnd():
        fragment = iterator.fragment()
        if fragment.isValid():
            fragments.append(fragment)
        iterator += 1
    return fragments


def _is_label(fragment: QTextFragment) -> bool:
    return fragment.charFormat().anchorHref().startswith(f"{SPEAKER_SCHEME}:")


def _utf16_prefix(text: str, units: int) -> str:
    """The first `units` UTF-16 code units of `text`, as a Python string."""
    return text.encode("utf-16-le")[: units * 2].decode("utf-16-le", errors="ignore")
