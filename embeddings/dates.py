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


@lru_cache(maxsize=4096)
def parse_date(text: str) -> dt.date | None:
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={"STRICT_PARSING": True})
    return parsed.date() if parsed else None
