"""The extraction engine behind a small interface, so a statistical backend could stand in."""

from __future__ import annotations

import bisect
from datetime import date
from functools import lru_cache
from typing import Protocol

from briefing_app.core.extract.attribution import Attributor
from briefing_app.core.extract.dates import find_dates
from briefing_app.core.extract.mentions import MentionFinder
from briefing_app.core.extract.model import Extraction, Mention
from briefing_app.core.extract.quotes import find_quote_spans
from briefing_app.core.extract.registry import (
    DEMONYM,
    Actor,
    Registry,
    bundled_gazetteer,
    registry_from_gazetteer,
)
from briefing_app.core.extract.tokens import Tokens, paragraph_sentences, paragraphs


class Engine(Protocol):
    def extract(self, text: str, published: date | None = None) -> Extraction: ...


@lru_cache(maxsize=1)
def bundled_registry() -> Registry:
    return registry_from_gazetteer(bundled_gazetteer())


class RuleEngine:
    """Registry look-ups, name shapes, quote-mark pairing and cue-based attribution: no
    model, no download, hundreds of thousands of words a second."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry if registry is not None else bundled_registry()

    def extract(self, text: str, published: date | None = None) -> Extraction:
        tokens = Tokens(text)
        paragraph_spans = paragraphs(text)
        sentence_spans = paragraph_sentences(text, paragraph_spans)
        finder = MentionFinder(text, tokens, self.registry)
        mentions = finder.find(
            _token_indexes(tokens, [start for start, _ in sentence_spans]),
            _headline_end(tokens, paragraph_spans),
        )
        attributor = Attributor(
            text, mentions, sentence_spans, paragraph_spans, self.registry, tokens
        )
        quotes = attributor.attribute(find_quote_spans(text, paragraph_spans))
        mentions = _settle_groups(text, mentions, attributor.group_speakers)
        return Extraction(mentions, quotes, find_dates(text, published, tokens))


def _token_indexes(tokens: Tokens, positions: list[int]) -> set[int]:
    return {bisect.bisect_left(tokens.starts, position) for position in positions}


def _headline_end(tokens: Tokens, spans: list[tuple[int, int]]) -> int:
    """Index of the first token after a title-case first line, or -1 if there is none."""
    if not spans:
        return -1
    count = bisect.bisect_right(tokens.ends, spans[0][1])
    if count > 30:
        return -1  # too long for a title: the test that rules most first lines out, made first
    long_words = [i for i in range(count) if len(tokens.keys[i]) >= 4]
    capitalised = sum(tokens.capitalised[i] for i in long_words)
    # Title case capitalises nearly every longer word; a sentence full of names does not.
    if len(long_words) < 3 or capitalised < 0.85 * len(long_words):
        return -1
    return count


def _settle_groups(
    text: str, mentions: list[Mention], speakers: list[tuple[Mention, Actor, int]]
) -> list[Mention]:
    """Groups are actors when they speak: keep those (named with their nationality, which
    then is part of the mention) and drop the rest ("analysts warn that…" without a quote)."""
    speaking = {id(mention): (actor, start) for mention, actor, start in speakers}
    settled: list[Mention] = []
    for mention in mentions:
        if mention.actor.kind != "group":
            settled.append(mention)
            continue
        if id(mention) not in speaking:
            continue
        actor, start = speaking[id(mention)]
        if start < mention.start:
            settled = [
                kept
                for kept in settled
                if not (kept.form == DEMONYM and start <= kept.start < mention.start)
            ]
        settled.append(Mention(start, mention.end, text[start : mention.end], actor, mention.form))
    return settled
