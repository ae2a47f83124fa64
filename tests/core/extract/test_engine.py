"""The engine on small texts: who acts, who said what, and when."""

import functools
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing_app.core.extract import RuleEngine
from tests.core.extract.news_text import ANY_TEXT


@functools.cache
def shared_engine():
    """One engine for the properties' examples (a fixture would not be shared with them)."""
    return RuleEngine()


@pytest.fixture(scope="module")
def engine():
    return shared_engine()


def actors(extraction):
    return {(m.text, m.actor.name, m.actor.kind) for m in extraction.mentions}


def speakers(extraction):
    return [(q.text, q.speaker.name if q.speaker else None, q.cue) for q in extraction.quotes]


def test_registry_names_aliases_demonyms_capitals_metonyms_and_roles(engine):
    text = (
        "Russian President Vladimir Putin met the North Korean leader in Pyongyang. "
        "The Kremlin said Putin would return. Washington and the UN were silent."
    )
    found = actors(engine.extract(text))
    assert ("Russian", "Russia", "country") in found
    assert ("Vladimir Putin", "Vladimir Putin", "person") in found
    assert ("North Korean leader", "Kim Jong Un", "person") in found
    assert ("Pyongyang", "North Korea", "country") in found
    assert ("The Kremlin", "Russia", "country") in found
    assert ("Putin", "Vladimir Putin", "person") in found
    assert ("Washington", "United States", "country") in found
    assert any(name == "United Nations" for _, name, _ in found)


def test_unknown_names_are_found_from_their_shape_and_marked_discovered(engine):
    text = (
        "Deputy Energy Minister Lusine Hovakimyan said the plant was safe. "
        "Tomás Reyes, a spokesman for the ministry, agreed. Novaport Holdings Corp. said "
        "profits fell. “It was hard,” said Amara Osei. Later Osei flew home to a flat in Gdynia."
    )
    extraction = engine.extract(text)
    found = {(m.text, m.actor.name, m.actor.kind, m.actor.discovered) for m in extraction.mentions}
    assert ("Lusine Hovakimyan", "Lusine Hovakimyan", "person", True) in found
    assert ("Tomás Reyes", "Tomás Reyes", "person", True) in found
    assert ("Novaport Holdings Corp", "Novaport Holdings Corp", "organisation", True) in found
    assert ("Amara Osei", "Amara Osei", "person", True) in found
    assert ("Osei", "Amara Osei", "person", True) in found
    assert ("Gdynia", "Gdynia", "place", True) in found


def test_ordinary_capitalised_words_are_not_actors(engine):
    text = (
        "Such talks are rare. Beyond the border, Observers noted calm. Economically, "
        "little changed. Domestically, Comments were muted. Others disagreed. "
        "In September the talks resumed on Monday."
    )
    assert engine.extract(text).mentions == []


def test_speakers_before_and_after_the_quote(engine):
    text = (
        "“We will not retreat,” said Deputy Minister Ana Duarte.\n\n"
        "Duarte later added: “The talks continue.”\n\n"
        "“It is over,” she told reporters. According to Reuters, “nothing was signed”."
    )
    assert speakers(engine.extract(text)) == [
        ("We will not retreat,", "Ana Duarte", "said"),
        ("The talks continue.", "Ana Duarte", "added"),
        ("It is over,", "Ana Duarte", "told"),
        ("nothing was signed", "Reuters", "according to"),
    ]


def test_groups_speak_with_their_nationality(engine):
    text = (
        "North Korean state media praised the “brotherly friendship”. "
        "In Russia, official outlets hailed “mutual solidarity”. "
        "Analysts warned of “a new arms race”."
    )
    assert speakers(engine.extract(text)) == [
        ("brotherly friendship", "North Korean state media", "praised"),
        ("mutual solidarity", "Russian official outlets", "hailed"),
        ("a new arms race", "analysts", "warned"),
    ]


