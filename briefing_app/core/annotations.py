"""Actors, quotes and dates of stored articles: written with the article, recomputed on
request, and listed across the archive.

Engine rows are replaced on reannotation; the user's own rows (origin 'user') and decisions
(status 'rejected' or 'confirmed') are kept, and a rejected span is not found again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from briefing_app.core.actors import (
    actor_ids_for,
    archive_key,
    checked_kind,
    clean_name,
    find_actor,
    load_registry,
)
from briefing_app.core.archive import Archive
from briefing_app.core.articles import WriteAnnotations
from briefing_app.core.errors import BriefingError, NotFound
from briefing_app.core.extract import (
    DateMention,
    Extraction,
    Mention,
    Quote,
    Span,
)
from briefing_app.core.extract.registry import Actor
from briefing_app.core.extract.rows import Rows, extraction_rows

if TYPE_CHECKING:
    from briefing_app.core.extract import Engine


def article_date(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


class Annotator:
    """The engine with this archive's registry, writing inside the caller's transaction.

    The registry is loaded (and the bundled gazetteer copied into a new archive) by
    `prepare`, in a transaction of its own, before the first article needs it: a batch
    that stores nothing leaves the archive untouched.
    """

    def __init__(self, archive: Archive, engine: Engine | None = None) -> None:
        self.archive = archive
        self.engine = engine
        self.actor_ids: dict[str, int] = {}
        """Ids of discovered actors already in the archive when looked up, or made by an
        earlier write once that write ended well (never one made by the write under way,
        which may still roll back). Inside a large import's group they may be uncommitted
        writes of earlier files: those roll back only with the whole group, which ends the
        import and this annotator with it."""

    def prepare(self) -> None:
        if self.engine is None:
            from briefing_app.core.extract import RuleEngine  # the engine loads on first use

            self.engine = RuleEngine(load_registry(self.archive))

    def annotate(
        self, body: str, published: str | None, *, replace: bool = False
    ) -> WriteAnnotations:
        """Run the engine now, outside any transaction, and return what writes its findings
        into an article in the caller's; `replace` for an article that already has rows."""
        if self.engine is None:
            raise RuntimeError("Annotator.prepare() must run before annotate()")
        rows = extraction_rows(self.engine.extract(body, article_date(published)))
        return self.writer(body, rows, replace=replace)

    def writer(self, body: str, rows: Rows, *, replace: bool = False) -> WriteAnnotations:
        """What writes rows found already in `body` (by `annotate` or by a worker process)."""

        def write(conn: sqlite3.Connection, article_id: int) -> None:
            made = write_rows(
                conn, article_id, body, rows, known_ids=self.actor_ids, replace=replace
            )
            # The next article need not look them up again, once they are there to stay.
            self.archive.after_write(lambda: self.actor_ids.update(made))

        return write


def write_rows(
    conn: sqlite3.Connection,
    article_id: int,
    body: str,
    rows: Rows,
    known_ids: dict[str, int] | None = None,
    *,
    replace: bool = True,
) -> dict[str, int]:
    """Write the engine's rows of an article, found in its `body`. With `replace`, the
    engine's earlier rows go first and what the user made or decided is kept (and not found
    again). Returns the ids of actors this write made, by key: for `known_ids` once the
    write has ended well."""
    mentions, quotes = rows.mentions, rows.quotes
    if replace:
        kept_mentions = _kept_spans(conn, "mentions", article_id)
        kept_quotes = _kept_spans(conn, "quotes", article_id)
        for table in ("mentions", "quotes"):
            conn.execute(
                f"DELETE FROM {table} WHERE article_id = ? "
                "AND origin = 'engine' AND status = 'auto'",
                [article_id],
            )
        conn.execute("DELETE FROM article_dates WHERE article_id = ?", [article_id])
        mentions = [m for m in mentions if not _overlaps(m[1], m[2], kept_mentions)]
        quotes = [q for q in quotes if not _overlaps(q[0], q[1], kept_quotes)]
    ids = actor_ids_for(conn, rows.actors, known_ids)
    conn.executemany(
        "INSERT INTO mentions (article_id, actor_id, start, end, text, origin) "
        "VALUES (?, ?, ?, ?, ?, 'engine')",
        [(article_id, ids[key], start, end, body[start:end]) for key, start, end in mentions],
    )
    conn.executemany(
        "INSERT INTO quotes (article_id, start, end, text, speaker_id, speaker_start, "
        "speaker_end, speaker_text, cue, confidence, origin) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'engine')",
        [
            (
                article_id, start, end, body[start:end],
                ids[speaker] if speaker else None, speaker_start, speaker_end,
                None if speaker_start is None else body[speaker_start:speaker_end],
                cue, confidence,
            )
            for start, end, speaker, speaker_start, speaker_end, cue, confidence in quotes
        ],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO article_dates (article_id, start, end, text, date) VALUES (?, ?, ?, ?, ?)",
        [(article_id, start, end, body[start:end], iso) for start, end, iso in rows.dates],
    )
    remembered = known_ids if known_ids is not None else {}
    return {
        key: actor_id
        for key, actor_id in ids.items()
        if key not in remembered and not key.startswith("#")
    }


