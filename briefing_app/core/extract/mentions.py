"""Actor mentions: registry look-ups by word sequence, then names found from their shape and
context (a title before them, an organisation word in them, a role apposition after them, or
a "said" next to them). Sentence-initial words, headline capitals, months and weekdays are
not names by themselves."""

from __future__ import annotations

import bisect
import re
from itertools import compress

from briefing_app.core.extract.cues import CUES
from briefing_app.core.extract.model import Mention
from briefing_app.core.extract.registry import (
    ALIAS,
    CAPITAL,
    NAME,
    ROLE,
    SURNAME,
    Actor,
    Alias,
    Registry,
    actor_key,
)
from briefing_app.core.extract.tokens import ABBREVIATIONS, Tokens

# Words that open a company's name in other languages: "Cementos Altavista" is later just
# "Altavista".
LEADING_COMPANY_WORDS = frozenset(
    "banco banca banque caixa grupo groupe gruppo compañía companhia empresa cementos "
    "société pivovar".split()
)
ORGANISATION_WORDS = (
    frozenset(
        "ministry agency institute institution corp corp. corporation council authority bank "
        "university committee commission party company holdings inc inc. ltd ltd. llc plc "
        "association foundation fund office department bureau service services forces army navy "
        "court parliament assembly union organisation organization federation network centre "
        "center board alliance coalition front movement league society academy college hospital "
        "airlines airways railways partners securities analytics media press times post news "
        "journal daily herald tribune gazette telegraph observatory laboratory laboratories "
        "consortium cooperative directorate secretariat inspectorate command guard police "
        "industries technologies systems exchange group institute administration commission "
        "steel motors energy shipping pharma pharmaceuticals electric electronics chemicals "
        "insurance telecom logistics mining petroleum airline shipyard shipbuilding holding "
        "capital ventures labs semiconductor semiconductors health healthcare "
        "shipmanagement government forum trust library museum gallery orchestra guild "
        "collective ministerio ministère instituto "
        # newspapers' names ("Dhaka Morning Ledger", "Caspian Courier")
        "ledger courier chronicle mail express standard observer review bulletin sentinel "
        "monitor dispatch inquirer research station chamber club watch brokers "
        # breweries, in the languages their names come in ("Pivovar Hradní")
        "pivovar brauerei bryggeri bryggerier brasserie birrificio cervecería".split()
    )
    | LEADING_COMPANY_WORDS
)
# Company names that are later shortened to their first word ("Novaport").
COMPANY_WORDS = frozenset(
    "corp corporation inc ltd llc plc co holdings group steel motors energy shipping "
    "pharma pharmaceuticals electric electronics chemicals insurance telecom logistics "
    "mining petroleum airline airlines capital ventures labs technologies industries "
    "semiconductor semiconductors health healthcare shipmanagement".split()
)
# After "X, a …" these words make X an organisation rather than a person.
ORGANISATION_NOUNS = frozenset(
    "company firm group producer maker manufacturer lender bank insurer operator agency "
    "outlet newspaper broadcaster carrier startup start-up supplier developer exporter "
    "importer chain retailer charity organisation organization body association union "
    "party institute utility conglomerate subsidiary airline platform network website "
    "newsletter magazine daily weekly makers producers lenders insurers operators "
    "carmaker automaker".split()
)
# Words that end the head of an apposition ("a maker of …", "head of research at …").
APPOSITION_STOPS = frozenset("of at for in with to from on by which that".split())
# Words that name a weather system before its name ("Cyclone Ndaba"): the name is no actor.
WEATHER_WORDS = frozenset("cyclone hurricane typhoon storm".split())
AGE = re.compile(r"\d{1,3}-year-old")
"""As in "the 43-year-old said": a person named just before."""
AGE_APPOSITION = re.compile(r",\s(\d{1,3}),")
"""As in "Belmonte, 71, was alone"."""
# Verbs that come before the speaker after a quote: "“…,” said the baker" (not "told the
# baker", where the baker is spoken to).
SPEAKER_AFTER = frozenset("said says added adds asked asks".split())
PORTFOLIOS = re.compile(r"(?:, [A-Z][\w'’-]*)*,? and (?:the )?[A-Z][\w'’-]*")
"""The rest of a department's list of portfolios: "Ministry of Economy[, Trade and Industry]"."""
DEPARTMENT_WORDS = frozenset("ministry department office secretariat".split())
# Lower-case words inside personal names ("Marieke van Doorn", "Ahmed bin Salman").
NAME_PARTICLES = frozenset("de del van von der al bin la le du da y".split())
CONNECTORS = frozenset("of for and the on de del van von der al bin la le du da & y".split())
OTHER_CONNECTORS = CONNECTORS - NAME_PARTICLES
COORDINATORS = frozenset(("and", "or", "&"))
CALENDAR_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow "
    "mondays tuesdays wednesdays thursdays fridays saturdays sundays".split()
)
# Capitalised at the start of a sentence, these are ordinary words, never the start of a name.
FUNCTION_WORDS = frozenset(
    "a an the in on at to of for from with by as after before during while when where if "
    "but and or yet so such beyond this that these those it its he she they we i you his her "
    "their our my your there here many some most others other all both each every few more "
    "several one two three no not however although though because since until unless "
    "meanwhile still also then now once instead indeed despite among amid across against "
    "under over into onto within without about around between through throughout toward "
    "towards upon what which who whom whose why how asked answered q later earlier "
    "recently then".split()
)
SPEECH_VERBS = CUES
# Lower-case words for people that can stand right before a name ("my colleague Patrice
# Lumu"), and that later refer back to that person ("the fisherman says").
PEOPLE_NOUNS = frozenset(
    "colleague friend wife husband son daughter brother sister mother father neighbour "
    "neighbor lawyer client boss deputy predecessor successor assistant partner aide "
    "adviser advisor teacher student doctor nurse farmer fisherman fishermen driver owner "
    "resident worker engineer pilot captain executive founder investor activist researcher "
    "scientist glaciologist epidemiologist historian economist analyst official diplomat "
    "spokesman spokeswoman spokesperson ambassador envoy minister chairman chairwoman "
    "director manager mayor governor judge prosecutor officer commander general professor "
    "journalist reporter editor author novelist singer actor artist coach player "
    # trades and walks of life that features quote ("the distiller said")
    "distiller brewer baker vintner herder shepherd potter weaver carpenter builder trader "
    "vendor seller shopkeeper diver sailor skipper miner hunter ranger guide volunteer "
    "campaigner councillor councilor midwife veteran pensioner retiree".split()
)
PERSON_SUFFIXES = ("ist", "ian", "master")
"""Endings of more words for a person: "the biologist", "the librarian", "the brewmaster"."""


