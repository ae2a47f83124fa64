"""The archive's life as the command line sees it: a damaged archive is named with the
command that restores its latest backup, and that command works on it; an archive from a
newer version is refused; `backup` then `restore` gives back exactly what was there."""

from __future__ import annotations

import shlex

import pytest

from briefing_app.core.annotations import Annotator
from briefing_app.core.archive import Archive
from briefing_app.core.articles import store_article
from briefing_app.core.migrations import migration_names
from tests.archive_state import (
    all_rows,
    archive_with_a_backup,
    article,
    damage,
    fill_archive_at_version,
)


@pytest.fixture
def backed_up(archive_path):
    return archive_with_a_backup(archive_path, 5, 40)


def one_error_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    return line


@pytest.mark.parametrize(
    ("how", "command"),
    [
        ("truncated", ["list"]),
        ("schema page", ["stats"]),
        ("article pages", ["search", "ferry"]),  # not read at open: found when it is read
        ("article pages", ["list"]),
    ],
)
def test_a_damaged_archive_names_the_command_that_restores_it_and_that_works(
    run, archive_path, backed_up, how, command
):
    saved, backup = backed_up
    damage(archive_path, how)

    line = one_error_line(run(*command))

    assert line.startswith(f"Error: {archive_path}: the archive is corrupt (")
    advice = f"; restore the latest backup with `briefing-app restore {backup}`"
    assert line.endswith(advice)
    offered = shlex.split(line[len(line) - len(advice) :].split("`")[1])
    assert offered[:2] == ["briefing-app", "restore"]
    restored = run(*offered[1:], "--yes")
    assert restored.exit_code == 0, restored.output
    assert "The damaged archive was kept as" in restored.stdout
    with Archive.open(archive_path) as archive:
        assert all_rows(archive.conn) == saved
    assert run(*command).exit_code == 0
    (kept,) = archive_path.parent.glob("archive.damaged-*.db")
    assert kept.stat().st_size > 0


def test_an_archive_from_a_newer_version_is_refused_in_one_line(run, archive_path):
    with Archive.open(archive_path) as archive:
        archive.conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('briefing_app', '9999_from_the_future', '2099-01-01')"
        )
    before = archive_path.read_bytes()

    line = one_error_line(run("list"))

    assert line == (
        f"Error: {archive_path}: this archive was written by a newer version of Briefing "
        "(schema 9999_from_the_future); update Briefing to open it"
    )
    assert archive_path.read_bytes() == before


def test_backup_and_restore_give_back_every_row_of_every_table(run, archive_path, tmp_path):
    fill_archive_at_version(archive_path, migration_names()[-1])
    with Archive.open(archive_path) as archive:
        annotator = Annotator(archive)
        annotator.prepare()
        for number in range(1, 4):
            store_article(archive, article(number), annotate=annotator.annotate)
        before = all_rows(archive.conn)
    assert all(before.values()), [table for table, rows in before.items() if not rows]
    saved = tmp_path / "saved.db"

    assert run("backup", saved).exit_code == 0
    run("import", "--no-samples", tmp_path / "nothing-here.txt")
    assert run("delete", "--yes", "1", "2").exit_code == 0
    assert run("tag", "3", "changed").exit_code == 0
    with Archive.open(archive_path) as archive:
        assert all_rows(archive.conn) != before
    restored = run("restore", "--yes", saved)

    assert restored.exit_code == 0, restored.output
    with Archive.open(archive_path) as archive:
        assert all_rows(archive.conn) == before  # full-text index and migrations included
    with Archive.open(saved) as copy:
        assert all_rows(copy.conn) == before
