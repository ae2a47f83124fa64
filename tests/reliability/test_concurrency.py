"""Two writers on one archive: the app and the command line, or two command-line imports.

No "database is locked" (nor any other error) reaches the user and no write is lost: each
process has one writer that takes the lock with BEGIN IMMEDIATE and waits for it (busy
timeout), and nobody holds the lock for long, because an import writes one file per
transaction and runs the engine, the slow part, before taking the lock.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing_app.core.annotations import Annotator, reannotate
from briefing_app.core.archive import Archive
from briefing_app.core.articles import store_article, tag_article
from briefing_app.core.extract import RuleEngine
from briefing_app.core.importing import import_paths
from tests.archive_state import (
    CONSOLE_SCRIPT,
    articles_by_origin,
    committed_articles,
    consistent_articles,
)
from tests.core.story import STORY
from tests.reliability.corpus import write_corpus
from tests.ui.conftest import private_settings  # noqa: F401 (a fixture)


def test_the_engine_runs_while_another_process_can_write(tmp_path, monkeypatch):
    """An article's actors and quotes are found before its transaction begins, on import and
    on reannotation: another writer that does not wait at all still gets in meanwhile."""
    db = tmp_path / "archive.db"
    other = sqlite3.connect(db, timeout=0, isolation_level=None)
    writes: list[int] = []
    engine_extract = RuleEngine.extract

    def extract(self, text, published=None):
        other.execute("BEGIN IMMEDIATE")  # "database is locked" at once if the lock is held
        other.execute("INSERT INTO tags (name) VALUES (?)", [f"meanwhile {len(writes)}"])
        other.execute("COMMIT")
        writes.append(len(writes))
        return engine_extract(self, text, published)

    monkeypatch.setattr(RuleEngine, "extract", extract)
    with Archive.open(db) as archive:
        annotator = Annotator(archive)
        annotator.prepare()
        article_id = store_article(archive, STORY, annotate=annotator.annotate).article_id
        assert reannotate(archive, [article_id]) == 1
        tags = [name for (name,) in archive.conn.execute("SELECT name FROM tags ORDER BY id")]
        mentions = archive.conn.execute("SELECT count(*) FROM mentions").fetchone()[0]
    other.close()
    assert tags == ["meanwhile 0", "meanwhile 1"] and mentions > 0


def test_an_archive_created_by_another_process_meanwhile_opens(tmp_path, monkeypatch):
    """Two first uses at once: the one that looks at the empty file just before the other
    commits the schema must not take the new archive for a foreign database."""
    path = tmp_path / "archive.db"
    real = Archive.applied_migrations
    looked: list[bool] = []

    def look_then_lose_the_race(self):
        found = real(self)
        if not looked:
            looked.append(True)
            Archive.open(path).close()  # the other process creates the schema right now
        return found

    monkeypatch.setattr(Archive, "applied_migrations", look_then_lose_the_race)
    with Archive.open(path) as archive:
        assert archive.schema_version()
    assert looked and not list(tmp_path.glob("*.backup-*")), "nothing to back up"


# Real processes ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """Three folders (the third shared by both imports) and what importing all of them
    stores, by origin."""
    root = tmp_path_factory.mktemp("two-imports")
    folders = {}
    for name, count, seed in (("first", 800, 1), ("second", 800, 2), ("shared", 200, 3)):
        folders[name] = root / name
        write_corpus(folders[name], count, seed=seed)
    with Archive.open(root / "reference.db") as reference:
        assert not import_paths(reference, list(folders.values())).failures
        expected = articles_by_origin(reference.conn)
    return folders, expected


def cli_import(db: Path, *folders: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(CONSOLE_SCRIPT), "import", "--db", str(db), "--no-samples", *map(str, folders)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def summary(out: str) -> tuple[int, int]:
    """(imported, duplicates) from the import's last line."""
    words = out.strip().splitlines()[-1].replace(",", "").split()
    assert words[0] == "Imported" and words[-2:] == ["failed", "0."], out
    return int(words[1]), int(words[3])


ROUNDS = 3


OPEN_RACE = """
import sys, time
from briefing_app.core.archive import Archive
start = float(sys.argv[2])
while time.time() < start:
    pass
Archive.open(sys.argv[1]).close()
"""


