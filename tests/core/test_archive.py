import dataclasses
import os
import sqlite3
import threading
import time

import pytest

from briefing_app.core import migrations
from briefing_app.core.archive import (
    IMPORT_CACHE_KIB,
    IMPORT_CHECKPOINT_PAGES,
    SEARCH_INDEX_TRIGGER,
    Archive,
    check_is_archive,
    find_damage,
    latest_backup,
    replace_damaged_archive,
    timestamped_backup_path,
)
from briefing_app.core.articles import get_article, store_article
from briefing_app.core.errors import ArchiveCorrupt, ArchiveError
from briefing_app.core.kinds import KINDS
from briefing_app.core.models import ParsedArticle
from tests.archive_state import (
    ROWS_OF,
    actor_indexes,
    all_rows,
    archive_with_a_backup,
    damage,
    fill_archive_at_version,
)


def sample_article(number: int = 1) -> ParsedArticle:
    return ParsedArticle(
        title=f"Harbour talks resume, round {number}",
        body=f"Negotiators met for round {number} of the harbour talks on Tuesday.",
        origin=f"test-{number}",
        source="Harbour Wire",
        url=f"https://example.org/harbour/{number}",
        published="2025-10-0" + str(number),
    )


def table_rows(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    names = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'articles_fts_%' AND name != '_sqlite_migrations'"
        )
    ]
    return {name: conn.execute(f"SELECT * FROM [{name}] ORDER BY 1").fetchall() for name in names}


def test_new_archive_is_created_with_wal_foreign_keys_and_current_schema(archive_path):
    with Archive.open(archive_path) as archive:
        assert archive.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert archive.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert archive.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert archive.applied_migrations() == migrations.migration_names()
    assert archive_path.exists()


def test_default_location_follows_environment_variable(archive_path):
    with Archive.open() as archive:
        assert archive.path == archive_path


