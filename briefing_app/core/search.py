"""The search query language, compiled to a safe FTS5 expression plus SQL filters.

    words              all must match (stemmed, accents ignored)
    "a phrase"         the words next to each other
    a OR b             either
    NOT word, -word    exclude
    prefix*            words starting with prefix
    ( ... )            grouping
    source:reuters  tag:ukraine  date:2025-09  after:2025-09-01  before:2025-10-01
    actor:"Kim Jong Un"  speaker:Putin
                       filters (on or after / strictly before; an actor by any of its
                       names; a speaker of a quote in the article); -tag:x excludes

User text only ever reaches FTS5 inside double-quoted strings, so no input can inject FTS5
syntax; anything the parser cannot understand is an InvalidSearch naming the problem.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from briefing_app.core.archive import Archive
from briefing_app.core.articles import (
    NEWEST_FIRST,
    SUMMARY_COLUMNS,
    summary_from_row,
    summary_page,
)
from briefing_app.core.errors import InvalidSearch
from briefing_app.core.models import ArticleSummary

MAX_QUERY_LENGTH = 1000
MAX_DEPTH = 16
MARK_START, MARK_END = "\x02", "\x03"
SNIPPET_TOKENS = 24
FILTER_KEYS = ("source", "tag", "date", "after", "before", "actor", "speaker")
# The actors a user means by a name: by canonical name or any alias (merged ones included).
# People also by family name ("speaker:Velinsky" for Arkady Velinsky).
_ACTOR_IDS = (
    "SELECT coalesce(merged_into, id) FROM actors WHERE name = ? COLLATE NOCASE "
    "OR (kind = 'person' AND name LIKE '% ' || ? ESCAPE '\\') "
    "UNION SELECT coalesce(x.merged_into, x.id) FROM actor_aliases l JOIN actors x "
    "ON x.id = l.actor_id WHERE l.alias = ? COLLATE NOCASE AND l.removed = 0"
)

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<open>\()
      | (?P<close>\))
      | (?P<neg>-)(?=[^\s)])
      | (?P<filter>(?P<key>[A-Za-z]+):(?:"(?P<fquoted>[^"]*)"|(?P<fvalue>[^\s()"]+)))
      | "(?P<phrase>[^"]*)"
      | (?P<stray>")
      | (?P<word>[^\s()"]+)
    )""",
    re.VERBOSE,
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


# The parsed query ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A word, prefix or phrase; `fts` is its quoted FTS5 form."""

    fts: str


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class AllOf:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    nodes: tuple[Node, ...]


Node = Text | Not | AllOf | AnyOf


@dataclass
class CompiledQuery:
    match: str | None
    where: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)
    exclude_match: str | None = None


# Parsing -------------------------------------------------------------------------------------


def compile_query(query: str) -> CompiledQuery:
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidSearch(f"invalid search: longer than {MAX_QUERY_LENGTH} characters")
    compiled = CompiledQuery(match=None)
    # Control characters (NUL above all) end FTS5 strings early; they are never meant.
    parser = _Parser(_tokens(_CONTROL.sub(" ", query)), compiled)
    tree = parser.parse()
    if tree is None:
        if not compiled.where:
            raise InvalidSearch("invalid search: nothing to search for")
        return compiled
    positives = [node for node in _top_level(tree) if not isinstance(node, Not)]
    negatives = [node.node for node in _top_level(tree) if isinstance(node, Not)]
    if positives:
        compiled.match = _fts(tree)
    else:
        # Only exclusions: list everything the filters allow, minus what the words match.
        compiled.exclude_match = _fts(AnyOf(tuple(negatives)))
    return compiled


def _top_level(tree: Node) -> tuple[Node, ...]:
    return tree.nodes if isinstance(tree, AllOf) else (tree,)


