import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing_app.core.anchoring import make_anchor, reanchor
from briefing_app.core.articles import store_article
from briefing_app.core.highlights import (
    HighlightFailed,
    add_highlight,
    delete_highlight,
    list_highlights,
    reanchor_article,
    update_highlight,
)
from briefing_app.core.models import ParsedArticle

TEXT = (
    "Putin described the relationship as a special alliance. Kim spoke of brother nations. "
    "Observers called it a special alliance too."
)


def test_exact_at_the_same_offsets():
    start = TEXT.index("brother nations")
    anchor = make_anchor(TEXT, start, start + len("brother nations"))
    assert reanchor(anchor, TEXT) == (anchor.start, anchor.end)


def test_nearest_exact_match_after_an_edit_before_it_and_context_breaks_ties():
    second = TEXT.rindex("special alliance")
    anchor = make_anchor(TEXT, second, second + len("special alliance"))
    edited = "UPDATED: " + TEXT
    start, end = reanchor(anchor, edited)
    assert edited[start:end] == "special alliance"
    assert edited[start - 12 : start] == "called it a "  # the second one, not the first


def test_fuzzy_match_when_the_text_itself_changed_a_little():
    start = TEXT.index("Kim spoke of brother nations")
    anchor = make_anchor(TEXT, start, start + len("Kim spoke of brother nations"))
    edited = TEXT.replace("Kim spoke of brother nations", "Kim spoke of brotherly nations")
    found = reanchor(anchor, edited)
    assert found is not None and "brotherly nations" in edited[found[0] : found[1]]


def test_orphan_when_the_text_is_gone():
    start = TEXT.index("brother nations")
    anchor = make_anchor(TEXT, start, start + len("brother nations"))
    assert reanchor(anchor, "A completely different article about fisheries.") is None


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_reanchoring_after_random_edits_never_raises_and_is_exact_when_intact(data):
    text = data.draw(st.text(alphabet="abc .\n", min_size=2, max_size=120))
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    anchor = make_anchor(text, start, end)
    before = data.draw(st.text(alphabet="abcxyz .", max_size=30))
    after = data.draw(st.text(alphabet="abcxyz .", max_size=30))
    edited = before + text + after  # the anchored text is intact, only moved
    found = reanchor(anchor, edited)
    assert found is not None and edited[found[0] : found[1]] == anchor.quote
    cut = data.draw(st.integers(0, len(text)))
    damaged = text[:cut] + data.draw(st.text(alphabet="xyz", max_size=10)) + text[cut + 3 :]
    placed = reanchor(anchor, damaged)
    assert placed is None or 0 <= placed[0] < placed[1] <= len(damaged)


def edited(data, text: str, low: int, high: int) -> str:
    """`text` with up to four random insertions and deletions, all within [low, high]."""
    for _ in range(data.draw(st.integers(0, 4))):
        at = data.draw(st.integers(low, high))
        if data.draw(st.booleans()):
            added = data.draw(st.text(max_size=8))
            text, high = text[:at] + added + text[at:], high + len(added)
        else:
            cut = data.draw(st.integers(0, min(8, high - at)))
            text, high = text[:at] + text[at + cut :], high - cut
    return text


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_reanchoring_any_unicode_text_after_random_edits(data):
    text = data.draw(st.text(min_size=1, max_size=200))
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    anchor = make_anchor(text, start, end)
    before = edited(data, text[:start], 0, start)  # edits before and after the span only
    intact = before + text[start:end] + edited(data, text[end:], 0, len(text) - end)
    found = reanchor(anchor, intact)
    assert found is not None and intact[found[0] : found[1]] == anchor.quote
    if intact.count(anchor.quote) == 1:  # then it can only be the same place, moved
        assert found == (len(before), len(before) + len(anchor.quote))
    anywhere = edited(data, text, 0, len(text))  # the span itself may be cut or changed
    placed = reanchor(anchor, anywhere)
    assert placed is None or 0 <= placed[0] < placed[1] <= len(anywhere)


@pytest.fixture
def article(archive):
    stored = store_article(archive, ParsedArticle(title="Summit", body=TEXT, origin="t"))
    return archive, stored.article_id


def test_highlights_are_kept_changed_removed_and_reanchored(article):
    archive, article_id = article
    start = TEXT.index("brother nations")
    made = add_highlight(archive, article_id, start, start + 15, colour="green",
                         label="Kim", note="**Key** phrase")  # fmt: skip
    assert (made.quote, made.colour, made.label, made.note) == (
        "brother nations",
        "green",
        "Kim",
        "**Key** phrase",
    )
    changed = update_highlight(archive, made.id, colour="pink", label="")
    assert (changed.colour, changed.label, changed.note) == ("pink", None, "**Key** phrase")

    gone = add_highlight(archive, article_id, 0, 5)
    archive.conn.execute(
        "UPDATE articles SET body = ? WHERE id = ?",
        ["New lead paragraph. " + TEXT.replace("Putin", "The president"), article_id],
    )
    assert reanchor_article(archive, article_id) == (1, 1)
    kept, orphan = list_highlights(archive, article_id)
    body = archive.conn.execute("SELECT body FROM articles").fetchone()[0]
    assert body[kept.start : kept.end] == "brother nations" and kept.note == "**Key** phrase"
    assert orphan.id == gone.id and orphan.orphan and orphan.quote == "Putin"
    delete_highlight(archive, gone.id)
    assert [h.id for h in list_highlights(archive)] == [made.id]
    with pytest.raises(HighlightFailed, match="not inside"):
        add_highlight(archive, article_id, 5, 99_999)
    with pytest.raises(HighlightFailed, match="unknown colour"):
        add_highlight(archive, article_id, 0, 5, colour="beige")
