"""The desktop app, offscreen, annotating one article for test_annotation_crash.

Run as `python annotating_app.py DB ARTICLE_ID FIRST COUNT`: it opens the article and, one
after another, highlights a word through the reader's Highlight action and then gives that
highlight a note through the same edit the note dialog makes. Each action is reported on
stdout (`done highlight START END COLOUR`, `done note START END TEXT`) only once the app shows
it; the test kills the process with SIGKILL at some moment and checks that every reported
action is in the archive.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer

from briefing_app.core.archive import Archive
from briefing_app.core.highlights import COLOURS, update_highlight
from briefing_app.ui.app import application
from briefing_app.ui.main_window import MainWindow


def word_spans(body: str) -> list[tuple[int, int]]:
    spans, start = [], None
    for index, char in enumerate(body + " "):
        if char.isalpha() and start is None:
            start = index
        elif not char.isalpha() and start is not None:
            spans.append((start, index))
            start = None
    return spans


def main() -> int:
    db, article_id, first, count = Path(sys.argv[1]), *map(int, sys.argv[2:5])
    app = application()
    window = MainWindow(db)
    window.show()
    window.open_article(article_id)
    steps: list[Callable[[], str]] = []

    def shown_highlights() -> list:
        return [] if window.shown is None or window.busy else window.shown[2]

    def highlight(span: tuple[int, int], colour: str) -> Callable[[], str]:
        def act() -> str:
            window.annotating.highlight(span, colour)
            return f"done highlight {span[0]} {span[1]} {colour}"

        return act

    def note(span: tuple[int, int], text: str) -> Callable[[], str]:
        def act() -> str:
            (made,) = [h for h in shown_highlights() if (h.start, h.end) == span]

            def add_note(archive: Archive) -> object:
                return update_highlight(archive, made.id, note=text)

            window.edit("Edit highlight", add_note)
            return f"done note {span[0]} {span[1]} {text}"

        return act

    def run_steps(body: str) -> None:
        for number, span in enumerate(word_spans(body)[first : first + count], start=first):
            steps.append(highlight(span, COLOURS[number % len(COLOURS)]))
            steps.append(note(span, f"note-{number}"))
        next_step(None)

    def next_step(report: str | None) -> None:
        if report is not None:
            print(report, flush=True)
        if not steps:
            print("finished", flush=True)
            return
        report = steps.pop(0)()
        wait_until_shown(report)

    def wait_until_shown(report: str) -> None:
        kind, start, end, value = report.split()[1:5]
        ready = any(
            (h.start, h.end) == (int(start), int(end))
            and (h.colour if kind == "highlight" else h.note) == value
            for h in shown_highlights()
        )
        if ready:
            next_step(report)
        else:
            QTimer.singleShot(5, lambda: wait_until_shown(report))

    def wait_for_article() -> None:
        if window.shown is None or window.busy:
            QTimer.singleShot(10, wait_for_article)
        else:
            run_steps(window.shown[0].body)

    wait_for_article()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