def _tokens(query: str) -> list[tuple[str, re.Match[str]]]:
    tokens = []
    position = 0
    query = query.rstrip()
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None or match.end() == position:  # pragma: no cover - the regex matches all
            raise InvalidSearch(f"invalid search: cannot read {query[position:]!r}")
        kind = match.lastgroup
        if kind in ("key", "fquoted", "fvalue"):
            kind = "filter"
        assert kind is not None
        tokens.append((kind, match))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, re.Match[str]]], compiled: CompiledQuery) -> None:
        self.tokens = tokens
        self.index = 0
        self.compiled = compiled

    def parse(self) -> Node | None:
        node = self._all(depth=0)
        if self.index < len(self.tokens):
            raise InvalidSearch("invalid search: a ')' has no matching '('")
        return node

    def _peek(self) -> tuple[str, re.Match[str]] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _is_keyword(self, word: str) -> bool:
        token = self._peek()
        return token is not None and token[0] == "word" and token[1]["word"] == word

    def _all(self, depth: int) -> Node | None:
        """Terms side by side must all match; OR binds tighter, as in web search engines:
        `putin OR kim summit` means (putin OR kim) AND summit."""
        nodes: list[Node] = []
        while (token := self._peek()) is not None and token[0] != "close":
            if self._is_keyword("OR"):
                raise InvalidSearch("invalid search: OR needs something on both sides")
            node = self._either(depth)
            if node is not None:
                nodes.append(node)
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else AllOf(tuple(nodes))

    def _either(self, depth: int) -> Node | None:
        first = self._unary(depth)
        if not self._is_keyword("OR"):
            return first
        options = [first]
        while self._is_keyword("OR"):
            self.index += 1
            if self._peek() is None or self._peek()[0] == "close":  # type: ignore[index]
                raise InvalidSearch("invalid search: OR needs something on both sides")
            if self._peek()[0] == "filter":  # type: ignore[index]
                raise InvalidSearch("invalid search: filters cannot be combined with OR")
            options.append(self._unary(depth))
        if any(option is None for option in options):
            raise InvalidSearch("invalid search: OR needs a word on both sides")
        if any(isinstance(option, Not) for option in options):
            raise InvalidSearch("invalid search: a NOT term cannot stand beside OR")
        return AnyOf(tuple(option for option in options if option is not None))

    def _unary(self, depth: int) -> Node | None:
        kind, match = self.tokens[self.index]
        if kind == "neg" or (kind == "word" and match["word"] == "NOT"):
            self.index += 1
            if self._peek() is None:
                raise InvalidSearch("invalid search: NOT (or -) at the end excludes nothing")
            if self._peek()[0] == "filter":  # type: ignore[index]
                self._filter(depth, negated=True)
                return None
            inner = self._atom(depth)
            return Not(inner) if inner is not None else None
        return self._atom(depth)

    def _atom(self, depth: int) -> Node | None:
        kind, match = self.tokens[self.index]
        if kind == "open":
            if depth >= MAX_DEPTH:
                raise InvalidSearch("invalid search: brackets nested too deeply")
            self.index += 1
            inner = self._all(depth + 1)
            if self._peek() is None or self._peek()[0] != "close":  # type: ignore[index]
                raise InvalidSearch("invalid search: a '(' is never closed")
            self.index += 1
            if inner is None:
                raise InvalidSearch("invalid search: empty brackets '()'")
            return inner
        if kind == "close":
            raise InvalidSearch("invalid search: a ')' has no matching '('")
        if kind == "stray":
            raise InvalidSearch('invalid search: a quote (") is never closed')
        if kind == "filter":
            self._filter(depth, negated=False)
            return None
        self.index += 1
        if kind == "phrase":
            return _text(match["phrase"], prefix=False)
        if kind == "neg":
            raise InvalidSearch("invalid search: '-' must come right before a word")
        word = match["word"]
        if word == "AND":
            return None
        if word == "NOT":
            raise InvalidSearch("invalid search: NOT must be followed by a word")
        prefix = word.endswith("*")
        return _text(word.rstrip("*"), prefix=prefix)

    def _filter(self, depth: int, *, negated: bool) -> None:
        _, match = self.tokens[self.index]
        self.index += 1
        key = match["key"].lower()
        value = match["fquoted"] if match["fquoted"] is not None else match["fvalue"]
        if key not in FILTER_KEYS:
            raise InvalidSearch(
                f"invalid search: unknown filter '{key}:' (use {', '.join(FILTER_KEYS)})"
            )
        if depth > 0:
            raise InvalidSearch(f"invalid search: the filter '{key}:' cannot be inside brackets")
        if not value.strip():
            raise InvalidSearch(f"invalid search: the filter '{key}:' needs a value")
        condition, params = _filter_sql(key, value.strip())
        if negated:
            condition = f"({condition}) IS NOT 1"
        self.compiled.where.append(condition)
        self.compiled.params.extend(params)


