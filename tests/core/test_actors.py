"""The actor registry in the archive: copied on first use, edited by the user, and the
user's edits surviving re-annotation and updates of the bundled gazetteer."""

from dataclasses import replace

import pytest

from briefing_app.core import actors as registry_store
from briefing_app.core import annotations
from briefing_app.core.actors import (
    RegistryEditFailed,
    actor_record,
    add_alias,
    change_kind,
    ensure_registry,
    find_actor,
    list_actors,
    mark_not_actor,
    merge_actors,
    remove_alias,
    rename_actor,
    split_actor,
)
from briefing_app.core.annotations import Annotator, list_quotes, reannotate, stored_extraction
from briefing_app.core.articles import delete_article, store_article
from briefing_app.core.errors import NotFound
from briefing_app.core.search import search
from tests.core.story import STORY


def names(archive, article_id):
    return [(m.text, m.actor.name) for m in stored_extraction(archive, article_id).mentions]


def test_mentions_quotes_and_dates_are_stored_with_the_article(stored):
    archive, article_id = stored
    extraction = stored_extraction(archive, article_id)
    assert ("Kim Jong Un", "Kim Jong Un") in names(archive, article_id)
    assert ("The Kremlin", "Russia") in names(archive, article_id)
    (quote,) = extraction.quotes
    assert (quote.text, quote.speaker.name, quote.cue) == (
        "We are old friends,",
        "Arkady Velinsky",
        "told",
    )
    assert [(d.text, d.date) for d in extraction.dates] == [("Tuesday", "2025-10-07")]
    body = archive.conn.execute("SELECT body FROM articles").fetchone()[0]
    for mention in extraction.mentions:
        assert body[mention.start : mention.end] == mention.text


def test_the_registry_is_copied_once_and_lists_mention_counts(stored):
    archive, _ = stored
    count = archive.conn.execute("SELECT count(*) FROM actors WHERE origin = 'bundled'")
    assert count.fetchone()[0] > 600
    before = archive.conn.execute("SELECT count(*) FROM actor_aliases").fetchone()[0]
    ensure_registry(archive)
    assert archive.conn.execute("SELECT count(*) FROM actor_aliases").fetchone()[0] == before
    top = {record.name: record.mentions for record in list_actors(archive)}
    assert top["Russia"] == 3 and top["Arkady Velinsky"] == 3


def test_deleting_an_article_deletes_its_annotations(stored):
    archive, article_id = stored
    delete_article(archive, article_id)
    for table in ("mentions", "quotes", "article_dates"):
        assert archive.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_merge_moves_every_mention_and_quote_and_survives_reannotation(stored):
    archive, article_id = stored
    add_alias(archive, "Arkady Velinsky", "Comrade Velinsky")
    rename_actor(archive, "Arkady Velinsky", "Arkady V. Velinsky")
    merge_actors(archive, "Arkady V. Velinsky", "Kim Jong Un")  # a deliberate (odd) merge
    assert ("Arkady Velinsky", "Kim Jong Un") in names(archive, article_id)
    assert [q.speaker for q in list_quotes(archive)] == ["Kim Jong Un"]
    reannotate(archive, [article_id])
    assert ("Arkady Velinsky", "Kim Jong Un") in names(archive, article_id)
    assert [q.speaker for q in list_quotes(archive)] == ["Kim Jong Un"]
    assert find_actor(archive, "Arkady Velinsky") == find_actor(archive, "Kim Jong Un")
    with pytest.raises(RegistryEditFailed, match="already the same"):
        merge_actors(archive, "Velinsky", "Kim Jong Un")


def test_not_an_actor_removes_mentions_and_they_stay_away(stored):
    archive, article_id = stored
    mark_not_actor(archive, "Pyongyang")
    assert "Pyongyang" not in [text for text, _ in names(archive, article_id)]
    reannotate(archive, [article_id])
    assert "Pyongyang" not in [text for text, _ in names(archive, article_id)]