def test_default_location_is_in_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("BRIEFING_APP_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    from briefing_app.core.paths import default_archive_path

    assert default_archive_path() == tmp_path / "data" / "briefing-app" / "archive.db"


def test_reopening_keeps_articles(archive_path):
    with Archive.open(archive_path) as archive:
        stored = store_article(archive, sample_article())
    with Archive.open(archive_path) as archive:
        assert get_article(archive, stored.article_id).title == sample_article().title
    assert not list(archive_path.parent.glob("*.backup-*")), "no backup when nothing to migrate"


def test_text_file_is_refused_as_not_an_archive(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 10)
    with pytest.raises(ArchiveError, match="not a Briefing archive"):
        Archive.open(path)
    assert path.read_text().startswith("these are my notes")


def test_folder_is_refused(tmp_path):
    with pytest.raises(ArchiveError, match="is a folder"):
        Archive.open(tmp_path)


def test_other_sqlite_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(ArchiveError, match="SQLite database but not a Briefing archive"):
        Archive.open(path)
    conn = sqlite3.connect(path)
    assert [row[0] for row in conn.execute("SELECT name FROM sqlite_master")] == ["recipes"]
    conn.close()


@pytest.fixture
def backed_up(archive_path):
    return archive_with_a_backup(archive_path, 8, 50)


@pytest.mark.parametrize("how", ["truncated", "schema page"])
def test_damage_is_found_at_open_and_the_latest_backup_offered(archive_path, backed_up, how):
    _, backup = backed_up
    damage(archive_path, how)
    with pytest.raises(ArchiveCorrupt) as raised:
        Archive.open(archive_path)
    error = raised.value
    assert (error.path, error.backup) == (archive_path, backup)
    assert str(error).startswith(f"{archive_path}: the archive is corrupt (")
    assert str(error).endswith(f"; restore the latest backup with `briefing-app restore {backup}`")
    assert "\n" not in str(error)


def test_damage_past_what_opening_reads_is_found_by_reading_it_all(archive_path, backed_up):
    _, backup = backed_up
    assert find_damage(archive_path) is None
    damage(archive_path, "article pages")
    # The header and the schema are sound: it opens, and breaks where the damage is read.
    with Archive.open(archive_path) as archive, pytest.raises(sqlite3.DatabaseError):
        archive.conn.execute("SELECT sum(length(body)) FROM articles").fetchone()
    found = find_damage(archive_path)
    assert found is not None and found.backup == backup
    assert "restore the latest backup" in str(found)


def test_without_a_backup_the_message_says_how_to_restore_one(archive_path, tmp_path):
    with Archive.open(archive_path) as archive:
        store_article(archive, sample_article())
    other = tmp_path / "elsewhere.db"
    other.write_bytes(archive_path.read_bytes())
    damage(other, "truncated")
    with pytest.raises(ArchiveCorrupt) as raised:
        Archive.open(other)
    assert raised.value.backup is None
    assert str(raised.value).endswith(
        f"; restore a backup of it with `briefing-app restore --db {other} BACKUP-FILE`"
    )


def test_a_damaged_archive_is_replaced_by_its_backup_and_kept_aside(archive_path, backed_up):
    saved, backup = backed_up
    damage(archive_path, "article pages")
    damaged_bytes = archive_path.read_bytes()
    newer = timestamped_backup_path(archive_path)
    newer.write_bytes(b"SQLite format 3\x00" + b"\xab" * 200)  # a newer but broken backup
    assert latest_backup(archive_path) == backup

    kept = replace_damaged_archive(archive_path, backup)

    assert kept.read_bytes() == damaged_bytes and kept.name.startswith("archive.damaged-")
    with Archive.open(archive_path) as archive:
        assert all_rows(archive.conn) == saved
    assert find_damage(archive_path) is None


def test_a_restore_that_cannot_finish_leaves_the_damaged_archive_where_it_was(
    archive_path, backed_up, monkeypatch
):
    _, backup = backed_up
    damage(archive_path, "article pages")
    damaged_bytes = archive_path.read_bytes()
    real_replace = os.replace

    def replace(source, target):
        if str(source).endswith(".restored"):
            raise OSError("the disk is full")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(ArchiveError, match="cannot put the backup in place"):
        replace_damaged_archive(archive_path, backup)
    assert archive_path.read_bytes() == damaged_bytes
    left = [
        p.name for p in archive_path.parent.iterdir() if "damaged" in p.name or "restored" in p.name
    ]
    assert left == []


def test_archive_from_newer_version_is_refused(archive_path):
    with Archive.open(archive_path) as archive:
        archive.conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('briefing_app', '9999_from_the_future', '2099-01-01')"
        )
    with pytest.raises(ArchiveError, match="newer version of Briefing"):
        Archive.open(archive_path)


def test_every_migration_says_what_rows_its_tables_hold():
    assert list(ROWS_OF) == migrations.migration_names()


def archive_at(path, version):
    """An archive at `version` with a row in every table; returns its rows by table."""
    fill_archive_at_version(path, version)
    conn = sqlite3.connect(path)
    before = table_rows(conn)
    conn.close()
    assert all(before.values()), [name for name, rows in before.items() if not rows]
    return before


@pytest.mark.parametrize("version", migrations.migration_names()[:-1])
def test_upgrade_from_any_earlier_version_keeps_everything_and_backs_up_first(
    archive_path, version
):
    before = archive_at(archive_path, version)
    with Archive.open(archive_path) as archive:
        assert archive.applied_migrations() == migrations.migration_names()
        after = table_rows(archive.conn)
        fts_hits = archive.conn.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'harbour'"
        ).fetchone()[0]
    assert fts_hits == 3
    # Later migrations may add columns; what the earlier version stored is all still there.
    width = {name: len(rows[0]) for name, rows in before.items()}
    assert {name: [row[: width[name]] for row in after[name]] for name in before} == before
    if version < "0004":
        assert {row[13:] for row in after["articles"]} == {(0, 0)}  # not starred, unread
    backups = list(archive_path.parent.glob("archive.backup-*.db"))
    assert len(backups) == 1
    backup = sqlite3.connect(backups[0])
    assert [name for (name,) in backup.execute("SELECT name FROM _sqlite_migrations")] == (
        migrations.migration_names()[: migrations.migration_names().index(version) + 1]
    )
    assert table_rows(backup) == before
    backup.close()