def is_person_noun(word: str) -> bool:
    return word in PEOPLE_NOUNS or (len(word) > 5 and word.endswith(PERSON_SUFFIXES))


# Words that are capitalised at a sentence start but never a name.
NOT_NAMES = frozenset("thank god please sorry yes hello okay ok dear".split())
APPOSITION_STARTS = frozenset("a an the who whose his her its their one of from at which".split())
# A capitalised run ending in one of these is a place ("Okanagan Lake", "Canary Islands").
PLACE_HEADS = frozenset(
    "lake river sea ocean bay gulf strait island islands peninsula mountains mountain "
    "valley coast desert basin canal route plateau delta archipelago reef glacier "
    "province region county district square street road avenue bridge port harbour "
    "harbor airport park".split()
)
COMPASS = frozenset(
    "north south east west northern southern eastern western central northeast northwest "
    "southeast southwest northeastern northwestern southeastern southwestern".split()
)
# A capitalised run opening with one of these is a place ("Lake Ohrid", "Mount Elgon").
LEADING_PLACE_WORDS = frozenset("lake mount mt cape isle".split())
PLACE_WORDS = frozenset("in at near from outside across around inside towards toward on".split())
PLACE_NOUNS = frozenset(
    "city town village province region port county district state island islands "
    "capital suburb municipality prefecture".split()
)