def _kept_spans(conn: sqlite3.Connection, table: str, article_id: int) -> list[tuple[int, int]]:
    return conn.execute(
        f"SELECT start, end FROM {table} WHERE article_id = ? "
        "AND (origin = 'user' OR status != 'auto') ORDER BY start",
        [article_id],
    ).fetchall()


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


GROUPED_FROM = 200
"""Re-annotating this many articles or more commits in groups, as a large import does: each
article is still whole (a savepoint), and a commit a group costs far less than one an
article (0.10 against 0.67 ms an article, measured on imports)."""


def reannotate(archive: Archive, article_ids: Iterable[int] | None = None) -> int:
    """Run the engine again (after registry edits or an engine update), each article in a
    transaction or savepoint of its own. None means every article. Returns how many were
    done."""
    annotator = Annotator(archive)
    annotator.prepare()
    if article_ids is None:
        article_ids = [row[0] for row in archive.conn.execute("SELECT id FROM articles")]
    ids = list(article_ids)
    done = 0
    with archive.grouped_writes(when=len(ids) >= GROUPED_FROM):
        for article_id in ids:
            found = _body_and_date(archive.conn, article_id)
            if found is None:
                continue
            # The engine, before this article's write (inside a group, while the group's
            # transaction is open: see GROUP_SECONDS).
            write = annotator.annotate(*found, replace=True)
            with archive.writing() as conn:
                now = _body_and_date(conn, article_id)
                if now is None:  # deleted meanwhile
                    continue
                if now != found:  # changed meanwhile: found again, under the lock this time
                    write = annotator.annotate(*now, replace=True)
                write(conn, article_id)
            done += 1
    return done


def _body_and_date(conn: sqlite3.Connection, article_id: int) -> tuple[str, str | None] | None:
    row = conn.execute("SELECT body, published FROM articles WHERE id = ?", [article_id])
    found = row.fetchone()
    return None if found is None else (found[0], found[1])


@dataclass(frozen=True)
class QuoteRecord:
    id: int
    article_id: int
    article_title: str
    published: str | None
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_kind: str | None
    cue: str | None