ANNOTATION_ROW = {
    "mentions": ("article_id, actor_id, start, end, text", "1, 1, 0, 5, 'Lena'"),
    "quotes": ("article_id, start, end, text", "1, 0, 5, 'round'"),
}


@pytest.mark.parametrize("table", ["mentions", "quotes"])
@pytest.mark.parametrize(
    ("origin", "status", "allowed"),
    [
        ("engine", "auto", True),
        ("user", "rejected", True),
        ("user", "confirmed", True),
        ("robot", "auto", False),
        ("engine", "maybe", False),
    ],
)
def test_annotation_checks_allow_exactly_their_values(archive, table, origin, status, allowed):
    """0008 rewrote these checks from IN lists into equalities: the same rule, cheaper."""
    schema = archive.conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table])
    assert " IN (" not in schema.fetchone()[0]
    store_article(archive, sample_article())
    archive.conn.execute(
        "INSERT INTO actors (id, name, kind, origin) VALUES (1, 'L', 'person', 'user')"
    )
    columns, values = ANNOTATION_ROW[table]
    insert = f"INSERT INTO {table} ({columns}, origin, status) VALUES ({values}, ?, ?)"
    if allowed:
        archive.conn.execute(insert, [origin, status])
    else:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            archive.conn.execute(insert, [origin, status])


ACTOR_ROWS = {
    "actors": "INSERT INTO actors (name, kind, origin) VALUES ('Lena Park', ?, ?)",
    "actor_aliases": "INSERT INTO actor_aliases (actor_id, alias, form, origin) "
    "VALUES (1, 'Lena', ?, ?)",
}


@pytest.mark.parametrize(
    ("table", "kind", "origin", "allowed"),
    [
        *[("actors", kind, "user", True) for kind in KINDS],
        *[("actors", "person", origin, True) for origin in ("bundled", "user", "discovered")],
        ("actors", "robot", "user", False),
        ("actors", "person", "engine", False),
        ("actor_aliases", "name", "bundled", True),
        ("actor_aliases", "name", "user", True),
        ("actor_aliases", "name", "discovered", False),
    ],
)
def test_actor_checks_allow_exactly_their_values(archive, table, kind, origin, allowed):
    """0009 rewrote these checks from IN lists into equalities, as 0008 did for mentions."""
    schema = archive.conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table])
    assert " IN (" not in schema.fetchone()[0]
    archive.conn.execute(
        "INSERT INTO actors (id, name, kind, origin) VALUES (1, 'L', 'person', 'user')"
    )
    if allowed:
        archive.conn.execute(ACTOR_ROWS[table], [kind, origin])
    else:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            archive.conn.execute(ACTOR_ROWS[table], [kind, origin])


def test_0008_keeps_views_and_rows_another_tool_left_dangling(archive_path):
    """It edits the stored checks only: no row is copied or checked again, nothing that
    refers to the tables changes."""
    fill_archive_at_version(archive_path, "0007_actor_counts")
    conn = sqlite3.connect(archive_path)  # foreign keys off, as in the sqlite3 shell
    conn.execute("CREATE VIEW per_actor AS SELECT actor_id, count(*) FROM mentions GROUP BY 1")
    conn.execute(
        "INSERT INTO mentions (article_id, actor_id, start, end, text, origin) "
        "VALUES (1, 999, 0, 1, 'N', 'engine')"
    )
    conn.commit()
    conn.close()
    with Archive.open(archive_path) as archive:
        assert archive.applied_migrations() == migrations.migration_names()
        assert (999, 1) in archive.conn.execute("SELECT * FROM per_actor").fetchall()
        assert archive.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        schema = archive.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'quotes'")
        assert "CHECK (origin = 'engine' OR origin = 'user')" in schema.fetchone()[0]


