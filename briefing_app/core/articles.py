"""Articles in the archive: store (deduplicated), read, list, tag, delete, count."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from briefing_app.core.archive import Archive
from briefing_app.core.errors import NotFound
from briefing_app.core.models import Article, ArticleSummary, ParsedArticle
from briefing_app.core.text import content_hash_and_word_count


@dataclass(frozen=True)
class Stored:
    """What storing one article did: a new id, or the id of the article it duplicates."""

    article_id: int
    duplicate: bool = False
    reason: str = ""


# Writes an article's actors, quotes and dates (into the article with that id) inside the
# article's own transaction.
WriteAnnotations = Callable[[sqlite3.Connection, int], None]
# Finds them in a body published on a date, before the transaction: the slow part.
Annotate = Callable[[str, str | None], WriteAnnotations]


def store_article(
    archive: Archive,
    parsed: ParsedArticle,
    tags: Iterable[str] = (),
    annotate: Annotate | None = None,
) -> Stored:
    """Store in one transaction (with its annotations, if `annotate` is given), unless the
    same URL or body is already there.

    The engine runs before the write lock is taken: on a long text it takes seconds, which
    the app or another import would otherwise spend waiting for the archive."""
    from briefing_app.core.urls import canonical_url  # only storing needs it

    url_key = canonical_url(parsed.url)
    body_hash, words = content_hash_and_word_count(parsed.body)
    existing = _find_duplicate(archive.conn, url_key, body_hash)
    if existing:  # no need to run the engine
        return existing
    write_annotations = annotate(parsed.body, parsed.published) if annotate else None
    with archive.writing() as conn:
        existing = _find_duplicate(conn, url_key, body_hash)  # stored by another writer since?
        if existing:
            return existing
        source_id = _source_id(conn, parsed.source)
        cursor = conn.execute(
            "INSERT INTO articles (title, author, source_id, url, canonical_url, published, "
            "imported_at, language, body, word_count, content_hash, origin) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                parsed.title,
                parsed.author,
                source_id,
                parsed.url,
                url_key,
                parsed.published,
                _now(),
                parsed.language,
                parsed.body,
                words,
                body_hash,
                parsed.origin,
            ],
        )
        article_id = int(cursor.lastrowid or 0)
        _add_tags(conn, article_id, [*parsed.tags, *tags])
        if write_annotations is not None:
            write_annotations(conn, article_id)
    return Stored(article_id)


def _find_duplicate(conn: sqlite3.Connection, url_key: str | None, body_hash: str) -> Stored | None:
    if url_key:
        row = conn.execute("SELECT id FROM articles WHERE canonical_url = ?", [url_key]).fetchone()
        if row:
            return Stored(row[0], duplicate=True, reason="same URL")
    row = conn.execute("SELECT id FROM articles WHERE content_hash = ?", [body_hash]).fetchone()
    if row:
        return Stored(row[0], duplicate=True, reason="same text")
    return None


def _source_id(conn: sqlite3.Connection, name: str | None) -> int | None:
    if not name or not name.strip():
        return None
    name = name.strip()
    conn.execute("INSERT INTO sources (name) VALUES (?) ON CONFLICT(name) DO NOTHING", [name])
    return int(conn.execute("SELECT id FROM sources WHERE name = ?", [name]).fetchone()[0])


def _add_tags(conn: sqlite3.Connection, article_id: int, names: Iterable[str]) -> None:
    for name in {clean for name in names if (clean := name.strip())}:
        conn.execute("INSERT INTO tags (name) VALUES (?) ON CONFLICT(name) DO NOTHING", [name])
        conn.execute(
            "INSERT OR IGNORE INTO article_tags (article_id, tag_id) "
            "SELECT ?, id FROM tags WHERE name = ?",
            [article_id, name],
        )


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_ARTICLE_COLUMNS = (
    "a.id, a.title, a.author, s.name, a.url, a.canonical_url, a.published, a.imported_at, "
    "a.language, a.body, a.word_count, a.content_hash, a.origin, a.starred != 0, a.read != 0"
)


def get_article(archive: Archive, article_id: int) -> Article:
    row = archive.conn.execute(
        f"SELECT {_ARTICLE_COLUMNS} FROM articles a LEFT JOIN sources s ON s.id = a.source_id "
        "WHERE a.id = ?",
        [article_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"no article with id {article_id}")
    return Article(*[*row, article_tags(archive, article_id)])


def article_tags(archive: Archive, article_id: int) -> tuple[str, ...]:
    rows = archive.conn.execute(
        "SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id "
        "WHERE at.article_id = ? ORDER BY t.name COLLATE NOCASE",
        [article_id],
    )
    return tuple(name for (name,) in rows)


# How many distinct actors an article mentions (mentions the user rejected left out) and how
# many of its highlights carry a note: shown in the article list, sorted on, and in search hits.
ACTOR_COUNT = (
    "(SELECT count(DISTINCT m.actor_id) FROM mentions m "
    "WHERE m.article_id = a.id AND m.status != 'rejected')"
)
NOTE_COUNT = "(SELECT count(*) FROM highlights h WHERE h.article_id = a.id AND h.note != '')"

# The columns of an ArticleSummary, shared by listing and search so both read rows alike.
SUMMARY_COLUMNS = (
    "a.id, a.title, s.name, a.published, a.word_count, "
    "(SELECT group_concat(t.name, char(31)) FROM article_tags at "
    f"JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), {ACTOR_COUNT}, {NOTE_COUNT}"
)

# The default order of articles (`a`): newest first, undated last, then by import.
NEWEST_FIRST = "a.published DESC NULLS LAST, a.id DESC"

# What the article list can be sorted by, and the SQL each key sorts on.
SORT_KEYS = {
    "title": "a.title COLLATE NOCASE",
    # A lookup, not a join: sorting then scans the articles table alone. With sources joined,
    # SQLite read the articles through an index in random order, 2.5 times slower.
    "source": "(SELECT s.name FROM sources s WHERE s.id = a.source_id) COLLATE NOCASE",
    "published": "a.published",
    "words": "a.word_count",
    "actors": ACTOR_COUNT,
    "notes": NOTE_COUNT,
}


def summary_page(
    conn: sqlite3.Connection,
    conditions: Sequence[str],
    params: Sequence[object],
    *,
    limit: int,
    offset: int,
    sort: str = "published",
    descending: bool = True,
    extra_column: str | None = None,
) -> list[tuple[Any, ...]]:
    """One page of the articles (`a`) that meet every condition: rows of SUMMARY_COLUMNS,
    then `extra_column` if given.

    Sorted by one of SORT_KEYS (ValueError otherwise); articles without the key's value (no
    source, no date) come last either way, and ties go by import order in the same direction.
    The default, newest first, is read from the index on the published date without sorting.
    The sort and the page are worked out on article ids alone, and tags, counts and the extra
    column only for the page: computed for every article before sorting, they made a page of
    a 100,000-article archive take seconds instead of milliseconds."""
    if sort not in SORT_KEYS:
        raise ValueError(f"unknown sort key {sort!r} (use {', '.join(SORT_KEYS)})")
    direction = "DESC" if descending else "ASC"
    order = f"{SORT_KEYS[sort]} {direction} NULLS LAST, a.id {direction}"
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    extra = f", {extra_column}" if extra_column else ""
    return conn.execute(
        f"SELECT {SUMMARY_COLUMNS}{extra} "
        "FROM articles a LEFT JOIN sources s ON s.id = a.source_id JOIN "
        f"(SELECT a.id FROM articles a {where} ORDER BY {order} LIMIT ? OFFSET ?) page "
        f"ON page.id = a.id ORDER BY {order}",
        [*params, limit, offset],
    ).fetchall()


def summary_from_row(row: Sequence[Any]) -> ArticleSummary:
    article_id, title, source, published, words, tags, actors, notes = row
    return ArticleSummary(
        article_id, title, source, published, words, _split_tags(tags), actors, notes
    )


def list_articles(
    archive: Archive,
    *,
    limit: int = 50,
    offset: int = 0,
    tag: str | None = None,
    starred: bool = False,
    unread: bool = False,
    sort: str = "published",
    descending: bool = True,
) -> list[ArticleSummary]:
    """Newest first by default (by published date, undated last, then by import); `sort` is
    one of SORT_KEYS (ValueError otherwise), as `summary_page` explains."""
    conditions: list[str] = []
    params: list[object] = []
    if tag:
        conditions.append(
            "a.id IN (SELECT at.article_id FROM article_tags at "
            "JOIN tags t ON t.id = at.tag_id WHERE t.name = ?)"
        )
        params.append(tag)
    if starred:
        conditions.append("a.starred")
    if unread:
        conditions.append("NOT a.read")
    rows = summary_page(
        archive.conn,
        conditions,
        params,
        limit=limit,
        offset=offset,
        sort=sort,
        descending=descending,
    )
    return [summary_from_row(row) for row in rows]


def _split_tags(joined: str | None) -> tuple[str, ...]:
    return tuple(sorted(joined.split("\x1f"), key=str.casefold)) if joined else ()


def set_starred(archive: Archive, article_id: int, starred: bool) -> None:
    _set_flag(archive, article_id, "starred", starred)


def set_read(archive: Archive, article_id: int, read: bool) -> None:
    _set_flag(archive, article_id, "read", read)


def _set_flag(archive: Archive, article_id: int, column: str, value: bool) -> None:
    with archive.writing() as conn:
        if not conn.execute(
            f"UPDATE articles SET {column} = ? WHERE id = ?", [int(value), article_id]
        ).rowcount:
            raise NotFound(f"no article with id {article_id}")


def reading_counts(archive: Archive) -> tuple[int, int]:
    """(unread, starred) articles, for the library. Two counts, each read from its partial
    index (a sum over the table scanned 100,000 articles after every article opened)."""
    unread, starred = archive.conn.execute(
        "SELECT (SELECT count(*) FROM articles WHERE NOT read), "
        "(SELECT count(*) FROM articles WHERE starred)"
    ).fetchone()
    return int(unread), int(starred)


def tag_article(archive: Archive, article_id: int, tag: str) -> None:
    _require_article(archive, article_id)
    with archive.writing() as conn:
        _add_tags(conn, article_id, [tag])


def untag_article(archive: Archive, article_id: int, tag: str) -> bool:
    """True if the article had the tag. Tags no article uses any more are removed."""
    _require_article(archive, article_id)
    with archive.writing() as conn:
        removed = conn.execute(
            "DELETE FROM article_tags WHERE article_id = ? "
            "AND tag_id = (SELECT id FROM tags WHERE name = ?)",
            [article_id, tag],
        ).rowcount
        _drop_unused_tags(conn)
    return bool(removed)


def delete_article(archive: Archive, article_id: int) -> None:
    _require_article(archive, article_id)
    with archive.writing() as conn:
        conn.execute("DELETE FROM articles WHERE id = ?", [article_id])
        _drop_unused_tags(conn)


def _drop_unused_tags(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM article_tags)")


def _require_article(archive: Archive, article_id: int) -> None:
    if not archive.conn.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone():
        raise NotFound(f"no article with id {article_id}")


@dataclass(frozen=True)
class ArchiveStats:
    articles: int
    sources: int
    tags: int
    words: int
    oldest: str | None
    newest: str | None
    schema: str


def archive_stats(archive: Archive) -> ArchiveStats:
    articles, words, oldest, newest = archive.conn.execute(
        "SELECT count(*), coalesce(sum(word_count), 0), min(published), max(published) "
        "FROM articles"
    ).fetchone()
    sources = archive.conn.execute("SELECT count(*) FROM sources").fetchone()[0]
    tags = archive.conn.execute("SELECT count(*) FROM tags").fetchone()[0]
    return ArchiveStats(articles, sources, tags, words, oldest, newest, archive.schema_version())
