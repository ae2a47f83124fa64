"""Dates written in article text ("September 3", "4 September 2025", "on Monday"), resolved
against the article's own date where the text leaves the year or the week open."""

from __future__ import annotations

import re
from datetime import date, timedelta
from itertools import compress

from briefing_app.core.dates import MONTHS, WEEKDAYS
from briefing_app.core.extract.model import DateMention
from briefing_app.core.extract.tokens import Tokens, word_trie

_MONTH_NAMES = word_trie(set(MONTHS))
_WEEKDAY_NAMES = word_trie({name for name in WEEKDAYS if len(name) > 4})


def _date_pattern(first: str, second: str, n: int) -> str:
    parts = {
        "day": rf"(?P<day{n}>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)",
        "month": rf"(?P<month{n}>{_MONTH_NAMES})\.?",
    }
    return rf"{parts[first]}\s+{parts[second]}(?:,?\s+(?P<year{n}>(?:19|20)\d\d))?"


_DATES = re.compile(
    rf"\b(?:{_date_pattern('day', 'month', 1)}|{_date_pattern('month', 'day', 2)}"
    rf"|(?<=\bon\s)(?P<weekday>{_WEEKDAY_NAMES}))\b",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"[A-Z]")


_TRIGGERS = frozenset(MONTHS) | frozenset(WEEKDAYS)


def find_dates(
    text: str, reference: date | None, tokens: Tokens | None = None
) -> list[DateMention]:
    found: list[DateMention] = []
    words = tokens if tokens is not None else Tokens(text)
    starts, ends = words.starts, words.ends
    for index in compress(range(len(starts)), map(_TRIGGERS.__contains__, words.keys)):
        start, end = starts[index], ends[index]
        # The full pattern is tried only next to a month or weekday name: a date starts
        # with the name, or with the day number just before it.
        begin = max(start - 6, found[-1].end if found else 0)
        match = _DATES.search(text, begin, end + 12)
        if match is None or match.start() > start:
            continue
        word = match["weekday"] or match["month1"] or match["month2"]
        if not _CAPITALISED.match(word):
            continue  # "may" and "march" are verbs when written in lower case
        found.append(
            DateMention(match.start(), match.end(), match.group(), _resolve(match, reference))
        )
    return found


def _resolve(match: re.Match[str], reference: date | None) -> str | None:
    if match["weekday"]:
        if reference is None:
            return None
        back = (reference.weekday() - WEEKDAYS[match["weekday"].lower()]) % 7
        return (reference - timedelta(days=back)).isoformat()
    n = 1 if match["month1"] else 2
    month = MONTHS[match[f"month{n}"].lower()]
    day = int(match[f"day{n}"])
    if match[f"year{n}"]:
        year = int(match[f"year{n}"])
    elif reference is not None:
        # A date without a year is this year's, unless that lies well after the article.
        year = reference.year - (month > reference.month + 2)
    else:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