def test_a_later_migration_applies_on_top_too(archive_path, monkeypatch):
    with Archive.open(archive_path) as archive:
        store_article(archive, sample_article())

    def add_pins(db):
        db.execute("ALTER TABLE articles ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("9000_test", add_pins)])
    with Archive.open(archive_path) as archive:
        assert archive.schema_version() == "9000_test"
        assert archive.conn.execute("SELECT pinned FROM articles").fetchall() == [(0,)]
    assert len(list(archive_path.parent.glob("archive.backup-*.db"))) == 1


def test_failed_migration_rolls_back_and_leaves_the_archive_as_it_was(archive_path, monkeypatch):
    with Archive.open(archive_path) as archive:
        store_article(archive, sample_article())
        before = table_rows(archive.conn)

    def half_done(db):
        db.execute("ALTER TABLE articles ADD COLUMN half INTEGER")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("0002_bad", half_done)])
    with pytest.raises(ArchiveError):
        Archive.open(archive_path)
    monkeypatch.undo()
    with Archive.open(archive_path) as archive:
        assert table_rows(archive.conn) == before
        assert archive.schema_version() == migrations.migration_names()[-1]


def test_write_transaction_is_all_or_nothing(archive):
    with pytest.raises(RuntimeError), archive.writing() as conn:
        conn.execute("INSERT INTO tags (name) VALUES ('half')")
        raise RuntimeError("crash in the middle")
    assert archive.conn.execute("SELECT count(*) FROM tags").fetchone()[0] == 0


def committed_tags(path):
    """What another connection sees: only committed writes."""
    other = sqlite3.connect(path)
    try:
        return [name for (name,) in other.execute("SELECT name FROM tags ORDER BY id")]
    finally:
        other.close()


def add_tag(archive, name):
    with archive.writing() as conn:
        conn.execute("INSERT INTO tags (name) VALUES (?)", [name])


def test_grouped_writes_are_each_whole_and_committed_together(archive_path):
    with Archive.open(archive_path) as archive:
        with archive.grouped_writes(seconds=3600):
            add_tag(archive, "first")
            with pytest.raises(RuntimeError), archive.writing() as conn:
                conn.execute("INSERT INTO tags (name) VALUES ('half')")
                raise RuntimeError("crash in the middle")
            add_tag(archive, "second")
            assert committed_tags(archive_path) == []
            archive.commit_group()
            assert committed_tags(archive_path) == ["first", "second"]
            add_tag(archive, "third")
            assert committed_tags(archive_path) == ["first", "second"]
        assert committed_tags(archive_path) == ["first", "second", "third"]
        add_tag(archive, "alone")  # outside a group: committed at once again
        assert committed_tags(archive_path)[-1] == "alone"


def test_another_writer_gets_in_between_the_groups_of_a_long_batch(archive_path):
    """A large import commits every group and begins the next within a millisecond or two:
    a writer waiting for the archive (an edit in the app) must get it between two groups,
    not only once the import has ended."""
    Archive.open(archive_path).close()
    with Archive.open(archive_path) as batch, Archive.open(archive_path) as app:
        writes: list[int] = []
        edited_after: list[int] = []

        def edit() -> None:
            while not writes:
                time.sleep(0.001)
            app.set_setting("edited", "yes")
            edited_after.append(len(writes))

        editor = threading.Thread(target=edit)
        editor.start()
        with batch.grouped_writes(seconds=0.05):
            for number in range(1500):  # about 1.5 s of groups
                with batch.writing() as conn:
                    conn.execute("INSERT INTO tags (name) VALUES (?)", [f"tag {number}"])
                writes.append(number)
                time.sleep(0.001)  # reading and extracting the next file, group still open
        editor.join()
        assert edited_after and edited_after[0] < 1000, "the edit waited for the whole batch"


