"""The actor registry as kept in an archive: copied from the bundled gazetteer on first use,
edited by the user there, and turned into the engine's Registry.

User edits win: a renamed or re-kinded actor is marked edited and keeps its name and kind
when the bundled file changes; an alias the user removed stays removed (a tombstone); merged
actors point at the actor they were merged into, which takes over their aliases.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from briefing_app.core.archive import Archive
from briefing_app.core.errors import BriefingError, NotFound
from briefing_app.core.extract.registry import (
    ALIAS,
    KINDS,
    NAME,
    SURNAME,
    Actor,
    Registry,
    actor_key,
    bundled_gazetteer,
    bundled_gazetteer_text,
    gazetteer_forms,
    titled_registry,
)
from briefing_app.core.extract.rows import ActorRow

GAZETTEER_HASH = "gazetteer_sha256"


@dataclass(frozen=True)
class ActorRecord:
    id: int
    name: str
    kind: str
    origin: str
    mentions: int
    aliases: tuple[str, ...]


# Keeping the bundled data in step -------------------------------------------------------------


def ensure_registry(archive: Archive) -> None:
    """Copy (or update) the bundled gazetteer into the archive when it has changed."""
    text = bundled_gazetteer_text()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if archive.setting(GAZETTEER_HASH) == digest:
        return
    data = bundled_gazetteer()
    with archive.writing() as conn:
        for kind in KINDS:
            for entry in data.get(kind, []):
                _sync_entry(conn, kind, entry)
        conn.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [GAZETTEER_HASH, digest],
        )


def _sync_entry(conn: sqlite3.Connection, kind: str, entry: dict[str, Any]) -> None:
    key = actor_key(kind, entry["name"])
    row = conn.execute("SELECT id, edited FROM actors WHERE bundled_key = ?", [key]).fetchone()
    if row is None:
        existing = conn.execute(
            "SELECT id FROM actors WHERE name = ? COLLATE NOCASE AND kind = ?",
            [entry["name"], kind],
        ).fetchone()
        if existing:  # a name the user or the engine met first: it becomes the bundled one
            actor_id = existing[0]
            conn.execute("UPDATE actors SET bundled_key = ? WHERE id = ?", [key, actor_id])
        else:
            actor_id = conn.execute(
                "INSERT INTO actors (name, kind, origin, bundled_key) VALUES (?, ?, 'bundled', ?)",
                [entry["name"], kind, key],
            ).lastrowid
    else:
        actor_id = row[0]
    forms = list(gazetteer_forms(kind, entry))
    conn.execute(
        "DELETE FROM actor_aliases WHERE actor_id = ? AND origin = 'bundled' AND removed = 0 "
        f"AND (alias, form) NOT IN (VALUES {', '.join(['(?, ?)'] * len(forms)) or '(NULL, NULL)'})",
        [actor_id, *(value for pair in forms for value in pair)],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO actor_aliases (actor_id, alias, form, origin) "
        "VALUES (?, ?, ?, 'bundled')",
        [(actor_id, text, form) for text, form in forms],
    )


# The engine's view ------------------------------------------------------------------------------


def load_registry(archive: Archive) -> Registry:
    """The registry the engine uses for this archive: active actors with their aliases (and
    those of actors merged into them), the bundled titles, and the names marked not actors."""
    ensure_registry(archive)
    registry = titled_registry(bundled_gazetteer())
    actors: dict[int, Actor] = {}
    for actor_id, name, kind, origin in archive.conn.execute(
        "SELECT id, name, kind, origin FROM actors WHERE merged_into IS NULL"
    ):
        actors[actor_id] = registry.add_actor(
            Actor(archive_key(actor_id), name, kind, discovered=origin == "discovered")
        )
    for actor_id, alias, form in archive.conn.execute(
        "SELECT coalesce(a.merged_into, a.id), l.alias, l.form FROM actor_aliases l "
        "JOIN actors a ON a.id = l.actor_id WHERE l.removed = 0"
    ):
        if actor_id in actors:
            registry.add_alias(actors[actor_id], alias, form)
    for (name,) in archive.conn.execute("SELECT name FROM not_actors"):
        registry.reject(name)
    return registry


def archive_key(actor_id: int) -> str:
    return f"#{actor_id}"


def actor_ids_for(
    conn: sqlite3.Connection, actors: Iterable[ActorRow], known: dict[str, int] | None = None
) -> dict[str, int]:
    """Archive ids of engine actors by key, creating discovered ones on first sight.

    `known` caches ids of actors that were in the archive before this write (never one
    created here, which a rollback of this write would undo); it is updated. An article
    brings a few names the archive has not seen: each costs one insert, by a statement that
    SQLite prepares once for the whole import (not one shaped by the number of names).
    """
    cache = known if known is not None else {}
    ids: dict[str, int] = {}
    created: set[int] = set()
    for key, name, kind, _discovered in actors:
        if key.startswith("#"):
            ids[key] = int(key[1:])
        elif key in cache:
            ids[key] = cache[key]
        else:
            cursor = conn.execute(_INSERT_DISCOVERED, [name, kind])
            if cursor.rowcount == 1:
                ids[key] = int(cursor.lastrowid or 0)
                created.add(ids[key])
                continue
            actor_id = conn.execute(_ACTIVE_ID_BY_NAME, [name, kind]).fetchone()[0]
            ids[key] = actor_id
            if actor_id not in created:  # not "Helen Moss" made just now for "HELEN MOSS"
                cache[key] = actor_id
    return ids


_INSERT_DISCOVERED = (
    "INSERT INTO actors (name, kind, origin) VALUES (?, ?, 'discovered') ON CONFLICT DO NOTHING"
)
_ACTIVE_ID_BY_NAME = (
    "SELECT coalesce(merged_into, id) FROM actors WHERE name = ? COLLATE NOCASE AND kind = ?"
)


# Finding and listing ------------------------------------------------------------------------------


def find_actor(archive: Archive, name: str) -> int:
    """The active actor a user means by `name` (its name, or failing that an alias)."""
    conn = archive.conn
    row = (
        conn.execute(
            "SELECT coalesce(merged_into, id) FROM actors WHERE name = ? COLLATE NOCASE "
            "ORDER BY merged_into IS NOT NULL, origin = 'discovered' LIMIT 1",
            [name],
        ).fetchone()
        or conn.execute(
            "SELECT coalesce(a.merged_into, a.id) FROM actor_aliases l JOIN actors a "
            "ON a.id = l.actor_id WHERE l.alias = ? COLLATE NOCASE AND l.removed = 0 "
            "ORDER BY l.form != 'name', l.form = 'surname' LIMIT 1",
            [name],
        ).fetchone()
    )
    if row is None:
        raise NotFound(f"no actor called {name!r}")
    return int(row[0])


def actor_record(archive: Archive, actor_id: int) -> ActorRecord:
    rows = list_actors(archive, ids=[actor_id])
    if not rows:
        raise NotFound(f"no actor with id {actor_id}")
    return rows[0]


def list_actors(
    archive: Archive,
    *,
    kind: str | None = None,
    mentioned_only: bool = True,
    ids: Iterable[int] | None = None,
    limit: int = 100,
) -> list[ActorRecord]:
    """Actors by mention count across the archive, most mentioned first."""
    where = ["a.merged_into IS NULL"]
    params: list[object] = []
    if kind:
        where.append("a.kind = ?")
        params.append(kind)
    if ids is not None:
        id_list = list(ids)
        where.append(f"a.id IN ({', '.join('?' * len(id_list))})")
        params.extend(id_list)
    having = "HAVING count(m.id) > 0" if mentioned_only and ids is None else ""
    rows = archive.conn.execute(
        "SELECT a.id, a.name, a.kind, a.origin, count(m.id), "
        "(SELECT group_concat(alias, char(31)) FROM (SELECT DISTINCT l.alias FROM actor_aliases l "
        " JOIN actors x ON x.id = l.actor_id WHERE coalesce(x.merged_into, x.id) = a.id "
        " AND l.removed = 0 AND l.alias != a.name ORDER BY l.alias)) "
        "FROM actors a LEFT JOIN mentions m ON m.actor_id = a.id AND m.status != 'rejected' "
        f"WHERE {' AND '.join(where)} GROUP BY a.id {having} "
        "ORDER BY count(m.id) DESC, a.name COLLATE NOCASE LIMIT ?",
        [*params, limit],
    )
    return [
        ActorRecord(i, name, kind_, origin, count, tuple(aliases.split("\x1f")) if aliases else ())
        for i, name, kind_, origin, count, aliases in rows
    ]


# The user's edits ---------------------------------------------------------------------------------


class RegistryEditFailed(BriefingError):
    """An edit of the registry that cannot be made as asked."""


def rename_actor(archive: Archive, name: str, new_name: str) -> int:
    actor_id = find_actor(archive, name)
    new_name = clean_name(new_name)
    with archive.writing() as conn:
        old, kind = conn.execute(
            "SELECT name, kind FROM actors WHERE id = ?", [actor_id]
        ).fetchone()
        clash = conn.execute(
            "SELECT id FROM actors WHERE name = ? COLLATE NOCASE AND kind = ? AND id != ?",
            [new_name, kind, actor_id],
        ).fetchone()
        if clash:
            raise RegistryEditFailed(
                f"there is already a {kind} called {new_name!r}; merge the two instead"
            )
        conn.execute("UPDATE actors SET name = ?, edited = 1 WHERE id = ?", [new_name, actor_id])
        add_alias_row(conn, actor_id, old, NAME)
    return actor_id


def add_alias(archive: Archive, name: str, alias: str) -> int:
    actor_id = find_actor(archive, name)
    with archive.writing() as conn:
        add_alias_row(conn, actor_id, clean_name(alias), ALIAS)
        conn.execute("DELETE FROM not_actors WHERE name = ?", [alias])
    return actor_id


def add_alias_row(conn: sqlite3.Connection, actor_id: int, alias: str, form: str) -> None:
    updated = conn.execute(
        "UPDATE actor_aliases SET removed = 0 WHERE actor_id = ? AND alias = ? AND form = ?",
        [actor_id, alias, form],
    ).rowcount
    if not updated:
        conn.execute(
            "INSERT INTO actor_aliases (actor_id, alias, form, origin) VALUES (?, ?, ?, 'user')",
            [actor_id, alias, form],
        )


def remove_alias(archive: Archive, name: str, alias: str) -> int:
    actor_id = find_actor(archive, name)
    with archive.writing() as conn:
        removed = conn.execute(
            "UPDATE actor_aliases SET removed = 1 WHERE removed = 0 AND alias = ? COLLATE NOCASE "
            "AND actor_id IN (SELECT id FROM actors WHERE coalesce(merged_into, id) = ?)",
            [alias, actor_id],
        ).rowcount
        if not removed:
            raise RegistryEditFailed(f"{name!r} has no alias {alias!r}")
    return actor_id


def merge_actors(archive: Archive, source: str, target: str) -> int:
    """`source` becomes part of `target`: every mention and quote moves, aliases follow."""
    source_id, target_id = find_actor(archive, source), find_actor(archive, target)
    if source_id == target_id:
        raise RegistryEditFailed(f"{source!r} and {target!r} are already the same actor")
    with archive.writing() as conn:
        name, kind, origin = conn.execute(
            "SELECT name, kind, origin FROM actors WHERE id = ?", [source_id]
        ).fetchone()
        conn.execute(
            "UPDATE actors SET merged_into = ? WHERE id = ? OR merged_into = ?",
            [target_id, source_id, source_id],
        )
        add_alias_row(conn, target_id, name, ALIAS)
        words = name.split()
        if kind == "person" and origin != "bundled" and len(words) > 1:
            # The engine knew a discovered person by family name too; the target keeps that.
            for word in {words[0], words[-1]}:
                add_alias_row(conn, target_id, word, SURNAME)
        conn.execute("UPDATE mentions SET actor_id = ? WHERE actor_id = ?", [target_id, source_id])
        conn.execute(
            "UPDATE quotes SET speaker_id = ? WHERE speaker_id = ?", [target_id, source_id]
        )
    return target_id


def split_actor(
    archive: Archive, name: str, aliases: list[str], new_name: str, kind: str | None = None
) -> int:
    """A new actor `new_name` takes the given aliases (and the mentions written that way)."""
    actor_id = find_actor(archive, name)
    new_name = clean_name(new_name)
    with archive.writing() as conn:
        old_kind = conn.execute("SELECT kind FROM actors WHERE id = ?", [actor_id]).fetchone()[0]
        new_kind = checked_kind(kind or old_kind)
        if conn.execute(
            "SELECT 1 FROM actors WHERE name = ? COLLATE NOCASE AND kind = ?", [new_name, new_kind]
        ).fetchone():
            raise RegistryEditFailed(f"there is already a {new_kind} called {new_name!r}")
        new_id = int(
            conn.execute(
                "INSERT INTO actors (name, kind, origin, edited) VALUES (?, ?, 'user', 1)",
                [new_name, new_kind],
            ).lastrowid
            or 0
        )
        for alias in {*aliases, new_name}:
            conn.execute(
                "UPDATE actor_aliases SET removed = 1 WHERE alias = ? COLLATE NOCASE "
                "AND actor_id IN (SELECT id FROM actors WHERE coalesce(merged_into, id) = ?)",
                [alias, actor_id],
            )
            add_alias_row(conn, new_id, alias, ALIAS)
            conn.execute(
                "UPDATE mentions SET actor_id = ? WHERE actor_id = ? AND text = ? COLLATE NOCASE",
                [new_id, actor_id, alias],
            )
            conn.execute(
                "UPDATE quotes SET speaker_id = ? WHERE speaker_id = ? "
                "AND speaker_text = ? COLLATE NOCASE",
                [new_id, actor_id, alias],
            )
    return new_id


def change_kind(archive: Archive, name: str, kind: str) -> int:
    actor_id = find_actor(archive, name)
    kind = checked_kind(kind)
    with archive.writing() as conn:
        conn.execute("UPDATE actors SET kind = ?, edited = 1 WHERE id = ?", [kind, actor_id])
    return actor_id


def mark_not_actor(archive: Archive, text: str) -> int:
    """`text` is never an actor again; the mentions found for it so far are removed."""
    text = clean_name(text)
    with archive.writing() as conn:
        conn.execute("INSERT OR IGNORE INTO not_actors (name) VALUES (?)", [text])
        return conn.execute(
            "DELETE FROM mentions WHERE origin = 'engine' AND text = ? COLLATE NOCASE", [text]
        ).rowcount


def checked_kind(kind: str) -> str:
    if kind not in KINDS:
        raise RegistryEditFailed(f"unknown kind {kind!r} (use {', '.join(KINDS)})")
    return kind


def clean_name(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise RegistryEditFailed("a name cannot be empty")
    return cleaned
