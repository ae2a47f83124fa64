"""The reading view's way between screen and text, and the corrections made from it."""

import pytest

pytest.importorskip("PySide6.QtWidgets", reason="the desktop app needs PySide6")

from briefing_app.core.extract import Extraction, Mention, Quote
from briefing_app.core.extract.registry import Actor
from briefing_app.core.models import Article
from briefing_app.core.reading import LAYERS, LIGHT, article_html
from briefing_app.ui.app import application
from briefing_app.ui.reader import ReaderView

BODY = (
    "Kim met  Putin 🙂 in Beijing.\n\n"
    "“We are brothers,” Putin said.\n"
    "\tA tabbed line with Kim again.\n\n\n"
    "After a blank gap: 𝔘nicode and Putin."
)
PUTIN = Actor("#1", "Vladimir Putin", "person")
KIM = Actor("#2", "Kim Jong Un", "person")


def spans(text, word):
    start = -1
    while (start := text.find(word, start + 1)) != -1:
        yield start, start + len(word)


@pytest.fixture
def reader(qtbot):
    application()
    view = ReaderView()
    qtbot.addWidget(view)
    article = Article(1, "Title", None, "Wire", None, None, "2025-09-03", "", None, BODY, 20,
                      "h", None)  # fmt: skip
    quote_start = BODY.index("“") + 1
    extraction = Extraction(
        mentions=[Mention(s, e, "Putin", PUTIN, "") for s, e in spans(BODY, "Putin")]
        + [Mention(s, e, "Kim", KIM, "") for s, e in spans(BODY, "Kim")],
        quotes=[Quote(quote_start, quote_start + 16, "We are brothers,", PUTIN, cue="said")],
    )
    view.show_article(
        article_html(article, extraction, layers=frozenset(LAYERS), palette=LIGHT), BODY
    )
    view.resize(600, 400)
    view.show()
    return view


def test_every_offset_maps_to_the_screen_and_back(reader):
    """Across double spaces, tabs, blank lines, an emoji and a letter outside the BMP, and
    past the speaker label the reader adds."""
    for offset in range(len(BODY) + 1):
        if BODY[offset - 1 : offset + 1] == "\n\n":
            continue  # between the two breaks of a blank line: not a place on screen
        position = reader.document_position(offset)
        assert reader.body_offset(position) == offset, (offset, BODY[offset : offset + 10])


def test_selecting_a_span_selects_exactly_that_text(reader):
    for start, end in [*spans(BODY, "Putin"), *spans(BODY, "Kim"), *spans(BODY, "𝔘nicode")]:
        reader.select_span(start, end)
        assert reader.selection_span() == (start, end)
        assert reader.textCursor().selectedText() == BODY[start:end]


def test_the_speaker_label_is_a_quiet_link_that_is_not_counted(reader):
    from PySide6.QtGui import QColor

    document = reader.document()
    label = document.find(" — Vladimir Putin")
    assert not label.isNull()
    fragment_format = label.charFormat()
    assert fragment_format.anchorHref() == "speaker:Vladimir Putin"
    assert fragment_format.foreground().color() == QColor(LIGHT.muted)
    assert not fragment_format.fontUnderline()
    after = BODY.index(" Putin said")
    assert reader.body_offset(label.selectionEnd()) == after


def _open_summit(window, qtbot):
    row = next(
        r for r in range(window.model.rowCount()) if "Putin" in window.model.index(r, 0).data()
    )
    window.table.selectRow(row)
    qtbot.waitUntil(lambda: "Diaoyutai" in window.reader.toPlainText(), timeout=10000)
    return window.shown[0].body


def _mention(window, text):
    return next(m for m in window.shown[1].mentions if m.text == text)


def _when_done(window, qtbot, check):
    qtbot.waitUntil(lambda: not window.busy and check(), timeout=10000)


def test_correcting_an_actor_re_renders_and_undoes(window, qtbot):
    body = _open_summit(window, qtbot)
    weibo = _mention(window, "Weibo")
    window.annotating.change_kind(weibo.actor.name, "group")
    _when_done(window, qtbot, lambda: _mention(window, "Weibo").actor.kind == "group")
    window.annotating.not_an_actor_here(weibo.start)
    _when_done(window, qtbot, lambda: all(m.start != weibo.start for m in window.shown[1].mentions))
    window.undo_stack.undo()
    _when_done(window, qtbot, lambda: any(m.start == weibo.start for m in window.shown[1].mentions))
    window.undo_stack.undo()
    _when_done(window, qtbot, lambda: _mention(window, "Weibo").actor.kind == weibo.actor.kind)
    assert body == window.shown[0].body


def test_the_context_menu_offers_what_is_under_the_mouse(window, qtbot):
    body = _open_summit(window, qtbot)
    putin = _mention(window, "Putin")
    texts = [a.text() for a in window.annotating.menu(putin.start, None).actions()]
    assert "Vladimir Putin (person)" in texts
    assert {"Not an actor here", "Change kind", "This is…", "Merge actors…"} <= set(texts)
    quote = next(q for q in window.shown[1].quotes if q.text == "special alliance")
    texts = [a.text() for a in window.annotating.menu(quote.start + 1, None).actions()]
    assert {"Quote: Vladimir Putin", "Change speaker…", "Not a quote"} <= set(texts)
    span = (body.index("Diaoyutai"), body.index("Diaoyutai") + 9)
    texts = [a.text() for a in window.annotating.menu(None, span).actions()]
    assert {"Highlight", "Highlight with note…", "Mark as actor…", "Mark as quote…"} <= set(texts)


def test_not_a_quote_and_mark_as_quote(window, qtbot, monkeypatch):
    from briefing_app.ui import annotate

    body = _open_summit(window, qtbot)
    quote = next(q for q in window.shown[1].quotes if q.text == "special alliance")
    window.annotating.not_a_quote(quote.start)
    _when_done(window, qtbot, lambda: all(q.start != quote.start for q in window.shown[1].quotes))

    class Choose:
        def __init__(self, *args, **kwargs):
            pass

        def exec(self):
            return annotate.QDialog.DialogCode.Accepted

        def chosen(self):
            return "Kim Jong Un", None

    monkeypatch.setattr(annotate, "ActorDialog", Choose)
    window.annotating.mark_quote((quote.start, quote.end))
    _when_done(window, qtbot, lambda: any(
        q.start == quote.start and q.speaker and q.speaker.name == "Kim Jong Un"
        for q in window.shown[1].quotes))  # fmt: skip
    assert body[quote.start : quote.end] == "special alliance"


def test_tags_are_edited_and_undone(window, qtbot, monkeypatch):
    from briefing_app.ui import main_window

    _open_summit(window, qtbot)
    before = window.shown[0].tags
    monkeypatch.setattr(
        main_window.QtWidgets.QInputDialog, "getText", lambda *a, **k: ("Korea, summit ,  ", True)
    )
    window.edit_tags()
    _when_done(window, qtbot, lambda: set(window.shown[0].tags) == {"Korea", "summit"})
    window.undo_stack.undo()
    _when_done(window, qtbot, lambda: window.shown[0].tags == before)