def list_quotes(
    archive: Archive,
    *,
    speaker_id: int | None = None,
    article_id: int | None = None,
    at: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[QuoteRecord]:
    """Quotes across the archive, newest articles first, in reading order within each;
    `article_id` and `at` (an offset in its text) narrow them to one article or one place."""
    where, params = "q.status != 'rejected'", []
    for condition, value in (
        ("q.speaker_id = ?", speaker_id),
        ("q.article_id = ?", article_id),
        ("q.start <= ? AND ? < q.end", at),
    ):
        if value is not None:
            where += f" AND {condition}"
            params.extend([value] * condition.count("?"))
    rows = archive.conn.execute(
        "SELECT q.id, q.article_id, a.title, a.published, q.start, q.end, q.text, s.name, "
        "s.kind, q.cue FROM quotes q JOIN articles a ON a.id = q.article_id "
        f"LEFT JOIN actors s ON s.id = q.speaker_id WHERE {where} "
        "ORDER BY a.published IS NULL, a.published DESC, a.id DESC, q.start LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return [QuoteRecord(*row) for row in rows]


def stored_extraction(archive: Archive, article_id: int) -> Extraction:
    """What is stored for an article, in the engine's own terms (rejected rows left out)."""
    conn = archive.conn

    def actor(actor_id: int, name: str, kind: str, origin: str) -> Actor:
        return Actor(archive_key(actor_id), name, kind, discovered=origin == "discovered")

    mentions = [
        Mention(start, end, text, actor(*row), "")
        for start, end, text, *row in conn.execute(
            "SELECT m.start, m.end, m.text, a.id, a.name, a.kind, a.origin FROM mentions m "
            "JOIN actors a ON a.id = m.actor_id WHERE m.article_id = ? "
            "AND m.status != 'rejected' ORDER BY m.start",
            [article_id],
        )
    ]
    quotes = [
        Quote(
            start, end, text,
            actor(speaker_id, name, kind, origin) if speaker_id is not None else None,
            Span(s_start, s_end, s_text) if s_start is not None else None,
            cue, confidence,
        )
        for (start, end, text, speaker_id, name, kind, origin, s_start, s_end, s_text, cue,
             confidence) in conn.execute(
            "SELECT q.start, q.end, q.text, a.id, a.name, a.kind, a.origin, q.speaker_start, "
            "q.speaker_end, q.speaker_text, q.cue, q.confidence FROM quotes q "
            "LEFT JOIN actors a ON a.id = q.speaker_id WHERE q.article_id = ? "
            "AND q.status != 'rejected' ORDER BY q.start",
            [article_id],
        )
    ]  # fmt: skip
    dates = [
        DateMention(*row)
        for row in conn.execute(
            "SELECT start, end, text, date FROM article_dates WHERE article_id = ? ORDER BY start",
            [article_id],
        )
    ]
    return Extraction(mentions, quotes, dates)


def extraction_json(extraction: Extraction) -> dict[str, object]:
    """The `annotate` contract: actors with their mentions, quotes with speakers, dates."""
    actors: dict[str, dict[str, object]] = {}
    for mention in extraction.mentions:
        entry = actors.setdefault(
            mention.actor.key,
            {"name": mention.actor.name, "kind": mention.actor.kind,
             "discovered": mention.actor.discovered, "mentions": []},
        )  # fmt: skip
        mentions = entry["mentions"]
        assert isinstance(mentions, list)
        mentions.append({"start": mention.start, "end": mention.end, "text": mention.text})
    return {
        "actors": list(actors.values()),
        "quotes": [
            {
                "start": quote.start,
                "end": quote.end,
                "text": quote.text,
                "speaker": quote.speaker.name if quote.speaker else None,
                "speaker_span": (
                    {
                        "start": quote.speaker_span.start,
                        "end": quote.speaker_span.end,
                        "text": quote.speaker_span.text,
                    }
                    if quote.speaker and quote.speaker_span
                    else None
                ),
                "cue": quote.cue if quote.speaker else None,
            }
            for quote in extraction.quotes
        ],
        "dates": [
            {"start": d.start, "end": d.end, "text": d.text, "date": d.date}
            for d in extraction.dates
        ],
    }


# The user's own decisions on one article; reannotation keeps them ---------------------------


class AnnotationFailed(BriefingError):
    """A mark on an article that cannot be made as asked."""


def _article_body(conn: sqlite3.Connection, article_id: int) -> str:
    row = conn.execute("SELECT body FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        raise NotFound(f"no article with id {article_id}")
    return str(row[0])


def _checked_span(body: str, start: int, end: int) -> str:
    if not 0 <= start < end <= len(body):
        raise AnnotationFailed(f"the span {start}-{end} is not inside the article")
    return body[start:end]


def reject_mention(archive: Archive, mention_id: int) -> None:
    """The reader's "Not an actor" on one mention: it stays rejected, also after
    reannotation."""
    _reject(archive, "mentions", mention_id)


def _reject(archive: Archive, table: str, row_id: int) -> None:
    with archive.writing() as conn:
        if not conn.execute(
            f"UPDATE {table} SET status = 'rejected' WHERE id = ?", [row_id]
        ).rowcount:
            raise NotFound(f"no {table.rstrip('s')} with id {row_id}")


def add_mention(
    archive: Archive, article_id: int, start: int, end: int, actor: str, kind: str | None = None
) -> int:
    """The reader's "Mark as actor": text[start:end] of the article names `actor`; given a
    `kind`, an actor the archive does not know yet is made, in the same transaction."""
    try:
        actor_id: int | None = find_actor(archive, actor)
    except NotFound:
        if kind is None:
            raise
        actor_id = None
    with archive.writing() as conn:
        text = _checked_span(_article_body(conn, article_id), start, end)
        if actor_id is None:
            actor_id = conn.execute(
                "INSERT INTO actors (name, kind, origin, edited) VALUES (?, ?, 'user', 1) "
                "RETURNING id",
                [clean_name(actor), checked_kind(kind or "")],
            ).fetchone()[0]
        cursor = conn.execute(
            "INSERT INTO mentions (article_id, actor_id, start, end, text, origin, status) "
            "VALUES (?, ?, ?, ?, ?, 'user', 'confirmed')",
            [article_id, actor_id, start, end, text],
        )
        return int(cursor.lastrowid or 0)


def reject_quote(archive: Archive, quote_id: int) -> None:
    """The reader's "Not a quote": it stays rejected, also after reannotation."""
    _reject(archive, "quotes", quote_id)


def set_quote_speaker(archive: Archive, quote_id: int, speaker: str | None) -> None:
    """The reader's "Change speaker" (None: nobody); the quote keeps that speaker from now on."""
    speaker_id = find_actor(archive, speaker) if speaker else None
    with archive.writing() as conn:
        if not conn.execute(
            "UPDATE quotes SET speaker_id = ?, speaker_start = NULL, speaker_end = NULL, "
            "speaker_text = NULL, cue = NULL, status = 'confirmed' WHERE id = ?",
            [speaker_id, quote_id],
        ).rowcount:
            raise NotFound(f"no quote with id {quote_id}")


def add_quote(
    archive: Archive, article_id: int, start: int, end: int, speaker: str | None = None
) -> int:
    """The reader's "Mark as quote": text[start:end] is a quote, by `speaker` if given."""
    speaker_id = find_actor(archive, speaker) if speaker else None
    with archive.writing() as conn:
        text = _checked_span(_article_body(conn, article_id), start, end)
        cursor = conn.execute(
            "INSERT INTO quotes (article_id, start, end, text, speaker_id, confidence, origin, "
            "status) VALUES (?, ?, ?, ?, ?, 1.0, 'user', 'confirmed')",
            [article_id, start, end, text, speaker_id],
        )
        return int(cursor.lastrowid or 0)
