"""The reader's context menu: the user's highlights and notes, and corrections of what the
engine found. Each choice is one undoable edit (ui.commands), written at once.

The menu is built from what the window already shows; the row ids an edit needs are looked
up on the worker when the edit runs, so opening the menu never waits for the archive.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QDialog, QMenu

from briefing_app.core import actors, highlights
from briefing_app.core.annotations import (
    add_mention,
    add_quote,
    reject_mention,
    reject_quote,
    set_quote_speaker,
)
from briefing_app.core.archive import Archive
from briefing_app.core.corrections import link_mention, marks_at
from briefing_app.core.errors import NotFound
from briefing_app.core.highlights import COLOURS
from briefing_app.core.models import KINDS
from briefing_app.ui.dialogs import ActorDialog, HighlightDialog, swatch

if TYPE_CHECKING:
    from briefing_app.ui.main_window import MainWindow


class Annotating:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    # The menu -----------------------------------------------------------------------------

    def menu(self, offset: int | None, span: tuple[int, int] | None) -> QMenu:
        window = self.window
        menu = window.reader.createStandardContextMenu()
        shown = window.shown
        if shown is None:
            return menu
        article, extraction, marks = shown
        first = menu.actions()[0] if menu.actions() else None
        ours: list[Any] = []
        if span is not None:
            colours = QMenu("Highlight", menu)
            for colour in COLOURS:
                item = colours.addAction(swatch(colour), colour.capitalize())
                item.triggered.connect(lambda _=False, c=colour: self.highlight(span, c))
            ours += [colours.menuAction()]
            ours += [_action(menu, "Highlight with note…", partial(self.highlight_with_note, span))]
            ours += [_action(menu, "Mark as actor…", partial(self.mark_actor, span))]
            ours += [_action(menu, "Mark as quote…", partial(self.mark_quote, span))]
        if offset is not None:
            highlight = next((h for h in marks if not h.orphan and h.start <= offset < h.end), None)
            mention = next((m for m in extraction.mentions if m.start <= offset < m.end), None)
            quote = next((q for q in extraction.quotes if q.start <= offset < q.end), None)
            if highlight is not None:
                ours += [
                    None,
                    _action(
                        menu, "Edit highlight and note…", partial(self.edit_highlight, highlight)
                    ),
                ]
                ours += [
                    _action(menu, "Delete highlight", partial(self.delete_highlight, highlight))
                ]
            if mention is not None:
                ours += [None, *self._mention_actions(menu, article.id, offset, mention)]
            if quote is not None:
                speaker = quote.speaker.name if quote.speaker else "no speaker"
                title = _action(menu, f"Quote: {speaker}", None)
                ours += [None, title]
                ours += [_action(menu, "Change speaker…", partial(self.change_speaker, offset))]
                ours += [_action(menu, "Not a quote", partial(self.not_a_quote, offset))]
        for item in ours:
            if item is None:
                menu.insertSeparator(first) if first is not None else menu.addSeparator()
            else:
                menu.insertAction(first, item) if first is not None else menu.addAction(item)
        if ours and first is not None:
            menu.insertSeparator(first)
        return menu

    def _mention_actions(
        self, menu: QMenu, article_id: int, offset: int, mention: Any
    ) -> list[Any]:
        actor = mention.actor
        kinds = QMenu("Change kind", menu)
        for kind in KINDS:
            action = kinds.addAction(kind.capitalize())
            action.setCheckable(True)
            action.setChecked(kind == actor.kind)
            action.triggered.connect(lambda _=False, k=kind: self.change_kind(actor.name, k))
        return [
            _action(menu, f"{actor.name} ({actor.kind})", None),
            _action(menu, "Not an actor here", partial(self.not_an_actor_here, offset)),
            _action(
                menu,
                f"“{mention.text}” is never an actor",
                partial(self.never_an_actor, mention.text),
            ),
            kinds.menuAction(),
            _action(menu, "This is…", partial(self.this_is, offset, mention.text)),
            _action(menu, "Merge actors…", partial(self.merge, actor.name)),
        ]

    def popup(self, offset: int | None, span: tuple[int, int] | None, where: QPoint) -> None:
        self.menu(offset, span).exec(where)

    # Highlights and notes -----------------------------------------------------------------

    def _highlights(self, text: str, action: Callable[[Archive], Any]) -> None:
        """The user's highlights and notes are not in the library: it is left as it is."""
        self.window.edit(text, action, library=False)

    def highlight(self, span: tuple[int, int], colour: str) -> None:
        article_id = self._article_id()
        self._highlights(
            "Highlight",
            lambda archive: highlights.add_highlight(archive, article_id, *span, colour=colour),
        )

    def highlight_with_note(self, span: tuple[int, int]) -> None:
        article = self.window.shown[0]
        chosen = self._ask_highlight(article.body[span[0] : span[1]])
        if chosen is not None:
            colour, label, note = chosen
            self._highlights(
                "Highlight with note",
                lambda archive: highlights.add_highlight(
                    archive, article.id, *span, colour=colour, label=label or None,
                    note=note or None,
                ),
            )  # fmt: skip

    def edit_highlight(self, highlight: Any) -> None:
        chosen = self._ask_highlight(
            highlight.quote, colour=highlight.colour, label=highlight.label or "",
            note=highlight.note or "",
        )  # fmt: skip
        if chosen is not None:
            colour, label, note = chosen
            self._highlights(
                "Edit highlight",
                lambda archive: highlights.update_highlight(
                    archive, highlight.id, colour=colour, label=label, note=note
                ),
            )

    def _ask_highlight(self, quote: str, **current: str) -> tuple[str, str, str] | None:
        """(colour, label, note) from the dialog, or None when cancelled."""
        dialog = HighlightDialog(self.window, quote, **current)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def delete_highlight(self, highlight: Any) -> None:
        self._highlights(
            "Delete highlight", lambda archive: highlights.delete_highlight(archive, highlight.id)
        )

    # Corrections --------------------------------------------------------------------------

    def mark_actor(self, span: tuple[int, int]) -> None:
        article = self.window.shown[0]
        text = article.body[span[0] : span[1]]
        self._with_actor(
            "Mark as actor",
            text,
            kind="person",
            then=lambda name, kind: self.window.edit(
                "Mark as actor",
                lambda archive: add_mention(archive, article.id, *span, name, kind),
            ),
        )

    def mark_quote(self, span: tuple[int, int]) -> None:
        article_id = self._article_id()
        self._with_actor(
            "Mark as quote: who said it?",
            "",
            allow_empty=True,
            then=lambda name, _: self.window.edit(
                "Mark as quote",
                lambda archive: add_quote(archive, article_id, *span, name or None),
            ),
        )

    def not_an_actor_here(self, offset: int) -> None:
        self.window.edit(
            "Not an actor",
            self._at(
                offset,
                lambda archive, marks: reject_mention(archive, _found(marks.mention).id),
            ),
        )

    def never_an_actor(self, text: str) -> None:
        self.window.edit("Never an actor", lambda archive: actors.mark_not_actor(archive, text))

    def change_kind(self, name: str, kind: str) -> None:
        self.window.edit("Change kind", lambda archive: actors.change_kind(archive, name, kind))

    def this_is(self, offset: int, text: str) -> None:
        self._with_actor(
            f"“{text}” is…",
            "",
            then=lambda name, _: self.window.edit(
                "This is…",
                self._at(
                    offset,
                    lambda archive, marks: link_mention(archive, _found(marks.mention).id, name),
                ),
            ),
        )

    def merge(self, source: str) -> None:
        self._with_actor(
            f"Merge “{source}” into…",
            "",
            then=lambda target, _: self.window.edit(
                "Merge actors", lambda archive: actors.merge_actors(archive, source, target)
            ),
        )

    def change_speaker(self, offset: int) -> None:
        self._with_actor(
            "Change speaker",
            "",
            allow_empty=True,
            then=lambda name, _: self.window.edit(
                "Change speaker",
                self._at(
                    offset,
                    lambda archive, marks: set_quote_speaker(
                        archive, _found(marks.quote).id, name or None
                    ),
                ),
            ),
        )

    def not_a_quote(self, offset: int) -> None:
        self.window.edit(
            "Not a quote",
            self._at(
                offset,
                lambda archive, marks: reject_quote(archive, _found(marks.quote).id),
            ),
        )

    # Helpers ------------------------------------------------------------------------------

    def _article_id(self) -> int:
        article_id = self.window.open_article_id
        if article_id is None:
            raise RuntimeError("no article is open")
        return article_id

    def _at(self, offset: int, action: Callable[[Archive, Any], Any]) -> Callable[[Archive], Any]:
        article_id = self._article_id()
        return lambda archive: action(archive, marks_at(archive, article_id, offset))

    def _with_actor(
        self,
        title: str,
        name: str,
        *,
        then: Callable[[str, str | None], None],
        kind: str | None = None,
        allow_empty: bool = False,
    ) -> None:
        """Ask for an actor (names completed from the archive), then go on with it."""

        def ask(names: list[str]) -> None:
            dialog = ActorDialog(
                self.window, title, names, name=name, kind=kind, allow_empty=allow_empty
            )
            if dialog.exec() == QDialog.DialogCode.Accepted:
                then(*dialog.chosen())

        self.window.read(_actor_names, ask)


def _actor_names(archive: Archive) -> list[str]:
    return [
        row[0]
        for row in archive.conn.execute(
            "SELECT name FROM actors WHERE merged_into IS NULL ORDER BY name COLLATE NOCASE"
        )
    ]


def _found(row: Any) -> Any:
    if row is None:
        raise NotFound("that mark is no longer there (the article changed)")
    return row


def _action(menu: QMenu, text: str, slot: Callable[[], None] | None) -> Any:
    action = menu.addAction(text)
    menu.removeAction(action)
    if slot is None:
        action.setEnabled(False)
    else:
        action.triggered.connect(lambda _=False: slot())
    return action
