"""Markdown articles, with optional front matter (title, date, source, url, author, tags)."""

from __future__ import annotations

import re

from briefing_app.core.dates import parse_date
from briefing_app.core.errors import ImportFailed
from briefing_app.core.importers.html_text import html_to_text
from briefing_app.core.models import ParsedArticle

_FENCE = "---"
_KEY_VALUE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*)$")
_LIST_ITEM = re.compile(r"^\s*-\s+(?P<value>.+)$")
_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
_DATE_KEYS = ("date", "published", "pubdate", "published_at")


def parse_markdown(text: str, origin: str) -> ParsedArticle:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, content = split_front_matter(text)
    title = _first(meta, "title")
    if not title:
        title, content = _take_title(content)
    body = _markdown_to_text(content)
    if not body:
        raise ImportFailed("no text in the markdown body")
    date_text = _first(meta, *_DATE_KEYS)
    published = parse_date(date_text) if date_text else None
    if date_text and published is None:
        raise ImportFailed(f"front matter date {date_text!r} is not a date")
    return ParsedArticle(
        title=title,
        body=body,
        origin=origin,
        author=_first(meta, "author", "byline"),
        source=_first(meta, "source", "site", "publisher"),
        url=_first(meta, "url", "link", "canonical_url"),
        published=published,
        language=_first(meta, "language", "lang"),
        tags=tuple(meta.get("tags", [])) + tuple(meta.get("tag", [])),
    )


def split_front_matter(text: str) -> tuple[dict[str, list[str]], str]:
    """The simple YAML subset news notes use: `key: value`, `key: [a, b]` and `- item` lists."""
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != _FENCE:
        return {}, text
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in (_FENCE, "..."))
    except StopIteration:
        raise ImportFailed("broken front matter: no closing '---' line") from None
    meta: dict[str, list[str]] = {}
    key: str | None = None
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _LIST_ITEM.match(line)
        if item and key is not None:
            meta[key].append(_unquote(item["value"]))
            continue
        pair = _KEY_VALUE.match(line)
        if not pair:
            raise ImportFailed(f"broken front matter: line {number} is not 'key: value'")
        key = pair["key"].lower()
        raw = pair["value"].strip()
        if raw.startswith("[") and not raw.endswith("]"):
            raise ImportFailed(
                f"broken front matter: line {number} opens a list with '[' and never closes it"
            )
        meta[key] = _values(raw)
    return meta, "\n".join(lines[end + 1 :])


def _values(raw: str) -> list[str]:
    if raw.startswith("[") and raw.endswith("]"):
        return [_unquote(part) for part in raw[1:-1].split(",") if part.strip()]
    return [_unquote(raw)] if raw else []


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        values = meta.get(key)
        if values and values[0].strip():
            return values[0].strip()
    return None


def _take_title(content: str) -> tuple[str, str]:
    """The first heading (or first line) is the title when front matter names none."""
    lines = content.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        heading = _HEADING.match(line.strip())
        title = heading["title"] if heading else line.strip()
        plain = html_to_text(_render(title)) or title
        return plain, "\n".join(lines[index + 1 :])
    raise ImportFailed("empty file")


def _render(markdown_text: str) -> str:
    import markdown  # imported here: only markdown imports need it

    return markdown.markdown(markdown_text, extensions=["extra"])


def _markdown_to_text(content: str) -> str:
    return html_to_text(_render(content))
