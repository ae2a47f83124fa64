"""The archive: one SQLite file, opened, checked, migrated and written through one writer.

All writes go through `Archive.writing()`: a process-wide lock plus `BEGIN IMMEDIATE`, so a
write either happens whole or not at all and two writers never interleave. WAL lets readers
(search, the reader view) work while a write is under way. A large import groups its writes
(`grouped_writes`): each is a savepoint, still whole or not at all, committed with the others
a fraction of a second later.
"""

from __future__ import annotations

import glob
import os
import shlex
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from briefing_app.core.errors import ArchiveCorrupt, ArchiveError
from briefing_app.core.migrations import (
    ACTOR_INDEXES,
    MIGRATION_SET,
    build_migrations,
    migration_names,
)
from briefing_app.core.paths import default_archive_path

if TYPE_CHECKING:
    from sqlite_utils import Database

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 30.0
OPEN_ATTEMPTS = 8
_WAIT_FOR_OTHER_WRITERS = f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}"
MIGRATIONS_TABLE = "_sqlite_migrations"


_OPEN_HERE: Counter[str] = Counter()
"""Archive files this process has open, by real path. Such a file is never opened outside
SQLite: closing any handle on a file drops every lock the process holds on it, and another
process would then take this one for gone, fold the write-ahead log into the file and
delete it under this process's connections, whose later writes would be lost."""
_OPENING = threading.RLock()


def _open_here(path: Path) -> bool:
    return _OPEN_HERE[os.path.realpath(path)] > 0


GROUP_SECONDS = 0.2
"""How long a batch of many writes (a large import, a re-annotation of many articles) keeps
its group's transaction open before it commits: a crash loses at most this much of it plus
one write, and another writer waits about as long, plus the article under way (its parse or
its extraction can run while the group is open)."""

WRITE_LOCK_POLL_SECONDS = 0.001
"""How often a writer tries again while another holds the archive. SQLite's own wait sleeps
up to 100 ms between tries; a large import commits every 0.2 s and begins its next group a
millisecond or two later, so an edit made in the app during a command-line import of 1,800
files waited 0.6-1.1 s (and would wait longer, past the busy timeout, behind a longer one)."""
GROUP_PAUSE_SECONDS = 0.002
"""A group's transaction begins at least this long after the last one ended, so that a
writer waiting for the archive, trying every `WRITE_LOCK_POLL_SECONDS`, gets it between
them. The import reads and extracts meanwhile, so it waits only for what is left: 0.6-1.3 %
of a 5,000-file import's time, in the tenth session's runs."""

SEARCH_INDEX_TRIGGER = "articles_fts_insert"
INDEX_ARTICLES_AFTER = (
    "INSERT INTO articles_fts(rowid, title, body) SELECT id, title, body FROM articles WHERE id > ?"
)
"""What the insert trigger (migration 0001) does for one article, for all those after an id."""
IMPORT_CACHE_KIB = 32 * 1024
"""SQLite's page cache while an import writes (2 MB otherwise): an article touches pages all
over the mention and full-text indexes, and with the usual cache SQLite writes changed pages
out before the commit and reads them back (an import of 2,000 files made 88,656 page writes
and 49,993 reads; with this cache 52,748 and 14,059)."""
IMPORT_CHECKPOINT_PAGES = 10_000
"""Pages the write-ahead log may hold while an import writes before SQLite copies them into
the archive (1,000 otherwise). Every copy syncs the log and the archive to disk, and a group
commits more than 1,000 pages, so with the usual interval each commit waited for two syncs
(0.67 s of a 5,000-file import); pages that several groups change are also copied once,
not once a group."""
MENTIONS_A_FILE_FOR_INDEX_AFTER = 10
"""An import builds the indexes by actor (`ACTOR_INDEXES`) once, near or at its end (see
`build_actor_indexes`), when the archive holds fewer mentions than this many for each file
it imports (a first import, mostly). Kept row by row, an index by actor puts each new row on
the page of its actor, all over the index, and each group commits those pages again:
building the mentions-by-actor index after the load made a 5,000-file import 8 % and 12 %
faster (medians of seven and of six alternating pairs; the build takes 0.26-0.49 s for
275,000 mentions), and the quotes-by-speaker index took 0.04-0.07 ms an article more from
the writer than building it (0.03-0.05 s for 48,620 quotes). Where the archive already holds
many mentions, building them again would read them all."""