def test_a_group_commits_once_it_has_been_open_its_time(archive_path):
    with Archive.open(archive_path) as archive, archive.grouped_writes(seconds=0):
        add_tag(archive, "first")
        assert committed_tags(archive_path) == ["first"]


def test_a_group_commits_when_due_between_writes_too(archive_path):
    with Archive.open(archive_path) as archive, archive.grouped_writes(seconds=0.05):
        add_tag(archive, "first")
        archive.commit_group_if_due()
        assert committed_tags(archive_path) == []
        time.sleep(0.06)
        archive.commit_group_if_due()
        assert committed_tags(archive_path) == ["first"]
        assert not archive.conn.in_transaction, "other writers are not kept waiting"


def test_no_commit_cuts_a_write_in_two(archive_path):
    with Archive.open(archive_path) as archive, archive.grouped_writes(seconds=3600):
        with pytest.raises(RuntimeError), archive.writing() as conn:
            conn.execute("INSERT INTO tags (name) VALUES ('half')")
            archive.commit_group()
            raise RuntimeError("crash in the middle")
        archive.commit_group()
        assert committed_tags(archive_path) == []


@pytest.mark.parametrize("grouped", [False, True])
def test_after_write_runs_once_a_write_ended_well_and_never_after_a_rollback(archive_path, grouped):
    ran: list[str] = []
    with Archive.open(archive_path) as archive, archive.grouped_writes(when=grouped):
        with archive.writing():
            archive.after_write(lambda: ran.append("kept"))
            assert ran == [], "not before the write has ended"
        assert ran == ["kept"]
        with pytest.raises(RuntimeError), archive.writing():
            archive.after_write(lambda: ran.append("rolled back"))
            raise RuntimeError("the write fails")
        with archive.writing():
            pass  # a later write does not run what a failed one left
    assert ran == ["kept"]


def open_temporary_files():
    """SQLite's temporary files (unlinked at once, so seen only among the open files)."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except FileNotFoundError:  # the directory listing's own descriptor, closed since
            continue
        if "etilqs_" in target:
            found.append(target)
    return found


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="lists open files through /proc")
def test_a_large_write_in_a_group_keeps_its_rollback_copy_in_memory(archive_path):
    """A write inside a group is a savepoint: SQLite copies each page it changes, so that
    the write can roll back alone. Written to a temporary file, that copy cost a hundred
    system calls an article."""
    names = [(f"tag {i:06} {'x' * 200}",) for i in range(2000)]
    with Archive.open(archive_path) as archive, archive.grouped_writes(seconds=3600):
        with archive.writing() as conn:
            conn.executemany("INSERT INTO tags (name) VALUES (?)", names)
        with archive.writing() as conn:  # changes pages that were there before it: copied
            conn.execute("UPDATE tags SET name = upper(name)")
            assert open_temporary_files() == []
        assert archive.conn.execute("SELECT count(*) FROM tags").fetchone()[0] == 2000


def test_an_error_in_a_group_keeps_the_writes_before_it(archive_path):
    with Archive.open(archive_path) as archive:
        with pytest.raises(RuntimeError), archive.grouped_writes(seconds=3600):
            add_tag(archive, "first")
            raise RuntimeError("a bug between two writes")
        assert committed_tags(archive_path) == ["first"]
        assert not archive.conn.in_transaction


def test_a_group_that_cannot_commit_rolls_back_and_says_so(archive_path):
    with Archive.open(archive_path) as archive:
        with (
            pytest.raises(ArchiveError, match=r"since the last commit.* was not stored"),
            archive.grouped_writes(seconds=3600),
        ):
            archive.conn.execute("PRAGMA defer_foreign_keys = ON")
            with archive.writing() as conn:
                conn.execute("INSERT INTO article_tags (article_id, tag_id) VALUES (99, 99)")
        assert not archive.conn.in_transaction
        add_tag(archive, "later")
        assert committed_tags(archive_path) == ["later"]


def index_trigger(conn):
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [SEARCH_INDEX_TRIGGER]
    ).fetchone()
    return row[0] if row else None


def found_by_search(conn, number):
    return [
        rowid
        for (rowid,) in conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [f'"round {number}"']
        )
    ]


def test_an_import_group_copies_the_log_into_the_archive_less_often_and_leaves_it_copied(
    archive_path,
):
    wal = archive_path.with_name(archive_path.name + "-wal")
    long_body = " ".join(f"word{n}" for n in range(6_000))
    with Archive.open(archive_path) as archive:
        usual = archive.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        with archive.grouped_writes(seconds=3600, new_articles=True):
            setting = archive.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
            assert setting == IMPORT_CHECKPOINT_PAGES > usual
            for number in range(80):
                article = dataclasses.replace(
                    sample_article(number), body=f"{number} {long_body}", url=None
                )
                store_article(archive, article)
            archive.commit_group()
            archive_size = archive_path.stat().st_size
            assert wal.stat().st_size > usual * 4096, "more than the usual interval, in the log"
            assert archive_size < 1_000_000, "and not yet copied"
        assert archive.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == usual
        assert archive_path.stat().st_size > 4_000_000, "the last commit copied the log"


class DiskFullOn:
    """The archive's connection, but statements holding `fragment` fail as on a full disk."""

    def __init__(self, conn: sqlite3.Connection, fragment: str) -> None:
        self.conn = conn
        self.fragment = fragment

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        if self.fragment in sql:
            raise sqlite3.OperationalError("database or disk is full")
        return self.conn.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self.conn, name)


