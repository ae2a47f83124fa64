"""Searches the user keeps under a name, to run again later: checked when saved (a query the
search cannot read is refused then, not when it is run), listed by name, deleted by name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from briefing_app.core.archive import Archive
from briefing_app.core.dates import as_utc_iso
from briefing_app.core.errors import BriefingError, NotFound
from briefing_app.core.search import compile_query


class SavedSearchFailed(BriefingError):
    """A search that cannot be saved as asked."""


@dataclass(frozen=True)
class SavedSearch:
    id: int
    name: str
    query: str
    created: str
    """When it was first saved, ISO 8601 UTC."""


_COLUMNS = "id, name, query, created"


def save_search(archive: Archive, name: str, query: str) -> SavedSearch:
    """Save `query` under `name`. Saving a name already saved (in any case) replaces its
    query; the saved search keeps its id, its spelling of the name and its creation time.

    The query is compiled first, so one the search cannot read raises the same InvalidSearch
    ("invalid search: …") that running it would, and nothing is saved."""
    name, query = name.strip(), query.strip()
    if not name:
        raise SavedSearchFailed("a saved search needs a name")
    compile_query(query)
    with archive.writing() as conn:
        conn.execute(
            "INSERT INTO saved_searches (name, query, created) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET query = excluded.query",
            [name, query, as_utc_iso(datetime.now(UTC))],
        )
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM saved_searches WHERE name = ?", [name]
        ).fetchone()
    return SavedSearch(*row)


def list_saved_searches(archive: Archive) -> list[SavedSearch]:
    """Every saved search, by name (ignoring case)."""
    rows = archive.conn.execute(f"SELECT {_COLUMNS} FROM saved_searches ORDER BY name")
    return [SavedSearch(*row) for row in rows]


def delete_saved_search(archive: Archive, name: str) -> None:
    """Delete the saved search called `name` (in any case)."""
    name = name.strip()
    with archive.writing() as conn:
        if not conn.execute("DELETE FROM saved_searches WHERE name = ?", [name]).rowcount:
            raise NotFound(f"no saved search called {name!r}")
