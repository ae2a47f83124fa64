"""Who said each quote: a cue verb next to the quote and the speaker it points to.

Looked for in order: after the quote ("…,” said Putin / “…,” she added), "according to X"
in the sentence, a cue before the quote in the same sentence (Kim referred to … as “…”;
netizens highlighted the “…”; he thanked … for what he termed “…”), then a quote that
continues the same speaker's earlier quote. Pronouns, role nouns ("the minister") and "one"
of a group resolve to the most recent fitting actor; speaking groups keep a nationality given
next to them ("North Korean state media", "In Russia, official outlets …"). No cue, no
speaker: never a guess.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from itertools import compress
from operator import attrgetter, itemgetter
from typing import NamedTuple

from briefing_app.core.extract.cues import CUES
from briefing_app.core.extract.mentions import PEOPLE_NOUNS, PERSON_SUFFIXES
from briefing_app.core.extract.model import Mention, Quote, Span
from briefing_app.core.extract.quotes import QuoteSpan
from briefing_app.core.extract.registry import (
    DEMONYM,
    Actor,
    Registry,
    actor_key,
    given_name_genders,
)
from briefing_app.core.extract.tokens import Tokens, word_trie

_CUE_WORDS = CUES
# Not "so-called": that marks a scare quote, not a speaker.
_CUE_WORDS_PATTERN = word_trie(set(CUES))
_CUE = re.compile(r"(?<![-‑])\b(?:" + _CUE_WORDS_PATTERN + r")\b", re.I)
# After a speaker named after the quote: an aside or a place ("one official at the port
# authority said"), then the cue.
_SPEAKER_THEN_CUE = re.compile(
    r"\s*(?:,[^,]{0,60},\s*|(?:at|of|from|in|with|for|on)\s[^,.;:“”\"]{0,40}?\s)?"
    r"(?:also\s+|later\s+|then\s+|has\s+|had\s+)?(?P<cue>" + _CUE_WORDS_PATTERN + r")\b",
    re.I,
)
# "\baccording", written as "[aA]" then "not after a word character": a pattern that opens
# with a character class lets the regex engine skip to the next "a" instead of trying a match
# at every position. ("a" has no other case forms.)
_ACCORDING = re.compile(r"(?-i:[aA])(?<!\w[aA])ccording\s+to\b", re.I)
# Pronouns, and the quantifiers that stand for a group ("Some argued", "others said").
_PRONOUN = re.compile(r"\b(?:he|she|they|it|some|others|many|most)\b", re.I)
_PRONOUN_KINDS = {
    "he": ("person",),
    "she": ("person",),
    "they": ("group", "organisation", "person"),
    "it": ("organisation", "country"),
}
_GROUP_KINDS = ("group",)
_PERSON_NOUNS = (
    "minister", "spokesman", "spokeswoman", "spokesperson", "president", "official",
    "ambassador", "envoy", "leader", "chairman", "chairwoman", "governor", "mayor", "general",
    "secretary", "director", "diplomat", "premier", "chancellor", "senator", "analyst",
    "economist", "professor", "researcher", "commander", "chief", "executive", "king",
    "queen", "prince", "officer", "negotiator", "lawmaker", "judge", "lawyer", "woman", "man",
    "fisherman", "farmer", "worker", "resident", "driver", "owner", "nurse", "doctor",
    "teacher", "founder", "activist", "scientist", "engineer", "journalist", "reporter",
    "mother", "father", "widow", "survivor", "witness", "expert",
)  # fmt: skip
_ORGANISATION_NOUNS = (
    "ministry", "agency", "company", "firm", "government", "embassy", "office", "council",
    "committee", "commission", "bank", "institute", "group", "party", "authority", "army",
    "military", "department", "organisation", "organization", "court", "union", "board",
)  # fmt: skip
# "\bthe|this|that", opening with a character class as _ACCORDING does ("t" has no other case
# forms either); the nouns as a trie, as the cue words.
_ROLE_NOUN = re.compile(
    r"(?-i:[tT])(?<!\w[tT])(?:he|his|hat)\s+(?:[\w’'-]+\s+){0,2}?(?P<noun>"
    + word_trie({*_PERSON_NOUNS, *PEOPLE_NOUNS, *_ORGANISATION_NOUNS})
    # and other words for a person: the biologist, the grower, the 43-year-old
    + r"|[\w-]+(?:"
    + "|".join((*PERSON_SUFFIXES, "grower", "maker", "worker", "keeper", "owner", "-old"))
    + r"))\b",
    re.I,
)
# "one said", "one diplomat said", "read one widely shared post": a member of a group.
# "\bone", opening with a character class as _ACCORDING does ("o" has no other case forms).
_ONE = re.compile(
    r"(?-i:[oO])(?<!\w[oO])ne(?:\s+(?:[a-z-]+\s+){0,2}?(?P<noun>[a-z]+))?(?=\s+(?P<cue>\w+))", re.I
)
_COMMA = re.compile(r"\s*,\s*")
_LEAD = re.compile(r"[\s,—–-]*")
"""Between a closing quote mark and what follows it: "…,” said" / "…” — she said"."""
_BY = re.compile(r"\s*(?:by\s+)?")
"""Before a speaker named after a cue: "was quoted by the ministry"."""
_VERB = re.compile(r"\s*(\w+)")
"""The verb after a name: "Ben Salah laughed"."""
_WORD = re.compile(r"[a-z]+", re.I)
_AND_AT_END = re.compile(r"and(?<!\wand)$")
"""Before a cue: "said …, and called it …", a second verb of the same subject. ("\\band$", with
the boundary tested after the word: a pattern that opens with a plain letter is searched for
many times faster.)"""
_ROLE_REST = re.compile(r"(?:\s+[a-z-]+){0,2}\s*,\s*")
_AS_SAYING = re.compile(r"\s+[^,.;“”\"]{1,60}?(?P<tail>\s+as\s+saying)\b", re.I)
_SO_CALLED = re.compile(r"so[-‑ ]called\s*$", re.I)
_LEADING_COUNTRY = re.compile(r"^\W*In\s+$")
# "by the business daily X": up to two lower-case words may stand between.
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:of|at|in|from|for|with|on|near|by|to)\s+(?:(?:the|a|an)\s+)?"
    r"(?:(?!(?:what|which|who|whom|that|whose)\s)[a-z-]+\s+){0,2}$"
)
_POSSESSIVE = re.compile(r"[’']s?\b")
_TRANSITIVE_ONLY = frozenset({"added", "adds", "posted", "posts"})
_DETERMINER_ONLY = re.compile(r"^\s*(?:a|an|the|some|its|his|her|their|new)\s*$", re.I)
_SPEAKABLE = ("person", "organisation", "group", "country")

_START = itemgetter(0)
"""The start of a (start, end) span."""
_MENTION_START = attrgetter("start")

Candidate = Mention | tuple[int, int, str]
"""A mention, or (start, end, "pronoun" | "role" | "one") for a word that points to one."""


class _Speaker(NamedTuple):
    """Who speaks a quote, where named, and how sure that is: a named tuple, made faster
    than a frozen dataclass."""

    actor: Actor
    span: Span
    confidence: float


class Attributor:
    def __init__(
        self,
        text: str,
        mentions: Sequence[Mention],
        sentence_spans: Sequence[tuple[int, int]],
        paragraph_spans: Sequence[tuple[int, int]],
        registry: Registry,
        tokens: Tokens,
    ) -> None:
        self.text = text
        self.registry = registry
        self.mentions = sorted(mentions, key=_MENTION_START)
        self.mention_starts = list(map(_MENTION_START, self.mentions))
        self.sentences = list(sentence_spans)
        self.sentence_starts = list(map(_START, self.sentences))
        self.paragraphs = list(paragraph_spans)
        self.paragraph_starts = list(map(_START, self.paragraphs))
        self.quote_spans: list[tuple[int, int]] = []
        # Cue words, found by word look-up (far faster than a regex over the whole text).
        starts, ends, keys, caps = tokens.starts, tokens.ends, tokens.keys, tokens.capitalised
        self.cues = [
            (starts[index], ends[index], keys[index])
            for index in compress(range(len(keys)), map(_CUE_WORDS.__contains__, keys))
            if text[starts[index] - 1 : starts[index]] not in ("-", "‑")
            and not (caps[index] and index > 0 and caps[index - 1])  # "the United States"
        ]
        self.cue_starts = [start for start, _, _ in self.cues]
        self.genders: dict[str, str] = _known_genders(text, self.mentions)
        """"he" or "she" for people a pronoun already stood for, so a later "she" does not
        land on a man named in between."""
        self.group_speakers: list[tuple[Mention, Actor, int]] = []
        """Group mentions that speak, with the (national) group they stand for and where
        that name starts."""

    # Public --------------------------------------------------------------------------------

    def attribute(self, spans: Sequence[QuoteSpan]) -> list[Quote]:
        self.quote_spans = [(span.open_mark, span.after_close) for span in spans]
        quotes: list[Quote] = []
        previous: Quote | None = None
        for span in spans:
            text = self.text[span.start : span.end]
            if _SO_CALLED.search(self.text, max(0, span.open_mark - 12), span.open_mark):
                quotes.append(Quote(span.start, span.end, text))  # a scare quote
                continue
            found = (
                self._after(span)
                or self._according_to(span)
                or self._before(span)
                or self._beat(span)
            )
            if found is not None:
                speaker, cue = found
                quote = Quote(
                    span.start, span.end, text, speaker.actor, speaker.span, cue,
                    speaker.confidence,
                )  # fmt: skip
            elif previous is not None and previous.speaker and self._continues(previous, span):
                quote = Quote(
                    span.start, span.end, text, previous.speaker, previous.speaker_span,
                    previous.cue, 0.6,
                )  # fmt: skip
            else:
                quote = Quote(span.start, span.end, text)
            quotes.append(quote)
            previous = quote
        return quotes

    # Where the cue is ----------------------------------------------------------------------

    def _sentence(self, position: int) -> tuple[int, int]:
        index = max(bisect.bisect_right(self.sentence_starts, position) - 1, 0)
        return self.sentences[index] if self.sentences else (0, len(self.text))

    def _paragraph(self, position: int) -> tuple[int, int]:
        index = max(bisect.bisect_right(self.paragraph_starts, position) - 1, 0)
        return self.paragraphs[index] if self.paragraphs else (0, len(self.text))

    def _after(self, span: QuoteSpan) -> tuple[_Speaker, str] | None:
        """“…,” said Putin / “…,” Putin said / “…,” she added / “…,” read one post."""
        close = span.after_close
        limit = min(self._paragraph(span.end)[1], close + 120)
        lead = _LEAD.match(self.text, close, limit)
        offset = lead.end() if lead else close
        if self.text[close:offset].strip() == "" and self.text[offset : offset + 1] in ".!?":
            return None  # the sentence ends with the quote
        cue = _CUE.match(self.text, offset, limit)
        if cue:
            speaker = self._speaker_at(cue.end(), limit)
            return (speaker, cue.group().lower()) if speaker is not None else None
        named = self._role_then_name(offset, limit)
        if named is not None:  # "…,” the port's deputy director, Yerlan Dzhaksybekov, told
            named_speaker, after = named
            then = _SPEAKER_THEN_CUE.match(self.text, after, limit)
            return (named_speaker, then.group("cue").lower()) if then else None
        speaker = self._speaker_at(offset, limit)
        if speaker is None:
            return None
        then = _SPEAKER_THEN_CUE.match(self.text, speaker.span.end, limit)
        if then is None:
            # "Foreign Ministry spokesman Andrei Cebotari said": the person after a modifier.
            index = bisect.bisect_right(self.mention_starts, speaker.span.start)
            if index < len(self.mentions) and _only_title_words(
                self.text[speaker.span.end : self.mentions[index].start]
            ):
                person = self.mentions[index]
                then = _SPEAKER_THEN_CUE.match(self.text, person.end, limit)
                if then and person.actor.kind == "person":
                    speaker = self._speaker_from_mention(person, 0.9)
        return (speaker, then.group("cue").lower()) if then else None

    def _role_then_name(self, position: int, limit: int) -> tuple[_Speaker, int] | None:
        """A role phrase, then the person's name between commas: the person, and where the
        text goes on after the second comma."""
        role = _ROLE_NOUN.match(self.text, position, limit)
        # the rest of the role ("the port's deputy director"), then the comma
        opening = _ROLE_REST.match(self.text, role.end(), limit) if role else None
        if opening is None:
            return None
        index = bisect.bisect_left(self.mention_starts, opening.end())
        if index == len(self.mentions) or self.mentions[index].start != opening.end():
            return None
        mention = self.mentions[index]
        closing = _COMMA.match(self.text, mention.end, limit)
        if mention.actor.kind != "person" or closing is None:
            return None
        return self._speaker_from_mention(mention, 0.9), closing.end()

    def _according_to(self, span: QuoteSpan) -> tuple[_Speaker, str] | None:
        start, end = self._sentence(span.start)
        end = max(end, self._sentence(span.end)[1])
        for match in _ACCORDING.finditer(self.text, start, end):
            if self._in_quote(match.start()):
                continue
            speaker = self._speaker_at(match.end(), min(end, match.end() + 80))
            if speaker is not None:
                return speaker, "according to"
        return None

    def _before(self, span: QuoteSpan) -> tuple[_Speaker, str] | None:
        """X said: “…” / X described it as “…” / he thanked Y for what he termed “…”."""
        start = max(self._sentence(span.open_mark)[0], self._paragraph(span.open_mark)[0])
        first = bisect.bisect_left(self.cue_starts, start)
        last = bisect.bisect_left(self.cue_starts, span.open_mark)
        cues = [
            (cue_start, cue_end, word)
            for cue_start, cue_end, word in self.cues[first:last]
            if cue_end <= span.open_mark
            and not self._in_quote(cue_start)
            and not self._object_follows(word, cue_end, span)
        ]
        for _, cue_end, word in cues:
            if word == "quoted":  # "Khovar quoted Nazarova as saying … “…”"
                as_saying = _AS_SAYING.match(self.text, cue_end, span.open_mark)
                if as_saying:
                    speaker = self._speaker_at(cue_end, as_saying.start("tail"))
                    if speaker is not None:
                        return speaker, "quoted"
        if not cues:
            if self.text[start : span.open_mark].rstrip().endswith(":"):
                # "My colleague Patrice Lumu puts it better than I can: “…”"
                speaker = self._first_speaker(start, span.open_mark)
                return (speaker, "") if speaker is not None else None
            return None
        cue_start, _, word = cues[-1]
        before_cue = self.text[start:cue_start].rstrip()
        if (word.endswith("ing") and (before_cue.endswith(",") or not before_cue)) or (
            _AND_AT_END.search(before_cue)
        ):
            # ", describing the relationship as …", "said …, and called it …": the subject
            # of the main clause speaks.
            speaker = self._first_speaker(start, cue_start)
        else:
            speaker = self._last_speaker(start, cue_start)
        if speaker is None:
            return None
        return _Speaker(speaker.actor, speaker.span, min(speaker.confidence, 0.85)), word

    def _beat(self, span: QuoteSpan) -> tuple[_Speaker, str] | None:
        """'Ben Salah laughed. “My son is an engineer.”': a short sentence about a named
        person just before a quote that opens a sentence; the person speaks."""
        paragraph_start, _ = self._paragraph(span.open_mark)
        index = bisect.bisect_right(self.sentence_starts, span.open_mark) - 1
        if index < 1 or self.sentence_starts[index] != span.open_mark:
            return None
        start, end = self.sentences[index - 1]
        if start < paragraph_start or len(self.text[start:end].split()) > 12:
            return None
        candidates = self._candidates(start, end)
        first = candidates[0] if candidates else None
        # Only a person named there: a pronoun would make this a guess.
        if not isinstance(first, Mention) or first.actor.kind != "person":
            return None
        verb = _VERB.match(self.text, first.end, end)
        return _Speaker(first.actor, _span(first), 0.6), verb.group(1) if verb else ""

    def _object_follows(self, word: str, cue_end: int, span: QuoteSpan) -> bool:
        """'added a “maintenance charge”': a verb with an object, not a speech cue."""
        between = self.text[cue_end : span.open_mark]
        return word in _TRANSITIVE_ONLY and bool(_DETERMINER_ONLY.match(between))

    def _in_quote(self, position: int) -> bool:
        return any(start <= position < end for start, end in self.quote_spans)

    def _continues(self, previous: Quote, span: QuoteSpan) -> bool:
        """A quote with no cue of its own that carries on the last speaker's words: a whole
        sentence or more, in the same paragraph or opening the next one."""
        if len(self.text[span.start : span.end].split()) < 4:
            return False
        paragraph_start, _ = self._paragraph(span.open_mark)
        if self._paragraph(previous.start)[0] == paragraph_start:
            return True
        opens_paragraph = not self.text[paragraph_start : span.open_mark].strip()
        previous_end = self._paragraph(previous.end)[1]
        return opens_paragraph and not self.text[previous_end:paragraph_start].strip()

    # Who -----------------------------------------------------------------------------------

    def _speaker_at(self, position: int, limit: int) -> _Speaker | None:
        """The speaker named right at `position`: a mention, a pronoun, a role or "one"."""
        skip = _BY.match(self.text, position, limit)
        at = skip.end() if skip else position
        index = bisect.bisect_left(self.mention_starts, at)
        if index < len(self.mentions):
            mention = self.mentions[index]
            gap = self.text[at : mention.start]
            speakable = mention.actor.kind in _SPEAKABLE and mention.form != DEMONYM
            if speakable and mention.start < limit and _only_title_words(gap):
                return self._speaker_from_mention(mention, 0.95)
        for pattern, kind in ((_ONE, "one"), (_PRONOUN, "pronoun"), (_ROLE_NOUN, "role")):
            match = pattern.match(self.text, at, limit)
            if match:
                return self._resolve((match.start(), match.end(), kind))
        return None

    def _candidates(self, start: int, end: int) -> list[Candidate]:
        """Speaker-like things in text[start:end] outside quotes, in order."""
        found: list[tuple[int, Candidate]] = []
        first = bisect.bisect_left(self.mention_starts, start)
        for mention in self.mentions[first:]:
            if mention.start >= end:
                break
            if mention.actor.kind in _SPEAKABLE:
                found.append((mention.start, mention))
        for pattern, kind in ((_ONE, "one"), (_PRONOUN, "pronoun"), (_ROLE_NOUN, "role")):
            for match in pattern.finditer(self.text, start, end):
                following = bisect.bisect_left(self.mention_starts, match.end())
                if (
                    kind == "pronoun"
                    and following < len(self.mentions)
                    and (not self.text[match.end() : self.mentions[following].start].strip())
                ):
                    continue  # "Some investors": the group itself is the candidate
                if not any(
                    (isinstance(item, Mention) and item.start <= match.end() - 1 < item.end)
                    or (not isinstance(item, Mention) and item[0] <= match.start() < item[1])
                    for _, item in found
                ):
                    found.append((match.start(), (match.start(), match.end(), kind)))
        found.sort(key=lambda pair: pair[0])
        return [item for position, item in found if not self._in_quote(position)]

    def _last_speaker(self, start: int, end: int) -> _Speaker | None:
        """The subject nearest before the cue, passing over an aside between commas
        ("Helen Moss, representing Mr Fairburn, said") and objects of prepositions
        ("a commentary in the Global Times urged")."""
        asides = _asides(self.text, start, end)
        fallback = None
        for item in reversed(self._candidates(start, end)):
            position = item.start if isinstance(item, Mention) else item[0]
            if any(aside_start <= position < aside_end for aside_start, aside_end in asides):
                continue
            if _POSSESSIVE.match(self.text, _candidate_end(item)):
                continue  # "the government's response": the possessor is not the subject
            speaker = self._resolve(item)
            if speaker is None:
                continue
            if _PREPOSITION_BEFORE.search(self.text[max(start, position - 40) : position]):
                fallback = fallback or speaker
                continue
            return speaker
        return fallback

    def _first_speaker(self, start: int, end: int) -> _Speaker | None:
        for item in self._candidates(start, end):
            speaker = self._resolve(item)
            if speaker is not None:
                return speaker
        return None

    def _resolve(self, item: Candidate) -> _Speaker | None:
        if isinstance(item, Mention):
            if item.form == DEMONYM:
                return None  # "Russian" alone says nothing; "Russian officials" is a group
            return self._speaker_from_mention(item, 0.85)
        start, end, kind = item
        span = Span(start, end, self.text[start:end])
        if kind == "role":
            match = _ROLE_NOUN.match(self.text, start)
            noun = match.group("noun").lower() if match else ""
            kinds = ("organisation", "country") if noun in _ORGANISATION_NOUNS else ("person",)
            antecedent = self._recent(start, kinds)
            return _Speaker(antecedent.actor, span, 0.7) if antecedent else None
        if kind == "one":
            return self._member_of_group(start, end)
        word = span.text.lower()
        antecedent = self._antecedent(start, word, _PRONOUN_KINDS.get(word, _GROUP_KINDS))
        if antecedent is None:
            return None
        if word in ("he", "she"):
            self.genders.setdefault(antecedent.actor.key, word)
        return _Speaker(self._speaker_from_mention(antecedent, 0.75).actor, span, 0.75)

    def _member_of_group(self, start: int, end: int) -> _Speaker | None:
        """As in "one diplomat" is one of the diplomats; a bare "one" is one of the group named
        last."""
        match = _ONE.match(self.text, start, end + 40)
        noun_is_cue = bool(match and match.group("noun") and match.group("noun").lower() in CUES)
        if match and match.group("noun") and not noun_is_cue:
            index = bisect.bisect_left(self.mention_starts, match.start("noun"))
            if index < len(self.mentions) and self.mentions[index].start < match.end("noun"):
                mention = self.mentions[index]
                if mention.actor.kind == "group":
                    return self._speaker_from_mention(mention, 0.7)
            # "One analyst", "one security analyst": the singular need not be an alias;
            # the head noun is the last group word before the cue ("one local analyst")
            found: tuple[Actor, Span] | None = None
            words = _WORD.finditer(self.text, match.start("noun"), end + 40)
            for word in itertools.islice(words, 3):
                noun = word.group().lower()
                if noun in CUES:
                    break
                for form in (noun + "s", noun):
                    lookup = self.registry.lookup((form,))
                    groups = [alias.actor for alias in lookup if alias.actor.kind == "group"]
                    if groups:
                        found = groups[0], Span(word.start(), word.end(), word.group())
                        break
            if found is not None:
                actor, span = found
                named = self._antecedent(start, "one", _GROUP_KINDS)
                if named is not None and named.actor.key == actor.key:
                    # the group named before, with its nationality ("Indonesian netizens")
                    actor = self._speaker_from_mention(named, 0.7).actor
                return _Speaker(actor, span, 0.7)
        antecedent = self._antecedent(start, "one", _GROUP_KINDS)
        if antecedent is None:
            return None
        actor = self._speaker_from_mention(antecedent, 0.7).actor
        stop = match.end() if match and not noun_is_cue else start + 3
        return _Speaker(actor, Span(start, stop, self.text[start:stop]), 0.7)

    def _speaker_from_mention(self, mention: Mention, confidence: float) -> _Speaker:
        if mention.actor.kind != "group":
            return _Speaker(mention.actor, _span(mention), confidence)
        qualified = self._qualified_group(mention)
        self.group_speakers.append((mention, qualified.actor, qualified.span.start))
        return qualified

    def _qualified_group(self, mention: Mention) -> _Speaker:
        """'North Korean state media', or 'official outlets' in a sentence opening 'In
        Russia,' become national groups."""
        index = bisect.bisect_left(self.mention_starts, mention.start)
        if index > 0:
            before = self.mentions[index - 1]
            gap = self.text[before.end : mention.start]
            if before.form == DEMONYM and not gap.strip():
                return self._national_group(before, mention, before.start)
        sentence_start, _ = self._sentence(mention.start)
        for other in self.mentions[:index]:
            if other.start < sentence_start or other.actor.kind != "country":
                continue
            clause = self.text[other.end : mention.start].strip(" ,")
            if _LEADING_COUNTRY.match(self.text[sentence_start : other.start]) and (
                clause.count(" ") < 2
            ):
                return self._national_group(other, mention, mention.start)
        return _Speaker(mention.actor, _span(mention), 0.9)

    def _national_group(self, country: Mention, group: Mention, start: int) -> _Speaker:
        demonym = (
            country.text
            if country.form == DEMONYM
            else self.registry.demonyms.get(country.actor.key, country.actor.name)
        )
        name = f"{demonym} {group.actor.name}"
        actor = Actor(actor_key("group", name), name, "group", discovered=True)
        return _Speaker(actor, Span(start, group.end, self.text[start : group.end]), 0.9)

    def _modifies_next_group(self, mention: Mention) -> bool:
        """As in "Opposition lawmakers": the first group word only qualifies the second."""
        if mention.actor.kind != "group":
            return False
        index = bisect.bisect_right(self.mention_starts, mention.start)
        return (
            index < len(self.mentions)
            and self.mentions[index].actor.kind == "group"
            and not self.text[mention.end : self.mentions[index].start].strip()
        )

    def _recent(self, position: int, kinds: tuple[str, ...]) -> Mention | None:
        index = bisect.bisect_left(self.mention_starts, position)
        for mention in reversed(self.mentions[:index]):
            if mention.actor.kind in kinds and mention.form != DEMONYM:
                return mention
        return None

    def _antecedent(self, position: int, pronoun: str, kinds: tuple[str, ...]) -> Mention | None:
        """Subjects first: a pronoun opening its sentence, or repeating one that did, means
        the subject of the sentence before (the first fitting actor named there); otherwise
        the first fitting actor named earlier in its own sentence."""
        sentence_start, _ = self._sentence(position)
        earlier = re.search(rf"\b{pronoun}\b", self.text[sentence_start:position], re.I)
        if earlier is None:
            own = self._first_fitting(sentence_start, position, kinds, pronoun)
            if own is not None:
                return own
        index = bisect.bisect_right(self.sentence_starts, sentence_start) - 2
        while index >= 0:
            start, end = self.sentences[index]
            found = self._first_fitting(start, end, kinds, pronoun)
            if found is not None:
                return found
            index -= 1
        return None

    def _first_fitting(
        self, start: int, end: int, kinds: tuple[str, ...], pronoun: str
    ) -> Mention | None:
        index = bisect.bisect_left(self.mention_starts, start)
        for mention in self.mentions[index:]:
            if mention.start >= end:
                break
            if (
                mention.actor.kind in kinds
                and mention.form != DEMONYM
                and not _POSSESSIVE.match(self.text, mention.end)  # "Hungary's ministry"
                and not self._in_quote(mention.start)
                and self.genders.get(mention.actor.key, pronoun) == pronoun
                and not self._modifies_next_group(mention)
            ):
                return mention
        return None


