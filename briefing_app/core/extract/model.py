"""What the engine finds. Offsets are code-point offsets into the text it was given."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from briefing_app.core.extract.registry import Actor


class Mention(NamedTuple):
    """An actor named in the text. A named tuple, not a frozen dataclass: dozens are built
    for every article, and a tuple is built in a third of the time."""

    start: int
    end: int
    text: str
    actor: Actor
    form: str


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Quote:
    start: int
    end: int
    text: str
    speaker: Actor | None = None
    speaker_span: Span | None = None
    cue: str | None = None
    confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    text: str
    date: str | None
    """ISO date when it could be resolved against the article's date."""


@dataclass(frozen=True)
class Extraction:
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
