import contextlib
import functools
import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing_app.core.articles import store_article, tag_article
from briefing_app.core.errors import InvalidSearch
from briefing_app.core.models import ParsedArticle
from briefing_app.core.search import compile_query, search

ARTICLES = [
    ParsedArticle(
        title="Sanctions talks stall in Geneva",
        body="Diplomats said the sanctioned banks would stay listed. Ukraine was not discussed.",
        origin="a",
        source="Lakeside Post",
        published="2025-09-02",
    ),
    ParsedArticle(
        title="Fisheries quotas agreed",
        body="Ministers agreed new quotas. Sanctions were mentioned once, in passing, by Norway.",
        origin="b",
        source="Harbour Wire",
        published="2025-10-15",
    ),
    ParsedArticle(
        title="São Paulo hosts climate summit",
        body="The summit described a 'special alliance' between coastal cities and Norway.",
        origin="c",
        source="Harbour Wire",
        published="2026-01-20",
    ),
    ParsedArticle(
        title="Undated notes",
        body="A special relationship, not an alliance, was discussed without a date.",
        origin="d",
        source=None,
        published=None,
    ),
]


@pytest.fixture
def filled(archive):
    ids = [store_article(archive, article).article_id for article in ARTICLES]
    tag_article(archive, ids[1], "fish")
    return archive, ids


def titles(results):
    return [hit.article.title for hit in results.hits]


def test_all_words_must_match_and_stemming_applies(filled):
    archive, _ = filled
    assert titles(search(archive, "sanctioned banks")) == ["Sanctions talks stall in Geneva"]
    assert set(titles(search(archive, "sanction"))) == {
        "Sanctions talks stall in Geneva",
        "Fisheries quotas agreed",
    }


def test_title_match_ranks_above_body_match(filled):
    archive, _ = filled
    assert titles(search(archive, "sanctions"))[0] == "Sanctions talks stall in Geneva"


def test_phrase_requires_adjacent_words(filled):
    archive, _ = filled
    assert titles(search(archive, '"special alliance"')) == ["São Paulo hosts climate summit"]
    assert len(search(archive, "special alliance").hits) == 2


def test_diacritics_are_ignored(filled):
    archive, _ = filled
    assert titles(search(archive, "sao paulo")) == ["São Paulo hosts climate summit"]


def test_or_not_minus_and_prefix(filled):
    archive, _ = filled
    assert len(search(archive, "geneva OR quotas").hits) == 2
    assert titles(search(archive, "norway -quotas")) == ["São Paulo hosts climate summit"]
    assert titles(search(archive, "norway NOT summit")) == ["Fisheries quotas agreed"]
    assert titles(search(archive, "fisher*")) == ["Fisheries quotas agreed"]
    assert titles(search(archive, "(geneva OR quotas) norway")) == ["Fisheries quotas agreed"]


def test_only_exclusions_list_the_rest(filled):
    archive, _ = filled
    assert set(titles(search(archive, "-norway"))) == {
        "Sanctions talks stall in Geneva",
        "Undated notes",
    }


def test_filters(filled):
    archive, _ = filled
    assert titles(search(archive, "source:harbour")) == [
        "São Paulo hosts climate summit",
        "Fisheries quotas agreed",
    ]
    assert titles(search(archive, 'sanctions source:"lakeside post"')) == [
        "Sanctions talks stall in Geneva"
    ]
    assert titles(search(archive, "tag:fish")) == ["Fisheries quotas agreed"]
    assert titles(search(archive, "norway -tag:fish")) == ["São Paulo hosts climate summit"]
    assert titles(search(archive, "date:2025-09")) == ["Sanctions talks stall in Geneva"]
    assert titles(search(archive, "date:2025")) == [
        "Fisheries quotas agreed",
        "Sanctions talks stall in Geneva",
    ]
    assert titles(search(archive, "date:2025-10-15")) == ["Fisheries quotas agreed"]
    assert titles(search(archive, "after:2025-10-15")) == [
        "São Paulo hosts climate summit",
        "Fisheries quotas agreed",
    ]
    assert titles(search(archive, "before:2025-10-15 sanctions")) == [
        "Sanctions talks stall in Geneva"
    ]


def test_filter_values_are_not_wildcards(filled):
    archive, _ = filled
    assert search(archive, "source:%").hits == []
    assert search(archive, "source:_").hits == []


def test_snippet_marks_the_matches(filled):
    archive, _ = filled
    hit = search(archive, '"special alliance"').hits[0]
    marked = [hit.snippet[start:end] for start, end in hit.marks]
    assert marked == ["special alliance"]
    assert "\x02" not in hit.snippet and "\x03" not in hit.snippet


