"""What the engine finds. Offsets are code-point offsets into the text it was given.

Dozens of these are built for every article, so each class writes its own `__init__`: the
compiled engine builds such a class natively, in a tenth of the time a frozen dataclass's
generated (Python) `__init__` takes; as plain Python it is no slower. The fields are `Final`:
mypy refuses an assignment anywhere, and the compiled classes refuse one at run time, so they
hash and compare by value like the frozen dataclasses they replace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from briefing_app.core.extract.registry import Actor


@dataclass(unsafe_hash=True)
class Mention:
    """An actor named in the text."""

    start: Final[int]
    end: Final[int]
    text: Final[str]
    actor: Final[Actor]
    form: Final[str]

    def __init__(self, start: int, end: int, text: str, actor: Actor, form: str) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.actor = actor
        self.form = form


@dataclass(unsafe_hash=True)
class Span:
    start: Final[int]
    end: Final[int]
    text: Final[str]

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text


@dataclass(unsafe_hash=True)
class Quote:
    start: Final[int]
    end: Final[int]
    text: Final[str]
    speaker: Final[Actor | None]
    speaker_span: Final[Span | None]
    cue: Final[str | None]
    confidence: Final[float]

    def __init__(
        self,
        start: int,
        end: int,
        text: str,
        speaker: Actor | None = None,
        speaker_span: Span | None = None,
        cue: str | None = None,
        confidence: float = 0.0,
    ) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.speaker = speaker
        self.speaker_span = speaker_span
        self.cue = cue
        self.confidence = confidence


@dataclass(unsafe_hash=True)
class DateMention:
    start: Final[int]
    end: Final[int]
    text: Final[str]
    date: Final[str | None]
    """ISO date when it could be resolved against the article's date."""

    def __init__(self, start: int, end: int, text: str, date: str | None) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.date = date


@dataclass(frozen=True)
class Extraction:
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
