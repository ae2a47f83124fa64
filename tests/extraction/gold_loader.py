"""Load the hand-annotated gold set for actor and quote extraction.

Markup (see gold/README.md):

* ``[[surface|Canonical Name|kind]]`` marks an actor mention;
* ``{{speaker|quoted text}}`` marks a quote, inside its quote marks (empty speaker: none).

Mentions may sit inside a quote; nothing else nests. Offsets are code-point offsets into the
text with the markup removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

GOLD_DIR = Path(__file__).parent / "gold"
KINDS = frozenset({"person", "country", "organisation", "place", "group"})
PARTS = ("dev", "heldout")
_TOKENS = ("[[", "]]", "{{", "}}", "|")


class GoldFormatError(ValueError):
    """The markup of a gold file is malformed."""


@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    text: str
    actor: str
    kind: str


@dataclass(frozen=True)
class GoldQuote:
    start: int
    end: int
    text: str
    speaker: str | None


@dataclass
class GoldArticle:
    name: str
    text: str
    mentions: list[GoldMention] = field(default_factory=list)
    quotes: list[GoldQuote] = field(default_factory=list)

    @property
    def part(self) -> str:
        return self.name.split("-", 1)[0]


def _where(name: str, raw: str, index: int) -> str:
    line = raw.count("\n", 0, index) + 1
    column = index - (raw.rfind("\n", 0, index) + 1) + 1
    return f"{name}:{line}:{column}"


def parse_gold(raw: str, name: str = "<string>") -> GoldArticle:
    """Strip the markup from one annotated article; raises GoldFormatError on bad markup."""

    def fail(index: int, message: str) -> GoldFormatError:
        return GoldFormatError(f"{_where(name, raw, index)}: {message}")

    out: list[str] = []
    length = 0
    mentions: list[GoldMention] = []
    quotes: list[GoldQuote] = []
    quote_open: tuple[int, int, str | None] | None = None  # raw index, text start, speaker
    i = 0
    while i < len(raw):
        pair = raw[i : i + 2]
        if pair == "[[":
            end = raw.find("]]", i + 2)
            if end < 0:
                raise fail(i, "'[[' is never closed")
            body = raw[i + 2 : end]
            for token in ("[[", "{{", "}}", "\n"):
                if token in body:
                    raise fail(i, f"mention contains {token!r}")
            fields = body.split("|")
            if len(fields) != 3:
                raise fail(i, f"mention needs surface|canonical|kind, got {body!r}")
            surface, actor, kind = fields
            if not surface or surface != surface.strip():
                raise fail(i, f"mention surface {surface!r} is empty or padded")
            if not actor.strip():
                raise fail(i, "mention has no canonical name")
            if kind not in KINDS:
                raise fail(i, f"unknown kind {kind!r}")
            mentions.append(GoldMention(length, length + len(surface), surface, actor, kind))
            out.append(surface)
            length += len(surface)
            i = end + 2
        elif pair == "{{":
            if quote_open is not None:
                raise fail(i, "quote opened inside another quote")
            bar = raw.find("|", i + 2)
            if bar < 0:
                raise fail(i, "quote has no '|' after the speaker")
            speaker = raw[i + 2 : bar]
            for token in (*_TOKENS, "\n"):
                if token in speaker:
                    raise fail(i, f"quote speaker contains {token!r}")
            if speaker != speaker.strip():
                raise fail(i, f"quote speaker {speaker!r} is padded")
            quote_open = (i, length, speaker or None)
            i = bar + 1
        elif pair == "}}":
            if quote_open is None:
                raise fail(i, "'}}' without an open quote")
            _, start, speaker = quote_open
            text = "".join(out)[start:length]
            if not text.strip():
                raise fail(i, "empty quote")
            quotes.append(GoldQuote(start, length, text, speaker))
            quote_open = None
            i += 2
        elif pair == "]]":
            raise fail(i, "']]' without an open mention")
        elif raw[i] == "|":
            raise fail(i, "'|' outside markup")
        else:
            out.append(raw[i])
            length += 1
            i += 1
    if quote_open is not None:
        raise fail(quote_open[0], "'{{' is never closed")
    text = "".join(out)
    for token in _TOKENS:
        if token in text:  # cannot happen after the checks above; kept as a guard
            raise fail(0, f"markup {token!r} left in the text")
    return GoldArticle(name, text, mentions, quotes)


def load_gold(path: str | Path) -> GoldArticle:
    path = Path(path)
    raw = path.read_text(encoding="utf-8").rstrip("\n")
    return parse_gold(raw, path.stem)


def load_all(part: str = "all") -> list[GoldArticle]:
    """All gold articles of one part ("dev", "heldout") or of both ("all"), sorted by name."""
    if part not in (*PARTS, "all"):
        raise ValueError(f"part must be 'dev', 'heldout' or 'all', not {part!r}")
    prefixes = PARTS if part == "all" else (part,)
    paths = sorted(
        path for path in GOLD_DIR.glob("*.txt") if path.name.split("-", 1)[0] in prefixes
    )
    return [load_gold(path) for path in paths]
