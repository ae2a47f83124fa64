"""Deterministic synthetic news articles for benchmarks.

    python bench/synthetic.py txt   OUT_FOLDER --n 5000      # one .txt file per article
    python bench/synthetic.py jsonl OUT_FILE   --n 100000    # one JSON object per line
    python bench/synthetic.py stats --n 2000                 # vocabulary and length figures

Article `i` depends only on (SEED, i), so the first 5,000 articles of a 100,000 corpus are the
5,000 corpus. Bodies are ~600 words of paragraphs made from sentence templates mixing invented
people with titles, real countries and organisations, places, numbers and direct quotes (curly
and straight marks), over a vocabulary of a few thousand words drawn with Zipf-like weights.
Every body is unique (checked while generating; a clash is regenerated with another salt).

Bump GENERATOR_VERSION whenever the output changes: bench caches are keyed by it.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import random
import sys
from bisect import bisect_right
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

GENERATOR_VERSION = "2"
SEED = 20250904
TABLE_SIZE = 1 << 17

# Vocabulary ---------------------------------------------------------------------------------

FIRST_NAMES = [
    "Ana",
    "Mateo",
    "Lucia",
    "Farid",
    "Ingrid",
    "Tomas",
    "Yuki",
    "Kwame",
    "Amara",
    "Dmitri",
    "Sofia",
    "Rahul",
    "Leila",
    "Jonas",
    "Elena",
    "Omar",
    "Chen",
    "Mariam",
    "Pedro",
    "Nadia",
    "Viktor",
    "Aisha",
    "Henrik",
    "Beatriz",
    "Kofi",
    "Hana",
    "Lars",
    "Priya",
    "Emre",
    "Camila",
    "Javier",
    "Noura",
    "Pavel",
    "Mei",
    "Samuel",
    "Fatima",
    "Arjun",
    "Greta",
    "Malik",
    "Irina",
    "Tariq",
    "Carmen",
    "Joon",
    "Olga",
    "Bruno",
    "Zeynep",
    "Andrei",
    "Ines",
    "Hugo",
    "Layla",
    "Kenji",
    "Rosa",
    "Musa",
    "Petra",
    "Diego",
    "Amina",
    "Stefan",
    "Yara",
    "Luis",
    "Keiko",
]

SURNAMES = [
    "Duarte",
    "Okafor",
    "Lindqvist",
    "Haddad",
    "Moreau",
    "Tanaka",
    "Novak",
    "Mensah",
    "Petrov",
    "Castillo",
    "Rahman",
    "Weber",
    "Kowalski",
    "Nakamura",
    "Osei",
    "Varga",
    "Halvorsen",
    "Qureshi",
    "Bianchi",
    "Santos",
    "Demir",
    "Ivanova",
    "Mbeki",
    "Larsen",
    "Fischer",
    "Ortega",
    "Sato",
    "Aziz",
    "Nilsson",
    "Reyes",
    "Kamau",
    "Popescu",
    "Andersen",
    "Yilmaz",
    "Ferreira",
    "Horvat",
    "Mendes",
    "Karimi",
    "Jansen",
    "Delgado",
    "Abara",
    "Volkov",
    "Lindgren",
    "Farouk",
    "Silva",
    "Kovacs",
    "Eriksen",
    "Achebe",
    "Marchetti",
    "Duval",
    "Hoffmann",
    "Romero",
    "Sokolova",
    "Barros",
    "Njoroge",
    "Falk",
    "Benali",
    "Vasquez",
    "Moradi",
    "Ström",
    "Quintana",
    "Adeyemi",
]

TITLES = [
    "Foreign Minister",
    "Prime Minister",
    "President",
    "Defence Minister",
    "Finance Minister",
    "Trade Minister",
    "Energy Minister",
    "Interior Minister",
    "Health Minister",
    "Ambassador",
    "Senator",
    "General",
    "Admiral",
    "Governor",
    "Mayor",
    "Chancellor",
    "Deputy Prime Minister",
    "Secretary-General",
    "Central Bank Governor",
    "Opposition leader",
    "spokesperson",
    "chief negotiator",
    "Economy Minister",
    "Special Envoy",
    "Chief Justice",
]

COUNTRIES = [
    "France",
    "Germany",
    "Brazil",
    "India",
    "China",
    "Japan",
    "Nigeria",
    "Kenya",
    "Egypt",
    "Turkey",
    "Russia",
    "Ukraine",
    "Poland",
    "Mexico",
    "Canada",
    "Argentina",
    "Chile",
    "Peru",
    "Colombia",
    "Indonesia",
    "Vietnam",
    "Thailand",
    "Malaysia",
    "Philippines",
    "Pakistan",
    "Bangladesh",
    "Iran",
    "Iraq",
    "Israel",
    "Jordan",
    "Lebanon",
    "Syria",
    "Qatar",
    "Ethiopia",
    "Ghana",
    "Senegal",
    "Morocco",
    "Algeria",
    "Tunisia",
    "Spain",
    "Portugal",
    "Italy",
    "Greece",
    "Sweden",
    "Norway",
    "Finland",
    "Denmark",
    "Estonia",
    "Latvia",
    "Lithuania",
    "Romania",
    "Hungary",
    "Serbia",
    "Georgia",
    "Armenia",
    "Azerbaijan",
    "Kazakhstan",
    "Uzbekistan",
    "Mongolia",
    "Australia",
    "Zealand",
    "Singapore",
    "Taiwan",
    "Korea",
    "Sudan",
    "Somalia",
    "Tanzania",
    "Uganda",
    "Angola",
    "Zambia",
    "Venezuela",
    "Bolivia",
    "Ecuador",
    "Cuba",
    "Haiti",
    "Ireland",
    "Austria",
    "Switzerland",
    "Belgium",
    "Netherlands",
    "Moldova",
]

ORGS = [
    "United Nations",
    "NATO",
    "European Union",
    "African Union",
    "World Bank",
    "International Monetary Fund",
    "World Health Organization",
    "OPEC",
    "ASEAN",
    "G20",
    "World Trade Organization",
    "Red Cross",
    "UNICEF",
    "International Atomic Energy Agency",
    "European Central Bank",
    "Security Council",
    "Arab League",
    "Mercosur",
    "OECD",
    "International Criminal Court",
    "World Food Programme",
    "UNHCR",
    "Interpol",
    "Council of Europe",
    "Amnesty International",
    "Human Rights Watch",
    "Doctors Without Borders",
    "Gulf Cooperation Council",
    "Shanghai Cooperation Organisation",
    "Commonwealth",
]

PLACES = [
    "Geneva",
    "Brussels",
    "Nairobi",
    "Istanbul",
    "Jakarta",
    "Lagos",
    "Santiago",
    "Warsaw",
    "Kyiv",
    "Beijing",
    "Tokyo",
    "Cairo",
    "Doha",
    "Vienna",
    "Lisbon",
    "Montreal",
    "Mumbai",
    "Karachi",
    "Hanoi",
    "Manila",
    "Addis Ababa",
    "Bogota",
    "Lima",
    "Dakar",
    "Casablanca",
    "Tunis",
    "Athens",
    "Bucharest",
    "Tbilisi",
    "Yerevan",
    "Baku",
    "Almaty",
    "Tashkent",
    "Seoul",
    "Taipei",
    "Sydney",
    "Auckland",
    "Havana",
    "Caracas",
    "Quito",
    "Helsinki",
    "Oslo",
    "Stockholm",
    "Copenhagen",
    "Tallinn",
    "Riga",
    "Vilnius",
    "Budapest",
    "Belgrade",
    "Chisinau",
    "Dublin",
    "Zurich",
    "Antwerp",
    "Rotterdam",
    "Khartoum",
    "Mogadishu",
    "Kampala",
    "Luanda",
    "Lusaka",
    "Accra",
    "Amman",
    "Beirut",
    "Baghdad",
    "Tehran",
    "Dhaka",
    "Bangkok",
    "Singapore",
    "Osaka",
    "Marseille",
    "Hamburg",
    "Porto",
]

OUTLETS = [
    "The Meridian Post",
    "Harbor Daily",
    "Northwind Times",
    "Global Ledger",
    "The Civic Herald",
    "Atlas Wire",
    "Capital Courier",
    "The Evening Lantern",
    "Continental Review",
    "Signal Press",
    "The Bridgewater Gazette",
    "Tidewater News",
    "Pinnacle Dispatch",
    "The Frontier Record",
    "Crossroads Journal",
    "Summit Observer",
    "The Weekly Compass",
    "Riverside Chronicle",
    "Equator Times",
    "Polar Star",
    "The Open Forum",
    "Keystone Report",
    "Horizon Bulletin",
    "The Daily Anchor",
    "Granite Tribune",
    "Silverline Media",
    "The Beacon",
    "Orbit News",
    "Lowland Standard",
    "Coastline Monitor",
]

NOUNS = [
    "talks",
    "agreement",
    "sanctions",
    "ceasefire",
    "election",
    "summit",
    "budget",
    "inflation",
    "economy",
    "border",
    "refugees",
    "pipeline",
    "reactor",
    "vaccine",
    "outbreak",
    "drought",
    "flood",
    "harvest",
    "tariffs",
    "exports",
    "imports",
    "investment",
    "debt",
    "loan",
    "bond",
    "currency",
    "growth",
    "recession",
    "unemployment",
    "wages",
    "strike",
    "protest",
    "parliament",
    "coalition",
    "opposition",
    "constitution",
    "referendum",
    "court",
    "ruling",
    "verdict",
    "appeal",
    "treaty",
    "alliance",
    "deployment",
    "troops",
    "missile",
    "drone",
    "navy",
    "airspace",
    "satellite",
    "cyberattack",
    "hackers",
    "espionage",
    "embassy",
    "diplomat",
    "delegation",
    "negotiations",
    "framework",
    "roadmap",
    "deadline",
    "proposal",
    "amendment",
    "legislation",
    "bill",
    "reform",
    "policy",
    "regulation",
    "subsidy",
    "grid",
    "turbine",
    "solar",
    "emissions",
    "climate",
    "carbon",
    "forest",
    "wildfire",
    "storm",
    "earthquake",
    "aid",
    "convoy",
    "shelter",
    "hospital",
    "clinic",
    "doctors",
    "nurses",
    "teachers",
    "students",
    "schools",
    "university",
    "research",
    "startup",
    "market",
    "shares",
    "stocks",
    "investors",
    "prices",
    "fuel",
    "gas",
    "oil",
    "wheat",
    "grain",
    "fertilizer",
    "shipping",
    "port",
    "corridor",
    "railway",
    "highway",
    "bridge",
    "airport",
    "tourism",
    "visa",
    "migration",
    "asylum",
    "camp",
    "ministry",
    "cabinet",
    "spokesman",
    "statement",
    "communique",
    "interview",
    "briefing",
    "report",
    "survey",
    "poll",
    "ballot",
    "turnout",
    "candidate",
    "campaign",
    "rally",
    "scandal",
    "investigation",
    "prosecutor",
    "corruption",
    "bribery",
    "fraud",
    "audit",
    "watchdog",
    "commission",
    "inquiry",
    "hearing",
    "testimony",
    "witness",
    "evidence",
    "leak",
    "document",
    "memo",
    "cable",
    "archive",
    "census",
    "population",
    "housing",
    "rent",
    "mortgage",
    "bank",
    "lender",
    "regulator",
    "reserves",
    "gold",
    "copper",
    "lithium",
    "cobalt",
    "mine",
    "factory",
    "plant",
    "workers",
    "union",
    "contract",
    "overtime",
    "pension",
    "retirement",
    "healthcare",
    "insurance",
    "premiums",
    "medicine",
    "patent",
    "supply",
    "shortage",
    "stockpile",
    "warehouse",
    "logistics",
    "freight",
    "container",
    "tanker",
    "fleet",
    "fishing",
    "quota",
    "water",
    "dam",
    "irrigation",
    "crops",
    "livestock",
]

VERBS_PAST = [
    "announced",
    "rejected",
    "approved",
    "signed",
    "criticised",
    "welcomed",
    "postponed",
    "suspended",
    "extended",
    "expanded",
    "delayed",
    "cancelled",
    "confirmed",
    "denied",
    "proposed",
    "launched",
    "resumed",
    "halted",
    "blocked",
    "unveiled",
    "negotiated",
    "secured",
    "pledged",
    "warned",
    "urged",
    "demanded",
    "accused",
    "defended",
    "questioned",
    "promised",
    "reviewed",
    "revised",
    "endorsed",
    "vetoed",
    "ratified",
    "challenged",
    "disputed",
    "reported",
    "estimated",
    "predicted",
    "doubled",
    "tripled",
    "reduced",
    "raised",
    "cut",
    "lifted",
    "imposed",
    "eased",
    "tightened",
    "completed",
    "abandoned",
]

VERBS_PRESENT = [
    "threatens",
    "signals",
    "reflects",
    "undermines",
    "strengthens",
    "complicates",
    "accelerates",
    "reshapes",
    "tests",
    "raises",
    "deepens",
    "eases",
    "revives",
    "exposes",
    "clouds",
    "boosts",
    "hampers",
]

ADJECTIVES = [
    "new",
    "fragile",
    "major",
    "renewed",
    "broad",
    "narrow",
    "costly",
    "landmark",
    "controversial",
    "temporary",
    "permanent",
    "regional",
    "national",
    "international",
    "bilateral",
    "multilateral",
    "economic",
    "political",
    "military",
    "humanitarian",
    "diplomatic",
    "financial",
    "fiscal",
    "monetary",
    "environmental",
    "urgent",
    "modest",
    "sharp",
    "steady",
    "gradual",
    "sudden",
    "unexpected",
    "widespread",
    "limited",
    "strategic",
    "critical",
    "key",
    "senior",
    "former",
    "acting",
    "interim",
    "joint",
    "rival",
    "opposing",
    "ruling",
    "coastal",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "rural",
    "urban",
    "industrial",
    "agricultural",
    "digital",
    "nuclear",
    "civilian",
    "public",
    "private",
    "independent",
]

CONNECTORS = [
    "However",
    "Meanwhile",
    "Still",
    "Separately",
    "Earlier",
    "Later",
    "In addition",
    "By contrast",
    "At the same time",
    "Since then",
    "According to officials",
    "Despite this",
    "Even so",
    "In response",
    "Behind the scenes",
    "For now",
    "Elsewhere",
    "Last week",
    "On Tuesday",
    "On Friday",
    "Overnight",
]
CONNECTORS = [connector + "," for connector in CONNECTORS]

SHIFTS = ["shift", "harden", "soften", "delay", "reopen", "revisit", "freeze", "widen"]
RANKS = ["largest", "smallest", "first", "biggest", "most ambitious", "costliest", "sharpest"]
JUDGEMENTS = [
    "reckless",
    "overdue",
    "unworkable",
    "timid",
    "cynical",
    "premature",
    "vague",
    "illegal",
    "naive",
    "expensive",
    "symbolic",
    "divisive",
]

TOLD = [
    "told reporters",
    "said",
    "told a news conference",
    "wrote",
    "told parliament",
    "said in a statement",
    "told local radio",
]
ESTIMATED = ["estimated", "said", "reported", "calculated", "warned", "found"]
ANALYSTS = ["Analysts", "Economists", "Diplomats", "Observers", "Historians", "Officials"]
EXPERTS = ["expert", "specialist", "scholar", "researcher", "adviser", "veteran"]
RESIDENTS = [
    "residents",
    "villagers",
    "families",
    "commuters",
    "farmers",
    "shopkeepers",
    "workers",
    "pensioners",
    "students",
    "fishermen",
]

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

_ONSETS = [
    "b",
    "br",
    "c",
    "ch",
    "d",
    "dr",
    "f",
    "g",
    "gr",
    "h",
    "k",
    "kl",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
    "s",
    "sh",
    "st",
    "t",
    "tr",
    "v",
    "w",
    "z",
]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou"]
_CODAS = ["", "n", "r", "l", "s", "t", "m", "nd", "rk", "st", "x"]


def _pseudo_words(count: int, rng: random.Random) -> list[str]:
    """Invented terms (companies, local places, jargon) to widen the vocabulary."""
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < count:
        syllables = rng.choice((2, 2, 2, 3))
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
        )
        if word not in seen and 4 <= len(word) <= 10:
            seen.add(word)
            words.append(word)
    return words


@dataclass(frozen=True)
class Record:
    index: int
    title: str
    published: str  # ISO date, e.g. "2025-09-04"
    source: str
    author: str
    paragraphs: tuple[str, ...]

    @property
    def body(self) -> str:
        """As the archive stores it: paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)

    @property
    def date_line(self) -> str:
        day = date.fromisoformat(self.published)
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"

    def as_text(self) -> str:
        """The project's plain-text format: headline, date line, one paragraph per line."""
        return "\n".join((self.title, self.date_line, *self.paragraphs)) + "\n"

    def as_json(self) -> dict[str, str]:
        return {
            "title": self.title,
            "published": self.published,
            "source": self.source,
            "author": self.author,
            "body": "\n".join(self.paragraphs),
        }


