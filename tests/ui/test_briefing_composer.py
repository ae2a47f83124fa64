"""The briefing composer: made from what is on screen, a live preview while typing, saved in
the archive, exported in three formats, and the same markdown as the command line."""

import subprocess
import sys

import pytest


def _compose(window, qtbot, query):
    window.search_field.setText(query)
    window.search_now()
    qtbot.waitUntil(lambda: not window.busy and window.model.rowCount() > 0, timeout=10000)
    window.new_briefing()
    qtbot.waitUntil(lambda: getattr(window, "composer", None) is not None, timeout=10000)
    composer = window.composer
    qtbot.waitUntil(lambda: not window.busy and composer.rendered is not None, timeout=20000)
    return composer


def test_a_briefing_of_the_search_previews_while_typing_and_is_kept(window, qtbot):
    composer = _compose(window, qtbot, "netizens")
    assert composer.briefing.selection.kind == "search"
    assert "brotherly bond" in composer.preview.toPlainText()
    composer.editors["summary"].setPlainText("Moscow and Pyongyang draw **closer**.")
    qtbot.waitUntil(
        lambda: "Moscow and Pyongyang draw closer" in composer.preview.toPlainText(),
        timeout=10000,
    )
    qtbot.waitUntil(
        lambda: any(
            window.library.topLevelItem(i).text(0) == "Briefings  (1)"
            for i in range(window.library.topLevelItemCount())
        ),
        timeout=10000,
    )
    from briefing_app.core.archive import Archive
    from briefing_app.core.briefings import list_briefings

    composer.close()
    window.close()
    with Archive.open(window.worker._path) as archive:
        (kept,) = list_briefings(archive)
    assert kept.sections["summary"] == "Moscow and Pyongyang draw **closer**."


def test_explicit_articles_keep_the_users_order(window, qtbot):
    composer = _compose(window, qtbot, "Putin OR mackerel OR Mekong")
    composer.kind.setCurrentIndex(composer.kind.findData("articles"))
    composer.articles.clear()
    composer.add_listed_articles()
    titles = [composer.articles.item(r).text() for r in range(composer.articles.count())]
    assert len(titles) >= 2
    moved = composer.articles.takeItem(composer.articles.count() - 1)
    composer.articles.insertItem(0, moved)
    composer._changed()
    qtbot.waitUntil(
        lambda: (
            not window.busy
            and composer.rendered is not None
            and composer.briefing.selection.article_ids[:1] == (moved.data(256),)
        ),
        timeout=10000,
    )
    markdown = composer.rendered.markdown
    sources = markdown[markdown.rindex("Sources") :]
    assert sources.index(moved.text()[:30]) < sources.index(titles[0][:30])


def test_exports_and_the_command_line_gives_the_same_markdown(window, qtbot, tmp_path):
    from briefing_app.core.briefing import write_atomically

    composer = _compose(window, qtbot, "netizens")
    briefing = composer.current()
    for fmt in ("md", "html", "pdf"):
        composer.export_to(tmp_path / f"b.{fmt}", fmt, briefing, write_atomically)
        qtbot.waitUntil(lambda f=fmt: (tmp_path / f"b.{f}").exists(), timeout=20000)
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")
    page = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert "<style" in page and "http://" not in page and "https://" not in page
    window.close()
    cli = subprocess.run(
        [sys.executable, "-m", "briefing_app", "brief", "--db", str(window.worker._path),
         "--query", "netizens", "--title", briefing.title, "--template", briefing.template,
         "--out", str(tmp_path / "cli.md")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    assert (tmp_path / "cli.md").read_text(encoding="utf-8") == (tmp_path / "b.md").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("shortcut", ["Ctrl+E"])
def test_the_shortcut_makes_a_briefing(window, qtbot, shortcut):
    from PySide6.QtGui import QKeySequence

    action = next(
        a for a in window.findChildren(type(window.star_action))
        if a.shortcut() == QKeySequence(shortcut)
    )  # fmt: skip
    assert action.text() == "&New briefing…"


def test_opening_a_briefing_leaves_it_as_it_was_and_quitting_keeps_the_last_typing(
    window, qtbot, tmp_path
):
    from briefing_app.core.archive import Archive
    from briefing_app.core.briefings import get_briefing

    composer = _compose(window, qtbot, "netizens")
    briefing_id = composer.briefing.id
    composer.close()
    with Archive.open(tmp_path / "archive.db") as archive:
        before = get_briefing(archive, briefing_id)

    window.open_briefing(briefing_id)
    qtbot.waitUntil(lambda: window.composer is not composer, timeout=10000)
    reopened = window.composer
    qtbot.waitUntil(lambda: not window.busy and reopened.rendered is not None, timeout=20000)
    with Archive.open(tmp_path / "archive.db") as archive:
        assert get_briefing(archive, briefing_id) == before  # not even its time changed

    reopened.editors["outlook"].setPlainText("Typed just before quitting.")
    assert reopened.timer.isActive()
    window.close()
    with Archive.open(tmp_path / "archive.db") as archive:
        assert get_briefing(archive, briefing_id).sections["outlook"] == (
            "Typed just before quitting."
        )
