"""Checks on the hand-annotated extraction gold set itself (not on the extractor)."""

import itertools
import re
from collections import defaultdict

import pytest

from tests.extraction.gold_loader import (
    GOLD_DIR,
    GoldArticle,
    GoldFormatError,
    load_all,
    load_gold,
    parse_gold,
)

WORD = re.compile(r"\w+(?:['’]\w+)*")
OPENING = "“‘\"'"
CLOSING = "”’\"'"
PRONOUN_CUE = re.compile(r"^[,.?!]?(?:''|[”’\"']),? (?:he|she|they) ")
PATHS = sorted(GOLD_DIR.glob("*.txt"))


def words(article: GoldArticle) -> int:
    return len(WORD.findall(article.text))


@pytest.fixture(scope="module")
def articles() -> list[GoldArticle]:
    return load_all("all")


def test_size(articles):
    assert len(articles) >= 25
    assert sum(words(article) for article in articles) >= 6000
    short_or_long = [(a.name, words(a)) for a in articles if not 180 <= words(a) <= 280]
    assert short_or_long == []


def test_parts_split_the_set(articles):
    dev, heldout = load_all("dev"), load_all("heldout")
    assert dev and heldout
    assert {a.name for a in dev} | {a.name for a in heldout} == {a.name for a in articles}
    assert len(dev) + len(heldout) == len(articles) == len(PATHS)
    with pytest.raises(ValueError):
        load_all("test")


@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.stem)
def test_article(path):
    article = load_gold(path)
    text = article.text
    assert article.mentions and article.quotes
    for token in ("[[", "]]", "{{", "}}", "|"):
        assert token not in text
    for mention in article.mentions:
        assert text[mention.start : mention.end] == mention.text
    actors = {mention.actor for mention in article.mentions}
    for quote in article.quotes:
        assert text[quote.start : quote.end] == quote.text
        assert quote.speaker is None or quote.speaker in actors, quote
        assert text[quote.start - 1] in OPENING, quote
        after = text[quote.end : quote.end + 2]
        if after[:1] in ",.":
            after = after[1:]
        assert after[:1] in CLOSING, quote
        assert quote.text == quote.text.strip(), quote
    spans = sorted((quote.start, quote.end) for quote in article.quotes)
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))


def test_canonical_names_keep_one_kind(articles):
    kinds: dict[str, set[str]] = defaultdict(set)
    for article in articles:
        for mention in article.mentions:
            kinds[mention.actor].add(mention.kind)
    assert {actor: sorted(k) for actor, k in kinds.items() if len(k) > 1} == {}


def _odd_paragraph(article: GoldArticle) -> bool:
    """A paragraph with unbalanced curly double quotes that no quote span runs across."""
    long_quotes = [(q.start, q.end) for q in article.quotes if "\n" in q.text]
    offset = 0
    for paragraph in article.text.split("\n\n"):
        end = offset + len(paragraph)
        inside = any(start < end and offset < stop for start, stop in long_quotes)
        if paragraph.count("“") != paragraph.count("”") and not inside:
            return True
        offset = end + 2
    return False


def test_every_phenomenon_is_present(articles):
    quotes = [(article, quote) for article in articles for quote in article.quotes]

    def before(article, quote, size=1):
        return article.text[quote.start - size : quote.start]

    present = {
        "curly double": any(before(a, q) == "“" for a, q in quotes),
        "straight double": any(before(a, q) == '"' for a, q in quotes),
        "curly single": any(before(a, q) == "‘" for a, q in quotes),
        "straight single": any(before(a, q) == "'" and before(a, q, 2) != "''" for a, q in quotes),
        "doubled ''": any(before(a, q, 2) == "''" for a, q in quotes),
        "multi-paragraph": any("\n\n" in q.text for _, q in quotes),
        "nested": any(
            re.search(r"[“‘\"]\w", q.text) or re.search(r"(?:^|\s)'\w", q.text) for _, q in quotes
        ),
        "no speaker": any(q.speaker is None for _, q in quotes),
        "partial (two words at most)": any(
            q.speaker and len(q.text.split()) <= 2 for _, q in quotes
        ),
        "group speaker": any(
            m.kind == "group" and m.actor == q.speaker for a, q in quotes for m in a.mentions
        ),
        "pronoun speaker": any(
            q.speaker and PRONOUN_CUE.match(a.text[q.end : q.end + 12]) for a, q in quotes
        ),
        "according to": any(
            "according to" in a.text[q.end : q.end + 20] and q.speaker for a, q in quotes
        ),
        "mention inside a quote": any(
            q.start <= m.start and m.end <= q.end for a, q in quotes for m in a.mentions
        ),
        "role phrase": any(
            m.kind == "person" and m.text[0].islower() for a in articles for m in a.mentions
        ),
        "headline scare quote": any(
            q.speaker is None and q.end <= a.text.find("\n") for a, q in quotes
        ),
        "apostrophes": any(s in a.text for a in articles for s in ("’s", "’90s", "’n’")),
        "odd quote mark": any(_odd_paragraph(a) for a in articles),
        "interview Q&A": sum("\n\nQ: " in a.text for a in articles) >= 2,
    }
    assert [name for name, found in present.items() if not found] == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("A [[Name|Name|person] said.", "never closed"),
        ("A [[Name|person]] said.", "surface|canonical|kind"),
        ("A [[Name|Name|alien]] said.", "unknown kind"),
        ("“{{X|never closed”", "never closed"),
        ("“{{X|one {{Y|two}} three}}”", "inside another quote"),
        ("He said}} so.", "without an open quote"),
        ("A | B", "outside markup"),
    ],
)
def test_malformed_markup_is_reported_with_its_place(raw, message):
    with pytest.raises(GoldFormatError, match=message) as error:
        parse_gold("Headline\n\n" + raw, "broken")
    assert str(error.value).startswith("broken:3:")


def test_nested_mention_offsets():
    article = parse_gold(
        "“{{Ann Lee|We met [[Seoul|South Korea|country]] today}},” said [[Ann Lee|Ann Lee|person]]."
    )
    assert article.text == "“We met Seoul today,” said Ann Lee."
    [quote] = article.quotes
    assert (quote.text, quote.speaker) == ("We met Seoul today", "Ann Lee")
    assert [m.text for m in article.mentions] == ["Seoul", "Ann Lee"]