def _text(raw: str, *, prefix: bool) -> Text | None:
    """A quoted FTS5 string; None when the text has nothing searchable (only punctuation)."""
    if not any(character.isalnum() for character in raw):
        if prefix or raw.strip():
            return None
        raise InvalidSearch('invalid search: empty phrase ""')
    quoted = '"' + raw.replace('"', '""') + '"'
    return Text(quoted + ("*" if prefix else ""))


def _fts(node: Node) -> str:
    if isinstance(node, Text):
        return node.fts
    if isinstance(node, Not):
        return _fts(node.node)
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(_fts(option) for option in node.nodes) + ")"
    positives = [_fts(n) for n in node.nodes if not isinstance(n, Not)]
    negatives = [_fts(n.node) for n in node.nodes if isinstance(n, Not)]
    if not positives:
        raise InvalidSearch("invalid search: a group cannot be made only of NOT terms")
    expression = "(" + " AND ".join(positives) + ")"
    for negative in negatives:
        expression = f"({expression} NOT {negative})"
    return expression


def _filter_sql(key: str, value: str) -> tuple[str, list[object]]:
    if key == "source":
        return (
            "a.source_id IN (SELECT id FROM sources WHERE name LIKE ? ESCAPE '\\')",
            [f"%{_like_escaped(value)}%"],
        )
    if key == "actor":
        return (
            "a.id IN (SELECT article_id FROM mentions WHERE status != 'rejected' "
            f"AND actor_id IN ({_ACTOR_IDS}))",
            [value, _like_escaped(value), value],
        )
    if key == "speaker":
        return (
            "a.id IN (SELECT article_id FROM quotes WHERE status != 'rejected' "
            f"AND speaker_id IN ({_ACTOR_IDS}))",
            [value, _like_escaped(value), value],
        )
    if key == "tag":
        return (
            "a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t "
            "ON t.id = at.tag_id WHERE t.name = ?)",
            [value],
        )
    start, end = _date_range(key, value)
    if key == "date":
        return "(a.published >= ? AND a.published < ?)", [start, end]
    if key == "after":
        return "a.published >= ?", [start]
    return "a.published < ?", [start]


def _like_escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _date_range(key: str, value: str) -> tuple[str, str]:
    """The first day of the period and the first day after it, as ISO strings."""
    match = _DATE.match(value)
    if not match:
        raise InvalidSearch(
            f"invalid search: {key}:{value} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"
        )
    year, month, day = int(match["year"]), match["month"], match["day"]
    from datetime import date, timedelta

    try:
        if day:
            first = date(year, int(month), int(day))
            return first.isoformat(), (first + timedelta(days=1)).isoformat()
        if month:
            first = date(year, int(month), 1)
            following = date(year + (first.month == 12), first.month % 12 + 1, 1)
            return first.isoformat()[:7], following.isoformat()[:7]
    except ValueError:
        raise InvalidSearch(f"invalid search: {key}:{value} is not a real date") from None
    return f"{year:04d}", f"{year + 1:04d}"


# Running -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    article: ArticleSummary
    snippet: str
    marks: tuple[tuple[int, int], ...]
    """(start, end) of each matched stretch in `snippet`."""


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int | None = None


