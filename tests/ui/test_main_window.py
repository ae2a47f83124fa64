"""The desktop app, offscreen: list, reader layers, search as you type, screenshot."""

import subprocess
import sys

import pytest

pytest.importorskip("PySide6.QtWidgets", reason="the desktop app needs PySide6")

from briefing_app.core.models import ArticleSummary
from briefing_app.core.reading import LIGHT
from briefing_app.ui.article_list import PAGE, ArticleListModel
from briefing_app.ui.main_window import MainWindow


def test_list_model_loads_pages_on_demand(qtmodeltester):
    pages: list[tuple[int, int]] = []

    def load(offset, limit, deliver):
        pages.append((offset, limit))
        rows = [
            ArticleSummary(i, f"Article {i}", "Wire", "2025-09-04", 600)
            for i in range(offset, min(offset + limit, 450))
        ]
        deliver(rows, [""] * len(rows))

    model = ArticleListModel(load)
    assert model.rowCount() == 0 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 450 and pages == [(0, PAGE), (PAGE, PAGE), (2 * PAGE, PAGE)]
    qtmodeltester.check(model)


def test_opening_an_article_renders_every_layer_and_layers_toggle(window, qtbot):
    row = next(
        r for r in range(window.model.rowCount()) if "Putin" in window.model.index(r, 0).data()
    )
    window.table.selectRow(row)
    qtbot.waitUntil(lambda: "Diaoyutai" in window.reader.toPlainText(), timeout=10000)
    html = window.reader.toHtml()
    for layer in ("person", "country", "place", "quotes"):
        assert LIGHT.layers[layer] in html, layer
    assert "— Vladimir Putin" in window.reader.toPlainText()  # the speaker of a quote
    window.layer_actions["person"].setChecked(False)
    assert LIGHT.layers["person"] not in window.reader.toHtml()
    assert LIGHT.layers["country"] in window.reader.toHtml()


def test_search_as_you_type_drops_stale_queries(window, qtbot):
    window.search_field.setText("Putin")
    window.search_now()
    window.search_field.setText("mackerel")
    window.search_now()  # the older query's page must not land in the list
    qtbot.waitUntil(lambda: not window.busy, timeout=10000)
    titles = [window.model.index(r, 0).data() for r in range(window.model.rowCount())]
    assert len(titles) == 1 and "mackerel" in titles[0]
    assert window.search_message.text() == "1 result"


def test_an_invalid_query_gets_a_clear_message(window, qtbot):
    window.search_field.setText('"unclosed')
    window.search_now()
    qtbot.waitUntil(lambda: window.search_message.text() != "", timeout=10000)
    assert "never closed" in window.search_message.text()


def test_screenshot_command_saves_a_png(tmp_path):
    out = tmp_path / "window.png"
    result = subprocess.run(
        [sys.executable, "-m", "briefing_app", "gui", "--db", str(tmp_path / "a.db"),
         "--screenshot", str(out), "--size", "1000x700"],
        capture_output=True, text=True, timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_pyside6_survives_twenty_thousand_void_calls():
    """PySide6 6.12.0 on CPython 3.11 corrupts None's reference count on every call that
    returns nothing, and the process aborts after about 5,000 of them."""
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "app = QApplication([])\n"
        "label = QLabel()\n"
        "before = sys.getrefcount(None)\n"
        "for number in range(20000):\n"
        "    label.setText(str(number))\n"
        "    label.setVisible(False)\n"
        "print(abs(sys.getrefcount(None) - before) < 1000)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "True"


def test_no_arguments_opens_the_app(monkeypatch):
    from click.testing import CliRunner

    import briefing_app.ui.app as app_module
    from briefing_app.cli import main

    calls = []
    monkeypatch.setattr(app_module, "run", lambda db, **options: calls.append(options) or 0)
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0 and calls and calls[0]["screenshot"] is None


def test_highlight_undo_redo_and_it_survives_a_restart(window, qtbot, tmp_path):
    from PySide6.QtGui import QTextCursor

    from briefing_app.core.reading import HIGHLIGHT_COLOURS

    row = next(
        r for r in range(window.model.rowCount()) if "Putin" in window.model.index(r, 0).data()
    )
    window.table.selectRow(row)
    qtbot.waitUntil(lambda: "Diaoyutai" in window.reader.toPlainText(), timeout=10000)
    document = window.reader.document()
    found = document.find("brotherly bond")
    cursor = QTextCursor(found)
    window.reader.setTextCursor(cursor)
    body = window.shown[0].body
    start, end = window.reader.selection_span()
    assert body[start:end] == "brotherly bond"

    yellow = HIGHLIGHT_COLOURS["yellow"][0]
    window.highlight_selection()
    qtbot.waitUntil(lambda: yellow in window.reader.toHtml(), timeout=10000)
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: yellow not in window.reader.toHtml(), timeout=10000)
    window.undo_stack.redo()
    qtbot.waitUntil(lambda: yellow in window.reader.toHtml(), timeout=10000)
    window.close()

    again = MainWindow(tmp_path / "archive.db")
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.model.rowCount() == 4 and not again.busy, timeout=20000)
    again.open_article(window.open_article_id)
    qtbot.waitUntil(lambda: yellow in again.reader.toHtml(), timeout=10000)
    again.close()


