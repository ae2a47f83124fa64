"""Briefings kept in the archive: stored, changed field by field, listed, deleted, undone;
and what a selection covers when the briefing is exported."""

import re

import pytest

from briefing_app.core.articles import delete_article, store_article, tag_article
from briefing_app.core.briefings import (
    BriefingFailed,
    EmptySelection,
    Selection,
    article_titles,
    create_briefing,
    delete_briefing,
    get_briefing,
    list_briefings,
    selected_article_ids,
    update_briefing,
)
from briefing_app.core.errors import InvalidSearch, NotFound
from briefing_app.core.models import ParsedArticle
from briefing_app.core.search import search
from briefing_app.core.undo import undo_log


def add(archive, title, body, published=None):
    parsed = ParsedArticle(title=title, body=body, origin=title, published=published)
    return store_article(archive, parsed).article_id


@pytest.fixture
def ids(archive):
    """Four articles: harbour talks (old), fisheries (newest), a harbour strike, undated."""
    return [
        add(archive, "Harbour talks", "The harbour talks resumed in Oslo.", "2025-09-01"),
        add(archive, "Fisheries quotas", "Ministers agreed new fishing quotas.", "2025-11-03"),
        add(archive, "Harbour strike", "Dock workers at the harbour went on strike.", "2025-10-10"),
        add(archive, "Undated note", "A note about the harbour, without a date."),
    ]


def test_a_briefing_is_stored_with_its_ordered_articles_and_sections(archive, ids):
    made = create_briefing(
        archive,
        "  Weekly   harbour  ",
        Selection("articles", (ids[2], ids[0], ids[2])),
        sections={"summary": "Talks **resumed**."},
    )
    assert made.title == "Weekly harbour"
    assert made.selection == Selection("articles", (ids[2], ids[0]))
    assert made.template == "full"
    assert made.sections == {"summary": "Talks **resumed**.", "key_judgements": "", "outlook": ""}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", made.created)
    assert made.updated == made.created
    assert get_briefing(archive, made.id) == made


def test_a_search_or_tag_briefing_keeps_only_what_its_kind_needs(archive):
    search = create_briefing(
        archive, "Search", Selection("search", (1, 2), query=" harbour ", tag="x")
    )
    assert search.selection == Selection("search", query="harbour")
    tagged = create_briefing(archive, "Tag", Selection("tag", tag=" ports "), template="quotes")
    assert (tagged.selection, tagged.template) == (Selection("tag", tag="ports"), "quotes")
    assert create_briefing(archive, "All", Selection("all")).selection == Selection("all")


def test_update_changes_only_what_is_given_and_merges_sections(archive, ids):
    made = create_briefing(
        archive, "Draft", Selection("articles", (ids[0],)), sections={"summary": "First."}
    )
    archive.conn.execute("UPDATE briefings SET updated = '2025-01-01T00:00:00Z'")
    changed = update_briefing(archive, made.id, sections={"outlook": "Calm."})
    assert changed.sections == {"summary": "First.", "key_judgements": "", "outlook": "Calm."}
    assert (changed.title, changed.selection, changed.template) == (
        "Draft",
        Selection("articles", (ids[0],)),
        "full",
    )
    assert changed.updated > "2025-01-01T00:00:00Z" and changed.created == made.created

    again = update_briefing(
        archive,
        made.id,
        title="Final",
        selection=Selection("articles", (ids[3], ids[1])),
        template="summary",
        sections={"summary": ""},
    )
    assert again.title == "Final" and again.template == "summary"
    assert again.selection.article_ids == (ids[3], ids[1])
    assert again.sections["summary"] == "" and again.sections["outlook"] == "Calm."
    assert get_briefing(archive, made.id) == again


def test_briefings_are_listed_most_recently_updated_first(archive):
    first = create_briefing(archive, "First", Selection("all"))
    second = create_briefing(archive, "Second", Selection("all"))
    archive.conn.execute("UPDATE briefings SET updated = '2025-01-01T00:00:00Z'")
    archive.conn.execute(
        "UPDATE briefings SET updated = '2025-02-01T00:00:00Z' WHERE id = ?", [first.id]
    )
    assert [b.title for b in list_briefings(archive)] == ["First", "Second"]
    delete_briefing(archive, first.id)
    assert [b.id for b in list_briefings(archive)] == [second.id]
    with pytest.raises(NotFound, match=f"no briefing with id {first.id}"):
        get_briefing(archive, first.id)
    with pytest.raises(NotFound):
        delete_briefing(archive, first.id)
    with pytest.raises(NotFound):
        update_briefing(archive, first.id, title="Gone")


