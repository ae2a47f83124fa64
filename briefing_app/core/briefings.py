"""Briefings the user keeps in the archive: a title, what the briefing covers, the template
and the user's own sections in markdown.

What it covers is a Selection: an ordered list of articles, or a search or a tag evaluated
each time the briefing is exported (so a briefing of a search takes in articles imported
since), or every article.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from briefing_app.core.archive import Archive
from briefing_app.core.articles import NEWEST_FIRST
from briefing_app.core.dates import as_utc_iso
from briefing_app.core.errors import BriefingError, NotFound
from briefing_app.core.search import compile_query, matching_ids

SECTIONS = ("summary", "key_judgements", "outlook")
"""The user's own sections, in the order a briefing shows them; markdown, "" when empty."""

SELECTION_KINDS = ("articles", "search", "tag", "all")
DEFAULT_TEMPLATE = "full"


class BriefingFailed(BriefingError):
    """A briefing that cannot be stored as asked."""


class EmptySelection(BriefingError):
    """A selection that selects no articles: there is nothing to brief on."""


@dataclass(frozen=True)
class Selection:
    kind: str
    """"articles", "search", "tag" or "all"."""
    article_ids: tuple[int, ...] = ()
    """For "articles": the articles in the user's order."""
    query: str | None = None
    """For "search": the query, run when the briefing is exported."""
    tag: str | None = None
    """For "tag": the tag, looked up when the briefing is exported."""

    def describe(self) -> str:
        """The selection in the user's words, for messages."""
        if self.kind == "articles":
            ids = ", ".join(str(article_id) for article_id in self.article_ids)
            return f"the article list ({ids})" if ids else "the empty article list"
        if self.kind == "search":
            return f"the search {self.query!r}"
        if self.kind == "tag":
            return f"the tag {self.tag!r}"
        return "the whole archive"


@dataclass(frozen=True)
class Briefing:
    id: int
    """0 for a briefing made in memory and never stored (the command line's)."""
    title: str
    created: str
    """ISO 8601 UTC."""
    updated: str
    """ISO 8601 UTC."""
    selection: Selection
    template: str
    """A template name, or the path of a template file."""
    sections: dict[str, str]
    """Every key of SECTIONS, with the user's markdown ("" when empty)."""


_COLUMNS = (
    "id, title, created, updated, selection, query, tag, template, summary, key_judgements, outlook"
)


def _checked_selection(selection: Selection) -> Selection:
    """The selection with what its kind needs, and nothing else: a search is compiled first,
    so one the search cannot read raises InvalidSearch ("invalid search: …")."""
    if selection.kind == "articles":
        return Selection("articles", tuple(dict.fromkeys(selection.article_ids)))
    if selection.kind == "search":
        query = (selection.query or "").strip()
        compile_query(query)
        return Selection("search", query=query)
    if selection.kind == "tag":
        tag = (selection.tag or "").strip()
        if not tag:
            raise BriefingFailed("a briefing of a tag needs the tag")
        return Selection("tag", tag=tag)
    if selection.kind == "all":
        return Selection("all")
    raise BriefingFailed(f"unknown selection {selection.kind!r} (use {', '.join(SELECTION_KINDS)})")


def _checked_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise BriefingFailed("a briefing needs a title")
    return title


def _checked_template(template: str) -> str:
    template = template.strip()
    if not template:
        raise BriefingFailed("a briefing needs a template")
    return template


def _merged_sections(current: Mapping[str, str], changes: Mapping[str, str]) -> dict[str, str]:
    unknown = sorted(set(changes) - set(SECTIONS))
    if unknown:
        raise BriefingFailed(f"unknown section {unknown[0]!r} (use {', '.join(SECTIONS)})")
    return {name: changes.get(name, current.get(name, "")) for name in SECTIONS}


def create_briefing(
    archive: Archive,
    title: str,
    selection: Selection,
    *,
    template: str = DEFAULT_TEMPLATE,
    sections: Mapping[str, str] | None = None,
) -> Briefing:
    title = _checked_title(title)
    selection = _checked_selection(selection)
    template = _checked_template(template)
    texts = _merged_sections({}, sections or {})
    now = as_utc_iso(datetime.now(UTC))
    with archive.writing() as conn:
        briefing_id = conn.execute(
            "INSERT INTO briefings (title, created, updated, selection, query, tag, template, "
            "summary, key_judgements, outlook) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id",
            [title, now, now, selection.kind, selection.query, selection.tag, template,
             *(texts[name] for name in SECTIONS)],
        ).fetchone()[0]  # fmt: skip
        _store_articles(conn, briefing_id, selection)
    return get_briefing(archive, briefing_id)


