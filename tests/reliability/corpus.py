"""Small, varied, deterministic news files for the crash and concurrency tests.

Every text names only actors of the bundled gazetteer and uses lower-case filler, so what the
engine finds in an article does not depend on what else is in the archive (a discovered
person would join the registry and change later articles): an article imported after a
crash is annotated exactly as in an import that never stopped.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

PEOPLE = ("Vladimir Putin", "Kim Jong Un", "Xi Jinping", "Emmanuel Macron", "Keir Starmer")
PLACES = ("China", "Russia", "Japan", "Brazil", "Beijing", "Moscow", "Tokyo")
BODIES = ("the United Nations", "NATO", "the World Health Organization", "Reuters")
WORDS = (
    "talks trade grain harbour ferry budget river border summit council energy pipeline "
    "fisheries drought vaccine railway tariff treaty election festival bridge market"
).split()
MONTHS = ("January", "March", "May", "July", "September", "November")


def sentence(rng: random.Random, number: int) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9)))
    match rng.randrange(4):
        case 0:
            return f"{rng.choice(PEOPLE)} spoke of {words} in {rng.choice(PLACES)} ({number})."
        case 1:
            return f"“The {words} must go on,” said {rng.choice(PEOPLE)} on item {number}."
        case 2:
            body = rng.choice(BODIES)
            return f"{body[0].upper()}{body[1:]} reported {words}, note {number}."
        case _:
            day = f"{rng.randint(1, 28)} {rng.choice(MONTHS)}"
            return f"Officials in {rng.choice(PLACES)} discussed {words} on {day} ({number})."


def article_text(rng: random.Random, number: int) -> tuple[str, str]:
    """(title, body paragraphs joined by blank lines) of article `number`, unique by number."""
    title = f"{rng.choice(PLACES)} {rng.choice(WORDS)} report number {number}"
    paragraphs = [
        " ".join(sentence(rng, number * 100 + p * 10 + s) for s in range(rng.randint(1, 3)))
        for p in range(rng.randint(2, 4))
    ]
    return title, "\n\n".join(paragraphs)


def write_corpus(folder: Path, count: int, *, seed: int = 6, jsonl_every: int = 50) -> int:
    """Write `count` articles under `folder` (in subfolders of 100): mostly .txt files with a
    date line, and every `jsonl_every`-th file a .jsonl of three articles, so a kill can also
    land between the lines of one file. Returns the number of articles written."""
    rng = random.Random(seed)
    articles = 0
    number = 0
    while articles < count:
        sub = folder / f"batch-{number // 100:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        if jsonl_every and number % jsonl_every == jsonl_every - 1:
            lines = []
            for _ in range(min(3, count - articles)):
                title, body = article_text(rng, articles)
                lines.append(json.dumps({"title": title, "body": body, "source": "Wire"}))
                articles += 1
            (sub / f"feed-{number:05d}.jsonl").write_text("\n".join(lines) + "\n")
        else:
            title, body = article_text(rng, articles)
            day = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} 2025"
            (sub / f"article-{number:05d}.txt").write_text(f"{title}\n{day}\n\n{body}\n")
            articles += 1
        number += 1
    return articles
