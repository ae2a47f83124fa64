"""The actor registry: canonical actors and every form that names them.

Built from the bundled gazetteer (resources/gazetteer.toml) and, in an archive, from the
user's edits on top of it. The engine looks names up here by their word sequence.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final, NamedTuple

from briefing_app.core.extract.tokens import word_keys
from briefing_app.core.models import KINDS
from briefing_app.core.resources import resource

# Forms of a name, by how the engine treats a match.
NAME, ALIAS, SURNAME, DEMONYM, CAPITAL, METONYM, ROLE = (
    "name", "alias", "surname", "demonym", "capital", "metonym", "role",
)  # fmt: skip

# Titles written before a person's name; the registry adds those of its people.
GENERIC_TITLES = (
    "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Prof", "Prof.", "Professor",
    "President", "Vice President", "Prime Minister", "Deputy Prime Minister", "Premier",
    "Chancellor", "Minister", "Foreign Minister", "Deputy Foreign Minister", "Defence Minister",
    "Defense Minister", "Finance Minister", "Trade Minister", "Energy Minister",
    "Interior Minister", "Economy Minister", "Deputy Minister", "Vice Minister", "Secretary",
    "Secretary of State", "Secretary-General", "Secretary General", "Undersecretary",
    "Ambassador", "Envoy", "Special Envoy", "Governor", "Mayor", "Senator", "Sen.",
    "Representative", "Rep.", "Congressman", "Congresswoman", "General", "Gen.",
    "Lieutenant General", "Lt. Gen.", "Admiral", "Adm.", "Colonel", "Col.", "Major", "Captain",
    "Commander", "Chairman", "Chairwoman", "Chair", "Chief Executive", "CEO", "Director",
    "Director-General", "Director General", "Commissioner", "Judge", "Justice", "King",
    "Queen", "Prince", "Princess", "Crown Prince", "Sheikh", "Emir", "Sultan", "Pope",
    "Father", "Rev.", "Speaker", "Spokesman", "Spokeswoman", "Spokesperson", "Leader",
    "Supreme Leader", "General Secretary", "Vice Chairman", "Vice Premier", "Lord", "Lady",
    "Sir", "Dame", "Don", "Doña", "Dona", "Inspector", "Superintendent", "Chief", "Deputy",
    "Councillor", "Councilor", "Professor", "Economist", "Analyst", "Officer", "Coordinator",
    "Manager", "Head", "Editor", "Adviser", "Advisor", "Consul", "Prosecutor", "Attorney General",
    "Attorney", "Doctor", "Detective", "Constable", "Sergeant", "Lieutenant", "Bishop",
    "Archbishop", "Imam", "Rabbi", "Cardinal", "Dean", "Rector", "Principal", "Founder",
    "Co-founder", "President-elect", "Executive Director", "Managing Director",
    "Chief Executive Officer", "Spokesperson", "Commandant", "Marshal", "Chief Economist",
    "Chief Scientist", "Minister of State", "Comrade", "Commodore", "Vice Admiral",
    "Rear Admiral", "Brigadier", "Brigadier General", "Major General", "Air Marshal",
    "Field Marshal", "Chief Inspector", "Superintendent", "Ombudsman", "Auditor General",
    "Registrar", "Curator", "Chancellor",
)  # fmt: skip


@dataclass(unsafe_hash=True)
class Actor:
    """A canonical actor. Built like the engine's findings (see `model`): its own
    `__init__`, `Final` fields."""

    key: Final[str]
    name: Final[str]
    kind: Final[str]
    discovered: Final[bool]

    def __init__(self, key: str, name: str, kind: str, discovered: bool = False) -> None:
        self.key = key
        self.name = name
        self.kind = kind
        self.discovered = discovered

    def __reduce__(self) -> tuple[type[Actor], tuple[str, str, str, bool]]:
        """Pickled by its fields, as the import's worker processes get the registry: pickle
        would otherwise rebuild a compiled instance by calling its class with no arguments."""
        return (Actor, (self.key, self.name, self.kind, self.discovered))


class Alias(NamedTuple):
    """A form of an actor's name, as indexed. A named tuple, not a frozen dataclass: it is
    built for every name an article teaches the engine, and a tuple is built in a third of
    the time."""

    actor: Actor
    text: str
    form: str
    exact_case: bool
    """Short all-capital forms (US, UN, AP) match only as written, so "us" is not the US."""


@dataclass
class Registry:
    actors: dict[str, Actor] = field(default_factory=dict)
    index: dict[tuple[str, ...], list[Alias]] = field(default_factory=dict)
    titles: set[tuple[str, ...]] = field(default_factory=set)
    title_words: set[str] = field(default_factory=set)
    """The first words of `titles`: most capitalised words are ruled out as a title with one
    look-up."""
    not_actors: set[tuple[str, ...]] = field(default_factory=set)
    first_words: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """For each word that can begin a name, the word counts of those names, longest first."""
    second_words: dict[str, set[str]] = field(default_factory=dict)
    """For each word that begins a longer name, the words that can follow it: most "the"s
    and capitalised words are ruled out with one look-up."""
    demonyms: dict[str, str] = field(default_factory=dict)
    """The adjective of each country ("Russian"), for naming national groups."""

    def add_actor(self, actor: Actor) -> Actor:
        self.actors[actor.key] = actor
        self.add_alias(actor, actor.name, NAME)
        return actor

    def add_alias(self, actor: Actor, text: str, form: str) -> None:
        """Index a form; one written with "the" (the Kremlin) is found without it too
        ("Kremlin officials")."""
        keys = word_keys(text)
        if not keys:
            return
        core = text.removeprefix("the ").removeprefix("The ")
        exact = len(core) <= 6 and core.replace(".", "").isupper()
        self._index(keys, Alias(actor, text, form, exact))
        if keys[0] == "the" and len(keys) > 1:
            self._index(keys[1:], Alias(actor, core, form, exact))
        if form == DEMONYM:
            self.demonyms.setdefault(actor.key, text)

    def _index(self, keys: tuple[str, ...], alias: Alias) -> None:
        entries = self.index.get(keys)
        if entries is None:
            self.index[keys] = [alias]
            self._add_length(keys)  # a word sequence indexed before has its length already
        elif all(entry.actor.key != alias.actor.key for entry in entries):
            entries.append(alias)

    def add_title(self, title: str) -> None:
        keys = tuple(key.rstrip(".") for key in word_keys(title))
        if keys:
            self.titles.add(keys)
            self.title_words.add(keys[0])

    def reject(self, text: str) -> None:
        keys = word_keys(text)
        if keys:
            self.not_actors.add(keys)
            self._add_length(keys)

    def _add_length(self, keys: tuple[str, ...]) -> None:
        """What the finder's quick look-ahead needs: the lengths of the names each first
        word starts, and their second words (also for names marked "not an actor"). Called
        for every name an article teaches the engine: a new first word is stored without a
        sort, and no set is built only to be thrown away."""
        first, length = keys[0], len(keys)
        lengths = self.first_words.get(first)
        if lengths is None:
            self.first_words[first] = (length,)
        elif length not in lengths:
            self.first_words[first] = tuple(sorted((*lengths, length), reverse=True))
        if length > 1:
            following = self.second_words.get(first)
            if following is None:
                self.second_words[first] = {keys[1]}
            else:
                following.add(keys[1])

    def lookup(self, keys: tuple[str, ...]) -> list[Alias]:
        return self.index.get(keys, [])


def actor_key(kind: str, name: str) -> str:
    return f"{kind}:{name}"


@lru_cache(maxsize=1)
def bundled_gazetteer_text() -> str:
    return resource("gazetteer.toml").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def bundled_gazetteer() -> Mapping[str, Any]:
    return tomllib.loads(bundled_gazetteer_text())


@lru_cache(maxsize=1)
def given_name_genders() -> dict[str, str]:
    """The pronoun, "he" or "she", for given names that usually go with one
    (resources/given_names.toml)."""
    data = tomllib.loads(resource("given_names.toml").read_text(encoding="utf-8"))
    genders = {name.casefold(): "he" for name in data.get("male", [])}
    genders.update({name.casefold(): "she" for name in data.get("female", [])})
    return genders


def titled_registry(data: Mapping[str, Any]) -> Registry:
    """An empty registry that knows the generic titles and those of the gazetteer's people."""
    registry = Registry()
    for title in GENERIC_TITLES:
        registry.add_title(title)
    for entry in data.get("person", []):
        for title in entry.get("titles", []):
            registry.add_title(title)
    return registry


def registry_from_gazetteer(data: Mapping[str, Any]) -> Registry:
    registry = titled_registry(data)
    for kind in KINDS:
        for entry in data.get(kind, []):
            actor = registry.add_actor(Actor(actor_key(kind, entry["name"]), entry["name"], kind))
            for text, form in gazetteer_forms(kind, entry):
                registry.add_alias(actor, text, form)
    return registry


def gazetteer_forms(kind: str, entry: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """Every (text, form) by which a gazetteer entry can be named, besides its name."""
    name_words = len(word_keys(entry["name"]))
    for alias in entry.get("aliases", []):
        single = kind == "person" and len(word_keys(alias)) == 1 and name_words > 1
        yield alias, SURNAME if single else ALIAS
    for demonym in entry.get("demonyms", []):
        yield demonym, DEMONYM
    if entry.get("capital"):
        yield entry["capital"], CAPITAL
    for metonym in entry.get("metonyms", []):
        yield metonym, METONYM
    for role in entry.get("roles", []):
        yield role, ROLE
