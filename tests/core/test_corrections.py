"""The reader's corrections that start from a place in the text."""

import pytest

from briefing_app.core.actors import RegistryEditFailed, actor_record, find_actor
from briefing_app.core.annotations import add_mention, reannotate, stored_extraction
from briefing_app.core.corrections import link_mention, marks_at
from briefing_app.core.errors import NotFound
from tests.core.story import STORY


def test_marks_at_finds_the_mention_and_the_quote_under_an_offset(stored):
    archive, article_id = stored
    kim = STORY.body.index("Kim Jong Un") + 4
    marks = marks_at(archive, article_id, kim)
    assert (marks.mention.text, marks.mention.actor, marks.mention.kind) == (
        "Kim Jong Un", "Kim Jong Un", "person",
    )  # fmt: skip
    assert marks.quote is None
    inside = STORY.body.index("old friends")
    marks = marks_at(archive, article_id, inside)
    assert marks.mention is None
    assert marks.quote.text == "We are old friends," and marks.quote.speaker == "Arkady Velinsky"
    assert marks_at(archive, article_id, 1).mention.actor == "Russia"  # "Russian"


def test_this_is_links_the_text_to_another_actor_and_it_sticks(stored):
    archive, article_id = stored
    kremlin = marks_at(archive, article_id, STORY.body.index("Kremlin"))
    assert kremlin.mention.actor == "Russia"
    link_mention(archive, kremlin.mention.id, "Vladimir Putin")
    assert marks_at(archive, article_id, kremlin.mention.start).mention.actor == "Vladimir Putin"
    reannotate(archive, [article_id])
    found = {m.text: m.actor.name for m in stored_extraction(archive, article_id).mentions}
    assert found["The Kremlin"] == "Vladimir Putin"
    with pytest.raises(NotFound):
        link_mention(archive, 10_000, "Vladimir Putin")


def test_mark_as_actor_makes_an_unknown_actor_of_the_chosen_kind(stored):
    archive, article_id = stored
    start = STORY.body.index("reporters")
    add_mention(archive, article_id, start, start + 9, "Press corps", kind="group")
    record = actor_record(archive, find_actor(archive, "Press corps"))
    assert record.kind == "group"
    assert marks_at(archive, article_id, start).mention.actor == "Press corps"
    with pytest.raises(NotFound):
        add_mention(archive, article_id, start, start + 9, "Nobody known")
    with pytest.raises(RegistryEditFailed, match="unknown kind"):
        add_mention(archive, article_id, start, start + 9, "Someone new", kind="planet")
    with pytest.raises(NotFound):
        find_actor(archive, "Someone new")  # nothing half-made