class Archive:
    """An open archive. Create with `Archive.open(path)` or `Archive.memory()`."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        self._write_lock = threading.RLock()
        self._db: Database | None = None
        self._counted: str | None = None
        """The key in _OPEN_HERE while this archive is open (Archive.open only)."""
        self._group_seconds: float | None = None
        """Inside `grouped_writes`: how long a group's transaction may stay open."""
        self._group_began = 0.0
        self._group_ended = 0.0
        self._savepoints = 0
        """Writes under way inside the group (a commit waits for them to end)."""
        self._after_write: list[Callable[[], None]] = []
        self._new_articles = False
        """Inside `grouped_writes(new_articles=True)`."""
        self._deferred_index: tuple[str, int] | None = None
        """While the group's transaction has the search index's insert trigger dropped: the
        trigger's SQL, and the last article id before the group."""

    # Opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Archive:
        """Open (creating if needed) and bring the schema up to date, backing up first."""
        archive_path = Path(path) if path is not None else default_archive_path()
        with _OPENING:  # no other thread here reads the file raw between check and connect
            _check_file(archive_path)
            try:
                conn = sqlite3.connect(
                    archive_path,
                    timeout=BUSY_TIMEOUT_SECONDS,
                    isolation_level=None,
                    check_same_thread=False,
                )
            except sqlite3.Error as error:
                raise database_error(archive_path, error) from None
            archive = cls(conn, archive_path)
            archive._counted = os.path.realpath(archive_path)
            _OPEN_HERE[archive._counted] += 1
        try:
            archive._configure_and_upgrade()
        except sqlite3.DatabaseError as error:
            archive.close()
            raise database_error(archive_path, error) from None
        except BaseException:
            archive.close()
            raise
        return archive

    def _configure_and_upgrade(self) -> None:
        """Two processes making the same new archive at once can meet while the file is
        still in rollback mode, where SQLite answers "locked" at once rather than wait (it
        would deadlock): the loser tries again shortly, by then on a WAL archive."""
        for attempt in range(OPEN_ATTEMPTS):
            try:
                self._configure(wal=True)
                self._bring_schema_up_to_date()
                self.build_actor_indexes()
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or attempt == OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))

    @classmethod
    def memory(cls) -> Archive:
        """A private in-memory archive, for tests and one-off scripts."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        archive = cls(conn, None)
        archive._configure(wal=False)
        archive._bring_schema_up_to_date()
        return archive

    def close(self) -> None:
        self.conn.close()
        with _OPENING:
            if self._counted is not None:
                _OPEN_HERE[self._counted] -= 1
                self._counted = None

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def db(self) -> Database:
        """The sqlite-utils view of the same connection, loaded on first use."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn)
        return self._db

    def _configure(self, *, wal: bool) -> None:
        self.conn.execute(_WAIT_FOR_OTHER_WRITERS)
        self.conn.execute("PRAGMA foreign_keys = ON")
        # Each write of a large import is a savepoint inside the group's transaction, and
        # SQLite keeps a copy of every page a savepoint changes that was there before it
        # (some 200 KB an article, the full-text index's pages mostly), so that the write can
        # roll back alone. Past 64 KB that copy goes to a temporary file: over a hundred
        # system calls an article. In memory it is freed at the end of each write. Set
        # before any temporary table exists: changing it drops them.
        self.conn.execute("PRAGMA temp_store = MEMORY")
        if wal:
            self.conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode never corrupts and survives a killed process; only a power
            # cut can lose the very last commits.
            self.conn.execute("PRAGMA synchronous = NORMAL")

    # Schema --------------------------------------------------------------------------------

    def _schema_sql(self, kind: str, name: str) -> str | None:
        """The SQL that made a table, index or trigger; None if the archive has none."""
        row = self.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = ? AND name = ?", [kind, name]
        ).fetchone()
        return None if row is None else str(row[0])

    def applied_migrations(self) -> list[str]:
        if self._schema_sql("table", MIGRATIONS_TABLE) is None:
            return []
        rows = self.conn.execute(
            f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
            [MIGRATION_SET],
        )
        return [name for (name,) in rows]

    def schema_version(self) -> str:
        applied = self.applied_migrations()
        return applied[-1] if applied else ""

    def _bring_schema_up_to_date(self) -> None:
        known = migration_names()
        applied = self.applied_migrations()
        if applied == known:
            return
        if applied:  # an archive in use: refuse one from a newer version, back up first
            self._refuse_foreign_or_newer(applied, known)
            if self.path is not None:  # (outside the transaction: SQLite cannot copy in one)
                self.backup_to(timestamped_backup_path(self.path))
        with self.writing():
            # Looked at again under the write lock: another process may have created or
            # upgraded the schema since, and an archive created meanwhile must not be
            # taken for a foreign database.
            applied = self.applied_migrations()
            if applied != known:
                self._refuse_foreign_or_newer(applied, known)
                build_migrations().apply(self.db)

    def _refuse_foreign_or_newer(self, applied: list[str], known: list[str]) -> None:
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise ArchiveError(
                f"{self.path}: this archive was written by a newer version of Briefing "
                f"(schema {unknown[-1]}); update Briefing to open it"
            )
        if not applied:
            tables = self.conn.execute(
                "SELECT count(*) FROM sqlite_master "
                "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchone()[0]
            if tables:
                raise ArchiveError(
                    f"{self.path}: this is an SQLite database but not a Briefing archive"
                )

    # Writing -------------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or none of it. Inside
        `grouped_writes` it is a savepoint of the group's transaction, committed with it."""
        with self._write_lock:
            if self._group_seconds is not None:
                with self._savepoint():
                    yield self.conn
                return
            self._begin()
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                self._after_write.clear()
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self._run_after_write()

    def after_write(self, action: Callable[[], None]) -> None:
        """Run `action` once the write under way has ended well (committed, or released
        inside a group), never if it rolls back: for what a caller may remember of it."""
        self._after_write.append(action)

    def _run_after_write(self) -> None:
        actions, self._after_write = self._after_write, []
        for action in actions:
            action()

    @contextmanager
    def grouped_writes(
        self,
        *,
        when: bool = True,
        seconds: float | None = None,
        new_articles: bool = False,
        files: int = 0,
    ) -> Iterator[None]:
        """Many small writes committed together: at `commit_group()`, at
        `commit_group_if_due()` once the group's transaction has been open `seconds`
        (`GROUP_SECONDS` unless given), and at the end; without `when` (a small batch) each
        write commits on its own, as outside a group. A commit writes every page its
        transaction touched, so an import that commits each article on its own writes the
        same index pages again and again; grouped, it writes them once a group. Each write is
        still whole or not at all; a crash loses at most the writes since the last commit,
        never part of one. The open transaction blocks other writers: the caller commits
        before it waits, and checks whether a commit is due between writes.

        With `new_articles` (an import), the articles a group adds enter the full-text index
        together just before it commits, not one by one as they are written (see
        `_defer_search_index`), SQLite's page cache is larger while the group lasts
        (`IMPORT_CACHE_KIB`), the write-ahead log is copied into the archive less often
        (`IMPORT_CHECKPOINT_PAGES`; the group ends by copying it, without waiting for
        readers), and SQLite does not check each row's references (foreign
        keys) during the group's transaction: every row an import writes refers to the
        article it has just inserted or to actors and sources it has just made or looked up
        in the same transaction, and an import deletes nothing. The checks cost 5 % of the
        importing process (mentions refer to an article and an actor each).

        With `files` too (an import that finds mentions, of that many files), an archive that
        holds few mentions (`MENTIONS_A_FILE_FOR_INDEX_AFTER`) goes without its indexes by
        actor until the caller builds them (`build_actor_indexes`) or, failing that, the end
        of the group does, in one pass each. Meanwhile
        queries by actor are right but read every mention or quote; if the import ends
        before it can build them (a crash, a full disk), the next open does."""
        if not when:
            yield
            return
        with self._write_lock:
            index_after = new_articles and files > 0 and self._drop_actor_indexes_for(files)
            self._group_seconds = GROUP_SECONDS if seconds is None else seconds
            self._new_articles = new_articles
            cache = self.conn.execute("PRAGMA cache_size").fetchone()[0]
            checkpoint = self.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
            if new_articles:
                self.conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
                self.conn.execute(f"PRAGMA wal_autocheckpoint = {IMPORT_CHECKPOINT_PAGES}")
            try:
                yield
            finally:
                self._group_seconds = None
                self._new_articles = False
                try:
                    self._commit_group_now()
                finally:
                    if index_after:
                        self.build_actor_indexes()
                    if new_articles:
                        self.conn.execute(f"PRAGMA cache_size = {int(cache)}")
                        self.conn.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint)}")
                if new_articles:
                    self._copy_log_into_archive()

    def _drop_actor_indexes_for(self, files: int) -> bool:
        """Drop the indexes by actor if an import of `files` files should build them after
        (`grouped_writes`); True if they are to be built at the end (also when a crash left
        one missing)."""
        with self.writing() as conn:
            if self._missing_actor_indexes():
                return True
            (mentions,) = conn.execute("SELECT coalesce(max(id), 0) FROM mentions").fetchone()
            if mentions >= MENTIONS_A_FILE_FOR_INDEX_AFTER * files:
                return False
            for name in ACTOR_INDEXES:
                conn.execute(f"DROP INDEX {name}")
        return True

    def _missing_actor_indexes(self) -> list[str]:
        return [name for name in ACTOR_INDEXES if self._schema_sql("index", name) is None]

    def build_actor_indexes(self) -> None:
        """Build the indexes by actor that are missing: at open, at the end of a group that
        went without them, or earlier in it (what the group writes after, it keeps up row
        by row): a large import does so when its workers have its last files to extract,
        so that the build and the extraction overlap. Housekeeping: if it cannot (a full
        disk, another program holding the archive), every query is still right, only
        slower by actor, and the next open tries again. Another process that opens the
        archive while an import goes without them builds them then: that import waits for
        it and keeps them up row by row from there."""
        missing = self._missing_actor_indexes()
        if missing:
            self.commit_group()  # what a group wrote before is not held up by the build
        for name in missing:
            with suppress(sqlite3.Error, ArchiveError), self.writing() as conn:
                conn.execute(ACTOR_INDEXES[name])

    def _copy_log_into_archive(self) -> None:
        """Copy what the write-ahead log holds into the archive now, as far as readers allow.
        Housekeeping after the writes are committed: if it fails (a full disk), the log
        keeps the pages and SQLite copies them at a later commit, so the error is not the
        caller's (and must not hide the one that ended the group)."""
        with suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def commit_group(self) -> None:
        """Commit what the current group has written so far (nothing outside a group, nor
        in the middle of a write: a write is committed whole)."""
        with self._write_lock:
            if self._group_seconds is not None and not self._savepoints:
                self._commit_group_now()

    def commit_group_if_due(self) -> None:
        """`commit_group()` if the group's transaction has been open its time."""
        with self._write_lock:
            if (
                self._group_seconds is not None
                and self.conn.in_transaction
                and time.monotonic() - self._group_began >= self._group_seconds
            ):
                self.commit_group()

    def _commit_group_now(self) -> None:
        """Commit an open transaction; one that cannot be committed is rolled back (the
        connection stays usable) and the error says what was lost."""
        if not self.conn.in_transaction:
            return
        try:
            self._index_deferred_articles()
            self.conn.execute("COMMIT")
        except sqlite3.Error as error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise _group_lost(self.path, error) from None
        finally:
            self._group_transaction_ended()

    def _begin_group_transaction(self) -> None:
        if self._new_articles:  # (a no-op inside a transaction: set before it begins)
            self.conn.execute("PRAGMA foreign_keys = OFF")
        pause = self._group_ended + GROUP_PAUSE_SECONDS - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        try:
            self._begin()
        except BaseException:
            self._group_transaction_ended()
            raise
        self._group_began = time.monotonic()
        if self._new_articles:
            self._defer_search_index()

    def _group_transaction_ended(self) -> None:
        """What a group's transaction changed for itself alone goes back, committed or not."""
        self._group_ended = time.monotonic()
        self._deferred_index = None
        self.conn.execute("PRAGMA foreign_keys = ON")

    def _defer_search_index(self) -> None:
        """Drop the search index's insert trigger for this group's transaction. Written one
        by one, each article's words become a segment of their own in the FTS5 index (SQLite
        makes a virtual table write out what it holds at every statement's savepoint), which
        FTS5 then has to merge: about 1.2 M instructions an article, a fifth of the importing
        process. `_index_deferred_articles` indexes the group's articles in one statement and
        makes the trigger again before the commit, so every commit holds the schema as the
        migrations made it, and a group rolled back takes the drop back with it. Only the
        group writes meanwhile (it holds the write lock), and it neither edits nor deletes
        articles."""
        trigger_sql = self._schema_sql("trigger", SEARCH_INDEX_TRIGGER)
        if trigger_sql is None:
            return
        last_id = self.conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        self.conn.execute(f"DROP TRIGGER {SEARCH_INDEX_TRIGGER}")
        self._deferred_index = (trigger_sql, last_id)

    def _index_deferred_articles(self) -> None:
        if self._deferred_index is not None:
            trigger_sql, last_id = self._deferred_index
            self.conn.execute(INDEX_ARTICLES_AFTER, [last_id])
            self.conn.execute(trigger_sql)

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        assert self._group_seconds is not None
        if not self.conn.in_transaction:
            self._begin_group_transaction()
        self.conn.execute("SAVEPOINT write")
        self._savepoints += 1
        try:
            yield
        except BaseException as error:
            self._after_write.clear()
            if not self.conn.in_transaction:  # SQLite rolled the whole group back
                self._group_transaction_ended()
                if isinstance(error, sqlite3.Error):
                    raise _group_lost(self.path, error) from None
                raise
            self.conn.execute("ROLLBACK TO write")
            self.conn.execute("RELEASE write")
            raise
        finally:
            self._savepoints -= 1
        self.conn.execute("RELEASE write")
        self._run_after_write()
        self.commit_group_if_due()

    def _begin(self) -> None:
        """Take the archive for writing, trying every `WRITE_LOCK_POLL_SECONDS` while another
        writer has it, for up to `BUSY_TIMEOUT_SECONDS`."""
        given_up = time.monotonic() + BUSY_TIMEOUT_SECONDS
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if not _is_busy(error) or time.monotonic() >= given_up:
                        raise
                time.sleep(WRITE_LOCK_POLL_SECONDS)
        except sqlite3.DatabaseError as error:
            raise database_error(self.path, error) from None
        finally:
            self.conn.execute(_WAIT_FOR_OTHER_WRITERS)

    # Settings ------------------------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.writing() as conn:
            conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    # Backup --------------------------------------------------------------------------------

    def backup_to(self, out: Path) -> Path:
        """A consistent copy of the whole archive (safe while others read or write)."""
        return _copy_database(self.conn, self.path, out)

    def restore_from(self, source: Path) -> Path | None:
        """Replace the archive's content with a backup's, backing up the current one first.

        Returns the path of the safety backup of what was there before (None in memory).
        """
        check_is_archive(source)
        safety = None
        if self.path is not None:
            # A copy of damaged pages would pass for a good backup later on: a damaged
            # archive is refused here, for replace_damaged_archive.
            found = find_damage(self.path)
            if found is not None:
                raise found
            safety = self.backup_to(timestamped_backup_path(self.path))
        try:
            backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                with self._write_lock:
                    backup.backup(self.conn)
            finally:
                backup.close()
        except sqlite3.Error as error:
            raise ArchiveError(f"{source}: cannot restore from this file ({error})") from None
        self._configure(wal=self.path is not None)
        self._bring_schema_up_to_date()
        return safety


