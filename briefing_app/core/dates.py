"""Reading the dates people write ("4 September 2025", "Sept. 4, 2025", RFC 2822, ISO 8601)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?,?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WRITTEN_DATES = [
    re.compile(rf"^{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}$", re.IGNORECASE),
    re.compile(rf"^{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}$", re.IGNORECASE),
]
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?P<rest>[T ].*)?$")


def parse_date(text: str) -> str | None:
    """ISO 8601 for a whole string that is a date (or a date and time), else None.

    Dates alone give "YYYY-MM-DD"; dates with a time give UTC "YYYY-MM-DDTHH:MM:SSZ".
    """
    value = text.strip().rstrip(".")
    if not value or len(value) > 64:
        return None
    iso = _ISO.match(value)
    if iso:
        return _from_iso(value, iso)
    for pattern in _WRITTEN_DATES:
        match = pattern.match(value)
        if match:
            return _checked(int(match["year"]), MONTHS[match["month"].lower()], int(match["day"]))
    return _from_rfc2822(value)


def _checked(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_iso(value: str, match: re.Match[str]) -> str | None:
    day = _checked(int(match["year"]), int(match["month"]), int(match["day"]))
    if day is None or not match["rest"]:
        return day
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return day
    return as_utc_iso(moment)


def _from_rfc2822(value: str) -> str | None:
    if not re.search(r"\d{4}", value):
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return as_utc_iso(moment)


def as_utc_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
