"""Actors, quotes and dates in article text: the extraction engine and its registry."""

from briefing_app.core.extract.model import DateMention, Extraction, Mention, Quote, Span
from briefing_app.core.extract.pipeline import Engine, RuleEngine, bundled_registry

__all__ = [
    "DateMention", "Engine", "Extraction", "Mention", "Quote", "RuleEngine", "Span",
    "bundled_registry",
]  # fmt: skip
