"""The reader's corrections of what the engine found, at a place in an article's text.

The registry edits themselves (rename, kind, merge, not an actor) live in `actors`; these
are the ones that start from one mention or one stretch of selected text.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing_app.core.actors import ALIAS, add_alias_row, clean_name, find_actor
from briefing_app.core.annotations import QuoteRecord, list_quotes
from briefing_app.core.archive import Archive
from briefing_app.core.errors import NotFound


@dataclass(frozen=True)
class MentionRecord:
    id: int
    start: int
    end: int
    text: str
    actor: str
    kind: str


@dataclass(frozen=True)
class MarksAt:
    """What the engine (or the user) marked at one offset of an article."""

    mention: MentionRecord | None
    quote: QuoteRecord | None


def marks_at(archive: Archive, article_id: int, offset: int) -> MarksAt:
    row = archive.conn.execute(
        "SELECT m.id, m.start, m.end, m.text, a.name, a.kind FROM mentions m "
        "JOIN actors a ON a.id = m.actor_id WHERE m.article_id = ? AND m.status != 'rejected' "
        "AND m.start <= ? AND ? < m.end ORDER BY m.end - m.start LIMIT 1",
        [article_id, offset, offset],
    ).fetchone()
    quotes = list_quotes(archive, article_id=article_id, at=offset, limit=1)
    return MarksAt(MentionRecord(*row) if row else None, quotes[0] if quotes else None)


def link_mention(archive: Archive, mention_id: int, actor: str) -> int:
    """The reader's "This is…": the mention's text names `actor` (it becomes an alias, so
    the engine finds it so from now on), and its mentions in this article move there."""
    actor_id = find_actor(archive, actor)
    with archive.writing() as conn:
        row = conn.execute(
            "SELECT article_id, text FROM mentions WHERE id = ?", [mention_id]
        ).fetchone()
        if row is None:
            raise NotFound(f"no mention with id {mention_id}")
        article_id, text = row
        add_alias_row(conn, actor_id, clean_name(text), ALIAS)
        conn.execute("DELETE FROM not_actors WHERE name = ?", [text])
        conn.execute(
            "UPDATE mentions SET actor_id = ?, status = 'confirmed' WHERE article_id = ? "
            "AND text = ? COLLATE NOCASE AND status != 'rejected'",
            [actor_id, article_id, text],
        )
    return actor_id