def test_added_and_removed_aliases_apply_on_reannotation(stored):
    archive, article_id = stored
    add_alias(archive, "Russia", "Comrade")
    remove_alias(archive, "Russia", "the Kremlin")
    reannotate(archive, [article_id])
    found = names(archive, article_id)
    assert ("Comrade", "Russia") in found
    assert not any(text.endswith("Kremlin") for text, _ in found)
    with pytest.raises(RegistryEditFailed, match="has no alias"):
        remove_alias(archive, "Russia", "Atlantis")


def test_split_and_change_kind(stored):
    archive, article_id = stored
    new_id = split_actor(archive, "Russia", ["Moscow"], "Moscow", kind="place")
    assert actor_record(archive, new_id).kind == "place"
    assert ("Moscow", "Moscow") in names(archive, article_id)
    reannotate(archive, [article_id])
    assert ("Moscow", "Moscow") in names(archive, article_id)
    change_kind(archive, "Moscow", "organisation")
    assert actor_record(archive, new_id).kind == "organisation"
    with pytest.raises(RegistryEditFailed, match="unknown kind"):
        change_kind(archive, "Moscow", "planet")
    with pytest.raises(NotFound, match="no actor called"):
        rename_actor(archive, "Atlantis", "Lemuria")


def test_user_edits_win_over_an_updated_gazetteer(stored, monkeypatch):
    archive, _ = stored
    rename_actor(archive, "Russia", "Russian Federation (edited)")
    remove_alias(archive, "Russian Federation (edited)", "the Kremlin")
    updated = registry_store.bundled_gazetteer_text() + (
        '\n[[place]]\nname = "Velinsky Ridge"\naliases = ["the Ridge"]\ntype = "region"\n'
    )
    import tomllib

    monkeypatch.setattr(registry_store, "bundled_gazetteer_text", lambda: updated)
    monkeypatch.setattr(registry_store, "bundled_gazetteer", lambda: tomllib.loads(updated))
    ensure_registry(archive)
    assert find_actor(archive, "the Ridge") == find_actor(archive, "Velinsky Ridge")
    russia = actor_record(archive, find_actor(archive, "Russia"))
    assert russia.name == "Russian Federation (edited)"
    assert "the Kremlin" not in russia.aliases


def test_search_by_actor_and_speaker(stored):
    archive, _ = stored
    assert len(search(archive, 'actor:"Kim Jong Un"').hits) == 1
    assert len(search(archive, "actor:Pyongyang").hits) == 1  # any alias of North Korea
    assert len(search(archive, "speaker:Velinsky").hits) == 1
    assert search(archive, "speaker:Kim").hits == []
    assert search(archive, "actor:Atlantis").hits == []


def test_a_failing_annotation_leaves_no_article_behind(archive):
    def broken(body, published):
        def write(conn, article_id):
            conn.execute("INSERT INTO article_dates (article_id, start, end, text) "
                         "VALUES (?, 0, 1, 'x')", [article_id])  # fmt: skip
            raise RuntimeError("engine crashed")

        return write

    with pytest.raises(RuntimeError):
        store_article(archive, STORY, annotate=broken)
    for table in ("articles", "articles_fts", "article_dates", "mentions"):
        assert archive.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_the_users_marks_on_an_article_survive_reannotation(stored):
    from briefing_app.core.annotations import (
        AnnotationFailed,
        add_mention,
        add_quote,
        reject_mention,
        reject_quote,
        set_quote_speaker,
    )

    archive, article_id = stored
    body = archive.conn.execute("SELECT body FROM articles").fetchone()[0]
    pyongyang = archive.conn.execute("SELECT id FROM mentions WHERE text = 'Pyongyang'").fetchone()[
        0
    ]
    reject_mention(archive, pyongyang)
    start = body.index("reporters")
    add_mention(archive, article_id, start, start + len("reporters"), "journalists")
    (quote_id,) = archive.conn.execute("SELECT id FROM quotes").fetchone()
    set_quote_speaker(archive, quote_id, "Kim Jong Un")
    welcomed = body.index("welcomed the visit")
    added = add_quote(archive, article_id, welcomed, welcomed + len("welcomed the visit"))
    reject_quote(archive, added)

    reannotate(archive, [article_id])

    extraction = stored_extraction(archive, article_id)
    texts = [(m.text, m.actor.name) for m in extraction.mentions]
    assert ("Pyongyang", "North Korea") not in texts
    assert ("reporters", "journalists") in texts
    assert [(q.text, q.speaker.name if q.speaker else None) for q in extraction.quotes] == [
        ("We are old friends,", "Kim Jong Un")
    ]
    with pytest.raises(AnnotationFailed, match="not inside the article"):
        add_mention(archive, article_id, 10, 10_000, "Russia")
    with pytest.raises(NotFound):
        reject_quote(archive, 999)