def _zipf_table(items: Sequence[str], exponent: float, offset: float = 0.0) -> list[str]:
    """A lookup table in which each item fills a share of slots proportional to the
    Zipf-Mandelbrot weight 1/(rank+offset)^exponent: drawing is one index, no bisect."""
    cumulative = list(
        itertools.accumulate(
            1.0 / ((rank + offset) ** exponent) for rank in range(1, len(items) + 1)
        )
    )
    total = cumulative[-1]
    return [
        items[bisect_right(cumulative, (slot + 0.5) / TABLE_SIZE * total)]
        for slot in range(TABLE_SIZE)
    ]


class Generator:
    """Holds the vocabulary and its Zipf weights; `article(i)` is a pure function of i."""

    def __init__(self, seed: int = SEED) -> None:
        self.seed = seed
        rng = random.Random(seed)
        self.people = [f"{f} {s}" for f in FIRST_NAMES for s in SURNAMES]
        rng.shuffle(self.people)
        pseudo = _pseudo_words(3000, rng)
        # One ranked vocabulary for filler terms: news nouns (shuffled) first, then invented
        # terms as the long tail; Zipf-Mandelbrot weights so no single word swamps the rest.
        nouns = list(NOUNS)
        rng.shuffle(nouns)
        self.terms = nouns + pseudo
        self.term_table = _zipf_table(self.terms, 1.0, offset=30)
        # Proper nouns: a handful dominate the news, as in reality.
        self.people_table = _zipf_table(self.people, 1.0, offset=25)
        self.country_table = _zipf_table(COUNTRIES, 0.8)
        self.outlet_table = _zipf_table(OUTLETS, 0.5)
        suffixes = (" Holdings", " Group", " Energy", " Logistics", " Bank", " Systems")
        self.companies = [w.capitalize() + rng.choice(suffixes) for w in pseudo[-300:]]
        self.start = date(2024, 1, 1)
        self.days = (date(2026, 12, 31) - self.start).days + 1

    def article(self, index: int, salt: int = 0) -> Record:
        g = _Draw(self, random.Random(self.seed * 1_000_003 + index * 7 + salt))
        published = (self.start + timedelta(days=g.below(self.days))).isoformat()
        source = self.outlet_table[int(g.r() * TABLE_SIZE)]
        author = g.person()
        title = g.headline()
        target = g.randint(520, 680)
        paragraphs: list[str] = []
        words = 0
        while words < target:
            paragraph = g.paragraph(first=not paragraphs)
            words += paragraph.count(" ") + 1
            paragraphs.append(paragraph)
        return Record(index, title, published, source, author, tuple(paragraphs))


