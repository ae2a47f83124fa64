"""Undo and redo through the archive's log: every user action reverses exactly, whatever
rows it touched, and writes that were not recorded are never undone."""

import pytest

from briefing_app.core.actors import change_kind, find_actor, mark_not_actor, merge_actors
from briefing_app.core.annotations import stored_extraction
from briefing_app.core.articles import delete_article, get_article, set_starred
from briefing_app.core.highlights import add_highlight, list_highlights, update_highlight
from briefing_app.core.undo import UndoFailed, undo_log


def snapshot(archive):
    """Every row of every table a user edits, to compare before and after."""
    tables = ("articles", "tags", "article_tags", "actors", "actor_aliases", "not_actors",
              "mentions", "quotes", "highlights")  # fmt: skip
    return {t: archive.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
            for t in tables}  # fmt: skip


def test_undo_and_redo_a_highlight_and_its_note(stored):
    archive, article_id = stored
    log = undo_log(archive)
    before = snapshot(archive)
    made, step = log.record(lambda a: add_highlight(a, article_id, 0, 7, colour="green"))
    assert len(step.statements) == 1
    _, note_step = log.record(lambda a: update_highlight(a, made.id, note="**why**"))
    after = snapshot(archive)

    redo_note = log.replay(note_step)
    assert list_highlights(archive, article_id)[0].note is None
    redo_add = log.replay(step)
    assert snapshot(archive) == before
    log.replay(redo_add)
    log.replay(redo_note)
    assert snapshot(archive) == after
    assert list_highlights(archive, article_id)[0].note == "**why**"


def test_a_merge_that_moves_many_rows_is_undone_exactly(stored):
    archive, article_id = stored
    log = undo_log(archive)
    before = snapshot(archive)
    _, step = log.record(lambda a: merge_actors(a, "Arkady Velinsky", "Kim Jong Un"))
    assert {m.actor.name for m in stored_extraction(archive, article_id).mentions} >= {
        "Kim Jong Un"
    }
    assert "Arkady Velinsky" not in {
        m.actor.name for m in stored_extraction(archive, article_id).mentions
    }
    log.replay(step)
    assert snapshot(archive) == before
    assert find_actor(archive, "Arkady Velinsky") != find_actor(archive, "Kim Jong Un")


def test_kind_changes_not_an_actor_and_stars_undo(stored):
    archive, article_id = stored
    log = undo_log(archive)
    before = snapshot(archive)
    steps = [
        log.record(lambda a: change_kind(a, "Russia", "place"))[1],
        log.record(lambda a: mark_not_actor(a, "Pyongyang"))[1],
        log.record(lambda a: set_starred(a, article_id, True))[1],
    ]
    assert get_article(archive, article_id).starred
    for step in reversed(steps):
        log.replay(step)
    assert snapshot(archive) == before


def test_undoing_a_deleted_article_brings_back_its_annotations_and_search(stored):
    from briefing_app.core.search import search

    archive, article_id = stored
    log = undo_log(archive)
    before = snapshot(archive)
    _, step = log.record(lambda a: delete_article(a, article_id))
    assert not search(archive, "Velinsky").hits
    log.replay(step)
    assert snapshot(archive) == before
    assert [hit.article.id for hit in search(archive, "Velinsky").hits] == [article_id]


def test_writes_outside_a_recording_are_not_logged(stored):
    archive, article_id = stored
    log = undo_log(archive)
    set_starred(archive, article_id, True)
    _, step = log.record(lambda a: None)
    assert step.statements == ()


def test_a_failed_action_leaves_nothing_to_undo(stored):
    archive, article_id = stored
    log = undo_log(archive)

    def half_done(a):
        set_starred(a, article_id, True)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        log.record(half_done)
    _, step = log.record(lambda a: None)
    assert step.statements == ()


def test_a_step_that_no_longer_fits_the_archive_fails_clearly(stored):
    archive, article_id = stored
    log = undo_log(archive)
    made, step = log.record(lambda a: add_highlight(a, article_id, 0, 7))
    redo = log.replay(step)
    add_highlight(archive, article_id, 0, 7)  # takes the same id, outside the log
    with pytest.raises(UndoFailed, match="archive has changed"):
        log.replay(redo)
    assert len(list_highlights(archive, article_id)) == 1
    assert made.id == list_highlights(archive, article_id)[0].id


def test_a_change_of_case_only_is_undone(stored):
    """In a NOCASE column "korea" and "KOREA" compare equal; the log must still see it."""
    from briefing_app.core.articles import tag_article

    archive, article_id = stored
    tag_article(archive, article_id, "korea")
    log = undo_log(archive)
    before = snapshot(archive)

    def shout(a):
        with a.writing() as conn:
            conn.execute("UPDATE tags SET name = 'KOREA' WHERE name = 'korea'")

    _, step = log.record(shout)
    log.replay(step)
    assert snapshot(archive) == before
