"""The canonical sample article comes out as an analyst expects."""

from collections import defaultdict

import pytest

from briefing_app.core.annotations import article_date
from briefing_app.core.extract import RuleEngine
from briefing_app.core.importers.plaintext import header_date
from briefing_app.core.resources import resource

TEXT = resource("samples", "beijing-summit.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def extraction():
    return RuleEngine().extract(TEXT, article_date(header_date(TEXT)))


def test_the_actors_are_all_there(extraction):
    found = {(m.actor.name, m.actor.kind) for m in extraction.mentions}
    for expected in [
        ("Vladimir Putin", "person"),
        ("Kim Jong Un", "person"),
        ("Russia", "country"),
        ("North Korea", "country"),
        ("China", "country"),
        ("Diaoyutai State Guesthouse", "place"),
        ("Ukraine", "country"),
        ("United States", "country"),
        ("South Korea", "country"),
        ("Japan", "country"),
        ("Weibo", "organisation"),
    ]:
        assert expected in found
    beijing = [m for m in extraction.mentions if m.text == "Beijing"]
    assert beijing and all(m.actor.name == "China" for m in beijing)


def test_putin_in_every_form_is_one_actor(extraction):
    forms = {m.text for m in extraction.mentions if m.actor.name == "Vladimir Putin"}
    assert {"Putin", "Vladimir Putin", "Russian president"} <= forms


def test_the_quotes_and_their_speakers(extraction):
    by_speaker = defaultdict(set)
    for quote in extraction.quotes:
        by_speaker[quote.speaker.name if quote.speaker else None].add(quote.text.rstrip(",."))
    assert {"special alliance", "the sacrifice of North Korean soldiers"} <= by_speaker[
        "Vladimir Putin"
    ]
    assert "brother nations" in by_speaker["Kim Jong Un"]
    assert {
        "brotherly bond",
        "mutual support that feels warm, regardless of the international climate",
        "more positive impacts",
    } <= by_speaker["netizens"]
    assert by_speaker["Russian official outlets"] == {
        "mutual solidarity",
        "unjust Western pressure",
    }
    assert by_speaker["North Korean state media"] == {"brotherly friendship"}
    assert by_speaker["Chinese commentators"] == {"responsible great power"}
    assert by_speaker[None] == {"Special Alliance", "special alliance"}  # headline, scare quotes


def test_ordinary_words_are_not_tagged(extraction):
    tagged = {m.text for m in extraction.mentions}
    for word in ["September", "Such", "Beyond", "Observers", "Comments", "Others",
                 "Economically", "Domestically"]:  # fmt: skip
        assert not any(word in text.split() for text in tagged), word


def test_dates(extraction):
    assert ("September 3", "2025-09-03") in {(d.text, d.date) for d in extraction.dates}
