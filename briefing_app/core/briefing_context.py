"""What a briefing template sees: the selected articles, numbered, and what the archive holds
about them (actors, quotes by speaker, the user's highlights and notes, dated events), each
pointing to its source number.

Every quote and highlight is checked against the stored article text here: one whose offsets
no longer slice to its text is kept, flagged (`ok` false) and listed in `problems`, so that
nothing is exported as a quote that the article does not contain. The variables are documented
in docs/TEMPLATES.md, and a test keeps the two in step.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date

from briefing_app.core.archive import Archive
from briefing_app.core.briefings import SECTIONS, Briefing, selected_article_ids
from briefing_app.core.extract.tokens import sentences
from briefing_app.core.highlights import COLOURS
from briefing_app.core.markdown_escape import SafeMarkdown, escape_text, inert_markdown

MISMATCH = "not found in the stored article text"
"""What a quote or highlight whose text the article no longer holds is marked with."""
LONGEST_EVENT = 300
"""Characters of a sentence shown in the timeline; a longer one is cut with "…"."""


@dataclass(frozen=True)
class BriefingInfo:
    title: str
    created: str
    updated: str
    date: str
    """The day the briefing is made, YYYY-MM-DD."""
    template: str
    sections: dict[str, SafeMarkdown]


@dataclass(frozen=True)
class ArticleEntry:
    number: int
    id: int
    title: str
    source: str | None
    date: str | None
    url: str | None
    lead: str


@dataclass(frozen=True)
class ActorEntry:
    name: str
    kind: str
    mentions: int
    sources: tuple[int, ...]


@dataclass(frozen=True)
class QuoteEntry:
    text: str
    cue: str | None
    source: int
    ok: bool


@dataclass(frozen=True)
class SpeakerQuotes:
    speaker: str | None
    kind: str | None
    quotes: list[QuoteEntry]


@dataclass(frozen=True)
class HighlightEntry:
    text: str
    note: str | None
    colour: str
    label: str | None
    source: int
    ok: bool


@dataclass(frozen=True)
class HighlightGroup:
    name: str
    by: str
    """"label" or "colour"."""
    highlights: list[HighlightEntry]


@dataclass(frozen=True)
class TimelineEvent:
    date: str
    text: str
    source: int
    kind: str
    """"published" (the article's own date; the text is its title) or "mentioned"."""


@dataclass(frozen=True)
class BriefingContext:
    briefing: BriefingInfo
    articles: list[ArticleEntry]
    sources: list[ArticleEntry]
    actors: list[ActorEntry]
    quotes: list[SpeakerQuotes]
    highlights: list[HighlightGroup]
    notes: list[HighlightEntry]
    timeline: list[TimelineEvent]
    summary: SafeMarkdown
    summary_is_extracted: bool
    problems: list[str]

    def variables(self) -> dict[str, object]:
        """The template's top-level variables."""
        return {field.name: getattr(self, field.name) for field in fields(self)}


def briefing_context(archive: Archive, briefing: Briefing, today: date) -> BriefingContext:
    """Raises EmptySelection when the briefing's selection selects no articles."""
    entries, bodies = _articles(archive.conn, selected_article_ids(archive, briefing.selection))
    numbers = {entry.id: entry.number for entry in entries}
    problems: list[str] = []
    quotes = _quotes(archive.conn, numbers, bodies, problems)
    highlights = _highlights(archive.conn, numbers, bodies, problems)
    written = briefing.sections.get("summary", "").strip()
    info = BriefingInfo(
        briefing.title,
        briefing.created,
        briefing.updated,
        today.isoformat(),
        briefing.template,
        {name: inert_markdown(briefing.sections.get(name, "")) for name in SECTIONS},
    )
    return BriefingContext(
        briefing=info,
        articles=entries,
        sources=entries,
        actors=_actors(archive.conn, numbers),
        quotes=quotes,
        highlights=_grouped_highlights(highlights),
        notes=[highlight for highlight in highlights if highlight.note],
        timeline=_timeline(archive.conn, entries, numbers, bodies),
        summary=info.sections["summary"] if written else _extracted_summary(entries),
        summary_is_extracted=not written,
        problems=problems,
    )


def _id_list(ids: Iterable[int]) -> str:
    """Article ids as one parameter, for `IN (SELECT value FROM json_each(?))`."""
    return json.dumps(list(ids))


def _articles(
    conn: sqlite3.Connection, ids: list[int]
) -> tuple[list[ArticleEntry], dict[int, str]]:
    """The articles, numbered in briefing order, and their bodies by id."""
    rows = {
        row[0]: row
        for row in conn.execute(
            "SELECT a.id, a.title, s.name, a.published, a.url, a.body FROM articles a "
            "LEFT JOIN sources s ON s.id = a.source_id "
            "WHERE a.id IN (SELECT value FROM json_each(?))",
            [_id_list(ids)],
        )
    }
    entries = [
        ArticleEntry(
            number, article_id, title, source, published[:10] if published else None, url,
            _lead(body),
        )
        for number, (article_id, title, source, published, url, body) in enumerate(
            (rows[article_id] for article_id in ids), start=1
        )
    ]  # fmt: skip
    return entries, {article_id: rows[article_id][5] for article_id in ids}


def _lead(body: str) -> str:
    """The article's first sentence."""
    start = len(body) - len(body.lstrip())
    end = body.find("\n", start)
    end = len(body) if end < 0 else end
    found = sentences(body, start, end)
    return body[found[0][0] : found[0][1]].strip() if found else ""


def _sentence_at(body: str, position: int) -> str:
    """The sentence of `body` that holds `position`, cut to LONGEST_EVENT characters."""
    start = body.rfind("\n", 0, position) + 1
    end = body.find("\n", position)
    end = len(body) if end < 0 else end
    text = next(
        (body[s:e] for s, e in sentences(body, start, end) if s <= position < e),
        body[start:end],
    ).strip()
    return text if len(text) <= LONGEST_EVENT else text[: LONGEST_EVENT - 1].rstrip() + "…"


def _extracted_summary(articles: list[ArticleEntry]) -> SafeMarkdown:
    """Stands in for a summary the user has not written: each article's first sentence."""
    return SafeMarkdown(
        "\n".join(
            f"- {escape_text(article.lead)} [{article.number}]"
            for article in articles
            if article.lead
        )
    )


def _actors(conn: sqlite3.Connection, numbers: dict[int, int]) -> list[ActorEntry]:
    """Actors by mentions across the articles (rejected mentions left out), most first."""
    actors = [
        ActorEntry(name, kind, mentions, tuple(sorted(numbers[int(i)] for i in ids.split(","))))
        for name, kind, mentions, ids in conn.execute(
            "SELECT a.name, a.kind, count(*), group_concat(DISTINCT m.article_id) "
            "FROM mentions m JOIN actors a ON a.id = m.actor_id WHERE m.status != 'rejected' "
            "AND m.article_id IN (SELECT value FROM json_each(?)) GROUP BY a.id",
            [_id_list(numbers)],
        )
    ]
    return sorted(actors, key=lambda actor: (-actor.mentions, actor.name.casefold()))


def _checked(
    body: str, start: int | None, end: int | None, text: str, number: int, what: str,
    problems: list[str],
) -> bool:  # fmt: skip
    """Whether the stored offsets still slice the article to `text`; if not, a problem."""
    ok = start is not None and end is not None and body[start:end] == text
    if not ok:
        shown = text if len(text) <= 60 else text[:59] + "…"
        problems.append(f"[{number}] {what} “{' '.join(shown.split())}”: {MISMATCH}")
    return ok


def _quotes(
    conn: sqlite3.Connection, numbers: dict[int, int], bodies: dict[int, str], problems: list[str]
) -> list[SpeakerQuotes]:
    """Quotes grouped by speaker: who is quoted most first, quotes in briefing order;
    quotes without a speaker last."""
    groups: dict[int | None, SpeakerQuotes] = {}
    rows = conn.execute(
        "SELECT q.article_id, q.start, q.end, q.text, q.cue, a.id, a.name, a.kind FROM quotes q "
        "LEFT JOIN actors a ON a.id = q.speaker_id WHERE q.status != 'rejected' "
        "AND q.article_id IN (SELECT value FROM json_each(?))",
        [_id_list(numbers)],
    ).fetchall()
    rows.sort(key=lambda row: (numbers[row[0]], row[1]))
    for article_id, start, end, text, cue, speaker_id, name, kind in rows:
        number = numbers[article_id]
        what = f"quote of {name}" if name else "quote"
        ok = _checked(bodies[article_id], start, end, text, number, what, problems)
        group = groups.setdefault(speaker_id, SpeakerQuotes(name, kind, []))
        group.quotes.append(QuoteEntry(text, cue, number, ok))
    return sorted(groups.values(), key=lambda group: (group.speaker is None, -len(group.quotes)))


def _highlights(
    conn: sqlite3.Connection, numbers: dict[int, int], bodies: dict[int, str], problems: list[str]
) -> list[HighlightEntry]:
    """The user's highlights in briefing order (those whose text was lost, at the end of
    their article's)."""
    rows = conn.execute(
        "SELECT article_id, start, end, quote, colour, label, note FROM highlights "
        "WHERE article_id IN (SELECT value FROM json_each(?))",
        [_id_list(numbers)],
    ).fetchall()
    rows.sort(key=lambda row: (numbers[row[0]], row[1] is None, row[1] or 0))
    highlights = []
    for article_id, start, end, quote, colour, label, note in rows:
        number = numbers[article_id]
        ok = _checked(bodies[article_id], start, end, quote, number, "highlight", problems)
        highlights.append(
            HighlightEntry(
                quote, (note or "").strip() or None, colour, (label or "").strip() or None,
                number, ok,
            )
        )  # fmt: skip
    return highlights


def _grouped_highlights(highlights: list[HighlightEntry]) -> list[HighlightGroup]:
    """By label (labels in alphabetical order), then those without a label by colour."""
    by_label: dict[str, list[HighlightEntry]] = {}
    by_colour: dict[str, list[HighlightEntry]] = {}
    for highlight in highlights:
        if highlight.label:
            by_label.setdefault(highlight.label, []).append(highlight)
        else:
            by_colour.setdefault(highlight.colour, []).append(highlight)
    colour_order = {colour: index for index, colour in enumerate(COLOURS)}
    return [
        HighlightGroup(label, "label", by_label[label])
        for label in sorted(by_label, key=lambda label: (label.casefold(), label))
    ] + [
        HighlightGroup(colour, "colour", by_colour[colour])
        for colour in sorted(by_colour, key=lambda colour: (colour_order.get(colour, 99), colour))
    ]


def _timeline(
    conn: sqlite3.Connection,
    articles: list[ArticleEntry],
    numbers: dict[int, int],
    bodies: dict[int, str],
) -> list[TimelineEvent]:
    """The articles' own dates and the dated events they mention (the sentence around each
    resolved date), by date, then source number; each sentence once."""
    keyed: dict[tuple[str, int, str], tuple[int, str]] = {}
    for article in articles:
        if article.date:
            keyed[(article.date, article.number, article.title)] = (-1, "published")
    for article_id, start, when in conn.execute(
        "SELECT article_id, start, date FROM article_dates WHERE date IS NOT NULL "
        "AND article_id IN (SELECT value FROM json_each(?))",
        [_id_list(numbers)],
    ):
        key = (when, numbers[article_id], _sentence_at(bodies[article_id], start))
        keyed.setdefault(key, (start, "mentioned"))
    ordered = sorted(keyed.items(), key=lambda item: (item[0][0], item[0][1], item[1][0]))
    return [TimelineEvent(when, text, number, kind) for (when, number, text), (_, kind) in ordered]
