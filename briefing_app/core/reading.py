"""The reader's view of an article as HTML: only what the app generates from stored text.

Every character of the article is escaped; the only markup is ours: paragraphs, actor
highlights by kind, quotes set apart with their speaker, and the layers as CSS classes the
reader can switch on and off. No remote resource, no script, no link that opens by itself.
"""

from __future__ import annotations

import html
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING

from briefing_app.core.models import KINDS, Article

if TYPE_CHECKING:  # the engine's types, not the engine: the reader starts without it
    from briefing_app.core.extract import Extraction

LAYERS = (*KINDS, "quotes", "highlights")
FIRST_BODY_BLOCK = 2
"""The body's first paragraph is the document's third block, after the title and meta line."""
SPEAKER_SCHEME = "speaker"
"""Speaker labels are links `speaker:NAME`; the reader skips them when it counts offsets."""
HIGHLIGHT_COLOURS = {
    "yellow": ("#fff3a3", "#6b5a00"),
    "green": ("#c8f7c5", "#1f5c2a"),
    "blue": ("#c9e4ff", "#1f4a78"),
    "pink": ("#ffd1e8", "#7a2450"),
    "purple": ("#e3d4ff", "#4b2f86"),
}
"""Light and dark backgrounds for the user's highlight colours."""


@dataclass(frozen=True)
class Palette:
    """The reader's colours. `text` and `muted` meet WCAG AA (4.5:1) on every background
    they are drawn on, and each layer and highlight colour is visibly different (CIE76
    ΔE*ab ≥ 5) from the page and from the others: tests/core/test_reading_contrast.py."""

    text: str
    background: str
    muted: str
    layers: dict[str, str]


LIGHT = Palette(
    text="#1d1d1f",
    background="#ffffff",
    muted="#5f6368",
    layers={
        "person": "#dbeafe",
        "country": "#dcfce7",
        "organisation": "#fef3c7",
        "place": "#ede9fe",
        "group": "#fce7f3",
        "quotes": "#eef3f8",
    },
)
DARK = Palette(
    text="#e8eaed",
    background="#1f1f22",
    muted="#a0a4ab",
    layers={
        "person": "#1e3a5f",
        "country": "#14532d",
        "organisation": "#5c4305",
        "place": "#3b2a6b",
        "group": "#5e1f42",
        "quotes": "#2b3138",
    },
)


def article_html(
    article: Article,
    extraction: Extraction,
    *,
    highlights: Sequence[tuple[int, int, str]] = (),
    layers: frozenset[str] = frozenset(LAYERS),
    palette: Palette = LIGHT,
) -> str:
    """The whole reading view: title, source and date, then the annotated body."""
    meta = " · ".join(
        html.escape(part)
        for part in (article.source, (article.published or "")[:10], article.author)
        if part
    )
    return (
        f"<html><head><style>{_style(palette)}</style></head><body>"
        f"<h1>{html.escape(article.title)}</h1>"
        f'<p class="meta">{meta}</p>'
        f"{body_html(article.body, extraction, highlights=highlights, layers=layers)}"
        "</body></html>"
    )


