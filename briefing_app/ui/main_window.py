"""The main window: library (left), article list with search (middle), reader (right)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtWidgets import QMainWindow

if TYPE_CHECKING:
    from briefing_app.core.archive import Archive
    from briefing_app.core.models import ArticleSummary

SEARCH_DELAY_MS = 250
RECENT_BRIEFINGS = 10


def icon(name: str) -> Any:
    """A Font Awesome icon from qtawesome, loaded on first use (its import takes ~0.4 s,
    so the window is shown first and the icons follow)."""
    import qtawesome

    return qtawesome.icon(name)


def list_role() -> int:
    """The role of the library items that name a list (unread, starred). Asked when needed:
    Qt's namespace takes ~40 ms to load, which start-up leaves until the window is drawn."""
    return int(QtCore.Qt.ItemDataRole.UserRole) + 2


LAYER_LABELS = {
    "person": "People",
    "country": "Countries",
    "organisation": "Organisations",
    "place": "Places",
    "group": "Groups",
    "quotes": "Quotes",
    "highlights": "Highlights",
}


class MainWindow(QMainWindow):
    """Deferred, the window is a frame until `build()`: start-up shows it first and builds
    the rest into it, so the window is there as fast as a bare Qt window (the modules of
    the library, list, reader and panel take longer to load than Qt itself)."""

    import_progress = Signal(int, int)
    """(done, total) while an import runs on the worker; delivered on the UI thread."""

    def __init__(self, archive_path: Path | None, *, deferred: bool = False) -> None:
        super().__init__()
        self.setWindowTitle("Briefing")
        self.archive_path = archive_path
        self.built = False
        self._callbacks: dict[int, Callable[[Any], None]] = {}
        self.on_damage: Callable[[Any], None] | None = None
        """Who offers to restore a damaged archive (the session); else a warning says so."""
        self.settings = QSettings()
        geometry = self.settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1400, 900)
        self.statusBar().showMessage("Opening the archive…")
        if not deferred:
            self.build()

    def build(self) -> None:
        """Everything but the frame: widgets, actions, the archive's workers."""
        from briefing_app.core.reading import LAYERS
        from briefing_app.ui.workers import ArchiveWorker

        self.setAcceptDrops(True)
        self.import_progress.connect(self._on_import_progress)
        # One writer, and a reader on a connection of its own (WAL), so that the list, the
        # search and the reader answer while a long import holds the writer.
        self.worker = ArchiveWorker(self.archive_path)
        self.reader_worker = ArchiveWorker(self.archive_path, name="archive-reader", start=False)
        for worker in (self.worker, self.reader_worker):
            worker.finished.connect(self._on_finished)
            worker.failed.connect(self._on_failed)
            worker.damaged.connect(self._on_damaged)
        self._refreshing = self._refresh_again = False
        self._overview_ticket = 0
        self.composer: Any = None
        """The briefing composer last opened."""
        # Hidden layers are kept, so a layer added in a later version starts visible.
        hidden = self.settings.value("reader/hidden_layers", [], list)
        hidden_names = {str(layer) for layer in hidden} if isinstance(hidden, list) else set()
        self.layers: set[str] = set(LAYERS) - hidden_names
        self._search_ticket = 0
        self._generation = 0
        self.open_article_id: int | None = None
        self.shown: Any = None
        """(article, extraction, highlights) of the article in the reader."""
        self.undo_stack = QtGui.QUndoStack(self)
        self._build()
        sizes = self.settings.value(f"window/splitter/{self.splitter.count()}")
        if sizes is not None:
            self.splitter.restoreState(sizes)
        self.built = True
        # The reader starts once the writer has opened (and upgraded) the archive; the list
        # follows the samples, whether loading them worked or not (a failure is shown).
        self.run(_nothing, lambda _: self.reader_worker.start())
        self.run(_load_samples, _nothing)
        self.run(_nothing, lambda _: self.refresh())

    @cached_property
    def annotating(self) -> Any:
        """The reader's menu and its actions, loaded at first use (after start-up)."""
        from briefing_app.ui.annotate import Annotating

        return Annotating(self)

    # Building ----------------------------------------------------------------------------

    def _build(self) -> None:
        from PySide6.QtWidgets import (
            QAbstractItemView,
            QHBoxLayout,
            QHeaderView,
            QLabel,
            QLineEdit,
            QSplitter,
            QTableView,
            QToolButton,
            QTreeWidget,
            QVBoxLayout,
            QWidget,
        )

        from briefing_app.ui.article_list import ArticleListModel, SnippetDelegate
        from briefing_app.ui.filters import FilterBar
        from briefing_app.ui.panel import ArticlePanel
        from briefing_app.ui.reader import ReaderView

        self.library = QTreeWidget()
        self.library.setHeaderHidden(True)
        self.library.setAccessibleName("Library")
        self.library.itemActivated.connect(self._on_library_item)
        self.library.itemClicked.connect(self._on_library_item)
        self.library.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.CustomContextMenu)
        self.library.customContextMenuRequested.connect(self._library_menu)

        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText('Search: words, "phrases", actor:, source:, date:')
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setAccessibleName("Search")
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.search_now)
        self.search_field.textChanged.connect(lambda _: self.search_timer.start())
        self.search_message = QLabel()
        self.search_message.setObjectName("searchMessage")
        self.filters = FilterBar(self._filter_choices)
        self.filters.changed.connect(self.search_timer.start)
        self.save_search_button = QToolButton()
        self.save_search_button.setText("Save search…")
        self.save_search_button.setAccessibleName("Save this search")
        self.save_search_button.clicked.connect(self.save_search)
        self._overview: dict[str, Any] = {}
        self._sort = ("published", True)
        self._list_kind: dict[str, bool] = {}
        """Which list is shown when not searching: all, starred or unread."""

        self.model = ArticleListModel(self._page_of_all())
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Articles")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 110), (2, 86), (3, 52), (4, 48)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSortIndicator(2, QtCore.Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.model.on_sort = self._sort_by
        self.table.setWordWrap(False)
        self.table.setItemDelegateForColumn(0, SnippetDelegate(self.table))
        self._row_height = self.table.verticalHeader().defaultSectionSize()
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _: self.open_article(self.model.article_id(current.row()))
        )

        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.search_field)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filters, 1)
        filter_row.addWidget(self.save_search_button)
        middle_layout.addLayout(filter_row)
        middle_layout.addWidget(self.search_message)
        middle_layout.addWidget(self.table)

        self.reader = ReaderView()
        self.reader.context_requested.connect(lambda *where: self.annotating.popup(*where))
        self.reader.speaker_clicked.connect(
            lambda name: self.search_field.setText(f'speaker:"{name}"')
        )

        self.panel = ArticlePanel()
        self.panel.go_to.connect(self.reader.select_span)
        self.panel.edit_highlight.connect(
            lambda highlight: self.annotating.edit_highlight(highlight)
        )

        self.splitter = QSplitter(QtCore.Qt.Orientation.Horizontal)
        for widget in (self.library, middle, self.reader, self.panel):
            self.splitter.addWidget(widget)
        self.splitter.setSizes([190, 470, 600, 240])
        self.setCentralWidget(self.splitter)
        self._build_actions()

    def _build_actions(self) -> None:
        from PySide6.QtGui import QAction, QKeySequence
        from PySide6.QtWidgets import QToolBar

        from briefing_app.core.reading import DARK, HIGHLIGHT_COLOURS, LAYERS, LIGHT
        from briefing_app.ui.dialogs import colour_swatch

        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        menu = self.menuBar().addMenu("&File")

        import_action = QAction("&Import files…", self)
        import_action.setShortcut(QKeySequence.StandardKey.Open)
        import_action.triggered.connect(self._import_files)
        folder_action = QAction("Import &folder…", self)
        folder_action.triggered.connect(self._import_folder)
        paste_action = QAction("&Paste as new article", self)
        paste_action.setShortcut(QKeySequence("Ctrl+Shift+V"))
        paste_action.triggered.connect(self.paste_article)
        brief_action = QAction("&New briefing…", self)
        brief_action.setShortcut(QKeySequence("Ctrl+E"))
        brief_action.triggered.connect(self.new_briefing)
        find_action = QAction("&Find", self)
        find_action.setShortcut(QKeySequence.StandardKey.Find)
        find_action.triggered.connect(lambda: self.search_field.setFocus())
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (import_action, find_action, brief_action):
            toolbar.addAction(action)
        menu.addActions([import_action, folder_action, paste_action, find_action, brief_action])
        menu.addSeparator()
        menu.addAction(quit_action)

        edit = self.menuBar().addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts(
            [QKeySequence("Ctrl+Shift+Z"), QKeySequence(QKeySequence.StandardKey.Redo)]
        )
        self.highlight_action = QAction("&Highlight", self)
        self.highlight_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.highlight_action.triggered.connect(self.highlight_selection)
        self.star_action = QAction("&Star", self)
        self.star_action.setShortcut(QKeySequence("Ctrl+D"))
        self.star_action.triggered.connect(self.toggle_star)
        toolbar.addAction(self.star_action)
        tags_action = QAction("&Tags…", self)
        tags_action.setShortcut(QKeySequence("Ctrl+T"))
        tags_action.triggered.connect(self.edit_tags)
        edit.addActions([undo, redo, self.star_action, tags_action])
        edit.addSeparator()
        edit.addAction(self.highlight_action)
        toolbar.addAction(self.highlight_action)

        view = self.menuBar().addMenu("&View")
        layers = QToolBar("Layers")
        layers.setObjectName("layersToolbar")
        layers.setMovable(False)
        layers.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(layers)
        self.layer_actions: dict[str, QAction] = {}
        palette = DARK if self.palette().window().color().lightness() < 128 else LIGHT
        legend = {**palette.layers, "highlights": HIGHLIGHT_COLOURS["yellow"][palette is DARK]}
        for layer in LAYERS:
            action = QAction(LAYER_LABELS[layer], self, checkable=True)
            action.setIcon(colour_swatch(legend[layer]))  # the toolbar is the legend too
            action.setToolTip(f"Show or hide {LAYER_LABELS[layer].lower()}")
            action.setChecked(layer in self.layers)
            action.toggled.connect(lambda on, name=layer: self.set_layer(name, on))
            layers.addAction(action)
            view.addAction(action)
            self.layer_actions[layer] = action
        for text, keys, step in (("Zoom &In", "Ctrl++", 1), ("Zoom &Out", "Ctrl+-", -1)):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _=False, s=step: self.reader.zoomIn(s))
            view.addAction(action)
        self._icons = [
            (import_action, "fa5s.file-import"),
            (folder_action, "fa5s.folder-open"),
            (find_action, "fa5s.search"),
            (brief_action, "fa5s.file-export"),
            (self.highlight_action, "fa5s.highlighter"),
            (self.star_action, "fa5.star"),
            (tags_action, "fa5s.tag"),
        ]
        QTimer.singleShot(50, self._apply_icons)  # after the window is first drawn
        full = QAction("&Full Screen", self)
        full.setShortcut(QKeySequence(QtCore.Qt.Key.Key_F11))
        full.triggered.connect(
            lambda: self.showNormal() if self.isFullScreen() else self.showFullScreen()
        )
        view.addAction(full)

    def _apply_icons(self) -> None:
        for action, name in self._icons:
            action.setIcon(icon(name))

    def closeEvent(self, event: Any) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        if not self.built:  # closed before it was built: nothing else to keep or stop
            super().closeEvent(event)
            return
        from briefing_app.core.reading import LAYERS

        self.settings.setValue(
            f"window/splitter/{self.splitter.count()}", self.splitter.saveState()
        )
        self.settings.setValue("reader/hidden_layers", sorted(set(LAYERS) - self.layers))
        composer = self.composer
        if composer is not None and composer.timer.isActive():  # typing not written yet
            composer.save_now()  # queued before the writer stops, so it is written
        self.worker.stop()
        self.reader_worker.stop()
        super().closeEvent(event)

    # Talking to the worker ---------------------------------------------------------------

    def run(self, job: Callable[[Archive], Any], then: Callable[[Any], None]) -> int:
        """A job that writes (or must follow the writes before it), on the one writer."""
        ticket = self.worker.submit(job)
        self._callbacks[ticket] = then
        return ticket

    def read(self, job: Callable[[Archive], Any], then: Callable[[Any], None]) -> int:
        """A job that only reads: answered even while the writer is busy importing."""
        ticket = self.reader_worker.submit(job)
        self._callbacks[ticket] = then
        return ticket

    @property
    def busy(self) -> bool:
        return not self.built or bool(self._callbacks)

    def _on_finished(self, ticket: int, result: Any) -> None:
        callback = self._callbacks.pop(ticket, None)
        if callback is not None:
            callback(result)

    def _on_damaged(self, ticket: int, damage: Any) -> None:
        if self.on_damage is None:
            self._on_failed(ticket, str(damage))
        else:
            self._forget(ticket)
            self.on_damage(damage)

    def _on_failed(self, ticket: int, message: str) -> None:
        self._forget(ticket)
        if ticket == self._search_ticket:
            self.search_message.setText(message)
        else:
            QtWidgets.QMessageBox.warning(self, "Briefing", message)

    def _forget(self, ticket: int) -> None:
        """A job that failed: no answer comes; a library recount that failed lets the next
        one run."""
        self._callbacks.pop(ticket, None)
        if ticket == self._overview_ticket:
            self._refreshing = False

    # Library and list --------------------------------------------------------------------

    def refresh(self) -> None:
        """The library and the list again (after an import)."""
        self.refresh_library()
        self._show_list(self._page_of_all())

    def refresh_library(self) -> None:
        if self._refreshing:  # one at a time; asked meanwhile, another follows it
            self._refresh_again = True
            return
        self._refreshing, self._refresh_again = True, False

        def overview(archive: Archive) -> dict[str, Any]:
            from briefing_app.core.actors import list_actors
            from briefing_app.core.articles import archive_stats, reading_counts
            from briefing_app.core.briefings import list_briefings
            from briefing_app.core.saved_searches import list_saved_searches

            stats = archive_stats(archive)
            tags = archive.conn.execute(
                "SELECT t.name, count(*) FROM tags t JOIN article_tags x ON x.tag_id = t.id "
                "GROUP BY t.id ORDER BY t.name COLLATE NOCASE"
            ).fetchall()
            sources = archive.conn.execute(
                "SELECT s.name, count(*) FROM sources s JOIN articles a ON a.source_id = s.id "
                "GROUP BY s.id ORDER BY s.name COLLATE NOCASE"
            ).fetchall()
            actors = [(a.name, a.kind, a.mentions) for a in list_actors(archive, limit=40)]
            saved = list_saved_searches(archive)
            briefings = list_briefings(archive)
            return {
                "briefings": [(b.id, b.title) for b in briefings[:RECENT_BRIEFINGS]],
                "briefing_count": len(briefings),
                "saved": [(each.name, _count_or_none(archive, each.query)) for each in saved],
                "saved_queries": [(each.name, each.query) for each in saved],
                "stats": stats,
                "tags": tags,
                "sources": sources,
                "actors": actors,
                "reading": reading_counts(archive),
            }

        self._overview_ticket = self.read(overview, self._show_overview)

    def _show_overview(self, overview: dict[str, Any]) -> None:
        self._refreshing = False
        if self._refresh_again:
            self.refresh_library()
        self._overview = overview
        stats = overview["stats"]
        self.library.clear()
        everything = QtWidgets.QTreeWidgetItem([f"All articles  ({stats.articles})"])
        everything.setData(0, QtCore.Qt.ItemDataRole.UserRole, "")
        everything.setIcon(0, icon("fa5s.newspaper"))
        self.library.addTopLevelItem(everything)
        unread, starred = overview["reading"]
        for label, icon_name, count, key in (
            ("Unread", "fa5s.envelope", unread, "unread"),
            ("Starred", "fa5s.star", starred, "starred"),
        ):
            item = QtWidgets.QTreeWidgetItem([f"{label}  ({count})"])
            item.setIcon(0, icon(icon_name))
            item.setData(0, list_role(), key)
            self.library.addTopLevelItem(item)
        for title, icon_name, rows, prefix in (
            ("Tags", "fa5s.tags", overview["tags"], "tag"),
            ("Sources", "fa5s.rss", overview["sources"], "source"),
            ("Actors", "fa5s.users", [(n, c) for n, _, c in overview["actors"]], "actor"),
            ("Saved searches", "fa5s.search", overview["saved"], "saved"),
        ):
            group = QtWidgets.QTreeWidgetItem([title])
            group.setIcon(0, icon(icon_name))
            for name, count in rows:
                child = QtWidgets.QTreeWidgetItem([f"{name}  ({'?' if count is None else count})"])
                child.setData(0, QtCore.Qt.ItemDataRole.UserRole, (prefix, name))
                group.addChild(child)
            self.library.addTopLevelItem(group)
            group.setExpanded(prefix != "actor")
        briefings = QtWidgets.QTreeWidgetItem([f"Briefings  ({overview['briefing_count']})"])
        briefings.setIcon(0, icon("fa5s.file-alt"))
        for briefing_id, title in overview["briefings"]:
            child = QtWidgets.QTreeWidgetItem([title])
            child.setData(0, QtCore.Qt.ItemDataRole.UserRole, ("briefing", briefing_id))
            briefings.addChild(child)
        self.library.addTopLevelItem(briefings)
        briefings.setExpanded(True)
        self.statusBar().showMessage(
            f"{stats.articles} articles · {stats.sources} sources · {stats.words:,} words"
        )

    def _update_reading_counts(self) -> None:
        """The Unread and Starred counts change as articles are opened and starred."""
        from briefing_app.core.articles import reading_counts

        def show(counts: tuple[int, int]) -> None:
            for index in range(self.library.topLevelItemCount()):
                item = self.library.topLevelItem(index)
                which = item.data(0, list_role()) if item is not None else None
                if item is not None and which is not None:
                    label = "Unread" if which == "unread" else "Starred"
                    item.setText(0, f"{label}  ({counts[0] if which == 'unread' else counts[1]})")

        self.read(reading_counts, show)

    def _on_library_item(self, item: QtWidgets.QTreeWidgetItem) -> None:
        which = item.data(0, list_role())
        if which is not None:
            self.search_field.blockSignals(True)
            self.search_field.clear()
            self.search_field.blockSignals(False)
            self.filters.clear()
            self._show_list(self._page_of_all(**{which: True}))
            return
        choice = item.data(0, QtCore.Qt.ItemDataRole.UserRole)
        if choice == "":
            self.search_field.clear()
            self.filters.clear()
            self.search_now()
        elif choice is not None and choice[0] == "briefing":
            self.open_briefing(choice[1])
        elif choice is not None and choice[0] == "saved":
            query = next(q for name, q in self._overview["saved_queries"] if name == choice[1])
            self.filters.clear()
            self.search_field.setText(query)
        elif choice is not None:
            self.filters.set_filter(*choice)

    def current_query(self) -> str:
        """What the search runs: the words typed and the filter chips."""
        parts = (self.search_field.text().strip(), self.filters.query())
        return " ".join(part for part in parts if part)

    def save_search(self) -> None:
        from briefing_app.core.saved_searches import save_search

        query = self.current_query()
        if not query:
            self.statusBar().showMessage("Type a search or choose a filter first.", 4000)
            return
        name, accepted = QtWidgets.QInputDialog.getText(
            self, "Save search", "Name:", text=query[:40]
        )
        if accepted and name.strip():
            self.edit("Save search", lambda archive: save_search(archive, name, query))

    def _library_menu(self, position: Any) -> None:
        from briefing_app.core.briefings import delete_briefing
        from briefing_app.core.saved_searches import delete_saved_search

        item = self.library.itemAt(position)
        choice = item.data(0, QtCore.Qt.ItemDataRole.UserRole) if item is not None else None
        if not isinstance(choice, tuple) or choice[0] not in ("saved", "briefing"):
            return
        kind, key = choice
        text = "Delete saved search" if kind == "saved" else "Delete briefing"
        menu = QtWidgets.QMenu(self)
        menu.addAction(
            text,
            lambda: self.edit(
                text,
                lambda archive: (
                    delete_saved_search(archive, key)
                    if kind == "saved"
                    else delete_briefing(archive, key)
                ),
            ),
        )
        menu.exec(self.library.viewport().mapToGlobal(position))

    # Briefings ---------------------------------------------------------------------------

    def new_briefing(self) -> None:
        """A briefing of what is in front of the user: the search or filters if any, else
        the open article (more can be added in the composer)."""
        from briefing_app.core.briefings import Selection, create_briefing

        query = self.current_query()
        if query:
            selection = Selection("search", query=query)
            title = f"Briefing: {query}"
        elif self.shown is not None:
            selection = Selection("articles", article_ids=(self.shown[0].id,))
            title = f"Briefing: {self.shown[0].title}"
        else:
            selection = Selection("all")
            title = "Briefing"
        self.edit(
            "New briefing",
            lambda archive: create_briefing(archive, title[:120], selection),
            lambda briefing: self.open_briefing(briefing.id),
        )

    def open_briefing(self, briefing_id: int) -> None:
        from briefing_app.core.briefings import article_titles, get_briefing

        def load(archive: Archive) -> tuple[Any, dict[int, str]]:
            briefing = get_briefing(archive, briefing_id)
            return briefing, article_titles(archive.conn, briefing.selection.article_ids)

        def show(loaded: tuple[Any, dict[int, str]]) -> None:
            from briefing_app.ui.briefing import BriefingComposer

            shown = self.composer
            if shown is not None and shown.isVisible() and shown.briefing.id == briefing_id:
                shown.raise_()  # a double-click asks twice
                return
            self.composer = BriefingComposer(self, *loaded)
            self.composer.show()

        self.read(load, show)

    def listed_articles(self) -> list[tuple[int, str]]:
        """The articles loaded in the list, in its order."""
        return [
            (summary.id, summary.title)
            for summary in (self.model.summary(row) for row in range(self.model.rowCount()))
            if summary is not None
        ]

    def _filter_choices(self, kind: str) -> list[str]:
        """Values offered in a filter's menu, from the library as last shown."""
        overview = self._overview
        if kind in ("actor", "speaker"):
            return [name for name, _kind, _count in overview.get("actors", [])]
        return [name for name, _count in overview.get(f"{kind}s", [])]

    def _sort_by(self, key: str, descending: bool) -> None:
        if self.current_query():
            self.statusBar().showMessage("Search results are in order of relevance.", 4000)
            return
        self._sort = (key, descending)
        self._show_list(self._page_of_all(**self._list_kind))

    def _page_of_all(self, *, starred: bool = False, unread: bool = False) -> Callable[..., None]:
        from briefing_app.core.articles import list_articles

        self._list_kind = {"starred": starred, "unread": unread}
        sort, descending = self._sort

        def load(offset: int, limit: int, deliver: Callable[..., None]) -> None:
            generation = self._generation

            def done(rows: list[ArticleSummary]) -> None:
                if generation == self._generation:  # not a page of a list since replaced
                    deliver(rows, [""] * len(rows))

            self.read(
                lambda archive: list_articles(
                    archive,
                    limit=limit,
                    offset=offset,
                    starred=starred,
                    unread=unread,
                    sort=sort,
                    descending=descending,
                ),
                done,
            )

        return load

    def _show_list(self, loader: Callable[..., None], *, snippets: bool = False) -> None:
        """A new list in the middle; search results get a second line for the snippet."""
        lines = 1.9 if snippets else 1
        self.table.verticalHeader().setDefaultSectionSize(int(self._row_height * lines))
        self._generation += 1
        self.model.reset(loader)
        self.model.fetchMore()

    def search_now(self) -> None:
        """A newer query makes older ones stale: their results are dropped."""
        text = self.current_query()
        self.search_message.clear()
        if not text:
            self._search_ticket = 0
            self._show_list(self._page_of_all())
            return
        from briefing_app.core.search import search

        def load(offset: int, limit: int, deliver: Callable[..., None]) -> None:
            generation = self._generation

            def job(archive: Archive) -> Any:
                return search(archive, text, limit=limit, offset=offset, with_total=offset == 0)

            def done(results: Any) -> None:
                if generation != self._generation:
                    return
                from briefing_app.ui.article_list import snippet_html

                rows: list[ArticleSummary] = [hit.article for hit in results.hits]
                deliver(rows, [snippet_html(hit.snippet, hit.marks) for hit in results.hits])
                if results.total is not None:
                    plural = "" if results.total == 1 else "s"
                    self.search_message.setText(f"{results.total:,} result{plural}")

            self._search_ticket = self.read(job, done)

        self._show_list(load, snippets=True)

    # Reader ------------------------------------------------------------------------------

    def open_article(self, article_id: int | None) -> None:
        """Show the article; opening it marks it read."""
        from briefing_app.core.articles import set_read

        if article_id is None:
            return
        self.open_article_id = article_id
        self.read(lambda archive: _article_view(archive, article_id), self._show_article)
        self.run(lambda archive: set_read(archive, article_id, True),
                 lambda _: self._update_reading_counts())  # fmt: skip

    def toggle_star(self) -> None:
        from briefing_app.core.articles import set_starred

        if self.shown is None:
            return
        article_id, starred = self.shown[0].id, not self.shown[0].starred
        self.edit(
            "Star" if starred else "Unstar",
            lambda archive: set_starred(archive, article_id, starred),
        )

    def edit_tags(self) -> None:
        """The open article's tags, as a comma-separated list."""
        from briefing_app.core.articles import tag_article, untag_article

        if self.shown is None:
            return
        article = self.shown[0]
        text, accepted = QtWidgets.QInputDialog.getText(
            self, "Tags", "Tags (separated by commas):", text=", ".join(article.tags)
        )
        if not accepted:
            return
        wanted = {tag.strip() for tag in text.split(",") if tag.strip()}
        old = set(article.tags)

        def retag(archive: Archive) -> None:
            for tag in sorted(old - wanted):
                untag_article(archive, article.id, tag)
            for tag in sorted(wanted - old):
                tag_article(archive, article.id, tag)

        self.edit("Edit tags", retag)

    def edit(
        self,
        text: str,
        action: Callable[[Archive], Any],
        then: Callable[[Any], None] | None = None,
        *,
        library: bool = True,
    ) -> None:
        """A user action: written at once, and undoable."""
        from briefing_app.ui.commands import ArchiveEdit

        self.undo_stack.push(ArchiveEdit(self, text, action, then, library=library))

    def after_edit(self, *, library: bool) -> None:
        self.reload_article()
        if library:
            self.refresh_library()

    def _show_article(self, view: Any) -> None:
        from briefing_app.core.reading import DARK, LIGHT, article_html

        article, extraction, highlights = view
        if article.id != self.open_article_id:
            return  # a newer article was asked for meanwhile
        self.shown = view
        self.star_action.setIcon(icon("fa5s.star" if article.starred else "fa5.star"))
        dark = self.palette().window().color().lightness() < 128
        scroll = self.reader.verticalScrollBar().value()
        self.reader.show_article(
            article_html(
                article,
                extraction,
                highlights=[(h.start, h.end, h.colour) for h in highlights if not h.orphan],
                layers=frozenset(self.layers),
                palette=DARK if dark else LIGHT,
            ),
            article.body,
        )
        self.reader.verticalScrollBar().setValue(scroll)
        self.panel.fill(extraction, highlights)

    def highlight_selection(self) -> None:
        span = self.reader.selection_span()
        if span is None or self.open_article_id is None:
            self.statusBar().showMessage("Select some text of the article first.", 4000)
            return
        self.annotating.highlight(span, "yellow")

    def reload_article(self) -> None:
        if self.open_article_id is not None:
            self.open_article(self.open_article_id)

    def set_layer(self, layer: str, on: bool) -> None:
        (self.layers.add if on else self.layers.discard)(layer)
        if self.shown is not None:
            self._show_article(self.shown)

    # Importing ---------------------------------------------------------------------------

    def _import_files(self) -> None:
        paths, _ = QtWidgets.QFileDialog.getOpenFileNames(self, "Import articles")
        if paths:
            self.import_paths([Path(path) for path in paths])

    def _import_folder(self) -> None:
        folder = QtWidgets.QFileDialog.getExistingDirectory(self, "Import a folder")
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> None:
        """Import off the UI thread with a progress dialog that can cancel; the list
        updates as articles arrive and failures are listed at the end."""
        from briefing_app.core.importing import import_paths

        cancelled = threading.Event()
        self.cancel_import = cancelled.set
        dialog = QtWidgets.QProgressDialog("Importing…", "Cancel", 0, 0, self)
        dialog.setWindowTitle("Import")
        dialog.setMinimumDuration(300)
        dialog.canceled.connect(cancelled.set)
        self.import_dialog = dialog

        def job(archive: Archive) -> Any:
            def progress(done: int, total: int, path: str) -> None:
                self.import_progress.emit(done, total)

            return import_paths(
                archive, paths, on_progress=progress, should_cancel=cancelled.is_set
            )

        def report(result: Any) -> None:
            dialog.reset()
            self.last_import = result
            self.refresh()
            lines = [f"{f.origin}: {f.message}" for f in result.failures[:20]]
            if result.cancelled:
                lines.insert(0, f"Cancelled after {len(result.imported)} articles.")
            if lines:
                self.statusBar().showMessage(lines[0], 8000)
                if result.failures:
                    QtWidgets.QMessageBox.warning(self, "Import", "\n".join(lines))

        self.run(job, report)

    def _on_import_progress(self, done: int, total: int) -> None:
        dialog = getattr(self, "import_dialog", None)
        if dialog is not None:
            dialog.setMaximum(total)
            dialog.setValue(done)
        if done % 25 == 0 and not self._refreshing:
            self.refresh()  # the list grows while a large import runs

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.import_paths(paths)

    def paste_article(self) -> None:
        """Text or HTML on the clipboard becomes a new article."""
        from briefing_app.core.importing import ImportReport, import_document

        mime = QtWidgets.QApplication.clipboard().mimeData()
        if mime.hasHtml():
            data, name = mime.html().encode("utf-8"), "clipboard.html"
        elif mime.hasText():
            data, name = mime.text().encode("utf-8"), "clipboard.txt"
        else:
            self.statusBar().showMessage("The clipboard holds no text.", 4000)
            return

        def job(archive: Archive) -> ImportReport:
            from briefing_app.core.annotations import Annotator

            report = ImportReport()
            import_document(archive, name, data, report, annotator=Annotator(archive))
            return report

        def done(report: ImportReport) -> None:
            self.refresh()
            if report.failures:
                QtWidgets.QMessageBox.warning(self, "Paste", report.failures[0].message)

        self.run(job, done)


def _nothing(_: object) -> None:
    """A job that only marks a place in the writer's queue (or a callback with nothing to do)."""


def _load_samples(archive: Archive) -> None:
    from briefing_app.core.samples import load_samples_once

    load_samples_once(archive)


def _count_or_none(archive: Archive, query: str) -> int | None:
    """How many articles a saved search finds now (None if it no longer reads)."""
    from briefing_app.core.errors import InvalidSearch
    from briefing_app.core.search import search

    try:
        return search(archive, query, limit=1, with_total=True).total
    except InvalidSearch:
        return None


def _article_view(archive: Archive, article_id: int) -> Any:
    from briefing_app.core.annotations import stored_extraction
    from briefing_app.core.articles import get_article
    from briefing_app.core.highlights import list_highlights

    return (
        get_article(archive, article_id),
        stored_extraction(archive, article_id),
        list_highlights(archive, article_id),
    )