def test_scare_quotes_and_quotes_without_a_cue_have_no_speaker(engine):
    text = "The so-called “reset” failed. Nobody expected the “special relationship” to last."
    assert speakers(engine.extract(text)) == [
        ("reset", None, None),
        ("special relationship", None, None),
    ]


def test_a_quote_continuing_the_speaker_keeps_the_speaker(engine):
    text = (
        "“We saw the water rise,” said Lena Farouk, a farmer.\n\n"
        "“By morning the fields were gone. Nobody came to help us for days.”"
    )
    assert [name for _, name, _ in speakers(engine.extract(text))] == ["Lena Farouk"] * 2


def test_dates_resolve_against_the_article_date(engine):
    text = "On September 3 the leaders met; talks on Monday followed 4 September 2025."
    dates = [(d.text, d.date) for d in engine.extract(text, date(2025, 9, 4)).dates]
    assert dates == [
        ("September 3", "2025-09-03"),
        ("Monday", "2025-09-01"),
        ("4 September 2025", "2025-09-04"),
    ]
    assert [d.date for d in engine.extract("It ended on Monday.").dates] == [None]


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.text(
            alphabet=st.sampled_from(
                list("Putin Kim said “”‘’\"'.,:;\n SEPTEMBER Mr. Dr. 2025 Beijing")
            ),
            max_size=200,
        ),
        ANY_TEXT,
    )
)
def test_never_raises_and_every_span_slices_to_its_text(text):
    extraction = shared_engine().extract(text, date(2025, 9, 4))
    for item in [*extraction.mentions, *extraction.quotes, *extraction.dates]:
        assert text[item.start : item.end] == item.text
    for quote in extraction.quotes:
        if quote.speaker_span is not None:
            span = quote.speaker_span
            assert text[span.start : span.end] == span.text
            assert quote.speaker is not None


def test_organisations_known_by_their_apposition_or_the_noun_before_them(engine):
    text = (
        "Brisa Textiles, one of Chile’s largest makers of wool, bid for Lanalto, Peru's "
        "biggest producer. The trade weekly Hilo Andino reported the bid. Grupo Marenco "
        "said Marenco would wait. The Ministry of Labour, Employment and Welfare agreed."
    )
    found = actors(engine.extract(text))
    assert ("Brisa Textiles", "Brisa Textiles", "organisation") in found
    assert ("Lanalto", "Lanalto", "organisation") in found
    assert ("Hilo Andino", "Hilo Andino", "organisation") in found
    assert ("Marenco", "Grupo Marenco", "organisation") in found
    name = "Ministry of Labour, Employment and Welfare"
    assert (name, name, "organisation") in found


def test_storms_are_not_actors_and_a_capital_can_start_another_name(engine):
    text = (
        "Storms in the south\n\n"
        "Typhoon Kalani reached Praia Baixa on Monday. Hurricane Tomas spared the Bay of Pelo."
    )
    found = actors(engine.extract(text))
    assert not {name for _, name, _ in found} & {"Typhoon Kalani", "Hurricane Tomas"}
    assert ("Praia Baixa", "Praia Baixa", "place") in found
    assert ("Bay of Pelo", "Bay of Pelo", "place") in found


def test_a_role_or_an_age_that_speaks_is_the_person_just_named(engine):
    text = (
        "Ilse Vandamme has brewed beer in Ghent for 30 years. “We use the old yeast,” the "
        "brewer said. “It is slower,” said the 61-year-old. “Nobody hurries here,” one "
        "local analyst said."
    )
    extraction = engine.extract(text)
    found = actors(extraction)
    assert ("brewer", "Ilse Vandamme", "person") in found
    assert ("61-year-old", "Ilse Vandamme", "person") in found
    assert [speaker for _, speaker, _ in speakers(extraction)] == [
        "Ilse Vandamme", "Ilse Vandamme", "analysts",
    ]  # fmt: skip


def test_a_second_verb_of_the_subject_keeps_the_subject_as_speaker(engine):
    text = (
        "Its spokesman, Tomas Brenner, said supplies had come from Spain and Italy, and "
        "called the shortage 'short-lived'."
    )
    assert speakers(engine.extract(text)) == [("short-lived", "Tomas Brenner", "called")]


