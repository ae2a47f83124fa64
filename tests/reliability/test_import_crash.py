"""A real `briefing-app import` killed with SIGKILL at seeded random moments loses nothing
and half-writes nothing, and running it again finishes the rest.

"Complete" is checked against a reference import of the same files that was never
interrupted: every article in the killed archive has, besides its row, its full-text index
entry, its tags, and exactly the mentions, quotes and dates the reference has for the same
file (or entry); an article that is not there has none of them.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing_app.core.archive import Archive
from briefing_app.core.importing import import_paths
from briefing_app.core.migrations import migration_names
from tests.archive_state import (
    CONSOLE_SCRIPT,
    articles_by_origin,
    committed_articles,
    consistent_articles,
)
from tests.reliability.corpus import write_corpus

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]

ARTICLES = 3000
KILLS = 12
LAST_TARGET = 300
"""Every kill comes before the import has committed all but this many articles."""
SEED = 20251006


def start_import(db: Path, corpus: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(CONSOLE_SCRIPT), "import", "--db", str(db), "--no-samples", str(corpus)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def start_import_to_be_killed(db: Path, corpus: Path, output: Path) -> subprocess.Popen[str]:
    """Its report goes to a file, not to a pipe nobody reads while it runs: an import that
    ends before its kill must be able to print its report (thousands of lines) and exit."""
    with output.open("w") as sink:
        return subprocess.Popen(
            [str(CONSOLE_SCRIPT), "import", "--db", str(db), "--no-samples", str(corpus)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
        )


def kill_when(process: subprocess.Popen[str], db: Path, target: int, delay: float) -> bool:
    """SIGKILL the import once it has committed `target` articles and `delay` more seconds
    have passed; False if it finished first."""
    while process.poll() is None and (committed_articles(db) or 0) < target:
        time.sleep(0.002)
    time.sleep(delay)
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait()
    return True


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict], int]:
    """The files, what an uninterrupted import of them stores (by origin), and how many
    actors its registry has."""
    folder = tmp_path_factory.mktemp("crash") / "corpus"
    assert write_corpus(folder, ARTICLES) == ARTICLES
    with Archive.open(folder.parent / "reference.db") as reference:
        report = import_paths(reference, [folder])
        assert len(report.imported) == ARTICLES and not report.failures
        expected = articles_by_origin(reference.conn)
        actors = registry_size(reference.conn)
    assert sum(bool(article["mentions"]) for article in expected.values()) > ARTICLES * 0.9
    assert sum(bool(article["quotes"]) for article in expected.values()) > ARTICLES * 0.4
    assert sum(bool(article["dates"]) for article in expected.values()) > ARTICLES * 0.4
    return folder, expected, actors


def after_a_kill(db: Path) -> tuple[int, dict[str, dict]]:
    """(actors in the registry, articles by origin) of a killed import's archive, which
    SQLite and the full-text index vouch for. A file killed before its schema was committed
    must hold nothing at all, and a schema is there whole or not at all."""
    if not db.exists():
        return 0, {}
    conn = sqlite3.connect(db)
    try:
        if not conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            return 0, {}
        applied = [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations")]
        assert applied == migration_names()
        actors = registry_size(conn)
    finally:
        conn.close()
    return actors, consistent_articles(db)


def schema(db: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    finally:
        conn.close()


def registry_size(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM actors").fetchone()[0])


def test_import_killed_at_random_moments_keeps_every_article_whole(corpus, tmp_path, figures):
    folder, expected, expected_registry = corpus
    db = tmp_path / "archive.db"
    rng = random.Random(SEED)
    present: dict[str, dict] = {}
    counts: list[int] = []
    for kill in range(KILLS):
        if kill == 0:  # anywhere in start-up: creating the schema, copying the registry
            target, delay = 0, rng.uniform(0.0, 1.0)
        else:  # spread over the whole import: at most an even share of what is left, as a
            # kill can land a group of commits (up to 0.2 s of the import) after its target
            share = max(1, (ARTICLES - LAST_TARGET - len(present)) // (KILLS - kill))
            target = min(len(present) + rng.randint(1, share), ARTICLES - LAST_TARGET)
            delay = rng.uniform(0, 0.03)
        process = start_import_to_be_killed(db, folder, tmp_path / f"kill-{kill}.txt")
        assert kill_when(process, db, target, delay), "finished before the kill"
        actors, now = after_a_kill(db)
        assert actors in (0, expected_registry), "the registry is copied whole or not at all"
        for origin, article in now.items():
            assert article == expected[origin], origin
        assert present.keys() <= now.keys(), "an article committed before a kill was lost"
        present = now
        counts.append(len(present))

    final = start_import(db, folder)
    out, err = final.communicate(timeout=300)
    assert final.returncode == 0, err
    assert "Traceback" not in err
    assert f"Imported {ARTICLES - len(present)}, duplicates {len(present)}, failed 0." in out
    assert consistent_articles(db) == expected
    assert schema(db) == schema(folder.parent / "reference.db"), "every index built again"
    figures(kills_survived=KILLS, files=len(list(folder.rglob("*.*"))), articles=ARTICLES,
            articles_present_after_each_kill=counts)  # fmt: skip