def _copy_database(source: sqlite3.Connection, source_path: Path | None, out: Path) -> Path:
    """Write `out` whole or not at all: copied into a partial file first, then renamed."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
        finally:
            target.close()
        os.replace(partial, out)
    except (OSError, sqlite3.Error) as error:
        partial.unlink(missing_ok=True)
        if isinstance(error, sqlite3.DatabaseError) and _is_damage(error):
            raise damaged(source_path, str(error)) from None
        raise ArchiveError(f"{out}: cannot write the backup ({error})") from None
    return out


def _sibling(path: Path, kind: str) -> Path:
    """`archive.<kind>-<time>.db` beside the archive: names that sort by time."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return path.with_name(f"{path.stem}.{kind}-{stamp}{path.suffix or '.db'}")


def timestamped_backup_path(path: Path) -> Path:
    return _sibling(path, "backup")


def latest_backup(path: Path) -> Path | None:
    """The newest backup Briefing saved beside the archive (before an upgrade or a restore)
    that is itself a whole archive this version can open."""
    pattern = f"{glob.escape(path.stem)}.backup-*{path.suffix or '.db'}"
    for candidate in sorted(path.parent.glob(pattern), reverse=True):
        try:
            check_is_archive(candidate)
        except ArchiveError:
            continue
        return candidate
    return None


