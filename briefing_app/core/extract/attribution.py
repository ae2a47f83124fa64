"""Who said each quote: a cue verb next to the quote and the speaker it points to.

Looked for in order: after the quote ("…,” said Putin / “…,” she added), "according to X"
in the sentence, a cue before the quote in the same sentence (Kim referred to … as “…”;
netizens highlighted the “…”; he thanked … for what he termed “…”), then a quote that
continues the same speaker's earlier quote. Pronouns and role nouns resolve to the most
recent fitting actor; speaking groups keep a nationality given next to them ("North Korean
state media", "In Russia, official outlets …"). No cue, no speaker: never a guess.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefing_app.core.extract.model import Mention, Quote, Span
from briefing_app.core.extract.quotes import QuoteSpan
from briefing_app.core.extract.registry import DEMONYM, Actor, Registry, actor_key

CUES = (
    "said", "says", "say", "saying", "told", "tells", "telling", "added", "adds", "adding",
    "described", "describes", "describing", "describe", "termed", "terms", "terming",
    "referred", "refers", "referring", "called", "calls", "calling", "thanked", "thanking",
    "wrote", "writes", "writing", "posted", "posting", "posts", "warned", "warns", "warning",
    "urged", "urges", "urging", "insisted", "insists", "insisting", "argued", "argues",
    "arguing", "noted", "notes", "noting", "stressed", "stresses", "stressing", "asked",
    "asks", "replied", "replies", "explained", "explains", "claimed", "claims", "declared",
    "announced", "acknowledged", "admitted", "quoted", "highlighted", "highlighting",
    "portrayed", "portraying", "framed", "framing", "hailed", "hailing", "dubbed", "dubbing",
    "labelled", "labeled", "branded", "praised", "praising", "condemned", "criticised",
    "criticized", "dismissed", "welcomed", "accused", "vowed", "pledged", "promised",
    "predicted", "hoped", "hoping", "hopes", "focused", "focusing", "emphasised",
    "emphasized", "emphasising", "emphasizing", "suggested", "suggesting", "reported",
    "reports", "reporting", "stated", "states", "commented", "remarked", "recalled",
    "recalls", "continued", "concluded", "cautioned", "complained", "boasted", "conceded",
    "answered", "responded", "shouted", "whispered", "joked", "mused", "observed",
    "characterised", "characterized", "echoed", "repeated", "insist", "warn", "urge",
    "argue", "note", "stress", "call", "claim", "predict", "describe",
)  # fmt: skip
_CUE = re.compile(r"\b(?:" + "|".join(sorted(CUES, key=len, reverse=True)) + r")\b", re.I)
_ACCORDING = re.compile(r"\baccording\s+to\b", re.I)
_PERSON_PRONOUNS = frozenset({"he", "she"})
_GROUP_PRONOUNS = frozenset({"they"})
_PRONOUN = re.compile(r"\b(?:he|she|they|it)\b", re.I)
_PERSON_NOUNS = (
    "minister", "spokesman", "spokeswoman", "spokesperson", "president", "official",
    "ambassador", "envoy", "leader", "chairman", "chairwoman", "governor", "mayor", "general",
    "secretary", "director", "diplomat", "premier", "chancellor", "senator", "analyst",
    "economist", "professor", "researcher", "commander", "chief", "executive", "king",
    "queen", "prince", "officer", "negotiator", "lawmaker", "woman", "man",
)  # fmt: skip
_ORGANISATION_NOUNS = (
    "ministry", "agency", "company", "firm", "government", "embassy", "office", "council",
    "committee", "commission", "bank", "institute", "group", "party", "authority", "army",
    "military", "department", "organisation", "organization", "court", "union", "board",
)  # fmt: skip
_ROLE_NOUN = re.compile(
    r"\b(?:the|a|an|this|that)\s+(?:[\w’'-]+\s+){0,2}?(?P<noun>"
    + "|".join(_PERSON_NOUNS + _ORGANISATION_NOUNS)
    + r")\b",
    re.I,
)
_PARTICIPLE = re.compile(r"ing$")
_LEADING_COUNTRY = re.compile(r"^\W*In\s+$")
_SPEAKABLE = ("person", "organisation", "group", "country")


@dataclass(frozen=True, slots=True)
class _Speaker:
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
    ) -> None:
        self.text = text
        self.registry = registry
        self.mentions = sorted(mentions, key=lambda mention: mention.start)
        self.mention_starts = [mention.start for mention in self.mentions]
        self.sentences = list(sentence_spans)
        self.sentence_starts = [start for start, _ in self.sentences]
        self.paragraphs = list(paragraph_spans)
        self.paragraph_starts = [start for start, _ in self.paragraphs]
        self.group_speakers: list[tuple[Mention, Actor, int]] = []

    # Public --------------------------------------------------------------------------------

    def attribute(self, spans: Sequence[QuoteSpan]) -> list[Quote]:
        quotes: list[Quote] = []
        previous: Quote | None = None
        for span in spans:
            text = self.text[span.start : span.end]
            found = self._after(span) or self._according_to(span) or self._before(span)
            if found is not None:
                speaker, cue = found
                quote = Quote(
                    span.start, span.end, text, speaker.actor, speaker.span, cue, speaker.confidence
                )
            elif previous is not None and previous.speaker and self._continues(previous, span):
                quote = Quote(
                    span.start,
                    span.end,
                    text,
                    previous.speaker,
                    previous.speaker_span,
                    previous.cue,
                    0.6,
                )
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
        """“…,” said Putin / “…,” Putin said / “…,” she added."""
        close = span.end + 1
        limit = min(self._paragraph(span.end)[1], close + 120)
        tail = self.text[close:limit]
        lead = re.match(r"[\s,.;:!?”’\"'—–-]*", tail)
        offset = close + (lead.end() if lead else 0)
        cue = _CUE.match(self.text, offset, limit)
        if cue:  # said Putin
            speaker = self._speaker_at(cue.end(), limit, span)
            if speaker is not None:
                return speaker, cue.group().lower()
            return None
        speaker = self._speaker_at(offset, limit, span)
        if speaker is None:
            return None
        rest = re.match(
            r"\s*(?:,[^,]{0,60},\s*)?(?:also\s+|later\s+|then\s+|has\s+|had\s+)?",
            self.text[speaker.span.end : limit],
        )
        verb_at = speaker.span.end + (rest.end() if rest else 0)
        cue = _CUE.match(self.text, verb_at, limit)
        if cue:
            return speaker, cue.group().lower()
        return None

    def _according_to(self, span: QuoteSpan) -> tuple[_Speaker, str] | None:
        start, end = self._sentence(span.start)
        end = max(end, self._sentence(span.end)[1])
        for match in _ACCORDING.finditer(self.text, start, end):
            if span.open_mark <= match.start() < span.end:
                continue
            speaker = self._speaker_at(match.end(), min(end, match.end() + 80), span)
            if speaker is not None:
                return speaker, "according to"
        return None

    def _before(self, span: QuoteSpan) -> tuple[_Speaker, str] | None:
        """X said: “…” / X described it as “…” / he thanked Y for what he termed “…”."""
        start, _ = self._sentence(span.open_mark)
        paragraph_start = self._paragraph(span.open_mark)[0]
        start = max(start, paragraph_start)
        cues = [
            match
            for match in _CUE.finditer(self.text, start, span.open_mark)
            if not self._inside_other_quote(match.start(), span)
        ]
        if not cues:
            return None
        cue = cues[-1]
        word = cue.group().lower()
        participle = _PARTICIPLE.search(word) is not None
        before_cue = self.text[start : cue.start()].rstrip()
        if participle and (before_cue.endswith(",") or not before_cue):
            speaker = self._first_speaker(start, cue.start())
            confidence = 0.75
        else:
            speaker = self._last_speaker(start, cue.start())
            confidence = 0.85
        if speaker is None:
            return None
        return _Speaker(speaker.actor, speaker.span, confidence), word

    def _inside_other_quote(self, position: int, span: QuoteSpan) -> bool:
        segment = self.text[self._sentence(span.open_mark)[0] : position]
        return segment.count("“") > segment.count("”")

    def _continues(self, previous: Quote, span: QuoteSpan) -> bool:
        """A quote with no cue of its own that carries on the last speaker's words: a whole
        sentence or more, in the same paragraph or opening the next one."""
        words = len(self.text[span.start : span.end].split())
        same_paragraph = self._paragraph(previous.start) == self._paragraph(span.start)
        paragraph_start, _ = self._paragraph(span.open_mark)
        opens_paragraph = not self.text[paragraph_start : span.open_mark].strip()
        previous_paragraph = self._paragraph(previous.end)
        next_paragraph = paragraph_start >= previous_paragraph[1] and not self.text[
            previous_paragraph[1] : paragraph_start
        ].strip("\n\r\t ")
        if words < 4:
            return False
        return same_paragraph or (opens_paragraph and next_paragraph)

    # Who -----------------------------------------------------------------------------------

    def _speaker_at(self, position: int, limit: int, span: QuoteSpan) -> _Speaker | None:
        """The speaker named right at `position`: a mention, a pronoun or a role noun."""
        skip = re.match(r"\s*(?:by\s+)?", self.text[position:limit])
        at = position + (skip.end() if skip else 0)
        index = bisect.bisect_left(self.mention_starts, at)
        if index < len(self.mentions):
            mention = self.mentions[index]
            gap = self.text[at : mention.start]
            speakable = mention.actor.kind in _SPEAKABLE
            if speakable and mention.start < limit and _only_title_words(gap):
                return self._speaker_from_mention(mention, 0.95)
        pronoun = _PRONOUN.match(self.text, at, limit)
        if pronoun:
            return self._resolve_pronoun(pronoun.start(), pronoun.end())
        role = _ROLE_NOUN.match(self.text, at, limit)
        if role:
            return self._resolve_role(role)
        return None

    def _candidates(self, start: int, end: int) -> list[Mention | tuple[int, int, str]]:
        """Speaker-like things in text[start:end] in order: mentions, pronouns, role nouns."""
        found: list[tuple[int, Mention | tuple[int, int, str]]] = []
        first = bisect.bisect_left(self.mention_starts, start)
        for mention in self.mentions[first:]:
            if mention.start >= end:
                break
            if mention.actor.kind in _SPEAKABLE:
                found.append((mention.start, mention))
        for match in _PRONOUN.finditer(self.text, start, end):
            found.append((match.start(), (match.start(), match.end(), "pronoun")))
        for match in _ROLE_NOUN.finditer(self.text, start, end):
            if not any(
                isinstance(item, Mention) and item.start <= match.start("noun") < item.end
                for _, item in found
            ):
                found.append((match.start(), (match.start(), match.end(), "role")))
        found.sort(key=lambda pair: pair[0])
        return [item for _, item in found]

    def _last_speaker(self, start: int, end: int) -> _Speaker | None:
        for item in reversed(self._candidates(start, end)):
            speaker = self._resolve(item)
            if speaker is not None:
                return speaker
        return None

    def _first_speaker(self, start: int, end: int) -> _Speaker | None:
        for item in self._candidates(start, end):
            speaker = self._resolve(item)
            if speaker is not None:
                return speaker
        return None

    def _resolve(self, item: Mention | tuple[int, int, str]) -> _Speaker | None:
        if isinstance(item, Mention):
            if item.actor.kind == "country" and item.form == DEMONYM:
                return None  # "Russian" alone says nothing; "Russian officials" is a group
            return self._speaker_from_mention(item, 0.85)
        start, end, kind = item
        if kind == "pronoun":
            return self._resolve_pronoun(start, end)
        match = _ROLE_NOUN.match(self.text, start)
        return self._resolve_role(match) if match else None

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
            if before.form == DEMONYM and (not gap.strip() or gap.strip() in ("official",)):
                return self._national_group(before, mention, before.start)
        sentence_start, _ = self._sentence(mention.start)
        clause = self.text[sentence_start : mention.start]
        for other in self.mentions[:index]:
            if other.start < sentence_start or other.actor.kind != "country":
                continue
            head = self.text[sentence_start : other.start]
            if (
                _LEADING_COUNTRY.match(head)
                and clause[other.end - sentence_start :].strip(" ,").count(" ") < 2
            ):
                return self._national_group(other, mention, mention.start)
        return _Speaker(mention.actor, _span(mention), 0.9)

    def _national_group(self, country: Mention, group: Mention, start: int) -> _Speaker:
        demonym = (
            country.text
            if country.form == DEMONYM
            else (self.registry.demonyms.get(country.actor.key, country.actor.name))
        )
        name = f"{demonym} {group.actor.name}"
        actor = Actor(actor_key("group", name), name, "group", discovered=True)
        return _Speaker(actor, Span(start, group.end, self.text[start : group.end]), 0.9)

    def _recent(self, position: int, kinds: tuple[str, ...]) -> Mention | None:
        index = bisect.bisect_left(self.mention_starts, position)
        for mention in reversed(self.mentions[:index]):
            if mention.actor.kind in kinds and mention.form != DEMONYM:
                return mention
        return None

    def _resolve_pronoun(self, start: int, end: int) -> _Speaker | None:
        antecedent = self._antecedent(start, self.text[start:end].lower())
        if antecedent is None:
            return None
        actor = self._group_actor(antecedent)
        return _Speaker(actor, Span(start, end, self.text[start:end]), 0.75)

    def _antecedent(self, position: int, pronoun: str) -> Mention | None:
        """Subjects first: a pronoun opening its sentence, or repeating one that did, means
        the subject of the sentence before (the first fitting actor named there); otherwise
        the first fitting actor named earlier in its own sentence."""
        kinds: tuple[str, ...]
        if pronoun in _PERSON_PRONOUNS:
            kinds = ("person",)
        elif pronoun in _GROUP_PRONOUNS:
            kinds = ("group", "organisation", "person")
        else:
            kinds = ("organisation", "country")
        sentence_start, _ = self._sentence(position)
        same = [
            m.start()
            for m in re.finditer(rf"\b{pronoun}\b", self.text[sentence_start:position], re.I)
        ]
        if not same:
            own = self._first_fitting(sentence_start, position, kinds)
            if own is not None:
                return own
        index = bisect.bisect_right(self.sentence_starts, sentence_start) - 2
        while index >= 0:
            start, end = self.sentences[index]
            found = self._first_fitting(start, end, kinds)
            if found is not None:
                return found
            index -= 1
        return None

    def _first_fitting(self, start: int, end: int, kinds: tuple[str, ...]) -> Mention | None:
        index = bisect.bisect_left(self.mention_starts, start)
        for mention in self.mentions[index:]:
            if mention.start >= end:
                break
            if mention.actor.kind in kinds and mention.form != DEMONYM:
                return mention
        return None

    def _group_actor(self, mention: Mention) -> Actor:
        for group_mention, actor, _ in self.group_speakers:
            if group_mention is mention:
                return actor
        return mention.actor

    def _resolve_role(self, match: re.Match[str]) -> _Speaker | None:
        noun = match.group("noun").lower()
        kinds = ("person",) if noun in _PERSON_NOUNS else ("organisation", "country")
        antecedent = self._recent(match.start(), kinds)
        if antecedent is None:
            return None
        span = Span(match.start(), match.end(), match.group())
        return _Speaker(antecedent.actor, span, 0.7)


def _span(mention: Mention) -> Span:
    return Span(mention.start, mention.end, mention.text)


def _only_title_words(gap: str) -> bool:
    """Between a cue and a name only a title may stand: 'said Deputy Minister Ana Duarte'."""
    words = gap.split()
    return len(words) <= 4 and all(word[:1].isupper() or word in ("the", "of") for word in words)


__all__ = ["CUES", "Attributor"]
