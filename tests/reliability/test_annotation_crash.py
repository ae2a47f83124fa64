"""Highlights and notes made in the app survive a SIGKILL of the app right after each one.

The app runs in a child process (offscreen) and reports each action once it shows it; the
test kills it at seeded moments, some at once after a report, some in the middle of the
next action, and checks that every reported action is in the archive, whole.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing_app.core.annotations import Annotator
from briefing_app.core.archive import Archive
from briefing_app.core.articles import store_article
from tests.archive_state import consistent_articles
from tests.core.story import STORY

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]

APP = Path(__file__).with_name("annotating_app.py")
ROUNDS = 4
ACTIONS_PER_ROUND = 3  # words highlighted, each then given a note
SEED = 6


def stored_story(db: Path) -> int:
    with Archive.open(db) as archive:
        annotator = Annotator(archive)
        annotator.prepare()
        return store_article(archive, STORY, annotate=annotator.annotate).article_id


def highlights(db: Path) -> dict[tuple[int, int], tuple[str, str | None]]:
    """The story's highlights, (start, end) -> (colour, note), in a sound archive."""
    (story,) = consistent_articles(db).values()
    rows = story["highlights"]  # (start, end, quote, colour, label, note)
    found = {(row[0], row[1]): (row[3], row[5]) for row in rows}
    assert len(found) == len(rows), "a highlight stored twice"
    return found


def test_highlights_and_notes_survive_a_kill_right_after_the_action(tmp_path, figures):
    db = tmp_path / "archive.db"
    article_id = stored_story(db)
    rng = random.Random(SEED)
    reported: dict[tuple[int, int], tuple[str, str | None]] = {}
    environment = {
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PATH": "/usr/bin:/bin",
    }
    actions = 0
    for round_number in range(ROUNDS):
        # Kill after this many reported actions (of the round's 2 x ACTIONS_PER_ROUND), at
        # once or a little into the next action.
        kill_after = rng.randint(1, 2 * ACTIONS_PER_ROUND - 1)
        delay = rng.choice([0.0, rng.uniform(0.0, 0.05)])
        app = subprocess.Popen(
            [sys.executable, str(APP), str(db), str(article_id),
             str(round_number * ACTIONS_PER_ROUND), str(ACTIONS_PER_ROUND)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment,
        )  # fmt: skip
        assert app.stdout is not None
        for _ in range(kill_after):
            line = app.stdout.readline().split()
            assert line[:1] == ["done"], (line, app.stderr.read() if app.poll() else "")
            kind, start, end, value = line[1], int(line[2]), int(line[3]), line[4]
            if kind == "highlight":
                reported[start, end] = (value, None)
            else:
                reported[start, end] = (reported[start, end][0], value)
            actions += 1
        time.sleep(delay)
        app.send_signal(signal.SIGKILL)
        app.communicate()
        assert app.returncode == -signal.SIGKILL
        stored = highlights(db)
        for span, (colour, note) in reported.items():
            assert span in stored, f"highlight {span} lost"
            assert stored[span][0] == colour
            # The action under way at the kill may or may not have been stored; a
            # reported one must be.
            assert note is None or stored[span][1] == note, f"note on {span} lost"
    figures(kills_survived=ROUNDS, actions_reported_before_kills=actions,
            highlights_stored=len(highlights(db)))  # fmt: skip