@pytest.mark.parametrize(
    ("title", "selection", "options", "error", "message"),
    [
        ("  ", Selection("all"), {}, BriefingFailed, "needs a title"),
        ("T", Selection("tag", tag=" "), {}, BriefingFailed, "needs the tag"),
        ("T", Selection("search", query='"open'), {}, InvalidSearch, "invalid search"),
        ("T", Selection("search"), {}, InvalidSearch, "nothing to search for"),
        ("T", Selection("everything"), {}, BriefingFailed, "unknown selection 'everything'"),
        ("T", Selection("all"), {"sections": {"intro": "x"}}, BriefingFailed, "unknown section"),
        ("T", Selection("all"), {"template": " "}, BriefingFailed, "needs a template"),
        ("T", Selection("articles", (999,)), {}, NotFound, "no article with id 999"),
    ],
)
def test_a_briefing_that_cannot_be_made_is_refused_and_nothing_stored(
    archive, title, selection, options, error, message
):
    with pytest.raises(error, match=message):
        create_briefing(archive, title, selection, **options)
    assert list_briefings(archive) == []
    assert archive.conn.execute("SELECT count(*) FROM briefing_articles").fetchone() == (0,)


def test_a_deleted_article_leaves_the_list_and_undo_brings_both_back(archive, ids):
    made = create_briefing(archive, "List", Selection("articles", (ids[1], ids[0], ids[2])))
    _, step = undo_log(archive).record(lambda a: delete_article(a, ids[0]))
    assert get_briefing(archive, made.id).selection.article_ids == (ids[1], ids[2])
    undo_log(archive).replay(step)
    assert get_briefing(archive, made.id).selection.article_ids == (ids[1], ids[0], ids[2])


def test_creating_changing_and_deleting_a_briefing_undo(archive, ids):
    log = undo_log(archive)
    made, create_step = log.record(
        lambda a: create_briefing(a, "Undo me", Selection("articles", (ids[0], ids[1])))
    )
    _, edit_step = log.record(
        lambda a: update_briefing(
            a, made.id, selection=Selection("articles", (ids[2],)), sections={"summary": "S"}
        )
    )
    log.replay(edit_step)
    assert get_briefing(archive, made.id) == made
    _, delete_step = log.record(lambda a: delete_briefing(a, made.id))
    assert list_briefings(archive) == []
    log.replay(delete_step)
    assert get_briefing(archive, made.id) == made
    log.replay(create_step)
    assert list_briefings(archive) == []
    assert archive.conn.execute("SELECT count(*) FROM briefing_articles").fetchone() == (0,)


# What a selection covers ---------------------------------------------------------------------


def test_an_article_list_keeps_the_users_order_and_skips_missing_ids(archive, ids):
    selection = Selection("articles", (ids[3], 999, ids[0], ids[3], ids[1]))
    assert selected_article_ids(archive, selection) == [ids[3], ids[0], ids[1]]
    delete_article(archive, ids[0])
    assert selected_article_ids(archive, selection) == [ids[3], ids[1]]


@pytest.mark.parametrize("query", ["harbour", "harbour date:2025", "-harbour", "date:2025"])
def test_a_search_covers_every_match_in_the_order_search_lists_them(archive, ids, query):
    for n in range(30):
        add(archive, f"Filler {n}", f"The harbour appears in filler story {n}.", "2025-12-01")
    listed = [hit.article.id for hit in search(archive, query, limit=1000).hits]
    assert selected_article_ids(archive, Selection("search", query=query)) == listed


def test_a_search_is_not_cut_to_a_page(archive, ids):
    for n in range(30):
        add(archive, f"Filler {n}", f"The harbour appears in filler story {n}.")
    found = selected_article_ids(archive, Selection("search", query="harbour"))
    assert len(found) == 33
    assert found[:2] == [ids[0], ids[2]], "title hits rank first"


def test_a_tag_and_the_whole_archive_are_newest_first_undated_last(archive, ids):
    for article_id in (ids[0], ids[3], ids[1]):
        tag_article(archive, article_id, "Ports")
    assert selected_article_ids(archive, Selection("tag", tag="ports")) == [ids[1], ids[0], ids[3]]
    assert selected_article_ids(archive, Selection("all")) == [ids[1], ids[2], ids[0], ids[3]]


@pytest.mark.parametrize(
    ("selection", "message"),
    [
        (Selection("articles", (998, 999)), r"the article list \(998, 999\) selects no articles"),
        (Selection("articles"), "the empty article list selects no articles"),
        (Selection("search", query="volcano"), "the search 'volcano' selects no articles"),
        (Selection("tag", tag="volcano"), "the tag 'volcano' selects no articles"),
    ],
)
def test_a_selection_of_nothing_is_an_empty_selection(archive, ids, selection, message):
    with pytest.raises(EmptySelection, match=message):
        selected_article_ids(archive, selection)


def test_an_empty_archive_selects_nothing(archive):
    with pytest.raises(EmptySelection, match="the whole archive selects no articles"):
        selected_article_ids(archive, Selection("all"))


def test_titles_come_for_any_number_of_ids_and_only_for_articles_that_exist(archive, ids):
    asked = (*ids, *range(10**6, 10**6 + 40_000))  # past SQLite's 32,766 parameters
    titles = article_titles(archive.conn, asked)
    assert titles == {
        ids[0]: "Harbour talks", ids[1]: "Fisheries quotas",
        ids[2]: "Harbour strike", ids[3]: "Undated note",
    }  # fmt: skip