@pytest.mark.slow
def test_two_processes_making_the_same_new_archive_at_the_same_instant(tmp_path):
    """While a new file is still in rollback mode SQLite answers "locked" at once instead of
    waiting; before the open tried again, about one race in four failed here."""
    for race in range(12):
        path = tmp_path / f"race-{race}.db"
        start = str(time.time() + 1.0)  # both past their imports, then off together
        racers = [
            subprocess.Popen([sys.executable, "-c", OPEN_RACE, str(path), start],
                             stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]  # fmt: skip
        for racer in racers:
            _, err = racer.communicate(timeout=120)
            assert racer.returncode == 0, err[-2000:]
        with Archive.open(path) as archive:
            assert archive.schema_version()


@pytest.mark.slow
def test_two_imports_at_once_lose_nothing_and_store_nothing_twice(corpora, tmp_path, figures):
    folders, expected = corpora
    shared = len([o for o in expected if f"{folders['shared']}/" in o])
    for round_number in range(ROUNDS):
        db = tmp_path / f"archive-{round_number}.db"  # new: both also race to create it
        first = cli_import(db, folders["first"], folders["shared"])
        second = cli_import(db, folders["shared"], folders["second"])
        results = [process.communicate(timeout=300) for process in (first, second)]
        for process, (_, err) in zip((first, second), results, strict=True):
            assert process.returncode == 0, err
            # No "database is locked", no warning: only the files the other one stored.
            assert all(line.startswith("duplicate: ") for line in err.splitlines()), err
        counts = [summary(out) for out, _ in results]
        assert sum(imported for imported, _ in counts) == len(expected)
        assert sum(duplicates for _, duplicates in counts) == shared
        assert consistent_articles(db) == expected
    figures(runs=ROUNDS, articles_per_run=len(expected), imported_by_both=shared)


@pytest.mark.slow
@pytest.mark.usefixtures("private_settings")
def test_the_app_edits_while_the_command_line_imports(
    corpora, tmp_path, qtbot, monkeypatch, figures
):
    """Tags, highlights and notes made in the app while `briefing-app import` runs: every
    one is written, none is refused, and the import is whole."""
    from PySide6.QtWidgets import QMessageBox

    from briefing_app.ui.app import application
    from briefing_app.ui.main_window import MainWindow

    folders, expected = corpora
    db = tmp_path / "archive.db"
    with Archive.open(db) as archive:
        story = store_article(archive, STORY).article_id
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: messages.append(text))
    application()
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.busy, timeout=20000)

    importing = cli_import(db, *folders.values())
    try:
        done, waits = edit_while_it_runs(importing, db, window, qtbot, story, messages)
        out, err = importing.communicate(timeout=300)
    finally:  # a failure above must not leave the import running
        if importing.poll() is None:
            importing.kill()
            importing.communicate()
    qtbot.waitUntil(lambda: not window.busy, timeout=20000)
    window.close()

    assert importing.returncode == 0, err
    assert summary(out) == (len(expected), 0)
    assert done == list(range(len(waits))) and len(done) > 0
    stored = consistent_articles(db)
    edited = stored.pop(STORY.origin)
    assert {name for (name,) in edited["tags"]} == {f"edit {n}" for n in done if n % 2}
    assert {row[-1] for row in edited["highlights"]} == {f"note {n}" for n in done if not n % 2}
    assert stored == expected
    figures(app_edits_during_import=len(done), longest_edit_seconds=round(max(waits), 3),
            articles_imported_meanwhile=len(expected))  # fmt: skip


def edit_while_it_runs(importing, db, window, qtbot, story, messages):
    """Edits one after another, each waited for, from when the import has stored its first
    articles until it ends: tags, and highlights with notes. (edits done, their waits)"""
    from briefing_app.core.articles import tag_article
    from briefing_app.core.highlights import add_highlight

    while importing.poll() is None and not (committed_articles(db) or 0) > 1:
        time.sleep(0.01)
    done: list[int] = []
    waits: list[float] = []
    while importing.poll() is None:
        number = len(waits)
        start = STORY.body.index(" ", number % 50) + 1
        if number % 2:
            action = lambda archive, n=number: tag_article(archive, story, f"edit {n}")  # noqa: E731
        else:
            action = lambda archive, n=number, s=start: add_highlight(  # noqa: E731
                archive, story, s, s + 5, note=f"note {n}")  # fmt: skip
        began = time.monotonic()
        window.edit("Edit", action, lambda _, n=number: done.append(n))
        qtbot.waitUntil(lambda n=number: n in done or bool(messages), timeout=60000)
        waits.append(time.monotonic() - began)
        assert messages == []
    return done, waits


def test_a_second_connection_in_one_process_loses_no_other_process_write(tmp_path):
    """The app opens the archive twice (a writer and a reader). Opening it again must not
    touch the file outside SQLite: closing any handle on a file drops every lock the process
    holds on it, and another process would then take the app for gone, fold the write-ahead
    log into the file and delete it under the app, whose later writes are lost."""
    db = tmp_path / "archive.db"
    other_process = (
        "import sys\n"
        "from briefing_app.core.archive import Archive\n"
        "from briefing_app.core.articles import tag_article\n"
        "with Archive.open(sys.argv[1]) as archive:\n"
        "    tag_article(archive, 1, sys.argv[2])\n"
    )
    with Archive.open(db) as writer:
        store_article(writer, STORY)
        with Archive.open(db) as reader:
            subprocess.run([sys.executable, "-c", other_process, str(db), "from outside"],
                           check=True)  # fmt: skip
            tag_article(writer, 1, "from the app")
            subprocess.run([sys.executable, "-c", other_process, str(db), "outside again"],
                           check=True)  # fmt: skip
            seen = {name for (name,) in reader.conn.execute("SELECT name FROM tags")}
    with Archive.open(db) as archive:
        stored = {name for (name,) in archive.conn.execute("SELECT name FROM tags")}
    assert seen == stored == {"from outside", "from the app", "outside again"}