class MentionFinder:
    def __init__(self, text: str, tokens: Tokens, registry: Registry) -> None:
        self.text = text
        self.tokens = tokens
        self.keys = tokens.keys
        self.caps = tokens.capitalised
        self.registry = registry
        self.learned = Registry()
        """Names met in this document: discovered actors, and their surnames."""
        self.last_seen: dict[str, int] = {}
        self.roles: dict[str, Actor] = {}
        """Title words met before a name here ("Judge Miriam Ashcroft"): "the judge" later
        refers to that person."""
        self.mentions: list[Mention] = []
        self.ages: dict[str, Actor] = {}
        """People introduced with their age ("Salvatore Lo Cascio, 72,"): "the 72-year-old"."""
        self.sentence_starts: set[int] = set()
        self.headline_end = -1

    def find(self, sentence_starts: set[int], headline_end: int) -> list[Mention]:
        """`sentence_starts`: indexes of tokens that begin a sentence; tokens before
        `headline_end` (a title-case headline) are only looked up, never discovered."""
        self.sentence_starts = sentence_starts
        self.headline_end = headline_end
        keys, caps = self.keys, self.caps
        index, count = 0, len(keys)
        registry_first, learned_first = self.registry.first_words, self.learned.first_words
        registry_second = self.registry.second_words
        while index < count:
            key = keys[index]
            if key in learned_first or (
                key in registry_first
                and (
                    registry_first[key][-1] == 1
                    or (index + 1 < count and keys[index + 1] in registry_second[key])
                )
            ):
                found = self._known(index)
                if found is not None:
                    index = found
                    continue
            if caps[index] and index >= headline_end:
                # A capitalised function word ("The", "But") starts no name: no call for it.
                index = (key not in FUNCTION_WORDS and self._discover(index)) or index + 1
            elif index and keys[index - 1] == "the":  # what refers back follows "the"
                index = self._refer_back(index, key) or index + 1
            else:
                index += 1
        self._find_learned_again()
        return self.mentions

    def _refer_back(self, index: int, key: str) -> int | None:
        """After "the": a role met before ("the judge"), an age ("the 43-year-old") or a
        role that speaks ("the deputy mayor said"); where the mention ends, if it is one."""
        if key in self.roles and self._refers_back(index):
            self._add(index, index + 1, self.roles[key], ROLE)
            return index + 1
        if "-year-old" in key and AGE.fullmatch(key) and self._refers_back(index):
            self._refer_to_age(index)
            return index + 1
        if is_person_noun(key) and (role_end := self._speaking_role(index)):
            self._refer_to_last_person(index, role_end)
            return role_end
        return None

    def _refer_to_age(self, index: int) -> None:
        person = self.ages.get(self.keys[index].split("-", 1)[0])
        if person is None:
            self._refer_to_last_person(index, index + 1)
        else:
            self._add(index, index + 1, person, ROLE)

    def _refer_to_last_person(self, index: int, end: int) -> None:
        person = next((m.actor for m in reversed(self.mentions) if m.actor.kind == "person"), None)
        if person is not None:
            self._add(index, end, person, ROLE)

    def _speaking_role(self, index: int) -> int | None:
        """End of a role phrase that speaks without a name: "the distiller said", "said the
        deputy mayor" (one of the people just named is meant)."""
        if not self._refers_back(index):
            return None
        keys, end = self.keys, index + 1
        if end < len(keys) and is_person_noun(keys[end]) and self._joined(index, end):
            end += 1
        before = keys[index - 2] if index >= 2 else ""
        after = keys[end] if end < len(keys) else ""
        if after in SPEECH_VERBS or before in SPEAKER_AFTER:
            return end
        return None

    def _find_learned_again(self) -> None:
        """Names learned late also count where they stood earlier: the headline, or "Rosa
        Belmonte’s flat" before "Belmonte, 71, was alone"."""
        taken = sorted((mention.start, mention.end) for mention in self.mentions)
        starts = [start for start, _ in taken]
        first_words, learned_index = self.learned.first_words, self.learned.index
        token_starts = self.tokens.starts
        renamed: dict[str, str] = {}
        words, caps = self.keys, self.caps
        # Only capitalised words are looked up (C-level filters, no Python loop a word).
        capitalised = compress(range(len(words)), caps)
        learned_names = map(first_words.__contains__, compress(words, caps))
        for index in compress(capitalised, learned_names):
            key = words[index]
            start = token_starts[index]
            position = bisect.bisect_right(starts, start) - 1
            if position >= 0 and taken[position][1] > start:
                continue
            for length in first_words[key]:
                end = index + length
                keys = tuple(words[index:end])
                if end > len(words) or keys not in learned_index:
                    continue
                if length > 1 and not self._joined(index, end - 1):
                    continue
                stop = self.tokens.ends[end - 1]
                following = bisect.bisect_left(starts, start)
                if following < len(starts) and starts[following] < stop:
                    continue
                actor = learned_index[keys][0].actor
                first = (
                    self._given_name_before(index) if actor.name == self.text[start:stop] else None
                )
                if first is not None and actor.kind == "person":
                    start = token_starts[first]
                    renamed[actor.key] = self.text[start:stop]
                self.mentions.append(Mention(start, stop, self.text[start:stop], actor, NAME))
                break
        self.mentions.sort(key=lambda mention: mention.start)
        self._rename(renamed)

    def _given_name_before(self, index: int) -> int | None:
        """As in "Rosa Belmonte’s flat", once "Belmonte" is known: the full name."""
        before = index - 1
        if before < 0 or not self.caps[before] or before in self.sentence_starts:
            return None
        key = self.keys[before]
        if key in FUNCTION_WORDS or key in NOT_NAMES or (key,) in self.registry.titles:
            return None
        if key in self.registry.first_words or not self._joined(before, index):
            return None
        return before

    def _rename(self, renamed: dict[str, str]) -> None:
        """A person first learned by surname gets the full name found later, everywhere."""
        if not renamed:
            return
        actors = {
            key: Actor(actor_key("person", name), name, "person", discovered=True)
            for key, name in renamed.items()
        }
        self.mentions = [
            Mention(m.start, m.end, m.text, actors[m.actor.key], m.form)
            if m.actor.key in actors
            else m
            for m in self.mentions
        ]

    # Registry and learned names -------------------------------------------------------------

    def _joined(self, first: int, last: int) -> bool:
        """True if tokens first..last are separated only by spaces (or an abbreviation dot)."""
        gaps = self.tokens.gaps
        if last == first + 1 and gaps[last] == " ":  # the usual case, without a loop
            return True
        for index in range(first, last):
            gap = gaps[index + 1]
            if gap == " ":
                continue
            if gap.startswith(".") and self.keys[index] in ABBREVIATIONS:
                gap = gap[1:]
            elif gap[:1] == "'" and self.keys[index].endswith("s") and self.caps[index + 1]:
                gap = gap[1:]  # "Northern Tenants’ Alliance" (gaps have plain apostrophes)
            if not gap or not gap.isspace() or "\n" in gap:
                return False
        return True

    def _known(self, index: int) -> int | None:
        """The longest registry (or already learned) name starting at `index`, if any."""
        all_keys, registry, learned_names = self.keys, self.registry, self.learned
        count = len(all_keys)
        key = all_keys[index]
        lengths = registry.first_words.get(key, ())
        learned = learned_names.first_words.get(key)
        if learned and lengths:
            lengths = tuple(sorted(set(lengths).union(learned), reverse=True))
        elif learned:
            lengths = learned  # longest first already: nothing to merge
        # Longer names are looked up only if the next word can go on one.
        if lengths and lengths[0] > 1:
            following = all_keys[index + 1] if index + 1 < count else ""
            if not (
                following in registry.second_words.get(key, ())
                or following in learned_names.second_words.get(key, ())
            ):
                lengths = lengths[-1:] if lengths[-1] == 1 else ()
        for length in lengths:
            end = index + length
            if end > count:
                continue
            keys = tuple(all_keys[index:end]) if length > 1 else (key,)
            if keys in registry.not_actors and (length == 1 or self._joined(index, end - 1)):
                return end  # marked "not an actor": nothing inside it is one either
            candidates = learned_names.index.get(keys) or registry.index.get(keys)
            if not candidates:
                continue
            if length > 1 and not self._joined(index, end - 1):
                continue
            if len(candidates) == 1:  # the usual case, without a call to `_choose`
                alias = candidates[0]
                if not self._fits(alias, index, end):
                    continue
            elif (chosen := self._choose(candidates, index, end)) is not None:
                alias = chosen
            else:
                continue
            actor, form = alias.actor, alias.form
            if actor.kind in ("place", "country"):
                found = self._place_end(index, end, alias)
                if found is not None:
                    return found
            self._add(index, end, actor, form)
            if actor.discovered and form == NAME and length > 1:
                self._learn_short_names(actor, index, end)  # met in an earlier article
            return end
        return None

    def _place_end(self, index: int, end: int, alias: Alias) -> int | None:
        """Where a place or country found at `index`..`end` starts a longer name, which is
        learned: "Gulf of Finland", "Leeds City Council", "Paraguay River", "Santiago
        Matatlán"; None if it stands alone."""
        if (
            alias.actor.kind == "place"
            and alias.form != NAME
            and end + 1 < len(self.keys)
            and self.keys[end] == "of"
            and self.caps[end + 1]
            and self._joined(end - 1, end + 1)
        ):  # "Gulf of Finland" is not the Persian Gulf
            return self._learn(index, self._run_end(index), "place")
        if self.caps[index] and self._run_may_go_on(end):
            run_end = self._run_end(index)
            # A headline capitalises every word: only a river or lake that ends it counts.
            headline = index < self.headline_end
            if not headline and not ORGANISATION_WORDS.isdisjoint(self.keys[end:run_end]):
                # "Leeds City Council", "South Korean Trade Ministry"
                return self._learn(index, run_end, "organisation")
            river = run_end > end and self.keys[end] in PLACE_HEADS
            if river and (not headline or run_end == end + 1):
                return self._learn(index, end + 1, "place")  # "Paraguay River"
            capital = alias.form == CAPITAL and run_end > end
            own_end = self._own_name_end(index, end) if capital else None
            if own_end is not None:
                return self._learn(index, own_end, "place")  # "Santiago Matatlán"
        return None

    def _choose(self, candidates: list[Alias], first: int, end: int) -> Alias | None:
        usable = [alias for alias in candidates if self._fits(alias, first, end)]
        if len(usable) <= 1:
            return usable[0] if usable else None
        seen = [alias for alias in usable if alias.actor.key in self.last_seen]
        if seen:
            return max(seen, key=lambda alias: self.last_seen[alias.actor.key])
        if all(alias.form == SURNAME for alias in usable):
            return None  # "Kim" with no Kim named yet: which one would be a guess
        return usable[0]

    def _fits(self, alias: Alias, first: int, end: int) -> bool:
        significant = first + 1 if self.keys[first] == "the" and end - first > 1 else first
        if alias.exact_case:
            surface = self.text[self.tokens.starts[significant] : self.tokens.ends[end - 1]]
            if surface != alias.text.removeprefix("the ").removeprefix("The "):
                return False
        elif alias.actor.kind != "group" and alias.form != ROLE and not self.caps[significant]:
            return False
        # "Kim Min-ji" is not Kim Jong Un; in "Russian President Vladimir Putin" the role is
        # a title, not a mention of its own.
        return not (alias.form in (SURNAME, ROLE) and self._name_follows(end))

    def _own_name_end(self, index: int, end: int) -> int | None:
        """As in "Santiago Matatlán", "Praia Nova": a capital's name starts a longer name of
        one or two words that are nothing known (not "Moscow Mayor", nor in a headline)."""
        if index < self.headline_end:
            return None
        stop = end
        while (
            stop < len(self.keys)
            and stop - end < 3
            and self.caps[stop]
            and stop not in self.sentence_starts
            and self._joined(stop - 1, stop)
        ):
            stop += 1
        following = self.keys[end:stop]
        if not 1 <= len(following) <= 2:
            return None
        known = any(
            key in self.registry.first_words
            or key in self.learned.first_words
            or (key,) in self.registry.titles
            for key in following
        )
        return None if known or not self._looks_like_name(end, stop) else stop

    def _name_follows(self, end: int) -> bool:
        return (
            end < len(self.keys)
            and self.caps[end]
            and end not in self.sentence_starts
            and self._joined(end - 1, end)
        )

    def _add(self, first: int, end: int, actor: Actor, form: str) -> None:
        if form == ROLE and self.keys[first] == "the":
            first += 1
        start, stop = self.tokens.starts[first], self.tokens.ends[end - 1]
        self.mentions.append(Mention(start, stop, self.text[start:stop], actor, form))
        self.last_seen[actor.key] = start
        if (
            actor.kind == "person"
            and self.text.startswith(",", stop)
            and (age := AGE_APPOSITION.match(self.text, stop))
        ):
            self.ages[age.group(1)] = actor

    # Discovery -------------------------------------------------------------------------------

    def _discover(self, index: int) -> int | None:
        """A name learned from its shape and context at `index` (no function word: `find`
        rules those out); where it ends, if it is one."""
        following = index + 1
        if (
            index in self.sentence_starts
            and following < len(self.keys)
            and self.keys[following] in self.learned.first_words
            and self.caps[following]
            and self.keys[index] not in LEADING_PLACE_WORDS  # "Lake Ohrid is deep"
        ):
            return None  # "Later Osei left": an ordinary word, then a name
        title_end = self._title_end(index)
        if title_end is not None:
            return self._after_title(title_end)
        end = self._run_end(index)
        while end > index + 1 and self.keys[end - 1] in CONNECTORS:
            end -= 1
        keys = self.keys[index:end]
        if not CALENDAR_WORDS.isdisjoint(keys):
            return None
        if end - index >= 2 and not ORGANISATION_WORDS.isdisjoint(keys):
            if keys[0] in DEPARTMENT_WORDS and "of" in keys:
                end = self._portfolios_end(end)
            return self._learn(index, end, "organisation")
        if keys[0] in WEATHER_WORDS and end - index >= 2:
            return end  # "Cyclone Ndaba": a storm
        if self._organisation_noun_before(index) and self._looks_like_name(index, end):
            return self._learn(index, end, "organisation")  # "the business daily Gestión Andina"
        if not COORDINATORS.isdisjoint(keys):
            coordinated = next(i for i, key in enumerate(keys) if key in COORDINATORS)
            if coordinated:  # "Gdańsk and Sopot": two names
                end = index + coordinated
                keys = keys[:coordinated]
        if end - index >= 3 and keys[0] in PLACE_HEADS and keys[1] == "of":
            return self._learn(index, end, "place")  # "Bay of Kotor"
        new_place = keys[0] == "new" and index not in self.sentence_starts
        if new_place and 2 <= end - index <= 3 and "year" not in keys:
            return self._learn(index, end, "place")  # "in New Mexico" is not Mexico
        if not OTHER_CONNECTORS.isdisjoint(keys) or end - index > 5:
            return None
        if end - index >= 2 and (
            keys[-1] in PLACE_HEADS or keys[0] in COMPASS or keys[0] in LEADING_PLACE_WORDS
        ):
            return self._learn(index, end, "place")  # "Okanagan Lake", "West Africa"
        if self._age_follows(end):
            return self._learn(index, end, "person")  # "Belmonte, 71, was alone"
        role = self._role_word_before(index)
        if role is not None:
            learned = self._learn(index, end, "person")
            self._remember_role(role, learned)
            return learned
        if self._after_speech_verb(index):
            learned = self._learn(index, end, "person")
            self._remember_apposition_role(learned)
            return learned
        if (
            end - index <= 4
            and (self._apposition_follows(end) or self._possessive_follows_comma(end))
            and (self._apposition_is_body(end) or self.keys[end] == "which")
        ):
            return self._learn(index, end, "organisation")  # "Corvane, which is based in"
        if (
            end - index <= 3
            and self._after_people_noun_and_comma(index)
            and (self._looks_like_name(index, end))
        ):
            return self._learn(index, end, "person")  # "My neighbour, Ganbold, lost"
        if end - index >= 2 and (
            self._apposition_follows(end)
            or self._speech_verb_follows(end)
            or self._name_between_commas(index, end)
            or self._name_opens_sentence(index, end)
            or self._affiliation_follows(end)
        ):
            learned = self._learn(index, end, "person")
            self._remember_apposition_role(learned)
            return learned
        if end - index <= 3 and (self._after_place_word(index) or self._is_dateline(index, end)):
            return self._learn(index, end, "place")
        return None

    def _portfolios_end(self, end: int) -> int:
        """Past "…, Trade and Industry" after "Ministry of Economy", when those words are
        nothing known (not "Ministry of Defence, Poland and Hungary")."""
        match = PORTFOLIOS.match(self.text, self.tokens.ends[end - 1])
        if match is None:
            return end
        stop = bisect.bisect_left(self.tokens.starts, match.end())
        words = [key for key in self.keys[end:stop] if key not in ("and", "the")]
        known = self.registry.first_words, self.learned.first_words
        if any(key in names for key in words for names in known):
            return end
        return stop

    def _organisation_noun_before(self, index: int) -> bool:
        """As in "the newspaper X", "the business daily X", "a state broadcaster X"."""
        if index < 2 or self.caps[index - 1] or not self._joined(index - 1, index):
            return False
        if self.keys[index - 1] not in ORGANISATION_NOUNS:
            return False
        article = index - 2 if self.keys[index - 2] in ("the", "a") else index - 3
        return (
            article >= 0
            and self.keys[article] in ("the", "a")
            and not any(self.caps[article + 1 : index])
        )

    def _possessive_follows_comma(self, end: int) -> bool:
        """As in "Calandina, Peru's second-largest producer": an apposition opening with a
        possessive name."""
        if end + 1 >= len(self.keys) or not self.caps[end]:
            return False
        gap = self.text[self.tokens.ends[end - 1] : self.tokens.starts[end]]
        after = self.text[self.tokens.ends[end] : self.tokens.ends[end] + 2]
        return gap.strip() == "," and after in ("’s", "'s")

    def _after_people_noun_and_comma(self, index: int) -> bool:
        if index < 1:
            return False
        gap = self.text[self.tokens.ends[index - 1] : self.tokens.starts[index]]
        return gap.strip() == "," and self.keys[index - 1] in PEOPLE_NOUNS

    def _affiliation_follows(self, end: int) -> bool:
        """As in "Kim Seo-yeon of the Korean Cell Makers Association said": a person of a body."""
        if end + 1 >= len(self.keys) or self.keys[end] != "of" or not self._joined(end - 1, end):
            return False
        following = end + 2 if self.keys[end + 1] == "the" else end + 1
        return following < len(self.keys) and self.caps[following]

    def _age_follows(self, end: int) -> bool:
        return AGE_APPOSITION.match(self.text, self.tokens.ends[end - 1]) is not None

    def _apposition_is_body(self, end: int) -> bool:
        """As in "Daeryung Steel, a mid-sized producer", "Formosa Cycleworks, one of Taiwan's
        largest makers of bicycles": the apposition's head noun names an organisation (a
        noun after "of", "at" is not its head: "Novaport's head of research at the firm")."""
        if self.keys[end] in ("who", "whose"):
            return False  # "Dolores Baca, who leads the tenants' association": a person
        first = end + 2 if self.keys[end : end + 2] == ["one", "of"] else end
        for position in range(first, min(first + 6, len(self.keys))):
            key = self.keys[position]
            possessive = self.text[self.tokens.ends[position] : self.tokens.ends[position] + 2]
            if key in ORGANISATION_NOUNS and possessive not in ("’s", "'s"):
                return True
            if key in APPOSITION_STOPS:
                break
            if self.text[self.tokens.ends[position] : self.tokens.ends[position] + 1] in ",.;":
                break
        return False

    def _name_between_commas(self, index: int, end: int) -> bool:
        """As in "my deputy, Rasmus Tamm, sent": a name set off by commas."""
        before = self.text[: self.tokens.starts[index]].rstrip(" ")
        after = self.text[self.tokens.ends[end - 1] :].lstrip(" ")
        return (
            end - index <= 3
            and before.endswith(",")
            and after.startswith(",")
            and (self._looks_like_name(index, end))
        )

    def _name_opens_sentence(self, index: int, end: int) -> bool:
        """As in "Liisa Kask chairs the …": two or three name-like words, then a lower-case word."""
        return (
            index in self.sentence_starts
            and end - index <= 3
            and end < len(self.keys)
            and not self.caps[end]
            and self._joined(end - 1, end)
            and self._looks_like_name(index, end)
        )

    def _looks_like_name(self, index: int, end: int) -> bool:
        for position in range(index, end):
            word = self.text[self.tokens.starts[position] : self.tokens.ends[position]]
            key = self.keys[position]
            if word.isupper() or key in FUNCTION_WORDS or key in ORGANISATION_WORDS:
                return False
            if key in NOT_NAMES or key in PLACE_HEADS or (key,) in self.registry.titles:
                return False
            known = self.registry.lookup((key,))
            if known and not all(alias.form == SURNAME for alias in known):
                return False  # a registry name; family names such as Kim or Park are fine
        return True

    def _after_place_word(self, index: int) -> bool:
        """As in "in Gdynia", "near the North Pole", "the city of Pohang", "Gdańsk and Sopot"."""
        if index == 0 or index in self.sentence_starts or self.caps[index - 1]:
            return False
        if not self._joined(index - 1, index):
            return False
        before = self.keys[index - 1]
        if before == "the" and index > 1:
            before = self.keys[index - 2]
        if before in PLACE_WORDS:
            return True
        if before == "of" and index > 1 and self.keys[index - 2] in PLACE_NOUNS:
            return True
        return (
            before in ("and", "or")
            and bool(self.mentions)
            and (
                self.mentions[-1].actor.kind == "place"
                and self.mentions[-1].end >= self.tokens.starts[index - 1] - 2
            )
        )

    def _is_dateline(self, index: int, end: int) -> bool:
        """As in "GDYNIA, Poland, Nov. 17 —": capitals opening a paragraph, then a comma or dash."""
        start = self.tokens.starts[index]
        if start > 0 and self.text[start - 1] != "\n":
            return False
        word = self.text[start : self.tokens.ends[end - 1]]
        after = self.text[self.tokens.ends[end - 1] : self.tokens.ends[end - 1] + 3]
        return word.isupper() and len(word) > 2 and after.lstrip(" ")[:1] in (",", "—", "–", "-")

    def _role_word_before(self, index: int) -> str | None:
        """As in "spokesman Joaquín Ferrer", "chief executive Henrike Vogt", "my colleague Patrice
        Lumu": a lower-case title or word for a person just before the name."""
        if index == 0 or self.caps[index - 1] or not self._joined(index - 1, index):
            return None
        word = self.keys[index - 1]
        if (word,) in self.registry.titles or is_person_noun(word):
            return word
        if index > 1 and tuple(self.keys[index - 2 : index]) in self.registry.titles:
            return word
        return None

    def _title_end(self, index: int) -> int | None:
        """End of a title starting at `index` and followed by a capitalised name: a known
        title (President, Mr.), or capitalised words ending in a title word (Deputy Energy
        Minister, Fire Chief, Detective Superintendent)."""
        end = None
        position = index
        keys, caps, titles, count = self.keys, self.caps, self.registry.titles, len(self.keys)
        title_words = self.registry.title_words
        while position < count and position - index < 6 and caps[position]:
            if position > index and not self._joined(position - 1, position):
                break
            if keys[position] in title_words:
                for length in (3, 2, 1):
                    stop = position + length
                    if stop <= count and tuple(keys[position:stop]) in titles:
                        end = stop
                        break
            position += 1
        if end is None or end >= count or not caps[end]:
            return None
        return end if self._joined(end - 1, end) else None

    def _after_title(self, name_start: int) -> int:
        role = self.keys[name_start - 1]
        if self.keys[name_start] in self.registry.first_words or (
            self.keys[name_start] in self.learned.first_words
        ):
            known = self._known(name_start)
            if known is not None:
                self._remember_role(role, known)
                return known
        end = name_start
        while (
            end < len(self.keys)
            and end - name_start < 4
            and self.caps[end]
            and self.keys[end] not in CALENDAR_WORDS
            and (end == name_start or self._joined(end - 1, end))
        ):
            end += 1
        learned = self._learn(name_start, end, "person")
        self._remember_role(role, learned)
        return learned

    def _refers_back(self, index: int) -> bool:
        return index > 0 and self.keys[index - 1] == "the" and not self._name_follows(index + 1)

    def _remember_apposition_role(self, end: int) -> None:
        """As in "Moussa Diallo, a 58-year-old fisherman," makes "the fisherman" him."""
        if end < len(self.keys) and self._apposition_follows(end):
            for position in range(end, min(end + 6, len(self.keys))):
                if self.keys[position] in PEOPLE_NOUNS:
                    self._remember_role(self.keys[position], end)
                    return
                if self.text[self.tokens.ends[position] : self.tokens.ends[position] + 1] in ",.;":
                    return

    def _remember_role(self, role: str, end: int) -> None:
        mention = self.mentions[-1] if self.mentions else None
        if (
            mention is not None
            and mention.actor.kind == "person"
            and mention.end == self.tokens.ends[end - 1]
            and role.isalpha()
            and role not in ("mr", "mrs", "ms", "dr", "sir", "lady", "lord", "dame")
        ):
            self.roles[role] = mention.actor

    def _run_may_go_on(self, end: int) -> bool:
        """Whether a run of capitalised words can go on past token `end` - 1 (a capitalised
        word or a connector follows): if not, `_run_end` need not walk it."""
        return end < len(self.keys) and (self.caps[end] or self.keys[end] in CONNECTORS)

    def _run_end(self, index: int) -> int:
        """The end of a run of capitalised words (with connectors such as "of") from `index`."""
        keys, caps, sentence_starts = self.keys, self.caps, self.sentence_starts
        end = index + 1
        count = len(keys)
        while end < count:
            # The word is looked at before the gap to it: most runs end at a lower-case word.
            if caps[end] and end not in sentence_starts:
                step = 1
            elif (
                keys[end] in CONNECTORS
                and end + 1 < count
                and caps[end + 1]
                and self._joined(end, end + 1)
            ):
                step = 2
            else:
                break
            if not self._joined(end - 1, end):
                break
            end += step
        return end

    def _learn(self, first: int, end: int, kind: str) -> int:
        keys = tuple(self.keys[first:end])
        if keys in self.registry.not_actors:
            return end
        start, stop = self.tokens.starts[first], self.tokens.ends[end - 1]
        name = self.text[start:stop]
        if name.isupper() and len(name) > 4:
            name = name.title()  # a dateline: SOUTHPORT is Southport
        actor = Actor(actor_key(kind, name), name, kind, discovered=True)
        self.learned.add_alias(actor, name, NAME)
        self._learn_short_names(actor, first, end)
        self._add(first, end, actor, NAME)
        return end

    def _learn_short_names(self, actor: Actor, first: int, end: int) -> None:
        """Shorter names that refer back: "Novaport" for Novaport Holdings Corp., the family
        name for a person (last in "Helen Moss", first in "Yoon Ha-eun")."""
        leading = self.keys[first]
        if actor.kind == "organisation" and leading in LEADING_COMPANY_WORDS and end - first > 1:
            second = self.keys[first + 1]
            if not (
                second in self.registry.first_words  # "Grupo Mexico": Mexico stays Mexico
                or second in FUNCTION_WORDS
                or second in CONNECTORS  # "Banco de Chile"
            ):
                rest = self.text[self.tokens.starts[first + 1] : self.tokens.ends[end - 1]]
                self.learned.add_alias(actor, rest, ALIAS)
            return
        if (
            actor.kind == "organisation"
            and any(key.rstrip(".") in COMPANY_WORDS for key in self.keys[first + 1 : end])
            and not (
                leading in self.registry.first_words
                or leading in FUNCTION_WORDS
                or leading in ORGANISATION_WORDS
                or (leading,) in self.registry.titles
            )
        ):
            # "Novaport Holdings Corp." is later just "Novaport".
            word = self.text[self.tokens.starts[first] : self.tokens.ends[first]]
            self.learned.add_alias(actor, word, ALIAS)
        if actor.kind == "person" and end - first > 1:
            # The family name comes last in "Helen Moss" and first in "Yoon Ha-eun": either
            # alone refers back to the person.
            text, starts, ends = self.text, self.tokens.starts, self.tokens.ends
            add_alias = self.learned.add_alias
            add_alias(actor, text[starts[first] : ends[first]], SURNAME)
            add_alias(actor, text[starts[end - 1] : ends[end - 1]], SURNAME)
            if end - first == 3:  # "Hédi Ben Salah" is later "Ben Salah"
                add_alias(actor, text[starts[first + 1] : ends[end - 1]], ALIAS)

    def _after_speech_verb(self, index: int) -> bool:
        if index == 0 or not self._joined(index - 1, index):
            return False
        previous = self.keys[index - 1]
        if previous in ("said", "says", "called", "named", "told", "asked", "interviewed"):
            return True
        return (
            previous == "to"
            and index >= 2
            and self.keys[index - 2]
            in ("according", "spoke", "spoken", "talked", "told", "wrote", "said")
        )

    def _speech_verb_follows(self, end: int) -> bool:
        return (
            end < len(self.keys) and self.keys[end] in SPEECH_VERBS and self._joined(end - 1, end)
        )

    def _apposition_follows(self, end: int) -> bool:
        if end >= len(self.keys):
            return False
        gap = self.text[self.tokens.ends[end - 1] : self.tokens.starts[end]]
        key = self.keys[end]
        return gap.strip() == "," and (
            key in APPOSITION_STARTS
            or key.endswith("ing")
            or key.isdigit()  # "Belmonte, 71,"
            or (key,) in self.registry.titles  # "Julián Ospina, director of …"
            or key in PEOPLE_NOUNS
        )
