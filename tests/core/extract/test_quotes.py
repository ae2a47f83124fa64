import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing_app.core.extract.quotes import find_quote_spans
from tests.core.extract.news_text import ANY_TEXT


def quoted(text: str) -> list[str]:
    return [text[span.start : span.end] for span in find_quote_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “it is over” and left.", ["it is over"]),
        ('He said "it is over" and left.', ["it is over"]),
        ("He said ‘it is over’ and left.", ["it is over"]),
        ("He said 'it is over' and left.", ["it is over"]),
        ("He said ''it is over'' and left.", ["it is over"]),
        ("He said «it is over» and left.", ["it is over"]),
        ("a “special alliance” of two “brother nations”", ["special alliance", "brother nations"]),
    ],
)
def test_every_kind_of_mark_pairs(text, expected):
    assert quoted(text) == expected


def test_apostrophes_are_not_quotes():
    text = (
        "Russia’s envoy didn’t come; the ’90s and rock ’n’ roll, O'Brien's car, "
        "the countries’ leaders."
    )
    assert quoted(text) == []


def test_nested_quote_is_part_of_the_outer_quote():
    text = "“He told me ‘never again’, and he meant it,” she said."
    assert quoted(text) == ["He told me ‘never again’, and he meant it,"]


def test_quote_running_across_paragraphs():
    text = (
        "“We waited three days.\n\n"
        "“Nobody came. Then the boats arrived,” she said.\n\n"
        "Officials said “help is coming”."
    )
    assert quoted(text) == [
        "We waited three days.\n\n“Nobody came. Then the boats arrived,",
        "help is coming",
    ]


def test_unclosed_mark_at_paragraph_end_is_ignored():
    text = "He said “this never closes.\n\nA new paragraph with “a real quote” here."
    assert quoted(text) == ["a real quote"]


def test_odd_number_of_straight_marks_never_fails():
    text = 'She said "one" and "two" and "three.'
    assert quoted(text) == ["one", "two"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab “”‘’\"'\n.,")), max_size=80))
def test_spans_always_lie_inside_the_text_in_order(text):
    spans = find_quote_spans(text)
    previous_end = -1
    for span in spans:
        assert 0 <= span.open_mark < span.start <= span.end < span.after_close <= len(text)
        assert span.start > previous_end
        previous_end = span.end


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_pairing_any_text_never_raises_and_spans_lie_inside_it(text):
    previous_end = -1
    for span in find_quote_spans(text):
        assert 0 <= span.open_mark < span.start <= span.end < span.after_close <= len(text)
        assert span.start > previous_end
        previous_end = span.end