def update_briefing(
    archive: Archive,
    briefing_id: int,
    *,
    title: str | None = None,
    selection: Selection | None = None,
    template: str | None = None,
    sections: Mapping[str, str] | None = None,
) -> Briefing:
    """Change what is given (None leaves a field as it is; `sections` changes only the
    sections it names)."""
    current = get_briefing(archive, briefing_id)
    new_title = _checked_title(title) if title is not None else current.title
    new_selection = _checked_selection(selection) if selection is not None else current.selection
    new_template = _checked_template(template) if template is not None else current.template
    texts = _merged_sections(current.sections, sections or {})
    with archive.writing() as conn:
        conn.execute(
            "UPDATE briefings SET title = ?, updated = ?, selection = ?, query = ?, tag = ?, "
            "template = ?, summary = ?, key_judgements = ?, outlook = ? WHERE id = ?",
            [new_title, as_utc_iso(datetime.now(UTC)), new_selection.kind, new_selection.query,
             new_selection.tag, new_template, *(texts[name] for name in SECTIONS), briefing_id],
        )  # fmt: skip
        if selection is not None:
            conn.execute("DELETE FROM briefing_articles WHERE briefing_id = ?", [briefing_id])
            _store_articles(conn, briefing_id, new_selection)
    return get_briefing(archive, briefing_id)


def _store_articles(conn: sqlite3.Connection, briefing_id: int, selection: Selection) -> None:
    missing = _missing_ids(conn, selection.article_ids)
    if missing:
        raise NotFound(f"no article with id {missing[0]}")
    conn.executemany(
        "INSERT INTO briefing_articles (briefing_id, position, article_id) VALUES (?, ?, ?)",
        [(briefing_id, position, article_id)
         for position, article_id in enumerate(selection.article_ids)],
    )  # fmt: skip


def _missing_ids(conn: sqlite3.Connection, article_ids: tuple[int, ...]) -> list[int]:
    existing = article_titles(conn, article_ids)
    return [article_id for article_id in article_ids if article_id not in existing]


def article_titles(conn: sqlite3.Connection, article_ids: tuple[int, ...]) -> dict[int, str]:
    """The titles of those of the articles that exist (as many ids as a selection holds:
    they go in as one JSON parameter, past SQLite's limit on parameters)."""
    rows = conn.execute(
        "SELECT id, title FROM articles WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(list(article_ids))],
    )
    return dict(rows.fetchall())


def get_briefing(archive: Archive, briefing_id: int) -> Briefing:
    row = archive.conn.execute(
        f"SELECT {_COLUMNS} FROM briefings WHERE id = ?", [briefing_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"no briefing with id {briefing_id}")
    return _briefing(row, _article_lists(archive, briefing_id).get(briefing_id, ()))


def list_briefings(archive: Archive) -> list[Briefing]:
    """Every briefing, the most recently changed first."""
    lists = _article_lists(archive)
    rows = archive.conn.execute(f"SELECT {_COLUMNS} FROM briefings ORDER BY updated DESC, id DESC")
    return [_briefing(row, lists.get(row[0], ())) for row in rows]


def _article_lists(archive: Archive, briefing_id: int | None = None) -> dict[int, tuple[int, ...]]:
    where, params = (
        ("WHERE briefing_id = ?", [briefing_id]) if briefing_id is not None else ("", [])
    )
    lists: dict[int, list[int]] = {}
    for owner, article_id in archive.conn.execute(
        f"SELECT briefing_id, article_id FROM briefing_articles {where} "
        "ORDER BY briefing_id, position",
        params,
    ):
        lists.setdefault(owner, []).append(article_id)
    return {owner: tuple(ids) for owner, ids in lists.items()}


def _briefing(row: Sequence[Any], article_ids: tuple[int, ...]) -> Briefing:
    briefing_id, title, created, updated, kind, query, tag, template, *texts = row
    return Briefing(
        briefing_id,
        title,
        created,
        updated,
        Selection(kind, article_ids, query, tag),
        template,
        dict(zip(SECTIONS, texts, strict=True)),
    )


def delete_briefing(archive: Archive, briefing_id: int) -> None:
    with archive.writing() as conn:
        if not conn.execute("DELETE FROM briefings WHERE id = ?", [briefing_id]).rowcount:
            raise NotFound(f"no briefing with id {briefing_id}")


def selected_article_ids(archive: Archive, selection: Selection) -> list[int]:
    """The articles a selection covers now, in briefing order: the user's order for a list
    (leaving out ids no longer in the archive), best first for a search (every match, not a
    page), newest first for a tag or the whole archive."""
    selection = _checked_selection(selection)
    conn = archive.conn
    if selection.kind == "articles":
        existing = article_titles(conn, selection.article_ids)
        ids = [article_id for article_id in selection.article_ids if article_id in existing]
    elif selection.kind == "search":
        ids = matching_ids(archive, selection.query or "")
    else:
        where, params = "", []
        if selection.kind == "tag":
            where = (
                "WHERE a.id IN (SELECT at.article_id FROM article_tags at "
                "JOIN tags t ON t.id = at.tag_id WHERE t.name = ?)"
            )
            params = [selection.tag]
        rows = conn.execute(f"SELECT a.id FROM articles a {where} ORDER BY {NEWEST_FIRST}", params)
        ids = [article_id for (article_id,) in rows]
    if not ids:
        raise EmptySelection(f"{selection.describe()} selects no articles")
    return ids