def test_article_panel_lists_actors_quotes_and_steps_through_mentions(window, qtbot):
    row = next(
        r for r in range(window.model.rowCount()) if "Putin" in window.model.index(r, 0).data()
    )
    window.table.selectRow(row)
    tree = window.panel.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() > 0, timeout=10000)
    groups = {
        tree.topLevelItem(i).text(0).split("  ")[0]: tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
    }
    assert {"People", "Countries", "Places", "Quotes"} <= set(groups)
    people = [groups["People"].child(i).text(0) for i in range(groups["People"].childCount())]
    assert any(text.startswith("Kim Jong Un  (") for text in people)
    quotes = [groups["Quotes"].child(i).text(0) for i in range(groups["Quotes"].childCount())]
    assert "“brother nations,” — Kim Jong Un" in quotes
    putin = next(
        groups["People"].child(i)
        for i in range(groups["People"].childCount())
        if groups["People"].child(i).text(0).startswith("Vladimir Putin")
    )
    body = window.shown[0].body
    window.panel._on_click(putin)
    first = window.reader.selection_span()
    assert body[slice(*first)] in ("Putin", "Vladimir Putin", "President Vladimir Putin")
    window.panel._on_click(putin)
    second = window.reader.selection_span()
    assert second[0] > first[0] and body[slice(*second)].endswith("Putin")  # the next mention


def test_import_off_the_ui_thread_with_cancel_and_paste(window, qtbot, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    for number in range(200):
        (folder / f"story-{number:02}.txt").write_text(
            f"Harbour story {number}\n\nDock workers met on day {number} to discuss pay and "
            f"shifts; talks number {number} ended without a deal.\n",
            encoding="utf-8",
        )
    window.import_paths([folder])
    window.cancel_import()  # as the dialog's Cancel does: the rest is left out
    qtbot.waitUntil(lambda: hasattr(window, "last_import") and not window.busy, timeout=20000)
    first = window.last_import
    assert first.cancelled and len(first.imported) < 200

    window.import_paths([folder])
    qtbot.waitUntil(lambda: window.last_import is not first and not window.busy, timeout=20000)
    assert not window.last_import.cancelled
    assert len(first.imported) + len(window.last_import.imported) == 200

    def all_articles():
        return window.library.topLevelItem(0).text(0) if window.library.topLevelItemCount() else ""

    qtbot.waitUntil(lambda: all_articles() == "All articles  (204)", timeout=10000)

    from PySide6.QtWidgets import QApplication

    QApplication.clipboard().setText("Pasted headline\n\nA pasted paragraph about ferries.")
    window.paste_article()
    qtbot.waitUntil(lambda: all_articles() == "All articles  (205)", timeout=10000)


def test_a_note_is_written_through_the_dialog_rendered_as_markdown_and_undone(
    window, qtbot, monkeypatch
):
    from briefing_app.core.highlights import add_highlight
    from briefing_app.ui import annotate

    row = next(
        r for r in range(window.model.rowCount()) if "Putin" in window.model.index(r, 0).data()
    )
    article_id = window.model.article_id(row)
    # Written by the writer; the article is read (on the reader) once that is done.
    window.run(
        lambda archive: add_highlight(archive, article_id, 0, 10),
        lambda _: window.table.selectRow(row),
    )
    qtbot.waitUntil(lambda: "Highlights  (1)" in _panel_groups(window), timeout=10000)

    class Answer:
        def __init__(self, *args, **kwargs):
            pass

        def exec(self):
            return annotate.QDialog.DialogCode.Accepted

        def values(self):
            return "green", "lead", "**Lead** sentence <script>x()</script>"

    monkeypatch.setattr(annotate, "HighlightDialog", Answer)
    window.annotating.edit_highlight(window.shown[2][0])
    qtbot.waitUntil(lambda: any("[lead]" in text for text in _panel_texts(window)), timeout=10000)
    tree = window.panel.tree
    item = next(
        tree.topLevelItem(i).child(0)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0).startswith("Highlights")
    )
    tree.setCurrentItem(item)
    rendered = window.panel.note.toHtml()
    assert "font-weight:700" in rendered and "Lead" in rendered  # bold, from markdown
    assert "<script" not in rendered and "x()" not in window.panel.note.toPlainText()
    window.undo_stack.undo()
    qtbot.waitUntil(
        lambda: not any("[lead]" in text for text in _panel_texts(window)), timeout=10000
    )


