"""The article list: actor and note counts on each summary (in search hits too), and sorting."""

import pytest

from briefing_app.core.actors import merge_actors
from briefing_app.core.annotations import add_mention, reject_mention
from briefing_app.core.articles import list_articles, store_article
from briefing_app.core.highlights import add_highlight, update_highlight
from briefing_app.core.models import ParsedArticle
from briefing_app.core.search import search


def mention(archive, article_id, body, text, actor=None, occurrence=0):
    """Mark the `occurrence`-th `text` in `body` as naming `actor` (made if new)."""
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(text, start + 1)
    return add_mention(archive, article_id, start, start + len(text), actor or text, "person")


def highlight(archive, article_id, note):
    return add_highlight(archive, article_id, 0, 3, note=note)


def test_counts_leave_out_rejected_mentions_and_highlights_without_a_note(archive):
    body = "Ana met Boris. Ana and Cyd spoke; Boris left. Cyd stayed."
    article_id = store_article(
        archive, ParsedArticle(title="Talks", body=body, origin="t")
    ).article_id
    mention(archive, article_id, body, "Ana")
    mention(archive, article_id, body, "Ana", occurrence=1)  # the same actor twice: one
    reject_mention(archive, mention(archive, article_id, body, "Boris"))
    reject_mention(archive, mention(archive, article_id, body, "Boris", occurrence=1))
    reject_mention(archive, mention(archive, article_id, body, "Cyd"))
    mention(archive, article_id, body, "Cyd", occurrence=1)  # one rejected, one kept: counts
    highlight(archive, article_id, "**Why** this matters")
    highlight(archive, article_id, None)
    highlight(archive, article_id, "")
    cleared = highlight(archive, article_id, "changed my mind")
    update_highlight(archive, cleared.id, note="")

    (summary,) = list_articles(archive)
    assert (summary.actors, summary.notes) == (2, 1)

    merge_actors(archive, "Cyd", "Ana")
    assert list_articles(archive)[0].actors == 1, "merged actors are one actor"
    ranked = search(archive, "talks").hits
    filtered = search(archive, "-nothing").hits
    assert [(hit.article.actors, hit.article.notes) for hit in ranked + filtered] == [(1, 1)] * 2


# Five articles; every sort key has one tie (broken by import order) and the source and date
# keys have an article without a value.
ROWS = [
    # title, source, published, body, actors mentioned, highlights with a note
    ("bravo", "Harbour Wire", "2025-09-02", "Ana met Boris in Oslo", ("Ana", "Boris"), 1),
    ("Alpha", "lakeside Post", "2025-10-15", "Quiet day today", (), 2),
    ("charlie", None, "2026-01-20", "Cyd spoke for a long time on Tuesday", ("Cyd",), 0),
    ("Delta", "Atlas", None, "Ana, Boris and Cyd", ("Ana", "Boris", "Cyd"), 0),
    ("echo", "Harbour Wire", "2025-09-02", "Nothing much happened this week", (), 0),
]


@pytest.fixture
def five(archive):
    for title, source, published, body, actors, notes in ROWS:
        article_id = store_article(
            archive,
            ParsedArticle(title=title, body=body, origin=title, source=source, published=published),
        ).article_id
        for name in actors:
            mention(archive, article_id, body, name)
        for number in range(notes):
            highlight(archive, article_id, f"note {number}")
        highlight(archive, article_id, None)  # never counted
    return archive


def test_each_article_has_its_counts(five):
    listed = {s.title: (s.word_count, s.actors, s.notes) for s in list_articles(five)}
    assert listed == {
        title: (len(body.split()), len(actors), notes) for title, _, _, body, actors, notes in ROWS
    }


@pytest.mark.parametrize(
    ("sort", "ascending"),
    [
        ("title", ["Alpha", "bravo", "charlie", "Delta", "echo"]),
        ("source", ["Delta", "bravo", "echo", "Alpha", "charlie"]),
        ("published", ["bravo", "echo", "Alpha", "charlie", "Delta"]),
        ("words", ["Alpha", "Delta", "bravo", "echo", "charlie"]),
        ("actors", ["Alpha", "echo", "charlie", "bravo", "Delta"]),
        ("notes", ["charlie", "Delta", "echo", "bravo", "Alpha"]),
    ],
)
def test_every_sort_key_in_both_directions(five, sort, ascending):
    def titles(descending):
        return [s.title for s in list_articles(five, sort=sort, descending=descending)]

    # Without a value (no source, no date) comes last either way; everything else reverses.
    missing = {"source": ["charlie"], "published": ["Delta"]}.get(sort, [])
    valued = [title for title in ascending if title not in missing]
    assert titles(descending=False) == ascending
    assert titles(descending=True) == valued[::-1] + missing


def test_default_order_is_newest_first_with_undated_last_and_pages_follow_it(five):
    newest_first = ["charlie", "Alpha", "echo", "bravo", "Delta"]
    assert [s.title for s in list_articles(five)] == newest_first
    pages = [list_articles(five, limit=2, offset=offset) for offset in (0, 2, 4)]
    assert [s.title for page in pages for s in page] == newest_first
    by_title = list_articles(five, sort="title", descending=False, limit=2, offset=1)
    assert [s.title for s in by_title] == ["bravo", "charlie"]


def test_filters_still_apply_with_a_sort(five):
    from briefing_app.core.articles import set_starred, tag_article

    ids = {s.title: s.id for s in list_articles(five)}
    for title in ("Delta", "bravo", "Alpha"):
        tag_article(five, ids[title], "watch")
    set_starred(five, ids["Delta"], True)
    watched = list_articles(five, tag="watch", sort="actors")
    assert [s.title for s in watched] == ["Delta", "bravo", "Alpha"]
    assert [s.title for s in list_articles(five, starred=True, sort="notes")] == ["Delta"]


def test_an_unknown_sort_key_is_refused(archive):
    with pytest.raises(ValueError, match="unknown sort key 'rank'"):
        list_articles(archive, sort="rank")