_GENDERED_TITLES = {
    "mr": "he", "mr.": "he", "sir": "he", "lord": "he", "king": "he", "prince": "he",
    "ms": "she", "ms.": "she", "mrs": "she", "mrs.": "she", "miss": "she", "dame": "she",
    "lady": "she", "queen": "she", "princess": "she",
}  # fmt: skip


def _known_genders(text: str, mentions: Sequence[Mention]) -> dict[str, str]:
    """People whose given name or title ("Helga Marwitz", "Mr Asante") says "he" or "she"."""
    names = given_name_genders()
    genders: dict[str, str] = {}
    for mention in mentions:
        if mention.actor.kind != "person" or mention.actor.key in genders:
            continue
        title = text[max(0, mention.start - 6) : mention.start].split()
        gender = _GENDERED_TITLES.get(title[-1].lower()) if title else None
        if gender is None:
            words = mention.actor.name.split()
            gender = names.get(words[0].casefold()) if len(words) > 1 else None
        if gender is not None:
            genders[mention.actor.key] = gender
    return genders


def _candidate_end(item: Candidate) -> int:
    return item.end if isinstance(item, Mention) else item[1]


def _span(mention: Mention) -> Span:
    return Span(mention.start, mention.end, mention.text)


_LOWER_TITLE_WORDS = frozenset(
    "the of chief executive former deputy senior acting spokesman spokeswoman spokesperson "
    "director minister officer analyst economist professor financial operating technology "
    "managing general vice head president chairman chairwoman founder co-founder secretary "
    "manager counsel lawyer adviser advisor mayor governor ambassador envoy commissioner "
    "editor researcher scientist engineer".split()
)


def _only_title_words(gap: str) -> bool:
    """Between a cue and a name only a title may stand: 'said Deputy Minister Ana Duarte',
    'told chief executive Henrike Vogt'."""
    words = gap.split()
    return len(words) <= 4 and all(
        word[:1].isupper() or word in _LOWER_TITLE_WORDS for word in words
    )


_ASIDE = re.compile(
    r",\s+(?:a|an|the|who|whose|which|of|from|at|representing|speaking|writing|\d+)\b[^,.;:“”\"]*,"
)


def _asides(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of asides between commas (", an opposition member of the committee,") in the
    clause: what they name is not the subject."""
    return [(match.start(), match.end()) for match in _ASIDE.finditer(text, start, end)]
