"""Words, sentences and paragraphs with code-point offsets into the original text."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter

# "U.S." and "Jong-un" are one word; "Russia’s" is "Russia" and a possessive. The leading
# \w+ is shared by both forms, so a word is scanned once, not again after "U.S." fails; the
# lookahead skips both forms after most words, which are followed by none of their marks.
# Captured, so that one split gives the words and the gaps between them.
_SPLIT = re.compile(r"(\w+(?:(?=[.\-‑’'])(?:(?:\.\w)+\.?|(?:[-‑]\w+|[’'](?![sS]\b)\w+)*))?)")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt sgt st jr sr co corp inc ltd no vs etc rep sen gov "
    "pres adm cmdr fig jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_FIRST = itemgetter(0)


class Tokens:
    """The words of a text as parallel lists (fast to build and to scan).

    `keys` are the look-up forms: lower case, with typographic apostrophes and non-breaking
    hyphens made plain; `starts` and `ends` are offsets into the original text; `gaps[i]` is
    the (plain) text between word i - 1 and word i, with `gaps[0]` before the first word and
    `gaps[-1]` after the last. Built by one regex split and C-level maps: no Python loop per
    word.
    """

    __slots__ = ("capitalised", "ends", "gaps", "keys", "starts")

    def __init__(self, text: str) -> None:
        parts = _SPLIT.split(_plain(text))
        bounds = list(accumulate(map(len, parts)))
        words = parts[1::2]
        self.gaps = parts[0::2]
        self.starts = bounds[0:-1:2]
        self.ends = bounds[1::2]
        self.keys = list(map(str.lower, words))
        self.capitalised = list(map(str.isupper, map(_FIRST, words)))

    def __len__(self) -> int:
        return len(self.starts)


@lru_cache(maxsize=1 << 16)
def word_keys(text: str) -> tuple[str, ...]:
    """The `Tokens(text).keys` of a name, without the offsets and gaps a name does not need."""
    return tuple(map(str.lower, _SPLIT.findall(_plain(text))))


def _plain(text: str) -> str:
    """Typographic apostrophes and non-breaking hyphens made plain: same-length replacements,
    so offsets found in the result hold for `text`."""
    return text.replace("’", "'").replace("‑", "-")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph; a line break ends a paragraph."""
    spans = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


_SENTENCE_END = re.compile(r"[.!?]+[”’\"')\]]*(?=\s+[“‘\"'(\[]*[A-Z0-9])")


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the sentences in text[start:end], not splitting after abbreviations."""
    spans = []
    position = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if text[match.start()] == ".":
            before = text[position : match.start()]
            last_word = before.rsplit(None, 1)[-1] if before.strip() else ""
            word = last_word.lstrip("“‘\"'(").casefold()
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or "." in word:
                continue
        spans.append((position, match.end()))
        position = match.end()
        while position < end and text[position].isspace():
            position += 1
    if position < end and text[position:end].strip():
        spans.append((position, end))
    return spans
