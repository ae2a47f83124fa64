"""The reader's view of an article: the index that decides which mentions are marked."""

from hypothesis import given
from hypothesis import strategies as st

from briefing_app.core.reading import Spans


@given(
    spans=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=12),
    start=st.integers(0, 70),
    length=st.integers(1, 15),
)
def test_span_index_answers_as_asking_every_span(spans, start, length):
    """The reader's index of quotes and highlights against the plain definitions."""
    spans = [(s, s + n) for s, n in spans]
    end = start + length
    index = Spans(spans)
    crossing = any(
        (s < start < e) != (s < end <= e) and not (end <= s or start >= e) for s, e in spans
    )
    assert index.crossed_by(start, end) == crossing
    assert index.overlap(start, end) == any(s < end and start < e for s, e in spans)
