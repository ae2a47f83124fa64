"""Speed of the extraction engine next to a plain regex pass over the same text.

    python bench/bench_extract.py [--n 2000] [--repeats 3]

Prints one JSON object. Both sides run in this process on one core, on the same synthetic
articles (bench/synthetic.py), after a warm-up:

- engine: RuleEngine().extract(body, published) for every article (actors, quotes, dates);
- regex: one pass of a single compiled pattern that finds capitalised words and quote marks
  (the least any extractor must do), re.finditer over every article.

Words are counted once with str.split(). The target (issue 3) is at least 200,000 words a
second for the engine; statistical pipelines manage about 5,000 here.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import records

from briefing_app.core.extract import RuleEngine

PLAIN = re.compile(r"[A-Z][\w’'-]*|[“”‘’\"']")


def timed(function, texts: list[tuple[str, date]]) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for text, published in texts:
        function(text, published)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="articles")
    parser.add_argument("--repeats", type=int, default=3, help="runs; the median counts")
    args = parser.parse_args()

    texts = [(r.body, date.fromisoformat(r.published)) for r in records(args.n)]
    words = sum(len(text.split()) for text, _ in texts)
    engine = RuleEngine()

    def extract(text: str, published: date) -> None:
        engine.extract(text, published)

    def plain(text: str, published: date) -> None:
        for _ in PLAIN.finditer(text):
            pass

    timed(extract, texts[:50])  # warm-up (registry built, caches filled)
    engine_times = [timed(extract, texts) for _ in range(args.repeats)]
    regex_times = [timed(plain, texts) for _ in range(args.repeats)]
    engine_seconds = statistics.median(engine_times)
    regex_seconds = statistics.median(regex_times)
    sample = [engine.extract(text, published) for text, published in texts[:200]]
    print(
        json.dumps(
            {
                "benchmark": "extraction",
                "python": platform.python_version(),
                "articles": args.n,
                "words": words,
                "engine_words_per_second": round(words / engine_seconds),
                "regex_words_per_second": round(words / regex_seconds),
                "engine_vs_regex_time_ratio": round(engine_seconds / regex_seconds, 2),
                "target_words_per_second": 200_000,
                "mentions_per_article": round(
                    sum(len(e.mentions) for e in sample) / len(sample), 1
                ),
                "quotes_per_article": round(sum(len(e.quotes) for e in sample) / len(sample), 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
