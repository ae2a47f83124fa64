import re

import pytest

from briefing_app.core.archive import Archive
from briefing_app.core.errors import InvalidSearch, NotFound
from briefing_app.core.saved_searches import (
    SavedSearch,
    SavedSearchFailed,
    delete_saved_search,
    list_saved_searches,
    save_search,
)


def test_saved_searches_are_listed_by_name_in_any_case(archive):
    ukraine = save_search(archive, "ukraine unread", "tag:ukraine -tag:read")
    save_search(archive, "Summits", '"special alliance" OR summit')
    save_search(archive, "  asia  ", "  actor:Pyongyang  ")
    assert ukraine.name == "ukraine unread" and ukraine.query == "tag:ukraine -tag:read"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", ukraine.created)
    listed = list_saved_searches(archive)
    assert [(s.name, s.query) for s in listed] == [
        ("asia", "actor:Pyongyang"),
        ("Summits", '"special alliance" OR summit'),
        ("ukraine unread", "tag:ukraine -tag:read"),
    ]
    assert listed[2] == ukraine


def test_saving_a_name_again_in_any_case_replaces_its_query(archive):
    first = save_search(archive, "ukraine", "ukraine")
    archive.conn.execute("UPDATE saved_searches SET created = '2025-01-01T00:00:00Z'")
    again = save_search(archive, "Ukraine", "ukraine -tag:read")
    assert again == SavedSearch(first.id, "ukraine", "ukraine -tag:read", "2025-01-01T00:00:00Z")
    assert list_saved_searches(archive) == [again]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"unclosed', "invalid search: a quote"),
        ("date:2025-13", "is not a real date"),
        ("colour:red", "unknown filter 'colour:'"),
        ("   ", "invalid search: nothing to search for"),
    ],
)
def test_a_query_the_search_cannot_read_is_not_saved(archive, query, message):
    save_search(archive, "kept", "harbour")
    with pytest.raises(InvalidSearch, match=message):
        save_search(archive, "kept", query)
    assert [(s.name, s.query) for s in list_saved_searches(archive)] == [("kept", "harbour")]


def test_a_saved_search_needs_a_name(archive):
    with pytest.raises(SavedSearchFailed, match="needs a name"):
        save_search(archive, "  ", "harbour")
    assert list_saved_searches(archive) == []


def test_delete_by_name_in_any_case(archive):
    save_search(archive, "Ukraine", "ukraine")
    save_search(archive, "Summits", "summit")
    delete_saved_search(archive, "ukraine")
    assert [s.name for s in list_saved_searches(archive)] == ["Summits"]
    with pytest.raises(NotFound, match="no saved search called 'ukraine'"):
        delete_saved_search(archive, "ukraine")


def test_saved_searches_are_kept_in_the_archive_file(archive_path):
    with Archive.open(archive_path) as archive:
        save_search(archive, "Ukraine", "ukraine")
    with Archive.open(archive_path) as archive:
        assert [s.query for s in list_saved_searches(archive)] == ["ukraine"]
