"""Undo and redo of the user's edits, whatever they touch.

SQLite's own recipe ("Automatic Undo/Redo Using SQLite"): TEMP triggers on the tables a
user edits write, for every row changed, the statement that reverses the change. They log
only while an edit is being recorded, and being TEMP they exist on this connection only, so
another process writing the archive (an import from the command line) is never logged.
Replaying a step runs its statements backwards in one transaction and records the reverse
again, which is the redo. One mechanism serves highlights, notes, tags, stars and every
correction of actors and quotes, however many rows each touches.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from briefing_app.core.archive import Archive
from briefing_app.core.errors import BriefingError

TRACKED = (
    "articles",
    "tags",
    "article_tags",
    "actors",
    "actor_aliases",
    "not_actors",
    "mentions",
    "quotes",
    "highlights",
    "saved_searches",
    "briefings",
    "briefing_articles",
)
"""The tables a user's action can change; the others (settings, sources, dates) are not
edited by hand."""

T = TypeVar("T")


class UndoFailed(BriefingError):
    """A step that cannot be replayed because the archive changed in between."""


@dataclass(frozen=True)
class Step:
    """The statements that reverse one action, in the order they were logged."""

    statements: tuple[str, ...]


class UndoLog:
    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._recording = False
        conn = archive.conn
        conn.create_function("briefing_undo_recording", 0, lambda: self._recording)
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS undo_log "
            "(seq INTEGER PRIMARY KEY, statement TEXT NOT NULL)"
        )
        existing = {
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        for table in TRACKED:
            if table in existing:
                for trigger in _triggers(conn, table):
                    conn.execute(trigger)

    def record(self, action: Callable[[Archive], T]) -> tuple[T, Step]:
        """Run `action` and return its result with the step that undoes it."""
        self._take()  # nothing left over from an action that failed halfway
        self._recording = True
        try:
            result = action(self.archive)
        finally:
            self._recording = False
        return result, self._take()

    def replay(self, step: Step) -> Step:
        """Undo a step (or redo an undone one); returns the step that reverses this."""
        self._take()
        self._recording = True
        try:
            with self.archive.writing() as conn:
                conn.execute("PRAGMA defer_foreign_keys = ON")
                for statement in reversed(step.statements):
                    conn.execute(statement)
        except sqlite3.IntegrityError:
            raise UndoFailed(
                "cannot undo or redo this: the archive has changed since (another window "
                "or the command line)"
            ) from None
        finally:
            self._recording = False
        return self._take()

    def _take(self) -> Step:
        conn = self.archive.conn
        rows = conn.execute("SELECT statement FROM undo_log ORDER BY seq")
        statements = tuple(statement for (statement,) in rows)
        if statements:
            conn.execute("DELETE FROM undo_log")
        return Step(statements)


_LOGS: weakref.WeakKeyDictionary[Archive, UndoLog] = weakref.WeakKeyDictionary()


def undo_log(archive: Archive) -> UndoLog:
    """The archive's log, made on first use."""
    log = _LOGS.get(archive)
    if log is None:
        log = _LOGS[archive] = UndoLog(archive)
    return log


def _triggers(conn: sqlite3.Connection, table: str) -> list[str]:
    info = list(conn.execute(f"PRAGMA table_info({table})"))
    columns = [row[1] for row in info]
    has_rowid = bool(
        conn.execute(
            "SELECT count(*) FROM pragma_table_list WHERE name = ? AND wr = 0", [table]
        ).fetchone()[0]
    )
    primary_key = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
    keys = ["rowid"] if has_rowid else primary_key
    names = ", ".join(["rowid", *columns] if has_rowid else columns)
    values = " || ',' || ".join(
        (["old.rowid"] if has_rowid else []) + [f"quote(old.{c})" for c in columns]
    )

    def where(row: str) -> str:
        return " || ' AND ' || ".join(f"'{key} = ' || quote({row}.{key})" for key in keys)

    # Only the columns that changed are set back, so that un-starring an article does not
    # rewrite its full-text index (its trigger fires on title and body only); BINARY, so
    # that a change of case only in a NOCASE column counts as a change.
    changed = " || ".join(
        f"CASE WHEN old.{c} IS NOT new.{c} COLLATE BINARY "
        f"THEN '{c} = ' || quote(old.{c}) || ', ' ELSE '' END"
        for c in columns
    )
    log = "INSERT INTO undo_log (statement) VALUES"
    when = "WHEN briefing_undo_recording()"
    prefix = f"CREATE TEMP TRIGGER IF NOT EXISTS undo_{table}"
    return [
        f"{prefix}_insert AFTER INSERT ON main.{table} {when} BEGIN "
        f"{log} ('DELETE FROM {table} WHERE ' || {where('new')}); END",
        f"{prefix}_delete BEFORE DELETE ON main.{table} {when} BEGIN "
        f"{log} ('INSERT INTO {table} ({names}) VALUES (' || {values} || ')'); END",
        f"{prefix}_update BEFORE UPDATE ON main.{table} {when} BEGIN "
        f"{log} ('UPDATE {table} SET ' || {changed} || '{keys[0]} = {keys[0]} WHERE ' "
        f"|| {where('new')}); END",
    ]
