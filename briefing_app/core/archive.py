"""The archive: one SQLite file, opened, checked, migrated and written through one writer.

All writes go through `Archive.writing()`: a process-wide lock plus `BEGIN IMMEDIATE`, so a
write either happens whole or not at all and two writers never interleave. WAL lets readers
(search, the reader view) work while a write is under way.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from briefing_app.core.errors import ArchiveError
from briefing_app.core.migrations import MIGRATION_SET, build_migrations, migration_names
from briefing_app.core.paths import default_archive_path

if TYPE_CHECKING:
    from sqlite_utils import Database

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 30.0
MIGRATIONS_TABLE = "_sqlite_migrations"


class Archive:
    """An open archive. Create with `Archive.open(path)` or `Archive.memory()`."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        self._write_lock = threading.RLock()
        self._db: Database | None = None

    # Opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Archive:
        """Open (creating if needed) and bring the schema up to date, backing up first."""
        archive_path = Path(path) if path is not None else default_archive_path()
        _check_file(archive_path)
        try:
            conn = sqlite3.connect(
                archive_path,
                timeout=BUSY_TIMEOUT_SECONDS,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as error:
            raise ArchiveError(f"{archive_path}: cannot open the archive ({error})") from None
        archive = cls(conn, archive_path)
        try:
            archive._configure(wal=True)
            archive._bring_schema_up_to_date()
        except sqlite3.DatabaseError as error:
            conn.close()
            raise ArchiveError(describe_database_error(archive_path, error)) from None
        except BaseException:
            conn.close()
            raise
        return archive

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
        self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        if wal:
            self.conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode never corrupts and survives a killed process; only a power
            # cut can lose the very last commits.
            self.conn.execute("PRAGMA synchronous = NORMAL")

    # Schema --------------------------------------------------------------------------------

    def applied_migrations(self) -> list[str]:
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
        ).fetchone()
        if not exists:
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
        self._refuse_foreign_or_newer(applied, known)
        if applied and self.path is not None:
            self.backup_to(timestamped_backup_path(self.path))
        with self.writing():
            # Re-read under the write lock: another process may have upgraded meanwhile.
            if self.applied_migrations() != known:
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
        """One write transaction: all of it is committed, or none of it."""
        with self._write_lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise ArchiveError(describe_database_error(self.path, error)) from None
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

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
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        partial.unlink(missing_ok=True)
        try:
            target = sqlite3.connect(partial)
            try:
                self.conn.backup(target)
            finally:
                target.close()
            os.replace(partial, out)
        except (OSError, sqlite3.Error) as error:
            partial.unlink(missing_ok=True)
            raise ArchiveError(f"{out}: cannot write the backup ({error})") from None
        return out

    def restore_from(self, source: Path) -> Path | None:
        """Replace the archive's content with a backup's, backing up the current one first.

        Returns the path of the safety backup of what was there before (None in memory).
        """
        check_is_archive(source)
        safety = None
        if self.path is not None:
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


def timestamped_backup_path(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return path.with_name(f"{path.stem}.backup-{stamp}{path.suffix or '.db'}")


def _check_file(path: Path) -> None:
    """Refuse what is plainly not an archive before SQLite gets to misread it."""
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
        raise ArchiveError(f"{path}: the archive is corrupt (truncated header)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    change_counter = header[24:28]
    valid_for = header[92:96]
    # The in-header page count is trustworthy only when "version-valid-for" matches the change
    # counter; then a file shorter than the pages it claims has been truncated.
    if valid_for == change_counter and page_count and size < page_size * page_count:
        raise ArchiveError(
            f"{path}: the archive is corrupt (truncated: {size} bytes of "
            f"{page_size * page_count}); restore a backup with `briefing-app restore`"
        )


def check_is_archive(path: Path) -> None:
    """Raise ArchiveError unless `path` is a Briefing archive this version can open."""
    _check_file(path)
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
            raise ArchiveError(f"{path}: the archive is corrupt (quick_check failed)")
    except sqlite3.DatabaseError as error:
        raise ArchiveError(describe_database_error(path, error)) from None
    finally:
        conn.close()


def describe_database_error(path: Path | None, error: sqlite3.Error) -> str:
    """Turn the SQLite errors a user can meet (busy, full, corrupt, read-only) into a sentence."""
    text = str(error).lower()
    where = f"{path}: " if path is not None else ""
    if "locked" in text or "busy" in text:
        return f"{where}the archive is busy: another program kept it locked; try again"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return (
            f"{where}the archive is corrupt ({error}); restore a backup with `briefing-app restore`"
        )
    if "full" in text:
        return f"{where}the disk is full; free some space and try again"
    if "readonly" in text or "read-only" in text:
        return f"{where}the archive is read-only; check its permissions"
    if "unable to open" in text:
        return f"{where}cannot open the archive ({error})"
    return f"{where}archive error: {error}"