def _panel_groups(window):
    tree = window.panel.tree
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def _panel_texts(window):
    texts = []
    tree = window.panel.tree
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        texts.extend(group.child(j).text(0) for j in range(group.childCount()))
    return texts


def test_opening_marks_read_and_star_shows_in_the_library(window, qtbot):
    def library(label):
        for index in range(window.library.topLevelItemCount()):
            item = window.library.topLevelItem(index)
            if item.text(0).startswith(label):
                return item
        return None

    assert library("Unread").text(0) == "Unread  (4)"
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: library("Unread").text(0) == "Unread  (3)", timeout=10000)
    window.toggle_star()
    qtbot.waitUntil(lambda: library("Starred").text(0) == "Starred  (1)", timeout=10000)
    window._on_library_item(library("Starred"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 1 and not window.busy, timeout=10000)
    assert window.model.article_id(0) == window.shown[0].id


def test_filter_chips_narrow_the_search_and_come_off(window, qtbot):
    from briefing_app.ui.article_list import SNIPPET_ROLE

    def titles():
        return [window.model.index(r, 0).data() for r in range(window.model.rowCount())]

    window.filters.set_filter("speaker", "Vladimir Putin")
    window.search_now()
    qtbot.waitUntil(lambda: not window.busy and window.search_message.text() == "1 result")
    assert len(titles()) == 1 and "Putin" in titles()[0]
    window.search_field.setText("netizens")
    window.search_now()
    qtbot.waitUntil(lambda: not window.busy and window.search_message.text() == "1 result")
    assert "<b>netizens</b>" in window.model.index(0, 0).data(SNIPPET_ROLE).lower()
    from datetime import date

    window.filters._since(7, "Past week", today=date(2030, 1, 1))
    window.search_now()
    qtbot.waitUntil(lambda: not window.busy and window.search_message.text() == "0 results")
    window.filters.remove("date")
    window.filters.remove("speaker")
    window.search_field.clear()
    window.search_now()
    qtbot.waitUntil(lambda: not window.busy and window.model.rowCount() == 4)
    assert window.filters.query() == ""


def test_the_filter_menu_asks_for_a_value_from_the_library(window, monkeypatch):
    from briefing_app.ui import filters

    offered = []

    def choose(parent, title, label, items, *rest):
        offered.extend(items)
        return "arctic", True

    monkeypatch.setattr(filters.QInputDialog, "getItem", choose)
    tag = next(a for a in window.filters.add_button.menu().actions() if a.text() == "Tag…")
    tag.trigger()
    assert "arctic" in offered and window.filters.query() == 'tag:"arctic"'


def test_a_search_is_saved_listed_with_its_count_run_again_and_undone(window, qtbot, monkeypatch):
    from briefing_app.ui import main_window

    def saved_items():
        for index in range(window.library.topLevelItemCount()):
            group = window.library.topLevelItem(index)
            if group.text(0) == "Saved searches":
                return [group.child(i) for i in range(group.childCount())]
        return []

    window.search_field.setText("netizens")
    window.filters.set_filter("tag", "sample")
    monkeypatch.setattr(
        main_window.QtWidgets.QInputDialog, "getText", lambda *a, **k: ("Online", True)
    )
    window.save_search()
    qtbot.waitUntil(lambda: [i.text(0) for i in saved_items()] == ["Online  (1)"])
    window.search_field.clear()
    window.filters.clear()
    window._on_library_item(saved_items()[0])
    assert window.current_query() == 'netizens tag:"sample"'
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: not window.busy and saved_items() == [])


def test_columns_sort_in_the_archive_and_show_actor_counts(window, qtbot):
    from PySide6.QtCore import Qt

    def column(number):
        return [window.model.index(r, number).data() for r in range(window.model.rowCount())]

    assert window.model.headerData(3, Qt.Orientation.Horizontal) == "Actors"
    assert all(count > 3 for count in column(3))
    window.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: not window.busy and column(0) == sorted(column(0), key=str.casefold))
    window.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not window.busy and column(3) == sorted(column(3), reverse=True))
    assert len(column(3)) == 4


def test_search_answers_while_the_writer_is_busy(window, qtbot):
    """A long import holds the writer; the list and the search read on their own connection."""
    import threading

    release = threading.Event()
    window.run(lambda archive: release.wait(30), lambda _: None)  # the writer, held
    try:
        window.search_field.setText("mackerel")
        window.search_now()
        qtbot.waitUntil(lambda: window.search_message.text() == "1 result", timeout=10000)
        assert "mackerel" in window.model.index(0, 0).data().lower()
    finally:
        release.set()
    qtbot.waitUntil(lambda: not window.busy, timeout=10000)
