"""Direct quotes: pairing quote marks into spans.

Curly “ ” and ‘ ’, straight " and ', doubled '' and guillemets. A quote may run across
paragraphs when the next paragraph opens with a quote mark again; a mark that never pairs
is ignored; apostrophes (don’t, Russia’s, the ’90s) are not quotes. Only outermost quotes are
returned: a quote inside a quote is part of its text.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from briefing_app.core.extract.tokens import paragraphs

DOUBLE, SINGLE = "double", "single"
OPEN, CLOSE, EITHER = "open", "close", "either"

_MARK = re.compile(r"''|``|[“”„«»‘’\"']")
_MARK_CHARACTERS = "“”„«»‘’\"'`"
_OPENING_CONTEXT = set(" \t\n([{—–-/") | {"“", "‘", "«", "„"}
_CLOSING_CONTEXT = set(" \t\n.,;:!?)]}—–-/…") | {"”", "’", "»"}
_ELISIONS = re.compile(r"(?:n|em|til|cause|tis|twas|\d\d)s?\b", re.IGNORECASE)


class QuoteSpan(NamedTuple):
    """The text between a pair of quote marks: a named tuple, made faster than a frozen
    dataclass."""

    start: int
    end: int
    open_mark: int
    """Where the opening mark stands (its length is start - open_mark)."""
    after_close: int
    """Just after the closing mark (one or two characters after `end`)."""


class _Mark(NamedTuple):
    """A quote mark in the text: a named tuple, made faster than a frozen dataclass."""

    position: int
    length: int
    family: str
    role: str


def find_quote_spans(text: str, blocks: list[tuple[int, int]] | None = None) -> list[QuoteSpan]:
    """`blocks`: the text's `paragraphs`, if the caller has them already."""
    spans: list[QuoteSpan] = []
    if blocks is None:
        blocks = paragraphs(text)
    found = _find_marks(text)
    positions = [position for position, _ in found]
    carried: _Mark | None = None  # an outer quote still open at the end of the last paragraph
    for number, (start, end) in enumerate(blocks):
        marks = [
            mark
            for position, mark_text in found[
                bisect.bisect_left(positions, start) : bisect.bisect_left(positions, end)
            ]
            if (mark := _classify(text, position, mark_text)) is not None
        ]
        if carried is not None:
            if (
                marks
                and marks[0].position == _first_visible(text, start)
                and (marks[0].family == carried.family and marks[0].role != CLOSE)
            ):
                marks = marks[1:]  # the re-opening mark of a continued quote
            else:
                carried = None
        carried = _pair(marks, carried, spans, text)
        if carried is not None and not _continues(text, blocks, number, carried.family):
            carried = None
    return spans


def _find_marks(text: str) -> list[tuple[int, str]]:
    """(position, mark) of what `_MARK.finditer` finds in the text, and so in each paragraph:
    a mark never spans a line break. Each mark character is looked for with `str.find`, many
    times faster than the regex engine's scan for any of a set of characters."""
    positions = []
    for character in _MARK_CHARACTERS:
        position = text.find(character)
        while position >= 0:
            positions.append(position)
            position = text.find(character, position + 1)
    positions.sort()
    found: list[tuple[int, str]] = []
    taken = 0  # where the last mark ends: '' and `` are two characters
    for position in positions:
        if position < taken:
            continue
        character = text[position]
        if character in "'`" and text[position + 1 : position + 2] == character:
            found.append((position, character * 2))
            taken = position + 2
        elif character != "`":  # a single ` is no mark
            found.append((position, character))
    return found


def _first_visible(text: str, start: int) -> int:
    while start < len(text) and text[start].isspace():
        start += 1
    return start


def _continues(text: str, blocks: list[tuple[int, int]], number: int, family: str) -> bool:
    if number + 1 >= len(blocks):
        return False
    start = _first_visible(text, blocks[number + 1][0])
    match = _MARK.match(text, start)
    if match is None:
        return False
    mark = _classify(text, match.start(), match.group())
    return mark is not None and mark.family == family and mark.role != CLOSE


def _pair(
    marks: list[_Mark], carried: _Mark | None, spans: list[QuoteSpan], text: str
) -> _Mark | None:
    """Pair marks with a stack; the outermost pairs become quotes. Returns the outer quote
    left open at the end (None if none)."""
    stack: list[_Mark] = [carried] if carried is not None else []
    for mark in marks:
        open_index = None
        for index in range(len(stack) - 1, -1, -1):
            if stack[index].family == mark.family:
                open_index = index
                break
        closes = mark.role == CLOSE or (mark.role == EITHER and open_index is not None)
        if closes:
            if open_index is None:
                continue  # a stray closing mark or an apostrophe
            opener = stack[open_index]
            del stack[open_index:]
            if not stack:
                start = opener.position + opener.length
                if text[start : mark.position].strip():
                    spans.append(
                        QuoteSpan(
                            start, mark.position, opener.position, mark.position + mark.length
                        )
                    )
        elif open_index is not None and open_index == 0 and mark.family == stack[0].family:
            # The same kind of mark opening again while the outer quote is open: the
            # earlier opener never closed. Start over from here.
            stack = [mark]
        else:
            stack.append(mark)
    return stack[0] if stack else None


def _classify(text: str, position: int, mark: str) -> _Mark | None:
    if mark in ("“", "„", "«", "``"):
        return _Mark(position, len(mark), DOUBLE, OPEN)
    if mark in ("”", "»"):
        return _Mark(position, 1, DOUBLE, CLOSE)
    before = text[position - 1] if position > 0 else " "
    after_position = position + len(mark)
    after = text[after_position] if after_position < len(text) else " "
    if mark in ('"', "''"):
        return _Mark(position, len(mark), DOUBLE, _straight_role(before, after))
    if mark == "‘":
        if _ELISIONS.match(text, after_position):
            return None
        return _Mark(position, 1, SINGLE, OPEN)
    # ’ or '
    if before.isalnum() and after.isalnum():
        return None  # don’t, Russia’s, O'Brien
    if not before.isalnum() and _ELISIONS.match(text, after_position):
        return None  # the ’90s, rock ’n’ roll
    if mark == "’":
        return _Mark(position, 1, SINGLE, CLOSE if before not in _OPENING_CONTEXT else OPEN)
    return _Mark(position, 1, SINGLE, _straight_role(before, after))


def _straight_role(before: str, after: str) -> str:
    opens = before in _OPENING_CONTEXT and not after.isspace()
    closes = after in _CLOSING_CONTEXT and not before.isspace()
    if opens and not closes:
        return OPEN
    if closes and not opens:
        return CLOSE
    return EITHER