def body_html(
    body: str,
    extraction: Extraction,
    *,
    layers: frozenset[str],
    highlights: Sequence[tuple[int, int, str]] = (),
) -> str:
    """Paragraphs with the chosen layers marked; `highlights` are the user's (start, end,
    colour), drawn over everything else."""
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}

    if "quotes" in layers:
        for quote in extraction.quotes:
            speaker = quote.speaker.name if quote.speaker else "no speaker found"
            cue = f" ({quote.cue})" if quote.cue else ""
            opens.setdefault(quote.start, []).append(
                f'<span class="quotes" title="{html.escape(speaker + cue, quote=True)}">'
            )
            closes.setdefault(quote.end, []).insert(0, "</span>")
            if quote.speaker:  # the speaker's name goes after the closing mark
                after = body[quote.end : quote.end + 2]
                mark_end = quote.end + len(after) - len(after.lstrip("”’\"'»"))
                href = html.escape(f"{SPEAKER_SCHEME}:{speaker}")
                closes.setdefault(mark_end, []).append(
                    f'<a class="speaker" href="{href}"> — {html.escape(speaker)}</a>'
                )
    marked = list(highlights) if "highlights" in layers else []
    quotes = Spans([(quote.start, quote.end) for quote in extraction.quotes])
    user_marks = Spans([(start, end) for start, end, _ in marked])
    tags: dict[tuple[str, str], str] = {}
    """One opening tag per actor: a long article names the same few actors again and again."""
    for mention in extraction.mentions:
        kind = mention.actor.kind
        if kind not in layers or quotes.crossed_by(mention.start, mention.end):
            continue
        if user_marks.overlap(mention.start, mention.end):
            continue  # the user's highlight is what shows there
        key = (mention.actor.name, kind)
        tag = tags.get(key)
        if tag is None:
            title = html.escape(f"{mention.actor.name} ({kind})", quote=True)
            tag = tags[key] = f'<span class="{kind}" title="{title}">'
        opens.setdefault(mention.start, []).append(tag)
        closes.setdefault(mention.end, []).insert(0, "</span>")
    for start, end, colour in marked:  # innermost, so its colour is the one seen
        opens.setdefault(start, []).append(f'<span class="hl-{colour}">')
        closes.setdefault(end, []).insert(0, "</span>")
    parts: list[str] = ["<p>"]
    boundaries = sorted({0, len(body), *opens, *closes})
    for start, end in pairwise(boundaries):
        if start in closes:
            parts.extend(closes[start])
        if start in opens:
            parts.extend(opens[start])
        parts.append(_paragraphs(body[start:end]))
    parts.extend(closes.get(len(body), []))
    parts.append("</p>")
    return "".join(parts)


def block_starts(body: str) -> list[int]:
    """Where each paragraph of the reading view starts in the body. A blank line or a line
    break ends one, as `_paragraphs` splits them; empty ones are left out, as Qt drops an
    empty paragraph from the document."""
    starts = [0]
    position = 0
    while (position := body.find("\n", position)) != -1:
        position += 2 if body.startswith("\n\n", position) else 1
        starts.append(position)
    return [start for start in starts if start < len(body) and body[start] != "\n"]


def _paragraphs(text: str) -> str:
    if "\n" not in text:  # most pieces: the words between two marks
        return html.escape(text, quote=False)  # quotes matter in attributes alone
    lines = text.replace("\n\n", "\n").split("\n")
    return "</p><p>".join(html.escape(line, quote=False) for line in lines)


class Spans:
    """Sorted (start, end) spans, asked per mention in logarithmic time: an article of
    10,000 words has some 2,000 mentions and 200 quotes, and asking every quote for every
    mention took half the time of opening it."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.by_start = sorted(spans)
        self.starts = [start for start, _ in self.by_start]
        self.by_end = sorted((end, start) for start, end in spans)
        self.ends = [end for end, _ in self.by_end]
        self.reach = list(accumulate((end for _, end in self.by_start), max))
        """The furthest end of the spans so far in start order."""

    def crossed_by(self, start: int, end: int) -> bool:
        """Whether start..end is partly inside a span and partly outside it: a mention like
        that would break the nesting, so it is left unmarked."""
        if not self.overlap(start, end):
            return False
        first = bisect_left(self.starts, start)
        for span_start, span_end in self.by_start[first:]:
            if span_start >= end:
                break
            if span_end >= end:
                return True
        first = bisect_right(self.ends, start)
        for span_end, span_start in self.by_end[first:]:
            if span_end >= end:
                break
            if span_start < start:
                return True
        return False

    def overlap(self, start: int, end: int) -> bool:
        """Whether any span shares a character with start..end."""
        index = bisect_left(self.starts, end)
        return index > 0 and self.reach[index - 1] > start


def _style(palette: Palette) -> str:
    rules = [
        f"body {{ color: {palette.text}; background: {palette.background}; "
        "font-size: 12pt; line-height: 160%; }",
        "h1 { font-size: 20pt; font-weight: 600; margin-bottom: 4px; }",
        f"p.meta {{ color: {palette.muted}; margin-top: 0; }}",
        "p { margin-bottom: 10px; white-space: pre-wrap; }",
        # The speaker's name is ours, not the article's: it keeps the page's background even
        # inside a user's highlight, so muted text is only ever drawn on the page.
        f".speaker {{ color: {palette.muted}; background-color: {palette.background}; "
        "font-size: 9pt; text-decoration: none; }",
    ]
    for layer, colour in palette.layers.items():
        rules.append(f".{layer} {{ background-color: {colour}; }}")
    for name, (light, dark) in HIGHLIGHT_COLOURS.items():
        rules.append(f".hl-{name} {{ background-color: {dark if palette is DARK else light}; }}")
    return " ".join(rules)
