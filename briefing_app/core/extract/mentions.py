"""Actor mentions: registry look-ups by word sequence, then names found from their shape and
context (a title before them, an organisation word in them, a role apposition after them, or
a "said" next to them). Sentence-initial words, headline capitals, months and weekdays are
not names by themselves."""

from __future__ import annotations

from briefing_app.core.extract.model import Mention
from briefing_app.core.extract.registry import (
    NAME,
    ROLE,
    SURNAME,
    Actor,
    Alias,
    Registry,
    actor_key,
)
from briefing_app.core.extract.tokens import ABBREVIATIONS, Tokens

ORGANISATION_WORDS = frozenset(
    "ministry agency institute institution corp corp. corporation council authority bank "
    "university committee commission party company holdings inc inc. ltd ltd. llc plc "
    "association foundation fund office department bureau service services forces army navy "
    "court parliament assembly union organisation organization federation network centre "
    "center board alliance coalition front movement league society academy college hospital "
    "airlines airways railways partners securities analytics media press times post news "
    "journal daily herald tribune gazette telegraph observatory laboratory laboratories "
    "consortium cooperative directorate secretariat inspectorate command guard police "
    "industries technologies systems exchange group institute".split()
)
CONNECTORS = frozenset("of for and the on de del van von der al bin la le du da & y".split())
CALENDAR_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow".split()
)
# Capitalised at the start of a sentence, these are ordinary words, never the start of a name.
FUNCTION_WORDS = frozenset(
    "a an the in on at to of for from with by as after before during while when where if "
    "but and or yet so such beyond this that these those it its he she they we i you his her "
    "their our my your there here many some most others other all both each every few more "
    "several one two three no not however although though because since until unless "
    "meanwhile still also then now once instead indeed despite among amid across against "
    "under over into onto within without about around between through throughout toward "
    "towards upon what which who whom whose why how asked answered q".split()
)
SPEECH_VERBS = frozenset(
    "said says told added warned urged insisted argued noted stressed wrote posted explained "
    "replied asked claimed announced declared confirmed acknowledged".split()
)
APPOSITION_STARTS = frozenset("a an the who whose his her its their one".split())


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
        self.mentions: list[Mention] = []
        self.sentence_starts: set[int] = set()
        self.headline_end = -1

    def find(self, sentence_starts: set[int], headline_end: int) -> list[Mention]:
        """`sentence_starts`: indexes of tokens that begin a sentence; tokens before
        `headline_end` (a title-case headline) are only looked up, never discovered."""
        self.sentence_starts = sentence_starts
        self.headline_end = headline_end
        index, count = 0, len(self.keys)
        registry_first, learned_first = self.registry.first_words, self.learned.first_words
        while index < count:
            key = self.keys[index]
            if key in registry_first or key in learned_first:
                found = self._known(index)
                if found is not None:
                    index = found
                    continue
            if self.caps[index] and index >= headline_end:
                index = self._discover(index) or index + 1
            else:
                index += 1
        return self.mentions

    # Registry and learned names -------------------------------------------------------------

    def _joined(self, first: int, last: int) -> bool:
        """True if tokens first..last are separated only by spaces (or an abbreviation dot)."""
        starts, ends, text = self.tokens.starts, self.tokens.ends, self.text
        for index in range(first, last):
            gap = text[ends[index] : starts[index + 1]]
            if gap == " ":
                continue
            if gap.startswith(".") and self.keys[index] in ABBREVIATIONS:
                gap = gap[1:]
            if not gap or not gap.isspace() or "\n" in gap:
                return False
        return True

    def _known(self, index: int) -> int | None:
        """The longest registry (or already learned) name starting at `index`, if any."""
        key = self.keys[index]
        lengths = set(self.registry.first_words.get(key, ())) | set(
            self.learned.first_words.get(key, ())
        )
        for length in sorted(lengths, reverse=True):
            end = index + length
            if end > len(self.keys):
                continue
            keys = tuple(self.keys[index:end])
            candidates = self.learned.index.get(keys) or self.registry.lookup(keys)
            if not candidates or keys in self.registry.not_actors:
                continue
            if length > 1 and not self._joined(index, end - 1):
                continue
            alias = self._choose(candidates, index, end)
            if alias is not None:
                self._add(index, end, alias.actor, alias.form)
                return end
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

    # Discovery -------------------------------------------------------------------------------

    def _discover(self, index: int) -> int | None:
        if index in self.sentence_starts and self.keys[index] in FUNCTION_WORDS:
            return None
        title_end = self._title_end(index)
        if title_end is not None:
            return self._after_title(title_end)
        end = self._run_end(index)
        while end > index + 1 and self.keys[end - 1] in CONNECTORS:
            end -= 1
        keys = self.keys[index:end]
        if any(key in CALENDAR_WORDS for key in keys):
            return None
        if end - index >= 2 and any(key in ORGANISATION_WORDS for key in keys):
            return self._learn(index, end, "organisation")
        if any(key in CONNECTORS for key in keys) or end - index > 4:
            return None
        if self._after_speech_verb(index) or (
            end - index >= 2 and (self._apposition_follows(end) or self._speech_verb_follows(end))
        ):
            return self._learn(index, end, "person")
        return None

    def _title_end(self, index: int) -> int | None:
        """End of a title (President, Foreign Minister, Mr.) starting at `index` that is
        followed by a capitalised name."""
        for length in (3, 2, 1):
            end = index + length
            if end >= len(self.keys) or not self.caps[end]:
                continue
            if tuple(self.keys[index:end]) in self.registry.titles and self._joined(index, end):
                return end
        return None

    def _after_title(self, name_start: int) -> int:
        if self.keys[name_start] in self.registry.first_words or (
            self.keys[name_start] in self.learned.first_words
        ):
            known = self._known(name_start)
            if known is not None:
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
        return self._learn(name_start, end, "person")

    def _run_end(self, index: int) -> int:
        """The end of a run of capitalised words (with connectors such as "of") from `index`."""
        end = index + 1
        count = len(self.keys)
        while end < count and self._joined(end - 1, end):
            key = self.keys[end]
            if self.caps[end] and end not in self.sentence_starts:
                end += 1
            elif (
                key in CONNECTORS
                and end + 1 < count
                and self.caps[end + 1]
                and self._joined(end, end + 1)
            ):
                end += 2
            else:
                break
        return end

    def _learn(self, first: int, end: int, kind: str) -> int:
        keys = tuple(self.keys[first:end])
        if keys in self.registry.not_actors:
            return end
        start, stop = self.tokens.starts[first], self.tokens.ends[end - 1]
        name = self.text[start:stop]
        actor = Actor(actor_key(kind, name), name, kind, discovered=True)
        self.learned.add_alias(actor, name, NAME)
        if kind == "person" and end - first > 1:
            self.learned.add_alias(actor, self.text[self.tokens.starts[end - 1] : stop], SURNAME)
        self._add(first, end, actor, NAME)
        return end

    def _after_speech_verb(self, index: int) -> bool:
        if index == 0 or not self._joined(index - 1, index):
            return False
        previous = self.keys[index - 1]
        if previous in ("said", "says"):
            return True
        return previous == "to" and index >= 2 and self.keys[index - 2] == "according"

    def _speech_verb_follows(self, end: int) -> bool:
        return (
            end < len(self.keys) and self.keys[end] in SPEECH_VERBS and self._joined(end - 1, end)
        )

    def _apposition_follows(self, end: int) -> bool:
        if end >= len(self.keys):
            return False
        gap = self.text[self.tokens.ends[end - 1] : self.tokens.starts[end]]
        return gap.strip() == "," and self.keys[end] in APPOSITION_STARTS
