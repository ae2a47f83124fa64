"""Plain records passed between importers, the archive, search and the front ends."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefing_app.core.kinds import KINDS as KINDS  # re-exported with the records


@dataclass(frozen=True)
class ParsedArticle:
    """An article read from a file, not yet stored. `published` is ISO 8601 or None."""

    title: str
    body: str
    origin: str
    author: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Failure:
    """Something that could not be imported (a file, a feed entry, a JSON line), and why."""

    origin: str
    message: str


@dataclass(frozen=True)
class ArticleSummary:
    id: int
    title: str
    source: str | None
    published: str | None
    word_count: int
    tags: tuple[str, ...] = ()
    actors: int = 0
    """Distinct actors mentioned (mentions the user rejected left out)."""
    notes: int = 0
    """Highlights with a note."""


@dataclass(frozen=True)
class Article:
    id: int
    title: str
    author: str | None
    source: str | None
    url: str | None
    canonical_url: str | None
    published: str | None
    imported_at: str
    language: str | None
    body: str
    word_count: int
    content_hash: str
    origin: str | None
    starred: bool = False
    read: bool = False
    tags: tuple[str, ...] = field(default=())
