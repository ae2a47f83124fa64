"""Text anchors for highlights and notes, and finding them again when the text changes.

An anchor keeps its offsets, the text it covers with some context before and after, and a
hash of the whole text. Re-anchoring tries, in order: the same offsets, the exact text
nearest the old place (context breaking ties), then a fuzzy match (rapidfuzz). What cannot
be placed is an orphan: the caller keeps it, with its text, and shows it as such.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

CONTEXT = 32
FUZZY_CUTOFF = 85.0


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    text_hash: str


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_anchor(text: str, start: int, end: int) -> Anchor:
    if not 0 <= start < end <= len(text):
        raise ValueError(f"the span {start}-{end} is not inside the text")
    return Anchor(
        start,
        end,
        text[start:end],
        text[max(0, start - CONTEXT) : start],
        text[end : end + CONTEXT],
        text_hash(text),
    )


def reanchor(anchor: Anchor, text: str) -> tuple[int, int] | None:
    """Where the anchored text is now, or None if it cannot be placed (an orphan)."""
    if text[anchor.start : anchor.end] == anchor.quote:
        return anchor.start, anchor.end
    found = _nearest_exact(anchor, text)
    if found is not None:
        return found
    return _fuzzy(anchor, text)


def _nearest_exact(anchor: Anchor, text: str) -> tuple[int, int] | None:
    candidates = []
    position = text.find(anchor.quote)
    while position != -1:
        candidates.append(position)
        position = text.find(anchor.quote, position + 1)
    if not candidates:
        return None

    def closeness(start: int) -> tuple[int, int]:
        end = start + len(anchor.quote)
        context = _shared_suffix(text[max(0, start - CONTEXT) : start], anchor.prefix) + (
            _shared_prefix(text[end : end + CONTEXT], anchor.suffix)
        )
        return -context, abs(start - anchor.start)

    best = min(candidates, key=closeness)
    return best, best + len(anchor.quote)


def _fuzzy(anchor: Anchor, text: str) -> tuple[int, int] | None:
    from rapidfuzz import fuzz  # imported here: only changed texts need it

    if not anchor.quote.strip() or not text:
        return None
    match = fuzz.partial_ratio_alignment(anchor.quote, text, score_cutoff=FUZZY_CUTOFF)
    if match is None or match.dest_end <= match.dest_start:
        return None
    start, end = match.dest_start, match.dest_end
    # The alignment is as long as the old text; widen it to whole words.
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def _shared_prefix(a: str, b: str) -> int:
    count = 0
    for left, right in zip(a, b, strict=False):
        if left != right:
            break
        count += 1
    return count


def _shared_suffix(a: str, b: str) -> int:
    return _shared_prefix(a[::-1], b[::-1])
