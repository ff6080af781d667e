"""Find publication dates written in article text."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b(?:(?:19|20)\d\d-\d\d-\d\d"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?:19|20)\d\d"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def find_date(text: str) -> dt.date | None:
    """The first full calendar date (with a year) written in text, if any."""
    for match in _DATE.finditer(text):
        parsed = parse_date(match.group())
        if parsed:
            return parsed
    return None


def days_named(text: str, published: dt.date | None) -> set[dt.date]:
    """Every day a text names: written in full ("August 30, 2019"), or meant and pinned down by
    the article's date ("on Friday", "July 31")."""
    written = {parse_date(m.group()) for m in _DATE.finditer(text)}
    return {day for day in written if day} | {day for _, day in resolve_dates(text, published)}


@lru_cache(maxsize=4096)
def parse_date(text: str) -> dt.date | None:
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={"STRICT_PARSING": True})
    return parsed.date() if parsed else None


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_RELATIVE = re.compile(
    rf"\b(today|tonight|tomorrow|yesterday|(?:on |last |next |this )?(?:{'|'.join(_WEEKDAYS)}))\b"
    rf"|\b(\d{{1,2}})(?:-\d{{1,2}})?\s+({_MONTH})\b(?!,?\s+(?:19|20)\d\d)"
    rf"|\b({_MONTH})\s+(\d{{1,2}})(?:-\d{{1,2}})?\b(?!,?\s+(?:19|20)\d\d)",
    re.IGNORECASE,
)
# "may have killed" speaks of the past: a modal before "have" is no future.
_FUTURE = re.compile(
    r"\b(will|would|could|may|might|shall|scheduled|expected|due|plans?|next|upcoming|to be)\b(?! have\b)", re.I
)


def resolve_dates(sentence: str, published: dt.date | None) -> list[tuple[tuple[int, int], dt.date]]:
    """Dates a sentence means but does not write in full, read against the article's date:
    "on Friday" in a 17 May 2025 article is 16 May 2025; "March 28" in 2022 is 2022-03-28."""
    if published is None:
        return []
    found = []
    future = bool(_FUTURE.search(sentence))
    for match in _RELATIVE.finditer(sentence):
        date = _relative_date(match, published, future)
        if date is not None:
            found.append(((match.start(), match.end()), date))
    return found


def _relative_date(match: re.Match, published: dt.date, future: bool) -> dt.date | None:
    word = (match.group(1) or "").lower()
    if word:
        return _day_word(word, published, future)
    day, month = (match.group(2), match.group(3)) if match.group(2) else (match.group(5), match.group(4))
    parsed = parse_date(f"{day} {month} {published.year}")
    if parsed and parsed > published + dt.timedelta(days=180):
        parsed = parse_date(f"{day} {month} {published.year - 1}")
    return parsed


def _day_word(word: str, published: dt.date, future: bool) -> dt.date | None:
    offsets = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}
    if word in offsets:
        return published + dt.timedelta(days=offsets[word])
    qualifier, _, name = word.rpartition(" ")
    weekday = _WEEKDAYS.index(name)
    if weekday == published.weekday() and qualifier not in ("last", "next"):
        return published  # "said Tuesday" in Tuesday's paper
    ahead = (weekday - published.weekday()) % 7
    if qualifier == "next" or (future and qualifier != "last"):
        return published + dt.timedelta(days=ahead or 7)
    behind = (published.weekday() - weekday) % 7
    return published - dt.timedelta(days=behind or 7)


def date_of(match: re.Match | None) -> dt.date | None:
    """The date of a (year, month, day) match, if it is one."""
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None
