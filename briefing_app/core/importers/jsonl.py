"""JSON Lines exports: one `{title, body, url, published, source}` object per line."""

from __future__ import annotations

import json
from typing import Any

from briefing_app.core.dates import parse_date
from briefing_app.core.errors import ImportFailed
from briefing_app.core.importers.plaintext import split_paragraphs
from briefing_app.core.models import Failure, ParsedArticle
from briefing_app.core.text import join_paragraphs

_TEXT_FIELDS = ("title", "body", "url", "published", "source", "author", "language")


def parse_json_lines(text: str, origin: str) -> list[ParsedArticle | Failure]:
    items: list[ParsedArticle | Failure] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            items.append(_article(line, f"{origin}#line-{number}"))
    if not items:
        raise ImportFailed("empty file")
    return items


def _article(line: str, origin: str) -> ParsedArticle | Failure:
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as error:
        return Failure(origin, f"not valid JSON ({getattr(error, 'msg', 'nested too deeply')})")
    if not isinstance(record, dict):
        return Failure(origin, "expected a JSON object")
    problem = _type_problem(record)
    if problem:
        return Failure(origin, problem)
    title = (record.get("title") or "").strip()
    body = join_paragraphs(split_paragraphs((record.get("body") or "").splitlines()))
    if not title or not body:
        return Failure(origin, "needs a non-empty title and body")
    published_text = record.get("published")
    published = parse_date(published_text) if published_text else None
    if published_text and published is None:
        return Failure(origin, f"published {published_text!r} is not a date")
    return ParsedArticle(
        title=title,
        body=body,
        origin=origin,
        author=record.get("author") or None,
        source=record.get("source") or None,
        url=record.get("url") or None,
        published=published,
        language=record.get("language") or None,
        tags=tuple(record.get("tags") or ()),
    )


def _type_problem(record: dict[str, Any]) -> str | None:
    for name in _TEXT_FIELDS:
        if record.get(name) is not None and not isinstance(record[name], str):
            return f"field {name!r} must be text"
    tags = record.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        return "field 'tags' must be a list of text"
    return None
