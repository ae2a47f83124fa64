"""Words, sentences and paragraphs with code-point offsets into the original text."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter

# "U.S." and "Jong-un" are one word; "Russia’s" is "Russia" and a possessive. The leading
# \w+ is shared by both forms, so a word is scanned once, not again after "U.S." fails; the
# lookahead skips both forms after most words, which are followed by none of their marks.
# Captured, so that one split gives the words and the gaps between them. "\w\w*", not "\w+":
# a pattern that opens with a plain character class lets the regex engine skip straight to
# the next word character instead of trying a match at every position. "(?:…|)", not
# "(?:…)?": the same, but the engine tries a branch faster than it repeats a group once.
_SPLIT = re.compile(r"(\w\w*(?:(?=[.\-‑’'])(?:(?:\.\w)+\.?|(?:[-‑]\w+|[’'](?![sS]\b)\w+)*)|))")
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


def word_trie(words: set[str]) -> str:
    """A regex for exactly `words`, as a trie ("sa(?:id|y(?:ing|s)?)"): the regex engine then
    tries a few letters at each position, not every word in turn. Where the words are letters
    and what follows them in the pattern cannot go on with a letter ("\\b", "\\.?\\s+"), at
    most one of them matches at a position, so the order the engine tries them in makes no
    difference."""
    if words == {""}:
        return ""
    branches = [
        re.escape(first) + word_trie({word[1:] for word in words if word[:1] == first})
        for first in sorted({word[0] for word in words if word})
    ]
    trie = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in words:
        return trie
    return (f"(?:{trie})" if len(branches) == 1 and len(branches[0]) > 1 else trie) + "?"


def _plain(text: str) -> str:
    """Typographic apostrophes and non-breaking hyphens made plain: same-length replacements,
    so offsets found in the result hold for `text`."""
    return text.replace("’", "'").replace("‑", "-")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph; a line break ends a paragraph."""
    spans = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line and not line.isspace():
            spans.append((start, end))
        start = end + 1
    return spans


# The whitespace after the end is captured: the next sentence starts after it. "[.!?][.!?]*",
# not "[.!?]+": see _SPLIT.
_SENTENCE_END = re.compile(r"[.!?][.!?]*[”’\"')\]]*(?=(\s+)[“‘\"'(\[]*[A-Z0-9])")
# The same for a text without "!" or "?". It opens with one character, not a class, which the
# regex engine finds many times faster.
_FULL_STOP_END = re.compile(r"\.\.*[”’\"')\]]*(?=(\s+)[“‘\"'(\[]*[A-Z0-9])")


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the sentences in text[start:end], not splitting after abbreviations."""
    return _sentences(text, start, end, _sentence_end(text, start, end))


def paragraph_sentences(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The `sentences` of each of the text's `paragraphs` (`spans`), in order."""
    pattern = _sentence_end(text, 0, len(text))
    return [sentence for start, end in spans for sentence in _sentences(text, start, end, pattern)]


def _sentence_end(text: str, start: int, end: int) -> re.Pattern[str]:
    if text.find("!", start, end) < 0 and text.find("?", start, end) < 0:
        return _FULL_STOP_END
    return _SENTENCE_END


def _sentences(
    text: str, start: int, end: int, sentence_end: re.Pattern[str]
) -> list[tuple[int, int]]:
    spans = []
    position = start
    for match in sentence_end.finditer(text, start, end):
        if text[match.start()] == ".":
            words_before = text[position : match.start()].rsplit(None, 1)
            word = words_before[-1].lstrip("“‘\"'(").casefold() if words_before else ""
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or "." in word:
                continue
        spans.append((position, match.end()))
        position = match.end(1)
    if position < end and text[position:end].strip():
        spans.append((position, end))
    return spans
