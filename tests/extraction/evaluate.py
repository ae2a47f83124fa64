"""Score the extraction engine against the gold set.

    python -m tests.extraction.evaluate [dev|heldout|all] [--errors]

Prints precision, recall and F1 for actor mentions (a predicted mention matches a gold one
when the spans overlap and the kind agrees; each is matched at most once), for quotes (span
overlap), and speaker accuracy over the quotes found (the speaker's canonical name agrees, or
both have none). Also the share of matched mentions whose canonical actor agrees.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field

from briefing_app.core.annotations import article_date
from briefing_app.core.extract import Extraction, RuleEngine
from tests.extraction.gold_loader import GoldArticle, load_all


@dataclass
class Counts:
    predicted: int = 0
    gold: int = 0
    matched: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    articles: int = 0
    words: int = 0
    mentions: Counts = field(default_factory=Counts)
    quotes: Counts = field(default_factory=Counts)
    canonical_agree: int = 0
    speakers_right: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def speaker_accuracy(self) -> float:
        return self.speakers_right / self.quotes.matched if self.quotes.matched else 1.0

    @property
    def canonical_accuracy(self) -> float:
        return self.canonical_agree / self.mentions.matched if self.mentions.matched else 1.0

    def summary(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "words": self.words,
            "mentions": {**asdict(self.mentions), **_prf(self.mentions)},
            "mention_canonical_accuracy": round(self.canonical_accuracy, 4),
            "quotes": {**asdict(self.quotes), **_prf(self.quotes)},
            "speaker_accuracy": round(self.speaker_accuracy, 4),
        }


def _prf(counts: Counts) -> dict[str, float]:
    return {
        "precision": round(counts.precision, 4),
        "recall": round(counts.recall, 4),
        "f1": round(counts.f1, 4),
    }


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").casefold() == (b or "").casefold()


def score_article(article: GoldArticle, extraction: Extraction, scores: Scores) -> None:
    scores.articles += 1
    scores.words += len(article.text.split())
    scores.mentions.predicted += len(extraction.mentions)
    scores.mentions.gold += len(article.mentions)
    unmatched = list(extraction.mentions)
    for gold in article.mentions:
        match = next(
            (
                m for m in unmatched
                if m.start < gold.end and gold.start < m.end and m.actor.kind == gold.kind
            ),
            None,
        )  # fmt: skip
        if match is None:
            scores.errors.append(f"{article.name}: missed {gold.kind} {gold.text!r} ({gold.actor})")
            continue
        unmatched.remove(match)
        scores.mentions.matched += 1
        if _same(match.actor.name, gold.actor):
            scores.canonical_agree += 1
        else:
            scores.errors.append(
                f"{article.name}: {gold.text!r} is {gold.actor}, engine says {match.actor.name}"
            )
    for extra in unmatched:
        scores.errors.append(
            f"{article.name}: extra {extra.actor.kind} {extra.text!r} ({extra.actor.name})"
        )

    scores.quotes.predicted += len(extraction.quotes)
    scores.quotes.gold += len(article.quotes)
    remaining = list(extraction.quotes)
    for gold_quote in article.quotes:
        found = next(
            (q for q in remaining if q.start < gold_quote.end and gold_quote.start < q.end), None
        )
        label = gold_quote.text[:50].replace("\n", " ")
        if found is None:
            scores.errors.append(f"{article.name}: missed quote {label!r}")
            continue
        remaining.remove(found)
        scores.quotes.matched += 1
        speaker = found.speaker.name if found.speaker else None
        if _same(speaker, gold_quote.speaker):
            scores.speakers_right += 1
        else:
            scores.errors.append(
                f"{article.name}: quote {label!r} by {gold_quote.speaker}, engine says "
                f"{speaker} (cue {found.cue})"
            )
    for extra_quote in remaining:
        scores.errors.append(f"{article.name}: extra quote {extra_quote.text[:50]!r}")


def evaluate(part: str, engine: RuleEngine | None = None) -> Scores:
    engine = engine or RuleEngine()
    scores = Scores()
    for article in load_all(part):
        score_article(article, engine.extract(article.text, article_date(None)), scores)
    return scores


def main(argv: list[str]) -> None:
    part = next((arg for arg in argv if not arg.startswith("-")), "dev")
    scores = evaluate(part)
    print(json.dumps({"part": part, **scores.summary()}, indent=2))
    if "--errors" in argv:
        print("\n".join(scores.errors))


if __name__ == "__main__":
    main(sys.argv[1:])