class _Draw:
    """Sentence templates over one article's random stream (plain `random()` calls: the
    random module's choice/randint are several times slower and dominated the run time)."""

    def __init__(self, gen: Generator, rng: random.Random) -> None:
        self.gen = gen
        self.r = rng.random
        # A cast for this article: its main people, countries and topics recur, as in news.
        self.cast = [self.person() for _ in range(3)]
        self.cast_titles = [self.pick(TITLES) for _ in range(3)]
        self.nations = [self.any_country() for _ in range(3)]
        # What the article is about: a pool of terms drawn from the global distribution that
        # about half of its filler words come from, and a house style (a subset of the sentence
        # forms), so that no word but the commonest lands in nearly every article.
        self.pool = self._global_terms(24)
        self.topics = self.pool[:4]
        self.forms = sorted(range(_FORMS), key=lambda _: self.r())[: self.randint(5, 9)]
        self.org = self.pick(ORGS)
        self.place = self.pick(PLACES)
        self.mentioned = [False, False, False]

    def pick(self, items: Sequence[str]) -> str:
        return items[int(self.r() * len(items))]

    def below(self, n: int) -> int:
        return int(self.r() * n)

    def randint(self, low: int, high: int) -> int:
        return low + int(self.r() * (high - low + 1))

    def person(self) -> str:
        return self.gen.people_table[int(self.r() * TABLE_SIZE)]

    def any_country(self) -> str:
        return self.gen.country_table[int(self.r() * TABLE_SIZE)]

    def _global_terms(self, k: int) -> list[str]:
        r, table = self.r, self.gen.term_table
        return [table[int(r() * TABLE_SIZE)] for _ in range(k)]

    def terms(self, k: int) -> list[str]:
        r, table, pool = self.r, self.gen.term_table, self.pool
        return [
            pool[int(x * 43.6)] if (x := r()) < 0.55 else table[int(r() * TABLE_SIZE)]
            for _ in range(k)
        ]

    def who(self) -> str:
        """A cast member, with title on first mention and surname afterwards."""
        i = self.below(3)
        name = self.cast[i]
        if not self.mentioned[i]:
            self.mentioned[i] = True
            return f"{self.cast_titles[i]} {name}"
        return name.split(" ", 1)[1]

    def country(self) -> str:
        if self.r() < 0.7:
            return self.pick(self.nations)
        return self.any_country()

    def number(self) -> str:
        kind = self.below(6)
        if kind == 0:
            return f"{self.randint(2, 98)} percent"
        if kind == 1:
            return f"${self.randint(1, 99)}.{self.randint(0, 9)} billion"
        if kind == 2:
            return f"{self.randint(1, 999):,}"
        if kind == 3:
            return f"{self.randint(1000, 250000):,}"
        if kind == 4:
            return f"{self.randint(2, 40)} million"
        return f"{self.randint(3, 19)} of the {self.randint(20, 45)} members"

    def when(self) -> str:
        if self.r() < 0.5:
            return f"on {self.pick(WEEKDAYS)}"
        return f"in {self.pick(MONTHS)}"

    def quote(self, text: str) -> str:
        if self.r() < 0.6:
            return f"“{text}”"
        return f'"{text}"'

    def headline(self) -> str:
        t = self.topics
        c1, c2 = self.nations[0], self.nations[1]
        form = self.below(6)
        if form == 0:
            return f"{c1} and {c2} {self.pick(VERBS_PAST)} {t[0]} {t[1]} deal in {self.place}"
        if form == 1:
            name = self.cast[0].split(" ", 1)[1]
            return f"{name} {self.pick(VERBS_PRESENT)} {t[0]} as {t[1]} talks stall"
        if form == 2:
            return f"{self.org} warns of {self.pick(ADJECTIVES)} {t[0]} crisis in {c1}"
        if form == 3:
            return f"{c1} {self.pick(VERBS_PAST)} {t[0]} after {t[1]} {t[2]} dispute"
        if form == 4:
            return (
                f"Inside the {self.pick(ADJECTIVES)} {t[0]} that "
                f"{self.pick(VERBS_PRESENT)} {c1}'s {t[1]}"
            )
        return f"{c1}: {self.number()} {t[0]} {self.pick(VERBS_PAST)} amid {t[1]} fears"

    def paragraph(self, first: bool) -> str:
        count = 2 if first else self.randint(2, 4)
        sentences = [self.sentence(lead=first and i == 0) for i in range(count)]
        return " ".join(sentences)

    def sentence(self, lead: bool = False) -> str:
        t = self.topics
        form = -1 if lead else self.pick(self.forms)
        w = self.terms(_TERMS_USED[form])
        adj = self.pick(ADJECTIVES)
        if lead:
            opening = self.below(3)
            if opening == 1:
                return (
                    f"{self.country()} and {self.country()} {self.pick(VERBS_PAST)} the "
                    f"{adj} {t[0]} {self.when()}, {self.who()} said, after weeks of {w[0]} "
                    f"over {t[1]} in {self.place}."
                )
            if opening == 2:
                return (
                    f"The {t[0]} {w[0]} {self.pick(VERBS_PRESENT)} {self.country()}'s "
                    f"{adj} {t[1]}, according to {self.who()}, who spoke in {self.place} "
                    f"{self.when()}."
                )
            return (
                f"{self.who()} {self.pick(VERBS_PAST)} a {adj} {t[0]} {w[0]} with "
                f"{self.country()} {self.when()}, a move that {self.pick(VERBS_PRESENT)} "
                f"the {t[1]} of {w[1]} across {self.place} and beyond."
            )
        if form == 0:
            said = self.quote(
                f"We will not accept a {adj} {w[0]} that {self.pick(VERBS_PRESENT)} "
                f"our {w[1]} and our {t[0]}"
            )
            return f"{said[:-1]},{said[-1]} {self.who()} said {self.when()}."
        if form == 1:
            said = self.quote(
                f"The {w[0]} {self.pick(VERBS_PRESENT)} everything we have built "
                f"with {self.country()} on {t[1]}. There is no {w[2]} without {w[3]}"
            )
            return f"{said} {self.who()} {self.pick(TOLD)} in {self.place}."
        if form == 2:
            return (
                f"The {self.org} {self.pick(ESTIMATED)} that {self.number()} {w[0]} had been "
                f"{self.pick(VERBS_PAST)} in {self.country()} since {self.pick(MONTHS)} "
                f"{self.randint(2019, 2026)}, with {self.number()} more expected."
            )
        if form == 3:
            return (
                f"{self.pick(CONNECTORS)} officials in {self.pick(PLACES)} "
                f"{self.pick(VERBS_PAST)} the {adj} {w[0]} {w[1]}, saying the "
                f"{t[self.below(4)]} {w[2]} would need {self.number()} to succeed."
            )
        if form == 4:
            company = self.pick(self.gen.companies)
            return (
                f"{company}, which {self.pick(VERBS_PAST)} its {w[0]} {w[1]} "
                f"{self.when()}, said {self.number()} of its {w[2]} depended on "
                f"{self.country()}."
            )
        if form == 5:
            return (
                f"{self.pick(ANALYSTS)} said the {adj} {t[0]} could {self.pick(SHIFTS)} "
                f"the {w[0]} between {self.country()} and {self.country()}, "
                f"though {self.person()}, a {w[1]} {w[2]} {self.pick(EXPERTS)}, called that "
                f"{self.pick(ADJECTIVES)}."
            )
        if form == 6:
            return (
                f"{self.who()} {self.pick(VERBS_PAST)} the {w[0]} at a "
                f"{self.pick(ADJECTIVES)} meeting of the {self.pick(ORGS)}, where "
                f"delegates from {self.country()} {self.pick(VERBS_PAST)} a "
                f"{w[1]} {w[2]}."
            )
        if form == 7:
            return (
                f"In {self.pick(PLACES)}, {self.number()} {self.pick(RESIDENTS)} "
                f"{self.pick(VERBS_PAST)} the {w[0]} {w[1]}; "
                f"{self.quote(f'It is about {w[2]}, not {w[3]}')}, one of them said."
            )
        if form == 8:
            return (
                f"{self.pick(CONNECTORS)} the {w[0]} of {w[1]} and {w[2]} remained "
                f"{self.pick(ADJECTIVES)}, and the {t[self.below(4)]} "
                f"{self.pick(VERBS_PRESENT)} {w[3]} {w[4]} in {self.country()}."
            )
        if form == 9:
            return (
                f"{self.who()} {self.pick(VERBS_PAST)} {self.number()} for {w[0]} "
                f"{w[1]}, {self.pick(ADJECTIVES)} {w[2]} and {w[3]} {w[4]}."
            )
        if form == 10:
            said = self.quote(f"Nobody in {self.place} expected the {w[0]} to move this fast")
            return (
                f"{said[:-1]},{said[-1]} said {self.person()}, who has covered "
                f"{t[self.below(4)]} in {self.country()} for {self.randint(3, 30)} years."
            )
        if form == 11:
            return (
                f"A {adj} report by the {self.pick(ORGS)} found that {w[0]} "
                f"{self.pick(VERBS_PAST)} by {self.number()} last year, the {self.pick(RANKS)} "
                f"since {self.randint(1990, 2020)}."
            )
        if form == 12:
            return (
                f"{self.country()} has {self.pick(VERBS_PAST)} {w[0]} before, most recently "
                f"in {self.randint(2015, 2025)}, when {w[1]} {w[2]} forced the "
                f"{self.pick(ADJECTIVES)} government to {self.pick(SHIFTS)} its {w[3]}."
            )
        if form == 13:
            return (
                f"Asked whether the {t[0]} would survive, {self.who()} said only: "
                f"{self.quote(f'Ask me again after the {w[0]} in {self.pick(MONTHS)}.')}"
            )
        if form == 14:
            return (
                f"The {w[0]} {w[1]}, {self.pick(VERBS_PAST)} {self.when()} in "
                f"{self.pick(PLACES)}, is {self.pick(RANKS)} of its kind and covers "
                f"{self.number()} of {w[2]}."
            )
        return (
            f"Critics, including {self.person()} of {self.pick(self.gen.companies)}, "
            f"{self.pick(VERBS_PAST)} the {adj} {w[0]} as {self.pick(JUDGEMENTS)} and "
            f"{self.pick(JUDGEMENTS)}, while supporters pointed to {w[1]} {w[2]}."
        )