def damaged(path: Path | None, reason: str) -> ArchiveCorrupt:
    """The error for a damaged archive: what is wrong, and the command that restores the
    latest backup beside it (or any backup, when there is none)."""
    if path is None:
        return ArchiveCorrupt(f"the archive is corrupt ({reason})", None, reason, None)
    backup = latest_backup(path)
    db = "" if path == default_archive_path() else f" --db {shlex.quote(str(path))}"
    if backup is None:
        advice = f"restore a backup of it with `briefing-app restore{db} BACKUP-FILE`"
    else:
        advice = (
            f"restore the latest backup with `briefing-app restore{db} {shlex.quote(str(backup))}`"
        )
    message = f"{path}: the archive is corrupt ({reason}); {advice}"
    return ArchiveCorrupt(message, path, reason, backup)


def find_damage(path: Path) -> ArchiveCorrupt | None:
    """Read every page of the archive (seconds for a large one) on a read-only connection
    of its own: damage that opening cannot see, in pages nothing has read yet."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        return damaged(path, str(error)) if _is_damage(error) else None
    return None if problems == ["ok"] else damaged(path, "; ".join(problems))


def replace_damaged_archive(path: Path, backup: Path) -> Path:
    """Put a copy of `backup` in place of an archive too damaged to open or to back up,
    keeping the damaged file (and its write-ahead log) beside it as
    `<name>.damaged-<time>.db`, whose path is returned."""
    if _open_here(path):
        raise ArchiveError(f"{path}: still open in Briefing; close it before restoring")
    check_is_archive(backup)
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        restored = _copy_database(source, backup, path.with_name(path.name + ".restored"))
    finally:
        source.close()
    aside = _sibling(path, "damaged")
    moved: list[tuple[str, str]] = []
    try:
        for ending in ("", "-wal"):
            if Path(f"{path}{ending}").exists():
                os.replace(f"{path}{ending}", f"{aside}{ending}")
                moved.append((f"{path}{ending}", f"{aside}{ending}"))
        Path(f"{path}-shm").unlink(missing_ok=True)
        os.replace(restored, path)
    except OSError as error:
        # The damaged file goes back where it was: an empty place would be taken for a new,
        # empty archive at the next start.
        for original, kept in reversed(moved):
            os.replace(kept, original)
        restored.unlink(missing_ok=True)
        raise ArchiveError(f"{path}: cannot put the backup in place ({error})") from None
    Archive.open(path).close()  # a backup from an older version is upgraded now
    return aside


def _check_file(path: Path) -> None:
    """Refuse what is plainly not an archive before SQLite gets to misread it (a file this
    process has open already was checked when it was opened, and must not be read raw)."""
    with _OPENING:
        if not _open_here(path):
            _check_unopened_file(path)


def _check_unopened_file(path: Path) -> None:
    if path.is_dir():
        raise ArchiveError(f"{path}: is a folder, not an archive file")
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ArchiveError(f"{path}: cannot create the archive's folder ({error})") from None
        return
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            header = file.read(100)
    except OSError as error:
        raise ArchiveError(f"{path}: cannot read the archive ({error.strerror})") from None
    if size == 0:
        return
    if not header.startswith(SQLITE_HEADER):
        raise ArchiveError(f"{path}: not a Briefing archive (not an SQLite database file)")
    if len(header) < 100:
        raise damaged(path, "truncated header")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    change_counter = header[24:28]
    valid_for = header[92:96]
    # The in-header page count is trustworthy only when "version-valid-for" matches the change
    # counter; then a file shorter than the pages it claims has been truncated.
    if valid_for == change_counter and page_count and size < page_size * page_count:
        raise damaged(path, f"truncated: {size} bytes of {page_size * page_count}")


def check_is_archive(path: Path) -> None:
    """Raise ArchiveError unless `path` is a whole Briefing archive this version can open
    (every page read: for a file about to be restored from)."""
    try:
        _check_file(path)
    except ArchiveCorrupt as error:
        raise ArchiveError(f"{path}: the file is damaged ({error.reason})") from None
    if not path.exists():
        raise ArchiveError(f"{path}: no such file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise ArchiveError(f"{path}: cannot open ({error})") from None
    probe = Archive(conn, path)
    try:
        applied = probe.applied_migrations()
        if not applied:
            raise ArchiveError(f"{path}: not a Briefing archive")
        probe._refuse_foreign_or_newer(applied, migration_names())
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise ArchiveError(f"{path}: the file is damaged (quick_check failed)")
    except sqlite3.DatabaseError as error:
        raise ArchiveError(f"{path}: the file is damaged or unreadable ({error})") from None
    finally:
        conn.close()


def _is_damage(error: sqlite3.DatabaseError) -> bool:
    text = str(error).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def _group_lost(path: Path | None, error: sqlite3.Error) -> ArchiveError:
    """A group that could not be committed takes every write since its last commit with
    it, not only the one under way: the message says so."""
    return ArchiveError(
        f"{database_error(path, error)} (what was written since the last commit, up to a "
        "fraction of a second of the work, was not stored: run it again for the rest)"
    )


def _is_busy(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def database_error(path: Path | None, error: sqlite3.Error) -> ArchiveError:
    """The SQLite errors a user can meet (busy, full, damaged, read-only) as an error whose
    message says what happened and what to do."""
    text = str(error).lower()
    where = f"{path}: " if path is not None else ""
    if _is_busy(error):
        return ArchiveError(
            f"{where}the archive is busy: another program kept it locked for over "
            f"{BUSY_TIMEOUT_SECONDS:g} seconds; try again"
        )
    if isinstance(error, sqlite3.DatabaseError) and _is_damage(error):
        return damaged(path, str(error))
    if "full" in text:
        return ArchiveError(f"{where}the disk is full; free some space and try again")
    if "readonly" in text or "read-only" in text:
        return ArchiveError(f"{where}the archive is read-only; check its permissions")
    if "unable to open" in text:
        return ArchiveError(f"{where}cannot open the archive ({error})")
    return ArchiveError(f"{where}archive error: {error}")