def test_an_import_group_whose_log_cannot_be_copied_still_keeps_its_articles(archive_path):
    with Archive.open(archive_path) as archive:
        real = archive.conn
        archive.conn = DiskFullOn(real, "wal_checkpoint")  # type: ignore[assignment]
        with archive.grouped_writes(seconds=3600, new_articles=True):
            stored = store_article(archive, sample_article(1)).article_id
        archive.conn = real
    with Archive.open(archive_path) as reopened:
        assert get_article(reopened, stored).title == sample_article(1).title


def test_a_group_that_indexes_at_commit_leaves_every_commit_indexed_and_the_schema_whole(
    archive_path,
):
    with Archive.open(archive_path) as archive:
        first = store_article(archive, sample_article(1)).article_id
        trigger = index_trigger(archive.conn)
        cache_before = archive.conn.execute("PRAGMA cache_size").fetchone()[0]
        with archive.grouped_writes(seconds=3600, new_articles=True):
            assert archive.conn.execute("PRAGMA cache_size").fetchone()[0] == -IMPORT_CACHE_KIB
            second = store_article(archive, sample_article(2)).article_id
            assert index_trigger(archive.conn) is None, "dropped while the group is open"
            with pytest.raises(RuntimeError), archive.writing():
                store_article(archive, sample_article(3))
                raise RuntimeError("this article rolls back alone")
            archive.commit_group()
            assert index_trigger(archive.conn) == trigger
            fourth = store_article(archive, sample_article(4)).article_id
        assert index_trigger(archive.conn) == trigger
        assert foreign_keys(archive.conn) == 1, "checked again after the group"
        assert archive.conn.execute("PRAGMA cache_size").fetchone()[0] == cache_before
        store_article(archive, sample_article(5))  # after the group: the trigger indexes it
        conn = archive.conn
        assert [found_by_search(conn, n) for n in (1, 2, 3, 4)] == [[first], [second], [], [fourth]]
        assert len(found_by_search(conn, 5)) == 1
        conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    other = sqlite3.connect(archive_path)  # what was committed, seen from outside
    try:
        assert index_trigger(other) == trigger
        assert len(found_by_search(other, 4)) == 1
    finally:
        other.close()


def foreign_keys(conn):
    return conn.execute("PRAGMA foreign_keys").fetchone()[0]


