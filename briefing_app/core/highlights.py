"""The user's highlights and notes on articles: made, changed and removed at once (one
transaction each), and re-anchored when an article's text changes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from briefing_app.core.anchoring import Anchor, make_anchor, reanchor, text_hash
from briefing_app.core.archive import Archive
from briefing_app.core.errors import BriefingError, NotFound

COLOURS = ("yellow", "green", "blue", "pink", "purple")


class HighlightFailed(BriefingError):
    """A highlight that cannot be made as asked."""


@dataclass(frozen=True)
class Highlight:
    id: int
    article_id: int
    start: int | None
    end: int | None
    quote: str
    colour: str
    label: str | None
    note: str | None

    @property
    def orphan(self) -> bool:
        """True when the article's text changed and the highlighted text was not found."""
        return self.start is None


_COLUMNS = "id, article_id, start, end, quote, colour, label, note"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _body(conn: sqlite3.Connection, article_id: int) -> str:
    row = conn.execute("SELECT body FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        raise NotFound(f"no article with id {article_id}")
    return str(row[0])


def _checked_colour(colour: str) -> str:
    if colour not in COLOURS:
        raise HighlightFailed(f"unknown colour {colour!r} (use {', '.join(COLOURS)})")
    return colour


def add_highlight(
    archive: Archive,
    article_id: int,
    start: int,
    end: int,
    *,
    colour: str = "yellow",
    label: str | None = None,
    note: str | None = None,
) -> Highlight:
    colour = _checked_colour(colour)
    with archive.writing() as conn:
        try:
            anchor = make_anchor(_body(conn, article_id), start, end)
        except ValueError as error:
            raise HighlightFailed(str(error)) from None
        now = _now()
        cursor = conn.execute(
            "INSERT INTO highlights (article_id, start, end, quote, prefix, suffix, text_hash, "
            "colour, label, note, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                article_id, anchor.start, anchor.end, anchor.quote, anchor.prefix,
                anchor.suffix, anchor.text_hash, colour, label, note, now, now,
            ],
        )  # fmt: skip
        highlight_id = int(cursor.lastrowid or 0)
    return get_highlight(archive, highlight_id)


def get_highlight(archive: Archive, highlight_id: int) -> Highlight:
    row = archive.conn.execute(
        f"SELECT {_COLUMNS} FROM highlights WHERE id = ?", [highlight_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"no highlight with id {highlight_id}")
    return Highlight(*row)


def update_highlight(
    archive: Archive,
    highlight_id: int,
    *,
    colour: str | None = None,
    label: str | None = None,
    note: str | None = None,
) -> Highlight:
    """Change the colour, label or note (None leaves it; "" clears a label or note)."""
    current = get_highlight(archive, highlight_id)
    with archive.writing() as conn:
        conn.execute(
            "UPDATE highlights SET colour = ?, label = ?, note = ?, updated_at = ? WHERE id = ?",
            [
                _checked_colour(colour) if colour is not None else current.colour,
                (label or None) if label is not None else current.label,
                (note or None) if note is not None else current.note,
                _now(),
                highlight_id,
            ],
        )
    return get_highlight(archive, highlight_id)


def delete_highlight(archive: Archive, highlight_id: int) -> None:
    with archive.writing() as conn:
        if not conn.execute("DELETE FROM highlights WHERE id = ?", [highlight_id]).rowcount:
            raise NotFound(f"no highlight with id {highlight_id}")


def list_highlights(archive: Archive, article_id: int | None = None) -> list[Highlight]:
    """An article's highlights in reading order (orphans last), or every highlight."""
    where, params = ("WHERE article_id = ?", [article_id]) if article_id is not None else ("", [])
    rows = archive.conn.execute(
        f"SELECT {_COLUMNS} FROM highlights {where} ORDER BY article_id, start IS NULL, start, id",
        params,
    )
    return [Highlight(*row) for row in rows]


def reanchor_article(archive: Archive, article_id: int) -> tuple[int, int]:
    """After the article's text changed: place every highlight again. Returns how many were
    placed and how many are now orphans (kept, with their text and note)."""
    placed = orphans = 0
    with archive.writing() as conn:
        body = _body(conn, article_id)
        digest = text_hash(body)
        rows = conn.execute(
            "SELECT id, start, end, quote, prefix, suffix, text_hash FROM highlights "
            "WHERE article_id = ?",
            [article_id],
        ).fetchall()
        for highlight_id, start, end, quote, prefix, suffix, old_hash in rows:
            if old_hash == digest and start is not None:
                placed += 1
                continue
            anchor = Anchor(start if start is not None else 0, end or 0, quote, prefix, suffix,
                            old_hash)  # fmt: skip
            where = reanchor(anchor, body)
            if where is None:
                orphans += 1
                conn.execute(
                    "UPDATE highlights SET start = NULL, end = NULL, text_hash = ? WHERE id = ?",
                    [digest, highlight_id],
                )
                continue
            placed += 1
            fresh = make_anchor(body, *where)
            conn.execute(
                "UPDATE highlights SET start = ?, end = ?, prefix = ?, suffix = ?, "
                "text_hash = ? WHERE id = ?",
                [fresh.start, fresh.end, fresh.prefix, fresh.suffix, digest, highlight_id],
            )
    return placed, orphans
