"""Actors, quotes and dates in article text: the extraction engine and its registry.

The engine is loaded on first use (`RuleEngine`, `Engine`, `bundled_registry`), so modules
that only need the result types, such as the reader's view, start quickly.
"""

from typing import TYPE_CHECKING, Any

from briefing_app.core.extract.model import DateMention, Extraction, Mention, Quote, Span

if TYPE_CHECKING:
    from briefing_app.core.extract.pipeline import Engine, RuleEngine, bundled_registry

__all__ = [
    "DateMention", "Engine", "Extraction", "Mention", "Quote", "RuleEngine", "Span",
    "bundled_registry",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in ("Engine", "RuleEngine", "bundled_registry"):
        from briefing_app.core.extract import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
