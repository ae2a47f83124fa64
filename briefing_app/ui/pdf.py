"""A briefing's HTML page as a PDF, laid out by Qt itself (QTextDocument on a QPdfWriter), so
no external tool is needed. It works in the app and from the command line, with or without a
display."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from briefing_app.core.export import write_atomically

RESOLUTION_DPI = 300
_made: list[QGuiApplication] = []
"""The application made here, kept: Qt's ends when its Python object goes."""


def html_to_pdf(html: str, out: Path, *, overwrite: bool = False) -> None:
    """Write `html` as an A4 PDF to `out`, atomically (see write_atomically: an existing file
    is replaced only with `overwrite`). The PDF's title is the page's <title>."""
    _ensure_application()
    document = QTextDocument()
    document.setHtml(html)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    # QTextDocument.print_ keeps a 2 cm margin of its own on every side.
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    writer.setTitle(document.metaInformation(QTextDocument.MetaInformation.DocumentTitle))
    writer.setCreator("Briefing")
    document.print_(writer)
    del writer  # the PDF is finished when its writer goes
    buffer.close()
    write_atomically(out, bytes(data.data()), overwrite=overwrite)


def _ensure_application() -> None:
    """Qt lays out text only once an application exists; the command line has none. Without
    a display (a server, a terminal over SSH) it draws offscreen."""
    if QGuiApplication.instance() is not None:
        return
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _made.append(QGuiApplication(sys.argv[:1]))
