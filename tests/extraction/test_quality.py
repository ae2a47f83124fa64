"""The engine's measured quality on the gold set, kept as floors (tests/extraction/gold)."""

import pytest

from tests.extraction.evaluate import evaluate

FLOORS = {"actor_f1": 0.92, "quote_f1": 0.95, "speaker_accuracy": 0.92}


@pytest.fixture(scope="module")
def scores():
    return evaluate("all")


def test_actor_mentions_f1_floor(scores):
    assert scores.mentions.f1 >= FLOORS["actor_f1"], scores.summary()


def test_quote_f1_floor(scores):
    assert scores.quotes.f1 >= FLOORS["quote_f1"], scores.summary()


def test_speaker_accuracy_floor(scores):
    assert scores.speaker_accuracy >= FLOORS["speaker_accuracy"], scores.summary()


def test_the_set_is_scored_whole(scores):
    assert scores.articles >= 25 and scores.words >= 6000