def test_a_group_of_new_articles_that_cannot_commit_keeps_the_schema_and_the_checks(
    archive_path,
):
    with Archive.open(archive_path) as archive:
        trigger = index_trigger(archive.conn)
        assert foreign_keys(archive.conn) == 1
        with (
            pytest.raises(ArchiveError, match="was not stored"),
            archive.grouped_writes(seconds=3600, new_articles=True),
        ):
            words = " ".join(f"term{n}" for n in range(20_000))  # its index needs new pages
            store_article(archive, dataclasses.replace(sample_article(1), body=words))
            assert foreign_keys(archive.conn) == 0, "not checked row by row in the group"
            pages = archive.conn.execute("PRAGMA page_count").fetchone()[0]
            archive.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full now
        archive.conn.execute("PRAGMA max_page_count = 1073741823")
        assert index_trigger(archive.conn) == trigger
        assert foreign_keys(archive.conn) == 1
        assert archive.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        store_article(archive, sample_article(2))
        assert len(found_by_search(archive.conn, 2)) == 1
        with pytest.raises(sqlite3.IntegrityError), archive.writing() as conn:
            conn.execute("INSERT INTO article_tags (article_id, tag_id) VALUES (99, 99)")


@pytest.mark.parametrize("dropped", [list(migrations.ACTOR_INDEXES)[:1], migrations.ACTOR_INDEXES])
def test_an_archive_left_without_its_actor_indexes_gets_them_back_when_opened(
    archive_path, tmp_path, dropped
):
    Archive.open(tmp_path / "fresh.db").close()
    made = actor_indexes(tmp_path / "fresh.db")
    assert len(made) == 2
    with Archive.open(archive_path) as archive, archive.writing() as conn:
        for name in dropped:
            conn.execute(f"DROP INDEX {name}")  # as a killed import leaves them
    assert len(actor_indexes(archive_path)) == 2 - len(dropped)
    Archive.open(archive_path).close()
    assert actor_indexes(archive_path) == made


def test_an_import_group_that_cannot_build_the_actor_indexes_leaves_them_to_the_next_open(
    archive_path,
):
    with Archive.open(archive_path) as archive:
        made = actor_indexes(archive_path)
        real = archive.conn
        archive.conn = DiskFullOn(real, "CREATE INDEX")  # type: ignore[assignment]
        with archive.grouped_writes(seconds=3600, new_articles=True, files=1):
            stored = store_article(archive, sample_article(1)).article_id
            archive.commit_group()
            assert actor_indexes(archive_path) == [], "an empty archive builds them at the end"
        archive.conn = real
        assert actor_indexes(archive_path) == []
    with Archive.open(archive_path) as reopened:
        assert get_article(reopened, stored).title == sample_article(1).title
    assert actor_indexes(archive_path) == made


def test_backup_and_restore_round_trip(archive_path, tmp_path):
    backup = tmp_path / "saved.db"
    with Archive.open(archive_path) as archive:
        store_article(archive, sample_article(1), tags=["kept"])
        archive.backup_to(backup)
        saved = table_rows(archive.conn)
        store_article(archive, sample_article(2))
        assert table_rows(archive.conn) != saved
        safety = archive.restore_from(backup)
        assert table_rows(archive.conn) == saved
        assert (
            archive.conn.execute(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'round'"
            ).fetchone()[0]
            == 1
        )
    assert safety is not None and safety.exists()
    with Archive.open(safety) as previous:
        assert len(table_rows(previous.conn)["articles"]) == 2


def test_restore_refuses_a_file_that_is_not_an_archive(archive_path, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00" * 4096)
    with Archive.open(archive_path) as archive:
        store_article(archive, sample_article())
        before = table_rows(archive.conn)
        with pytest.raises(ArchiveError):
            archive.restore_from(junk)
        assert table_rows(archive.conn) == before
    with pytest.raises(ArchiveError, match="no such file"):
        check_is_archive(tmp_path / "missing.db")


def test_settings_round_trip(archive):
    assert archive.setting("load_samples", "on") == "on"
    archive.set_setting("load_samples", "off")
    archive.set_setting("load_samples", "on")
    assert archive.setting("load_samples") == "on"