def test_a_name_of_several_words_marked_not_an_actor_is_skipped_whole():
    from briefing_app.core.extract.pipeline import bundled_gazetteer, registry_from_gazetteer

    registry = registry_from_gazetteer(bundled_gazetteer())  # not the shared one
    registry.reject("Zorblax Quintet")  # its first word starts no other name
    extraction = RuleEngine(registry).extract(
        "Notes\n\nThe Zorblax Quintet played in Oslo, said Ingrid Falk."
    )
    assert {m.text for m in extraction.mentions} == {"Oslo", "Ingrid Falk"}


def test_a_role_then_the_name_between_commas_and_a_cue_word_inside_a_name(engine):
    text = (
        "Port news\n\n"
        "“Every tide costs us money,” the port's deputy director, Aru Temirov, told reporters. "
        'Exporters blamed buyers in the United States who "want it cheaper".'
    )
    assert speakers(engine.extract(text)) == [
        ("Every tide costs us money,", "Aru Temirov", "told"),
        ("want it cheaper", None, None),
    ]


def test_an_age_refers_to_the_person_of_that_age_and_new_x_is_a_place(engine):
    text = (
        "Ice\n\n"
        "Salvo Greco, 72, sells ice in New Mexico. His manager, Lia Conti, disagrees. "
        "“Ice is a habit,” said the 72-year-old. Hungary's Economy Ministry said it had been "
        "told “in good time”. The Tirana Evening Courier reported the sale."
    )
    extraction = engine.extract(text)
    found = actors(extraction)
    assert ("72-year-old", "Salvo Greco", "person") in found
    assert ("New Mexico", "New Mexico", "place") in found
    assert ("Tirana Evening Courier", "Tirana Evening Courier", "organisation") in found
    assert not any(name == "Mexico" for _, name, _ in found)
    assert [speaker for _, speaker, _ in speakers(extraction)] == [
        "Salvo Greco", "Economy Ministry",
    ]  # fmt: skip


def test_headline_words_after_a_country_are_no_organisation_and_rivers_lakes_are_places(engine):
    text = (
        "Peru Taps Water Fund Again as Farmers Warn of Drought\n\n"
        "LIMA — The level of the Ucayali River fell. Pilots on the Peru River and Lake Quilca "
        "waited on Sundays. The biologist Rosa Quispe measured it. “It is low,” the biologist "
        "said. Don Aurelio Paz agreed, and the Lake Quilca Research Station said so too."
    )
    extraction = engine.extract(text)
    found = actors(extraction)
    assert not any(name.startswith("Peru Taps") for _, name, _ in found)
    assert ("Peru River", "Peru River", "place") in found
    assert ("Lake Quilca", "Lake Quilca", "place") in found
    assert ("biologist", "Rosa Quispe", "person") in found
    assert ("Aurelio Paz", "Aurelio Paz", "person") in found
    assert ("Lake Quilca Research Station", "Lake Quilca Research Station", "organisation") in found
    assert not any(text == "Sundays" for text, _, _ in found)
    assert speakers(extraction) == [("It is low,", "Rosa Quispe", "said")]


def test_rules_of_this_kind_stay_within_their_bounds(engine):
    """A foreign company's short name is not a country, the one spoken to is no speaker,
    "Bay of X and Y" is two places, and "New" opening a sentence is an adjective."""
    text = (
        "Notes\n\n"
        "Grupo Mexico said so. Later Mexico said no. Helen Moss told the baker she would pay. "
        "She sailed to the Bay of Kotor and Tivat. Prices rose. New Tesla cars arrived."
    )
    found = actors(engine.extract(text))
    assert ("Mexico", "Mexico", "country") in found
    assert not any(text == "baker" for text, _, _ in found)
    assert ("Bay of Kotor", "Bay of Kotor", "place") in found
    assert not any(name == "New Tesla" and kind == "place" for _, name, kind in found)
