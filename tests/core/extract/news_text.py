"""Text for property tests of the engine: news-shaped pieces (names, cues, every kind of
quote mark, paragraph breaks) mixed with arbitrary unicode, or arbitrary unicode alone."""

from hypothesis import strategies as st

PIECES = st.sampled_from(
    ["Putin", "Kim Jong Un", "Vladimir Putin", "said", "told reporters", "according to",
     "described", "as", "he", "she", "they", "the minister", "Mr.", "Dr.", "President",
     "Beijing", "state media", "“", "”", "‘", "’", '"', "'", "''", "«", "»", "„", "‹", "›",
     "\n", "\n\n", ". ", ", ", ": ", "—", "4 September 2025", "Monday", "(", ")"]
)  # fmt: skip

ANY_TEXT = st.one_of(
    st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=60).map(" ".join),
    st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=60).map("".join),
    st.text(max_size=300),
)
