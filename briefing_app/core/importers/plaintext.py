"""Plain text news copy: headline first, then an optional date or byline line, then paragraphs."""

from __future__ import annotations

import re
import statistics

from briefing_app.core.dates import parse_date
from briefing_app.core.errors import ImportFailed
from briefing_app.core.models import ParsedArticle
from briefing_app.core.text import join_paragraphs

# A date or byline is looked for among this many non-empty lines after the headline.
_HEADER_LINES = 4
# "By Lena Farouk", "BY ANA DUARTE AND TOMÁS REYES": capitalised name words only, so a wrapped
# line that happens to begin with "by" stays in the text.
_NAME_WORD = r"(?:[A-Z][\w.'’-]*|and|&|de|van|von|der|al|bin|da|la|le)"
_BYLINE = re.compile(rf"^(?:By|BY)\s+(?P<name>[A-Z][\w.'’-]*(?:\s+{_NAME_WORD}){{0,6}})$")
_SENTENCE_END = re.compile(r"[.!?:;”\"'’)\]]\s*$")


def parse_plain_text(text: str, origin: str) -> ParsedArticle:
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    first = next((index for index, line in enumerate(lines) if line), None)
    if first is None:
        raise ImportFailed("empty file")
    title = lines[first]
    rest = lines[first + 1 :]
    published, author, rest = _take_header_lines(rest)
    body = join_paragraphs(split_paragraphs(rest))
    if not body:
        raise ImportFailed("no text after the headline")
    return ParsedArticle(title=title, body=body, origin=origin, author=author, published=published)


def header_date(text: str) -> str | None:
    """The date on a date line just after the headline, as plain-text news copy has it."""
    lines = [line.strip() for line in text.splitlines()]
    first = next((index for index, line in enumerate(lines) if line), None)
    return None if first is None else _take_header_lines(lines[first + 1 :])[0]


def _take_header_lines(lines: list[str]) -> tuple[str | None, str | None, list[str]]:
    """Pull a date line and a "By ..." line out of the first few lines, wherever they sit."""
    published: str | None = None
    author: str | None = None
    kept: list[str] = []
    seen = 0
    for line in lines:
        if line and seen < _HEADER_LINES:
            seen += 1
            date = parse_date(line) if published is None else None
            if date:
                published = date
                continue
            byline = _BYLINE.match(line) if author is None else None
            if byline:
                author = byline["name"].strip()
                continue
        kept.append(line)
    return published, author, kept


def split_paragraphs(lines: list[str]) -> list[str]:
    """One paragraph per line, unless the text is hard-wrapped: then blank lines separate
    paragraphs and the lines inside one are joined."""
    filled = [line for line in lines if line]
    if not filled:
        return []
    if not _looks_hard_wrapped(filled):
        return filled
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _looks_hard_wrapped(lines: list[str]) -> bool:
    """Short lines, most of them not ending a sentence (line lengths first: they rule out
    most news copy, one paragraph a line, without a regex over every line)."""
    if len(lines) < 3 or statistics.median(len(line) for line in lines) > 100:
        return False
    unfinished = sum(1 for line in lines if not _SENTENCE_END.search(line))
    return unfinished > len(lines) / 2