def discovered(name, kind="person"):
    return (f"{kind}:{name}", name, kind, True)


def test_discovered_actors_get_one_id_each_and_only_lasting_ids_are_remembered(archive):
    ensure_registry(archive)
    remembered: dict[str, int] = {}
    with archive.writing() as conn:
        ids = registry_store.actor_ids_for(
            conn, [discovered("Helen Moss"), discovered("HELEN MOSS")], remembered
        )
    assert ids["person:Helen Moss"] == ids["person:HELEN MOSS"]
    assert remembered == {}, "ids made by a write are not remembered: it could roll back"

    with pytest.raises(RuntimeError), archive.writing() as conn:
        registry_store.actor_ids_for(conn, [discovered("Ines Varga")], remembered)
        raise RuntimeError("the write fails after the actor was made")
    with archive.writing() as conn:
        again = registry_store.actor_ids_for(
            conn, [discovered("Ines Varga"), discovered("Helen Moss")], remembered
        )
    row = archive.conn.execute("SELECT name FROM actors WHERE id = ?", [again["person:Ines Varga"]])
    assert row.fetchone() == ("Ines Varga",), "made again after the rollback"
    assert remembered == {"person:Helen Moss": ids["person:Helen Moss"]}


def test_a_discovered_name_of_a_merged_actor_gets_the_actor_it_was_merged_into(archive):
    ensure_registry(archive)
    with archive.writing() as conn:
        registry_store.actor_ids_for(conn, [discovered("Comrade Velinsky")])
    merge_actors(archive, "Comrade Velinsky", "Kim Jong Un")
    with archive.writing() as conn:
        ids = registry_store.actor_ids_for(conn, [discovered("Comrade Velinsky")])
    assert ids["person:Comrade Velinsky"] == find_actor(archive, "Kim Jong Un")


def test_reannotating_many_articles_commits_in_groups_and_finds_the_same(stored, monkeypatch):
    archive, first_id = stored
    annotator = Annotator(archive)
    annotator.prepare()
    ids = [first_id] + [
        store_article(
            archive,
            replace(STORY, body=f"{STORY.body}\n\nUpdate {n}."),
            annotate=annotator.annotate,
        ).article_id
        for n in range(5)
    ]
    before = {article_id: stored_extraction(archive, article_id) for article_id in ids}
    monkeypatch.setattr(annotations, "GROUPED_FROM", 6)
    statements: list[str] = []
    archive.conn.set_trace_callback(statements.append)
    assert reannotate(archive) == 6
    archive.conn.set_trace_callback(None)
    commits = [s for s in statements if s.split()[0].upper() == "COMMIT"]
    releases = [s for s in statements if s.split()[0].upper() == "RELEASE"]
    assert len(releases) == 6, "each article whole, in a savepoint"
    assert 1 <= len(commits) < 6
    assert {article_id: stored_extraction(archive, article_id) for article_id in ids} == before


def test_actors_a_write_made_are_remembered_once_that_write_ended_well(archive):
    annotator = Annotator(archive)
    annotator.prepare()

    def failing(body, published):
        write = annotator.annotate(body, published)

        def write_then_fail(conn, article_id):
            write(conn, article_id)
            raise RuntimeError("the write fails after its actors were made")

        return write_then_fail

    with pytest.raises(RuntimeError):
        store_article(archive, STORY, annotate=failing)
    assert annotator.actor_ids == {}, "rolled back: those ids are gone"
    store_article(archive, STORY, annotate=annotator.annotate)
    assert annotator.actor_ids["person:Arkady Velinsky"] == find_actor(archive, "Arkady Velinsky")