def search(
    archive: Archive, query: str, *, limit: int = 20, offset: int = 0, with_total: bool = False
) -> SearchResults:
    """Best matches first (bm25, a title hit weighing ten body hits), each with a snippet."""
    compiled = compile_query(query)
    with _fts_errors():
        if compiled.match is not None:
            rows, total = _ranked(archive.conn, compiled, limit, offset, with_total)
        else:
            rows, total = _filtered(archive.conn, compiled, limit, offset, with_total)
    hits = [SearchHit(summary_from_row(row[:-1]), *_split_marks(row[-1])) for row in rows]
    return SearchResults(query, hits, total)


def matching_ids(archive: Archive, query: str) -> list[int]:
    """Every article the query finds, in the order `search` lists them, without snippets or
    paging: what a briefing of a search covers."""
    compiled = compile_query(query)
    with _fts_errors():
        if compiled.match is not None:
            rows = archive.conn.execute(
                f"SELECT a.id {_ranked_from(compiled)} ORDER BY articles_fts.rank",
                [compiled.match, *compiled.params],
            )
        else:
            conditions, params = _filter_conditions(compiled)
            where = " AND ".join(conditions) or "1"
            rows = archive.conn.execute(
                f"SELECT a.id FROM articles a WHERE {where} ORDER BY {NEWEST_FIRST}", params
            )
        return [article_id for (article_id,) in rows]


@contextmanager
def _fts_errors() -> Iterator[None]:
    """An expression FTS5 refuses is the user's query: an InvalidSearch, not a crash."""
    try:
        yield
    except sqlite3.OperationalError as error:
        if "fts5" in str(error).lower():
            raise InvalidSearch(f"invalid search: {error}") from None
        raise


def _ranked_from(compiled: CompiledQuery) -> str:
    """FROM and WHERE of a query with words; its parameters are the match, then the filters'."""
    where = "".join(f" AND {condition}" for condition in compiled.where)
    return (
        "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        f"LEFT JOIN sources s ON s.id = a.source_id WHERE articles_fts MATCH ?{where}"
    )


def _ranked(
    conn: sqlite3.Connection, compiled: CompiledQuery, limit: int, offset: int, with_total: bool
) -> tuple[list[tuple[object, ...]], int | None]:
    core = _ranked_from(compiled)
    params = [compiled.match, *compiled.params]
    rows = conn.execute(
        f"SELECT {SUMMARY_COLUMNS}, snippet(articles_fts, -1, '{MARK_START}', '{MARK_END}', "
        f"'…', {SNIPPET_TOKENS}) {core} ORDER BY articles_fts.rank LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    total = None
    if with_total and not compiled.where:
        # No filters: the FTS index alone counts, without joining every match (30x faster
        # for common words).
        total = conn.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [compiled.match]
        ).fetchone()[0]
    elif with_total:
        total = conn.execute(f"SELECT count(*) {core}", params).fetchone()[0]
    return rows, total


def _filter_conditions(compiled: CompiledQuery) -> tuple[list[str], list[object]]:
    """The conditions on articles (`a`) of a query without words to rank by."""
    conditions = list(compiled.where)
    params = list(compiled.params)
    if compiled.exclude_match:
        conditions.append("a.id NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(compiled.exclude_match)
    return conditions, params


def _filtered(
    conn: sqlite3.Connection, compiled: CompiledQuery, limit: int, offset: int, with_total: bool
) -> tuple[list[tuple[object, ...]], int | None]:
    """Newest first, as the article list, when there are no words to rank by."""
    conditions, params = _filter_conditions(compiled)
    rows = summary_page(
        conn, conditions, params, limit=limit, offset=offset, extra_column="substr(a.body, 1, 240)"
    )
    total = None
    if with_total:
        where = " AND ".join(conditions) or "1"
        total = conn.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0]
    return rows, total


def _split_marks(raw: object) -> tuple[str, tuple[tuple[int, int], ...]]:
    text = str(raw or "")
    plain: list[str] = []
    marks: list[tuple[int, int]] = []
    length = 0
    start = None
    for piece in re.split(f"([{MARK_START}{MARK_END}])", text):
        if piece == MARK_START:
            start = length
        elif piece == MARK_END:
            if start is not None and length > start:
                marks.append((start, length))
            start = None
        else:
            plain.append(piece)
            length += len(piece)
    return "".join(plain), tuple(marks)