# How many filler terms each sentence form uses (the last: the lead sentence).
_FORMS = 16
_TERMS_USED = (2, 4, 1, 3, 3, 3, 3, 4, 5, 5, 1, 1, 4, 1, 3, 3, 2)


# Public API ---------------------------------------------------------------------------------


def records(n: int, seed: int = SEED, *, workers: int | None = None) -> Iterator[Record]:
    """The first n articles, in order, each with a unique body.

    Large runs are generated by worker processes (one per core by default), in chunks; the
    result does not depend on the number of workers.
    """
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if n >= 20_000 else 1
    gen = Generator(seed)
    seen: set[bytes] = set()
    for record in _generate(gen, n, workers):
        salt = 0
        while True:
            digest = hashlib.blake2b(record.body.casefold().encode(), digest_size=16).digest()
            if digest not in seen:
                seen.add(digest)
                break
            salt += 1
            record = gen.article(record.index, salt)
        yield record


_worker_generator: Generator | None = None


def _init_worker(seed: int) -> None:
    global _worker_generator
    _worker_generator = Generator(seed)


def _chunk(bounds: tuple[int, int]) -> list[Record]:
    assert _worker_generator is not None
    return [_worker_generator.article(index) for index in range(*bounds)]


def _generate(gen: Generator, n: int, workers: int) -> Iterator[Record]:
    if workers <= 1:
        for index in range(n):
            yield gen.article(index)
        return
    import multiprocessing

    chunks = [(start, min(start + 2000, n)) for start in range(0, n, 2000)]
    context = multiprocessing.get_context("spawn" if sys.platform == "win32" else "fork")
    with context.Pool(workers, initializer=_init_worker, initargs=(gen.seed,)) as pool:
        # A bounded window of chunks in flight, so a slow consumer (a database being filled)
        # does not make finished chunks pile up in memory.
        pending: deque[Any] = deque()
        for bounds in chunks:
            pending.append(pool.apply_async(_chunk, (bounds,)))
            if len(pending) > 2 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def write_txt(folder: str | os.PathLike[str], n: int, seed: int = SEED) -> Path:
    """N files named 000000.txt ... in `folder` (created)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    width = max(6, len(str(n)))
    for record in records(n, seed):
        (out / f"{record.index:0{width}d}.txt").write_text(record.as_text(), encoding="utf-8")
    return out


def write_jsonl(path: str | os.PathLike[str], n: int, seed: int = SEED) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as file:
        for record in records(n, seed):
            file.write(json.dumps(record.as_json(), ensure_ascii=False) + "\n")
    return out


def _stats(n: int) -> dict[str, object]:
    import re
    import time
    from collections import Counter

    started = time.perf_counter()
    items = list(records(n))
    elapsed = time.perf_counter() - started
    counts: Counter[str] = Counter()
    lengths = []
    for record in items:
        tokens = re.findall(r"\w+", record.body.lower())
        lengths.append(len(tokens))
        counts.update(tokens)
    ranked = counts.most_common()
    return {
        "articles": n,
        "seconds": round(elapsed, 2),
        "articles_per_second": round(n / elapsed),
        "words_per_body_median": sorted(lengths)[len(lengths) // 2],
        "distinct_words": len(counts),
        "top_words": ranked[:15],
        "rank_100_1000_3000_counts": [ranked[i][1] for i in (99, 999, 2999) if i < len(ranked)],
        "sources": len({r.source for r in items}),
        "date_range": [min(r.published for r in items), max(r.published for r in items)],
        "unique_bodies": len({r.body for r in items}) == n,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("txt", "jsonl", "stats"))
    parser.add_argument("out", nargs="?")
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args(argv)
    if args.what == "stats":
        json.dump(_stats(args.n), sys.stdout, indent=2, ensure_ascii=False)
        print()
        return
    if not args.out:
        parser.error("give the output folder (txt) or file (jsonl)")
    if args.what == "txt":
        write_txt(args.out, args.n)
    else:
        write_jsonl(args.out, args.n)


if __name__ == "__main__":
    main()