def test_paging_and_total(filled):
    archive, _ = filled
    first = search(archive, "sanctions OR summit OR special", limit=2, with_total=True)
    second = search(archive, "sanctions OR summit OR special", limit=2, offset=2)
    assert first.total == 4
    assert len(first.hits) == 2 and len(second.hits) == 2
    assert not set(titles(first)) & set(titles(second))


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ('"unclosed', "never closed"),
        ("(geneva", "'(' is never closed"),
        ("geneva)", "no matching '('"),
        ("geneva OR", "both sides"),
        ("OR geneva", "both sides"),
        ("geneva NOT", "excludes nothing"),
        ("()", "empty brackets"),
        ("", "nothing to search for"),
        ("   ", "nothing to search for"),
        ("date:2025-13", "not a real date"),
        ("after:yesterday", "not a date"),
        ("colour:red", "unknown filter"),
        ("(source:x)", "cannot be inside brackets"),
        ("a OR source:x", "cannot be combined with OR"),
        ("a OR -b", "NOT term"),
        ('""', "empty phrase"),
        ("(" * 40 + "a" + ")" * 40, "nested too deeply"),
        ("x" * 1001, "longer than"),
    ],
)
def test_invalid_queries_name_the_problem(archive, query, problem):
    with pytest.raises(InvalidSearch, match="invalid search") as error:
        search(archive, query)
    assert problem in str(error.value)


@pytest.mark.parametrize(
    "query", ["NEAR(a b)", "a AND", "title:geneva", "{title}: x", "a + b", "^start", "a:b:c"]
)
def test_fts5_syntax_is_never_passed_through(filled, query):
    """FTS5 operators typed by a user are searched as words (or refused), never run."""
    archive, _ = filled
    with contextlib.suppress(InvalidSearch):
        search(archive, query)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_user_text_reaches_fts5_only_inside_quoted_strings(query):
    try:
        compiled = compile_query(query)
    except InvalidSearch:
        return
    for expression in (compiled.match, compiled.exclude_match):
        outside_strings = re.sub(r'"(?:[^"]|"")*"', " ", expression or "")
        assert set(outside_strings.split()) <= {"AND", "OR", "NOT", "(", ")", "*"} | {
            token for token in re.findall(r"[()*]+", outside_strings)
        }


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_any_string_is_a_search_or_a_clear_error(query):
    from briefing_app.core.archive import Archive

    with Archive.memory() as archive:
        store_article(archive, ARTICLES[0])
        try:
            search(archive, query)
        except InvalidSearch as error:
            assert str(error).startswith("invalid search")
        except sqlite3.Error as error:  # pragma: no cover - this is the failure being tested
            pytest.fail(f"SQLite error escaped for {query!r}: {error}")


# The query language put together at random: its operators, filters and values, right and
# wrong, in any order, with any text between.
_PIECES = st.sampled_from(
    ["sanctions", "geneva", "São", "norway", "alliance", "東京", "a1", "OR", "NOT", "AND",
     "-", "(", ")", '"', "*", ":", "NEAR", "^", "+", "{", "}", "'", "\\", "%", "_"]
)  # fmt: skip
_FILTERS = st.tuples(
    st.sampled_from(
        ["source:", "tag:", "-tag:", "date:", "after:", "before:", "actor:", "speaker:",
         "-source:", "title:", "unknown:"]
    ),
    st.sampled_from(
        ["2025", "2025-09", "2025-09-04", "2025-13", "2025-09-31", "0000-00-00", "fish",
         '"harbour wire"', '"unclosed', "", "Putin", "%", "_x", "(", "*"]
    ),
).map("".join)  # fmt: skip
QUERIES = st.lists(
    st.tuples(st.one_of(_PIECES, _FILTERS, st.text(max_size=4)), st.sampled_from([" ", "", "\t"])),
    max_size=12,
).map(lambda parts: "".join(piece + gap for piece, gap in parts))


@functools.cache
def searched_archive():
    """One archive for every example (searching never writes)."""
    from briefing_app.core.archive import Archive

    archive = Archive.memory()
    ids = [store_article(archive, article).article_id for article in ARTICLES]
    tag_article(archive, ids[1], "fish")
    return archive


@settings(max_examples=500, deadline=None)
@given(QUERIES)
def test_any_mix_of_the_query_language_is_a_search_or_one_clear_line(query):
    try:
        results = search(searched_archive(), query)
    except InvalidSearch as error:
        assert str(error).startswith("invalid search") and "\n" not in str(error)
    else:
        assert {hit.article.title for hit in results.hits} <= {a.title for a in ARTICLES}
