"""The briefing composer: choose what a briefing covers, write its sections while a live
preview follows, and export it as markdown, HTML or PDF.

The briefing is a row of the archive from the moment it is made, and every change is saved
a moment after the typing stops, so a crash loses at most that moment. Rendering runs on the
archive worker (it reads many articles); the preview of a newer state replaces an older
one, and a render that is overtaken is dropped.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from briefing_app.core.archive import Archive
from briefing_app.core.briefing import Rendered, markdown_to_html, render_briefing
from briefing_app.core.briefings import SECTIONS, Briefing, Selection, update_briefing
from briefing_app.core.errors import BriefingError

if TYPE_CHECKING:
    from briefing_app.ui.main_window import MainWindow

PREVIEW_DELAY_MS = 300
SECTION_LABELS = {"summary": "Summary", "key_judgements": "Key judgements", "outlook": "Outlook"}
KIND_LABELS = {
    "articles": "These articles",
    "search": "A search",
    "tag": "A tag",
    "all": "All articles",
}


class BriefingComposer(QDialog):
    def __init__(self, window: MainWindow, briefing: Briefing, titles: dict[int, str]) -> None:
        """`titles` names the articles of an explicit selection."""
        super().__init__(window)
        self.main = window
        self.briefing = briefing
        self.rendered: Rendered | None = None
        self._generation = 0
        self._listed_title = briefing.title
        """The title the library shows: it is recounted only when the title changes."""
        self.setWindowTitle(f"Briefing — {briefing.title}")
        self.setAccessibleName("Briefing composer")
        self.resize(1200, 760)

        self.title = QLineEdit(briefing.title)
        self.title.setAccessibleName("Title")
        self.template = QComboBox()
        self.template.setAccessibleName("Template")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Covers")
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
        self.kind.setCurrentIndex(list(KIND_LABELS).index(briefing.selection.kind))
        self.detail = QLineEdit(briefing.selection.query or briefing.selection.tag or "")
        self.detail.setAccessibleName("Search or tag")

        self.articles = QListWidget()
        self.articles.setAccessibleName("Articles in the briefing")
        self.articles.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        for article_id in briefing.selection.article_ids:
            self._add_item(article_id, titles.get(article_id, f"Article {article_id}"))
        self.articles.model().rowsMoved.connect(self._changed)
        add_open = QPushButton("Add the open article")
        add_open.clicked.connect(self.add_open_article)
        add_listed = QPushButton("Add the listed articles")
        add_listed.clicked.connect(self.add_listed_articles)
        remove = QPushButton("Remove")
        remove.clicked.connect(self.remove_selected)
        self.articles_box = QWidget()
        box = QVBoxLayout(self.articles_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.articles)
        for button in (add_open, add_listed, remove):
            box.addWidget(button)

        form = QFormLayout()
        form.addRow("Title:", self.title)
        form.addRow("Template:", self.template)
        form.addRow("Covers:", self.kind)
        form.addRow("", self.detail)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(form)
        left_layout.addWidget(self.articles_box, 1)

        self.editors: dict[str, QPlainTextEdit] = {}
        tabs = QTabWidget()
        for section in SECTIONS:
            editor = QPlainTextEdit(briefing.sections.get(section, ""))
            editor.setAccessibleName(SECTION_LABELS[section])
            editor.setPlaceholderText(f"{SECTION_LABELS[section]} in markdown")
            editor.textChanged.connect(self._changed)
            self.editors[section] = editor
            tabs.addTab(editor, SECTION_LABELS[section])

        self.preview = QTextBrowser()
        self.preview.setAccessibleName("Preview")
        self.preview.setOpenLinks(False)  # a preview: nothing opens, nothing is fetched
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setObjectName("briefingProblems")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.preview, 1)
        right_layout.addWidget(self.problems)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget in (left, tabs, right):
            splitter.addWidget(widget)
        splitter.setSizes([300, 420, 480])

        buttons = QHBoxLayout()
        for label, fmt in (("Export Markdown…", "md"), ("Export HTML…", "html"),
                           ("Export PDF…", "pdf")):  # fmt: skip
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, f=fmt: self.export(f))
            buttons.addWidget(button)
        copy = QPushButton("Copy Markdown")
        copy.clicked.connect(self.copy_markdown)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons.addWidget(copy)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Copy, self.preview, self.copy_markdown)

        self.timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.save_and_preview)
        for signal in (self.title.textChanged, self.detail.textChanged):
            signal.connect(self._changed)
        self.kind.currentIndexChanged.connect(self._changed)
        self.template.currentIndexChanged.connect(self._changed)
        self._show_kind()
        self.main.read(_template_names, self._fill_templates)

    # The briefing as edited ---------------------------------------------------------------

    def current(self) -> Briefing:
        kind = str(self.kind.currentData())
        detail = self.detail.text().strip()
        ids = tuple(
            int(self.articles.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.articles.count())
        )
        selection = Selection(
            kind,
            article_ids=ids if kind == "articles" else (),
            query=detail if kind == "search" else None,
            tag=detail if kind == "tag" else None,
        )
        return replace(
            self.briefing,
            title=self.title.text().strip() or "Briefing",
            selection=selection,
            template=str(self.template.currentData() or self.briefing.template),
            sections={section: editor.toPlainText() for section, editor in self.editors.items()},
        )

    def _changed(self, *_: Any) -> None:
        self._show_kind()
        self.timer.start()

    def _show_kind(self) -> None:
        kind = self.kind.currentData()
        self.articles_box.setVisible(kind == "articles")
        self.detail.setVisible(kind in ("search", "tag"))
        self.detail.setPlaceholderText("a search" if kind == "search" else "a tag")

    def save_now(self) -> None:
        """Write what was typed and not yet written (the window is closing: no preview)."""
        self.timer.stop()
        briefing = self.current()
        self.main.run(lambda archive: _write(archive, briefing), lambda _: None)

    def save_and_preview(self, *, save: bool = True) -> None:
        """Write the briefing (unless it is only being shown), then render it; only the
        newest render is shown."""
        self._generation += 1
        generation = self._generation
        briefing = self.current()
        self.briefing = briefing

        def job(archive: Archive) -> tuple[Rendered | None, str]:
            if save:
                _write(archive, briefing)
            try:
                rendered = render_briefing(archive, briefing)
            except BriefingError as error:  # an empty selection, a broken template
                return None, str(error)
            return rendered, markdown_to_html(rendered.markdown, briefing.title)

        def show(result: tuple[Rendered | None, str]) -> None:
            if generation != self._generation:
                return  # a newer state is on its way
            rendered, page = result
            self.rendered = rendered
            if briefing.title != self._listed_title:  # the new title, once it is written
                self._listed_title = briefing.title
                self.main.refresh_library()
            if rendered is None:
                self.preview.setPlainText(page)
                self.problems.setText("")
                return
            scroll = self.preview.verticalScrollBar().value()
            self.preview.setHtml(page)
            self.preview.verticalScrollBar().setValue(scroll)
            self.problems.setText("\n".join(f"⚠ {p}" for p in rendered.problems))
            self.setWindowTitle(f"Briefing — {briefing.title}")

        # A write goes to the writer, and the render after it sees it; a first look only reads.
        (self.main.run if save else self.main.read)(job, show)

    # Articles -------------------------------------------------------------------------------

    def _add_item(self, article_id: int, title: str) -> None:
        if any(
            self.articles.item(row).data(Qt.ItemDataRole.UserRole) == article_id
            for row in range(self.articles.count())
        ):
            return
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, article_id)
        self.articles.addItem(item)

    def add_open_article(self) -> None:
        if self.main.shown is not None:
            article = self.main.shown[0]
            self._add_item(article.id, article.title)
            self._changed()

    def add_listed_articles(self) -> None:
        for article_id, title in self.main.listed_articles():
            self._add_item(article_id, title)
        self._changed()

    def remove_selected(self) -> None:
        for item in self.articles.selectedItems():
            self.articles.takeItem(self.articles.row(item))
        self._changed()

    # Templates ------------------------------------------------------------------------------

    def _fill_templates(self, names: list[tuple[str, str]]) -> None:
        self.template.blockSignals(True)
        for name, description in names:
            self.template.addItem(name, name)
            self.template.setItemData(
                self.template.count() - 1, description, Qt.ItemDataRole.ToolTipRole
            )
        index = self.template.findData(self.briefing.template)
        self.template.setCurrentIndex(max(index, 0))
        self.template.blockSignals(False)
        self.save_and_preview(save=False)  # opening a briefing does not change it

    # Export ---------------------------------------------------------------------------------

    def copy_markdown(self) -> None:
        if self.rendered is not None:
            QGuiApplication.clipboard().setText(self.rendered.markdown)
            self.main.statusBar().showMessage("Briefing copied as markdown.", 4000)

    def export(self, fmt: str) -> None:
        """Ask where (the dialog asks before replacing a file), then write atomically."""
        from briefing_app.core.briefing import suggested_filename, write_atomically

        briefing = self.current()
        name = suggested_filename(briefing.title, fmt)
        path, _ = QFileDialog.getSaveFileName(
            self, f"Export {fmt.upper()}", str(Path.home() / name), f"{fmt.upper()} (*.{fmt})"
        )
        if not path:
            return
        self.export_to(Path(path), fmt, briefing, write_atomically)

    def export_to(self, path: Path, fmt: str, briefing: Briefing, write: Any) -> None:
        def job(archive: Archive) -> tuple[Rendered, str]:
            rendered = render_briefing(archive, briefing)
            page = markdown_to_html(rendered.markdown, briefing.title)
            if fmt == "md":
                write(path, rendered.markdown, overwrite=True)
            elif fmt == "html":
                write(path, page, overwrite=True)
            return rendered, page

        def done(result: tuple[Rendered, str]) -> None:
            rendered, page = result
            if fmt == "pdf":  # Qt's painting stays on the UI thread
                from briefing_app.ui.pdf import html_to_pdf

                try:
                    html_to_pdf(page, path, overwrite=True)
                except BriefingError as error:
                    QMessageBox.warning(self, "Export", str(error))
                    return
            message = f"Exported {path.name}"
            if rendered.problems:
                message += f" with {len(rendered.problems)} problem(s) marked in it"
            self.main.statusBar().showMessage(message, 8000)
            self.last_export = path

        self.main.run(job, done)


def _template_names(archive: Archive) -> list[tuple[str, str]]:
    from briefing_app.core.briefing import list_templates

    return [(info.name, info.description) for info in list_templates()]


def _write(archive: Archive, briefing: Briefing) -> None:
    update_briefing(
        archive, briefing.id, title=briefing.title, selection=briefing.selection,
        template=briefing.template, sections=briefing.sections,
    )  # fmt: skip
