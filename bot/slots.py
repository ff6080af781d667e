"""A claim's numbers and names aligned with an evidence sentence by the fitted reader.

The claim is asked back as a question about each number it states ("Twenty-six states joined
the lawsuit" -> "How many states joined the lawsuit?"), and the reader points at the sentence's
answer. When it is sure of that answer and the answer is another number of the same thing,
the sentence states something else in the claim's place, however differently it is worded.
A name of the claim that the sentence and its passage lack is asked about the same way
("... at a ceremony held in what?"): another name the reader is sure of contradicts it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.lexicon import MONTHS, NAME, NUMBER_VALUES, WEEKDAYS
from bot.reader import bundled_reader
from embeddings import tokenize

_UNITS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9}
_WORD_VALUES = {
    **NUMBER_VALUES,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "dozen": 12,
}  # fmt: skip
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_NUMBER = re.compile(
    rf"(?<![\w.,])(\d+(?:,\d{{3}})*(?:\.\d+)?|(?:{_TENS})-(?:one|two|three|four|five|six|seven|eight|nine)"
    rf"|{'|'.join(w for w in _WORD_VALUES if len(w) > 2)})\b(?:\s*(thousand|million|billion|trillion|m|bn)\b)?"
    r"(?:\s+([a-z][\w-]*))?",
    re.I,
)
_CALENDAR = frozenset(MONTHS + WEEKDAYS)
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
# Units of time, in days, so "73 months" and "six years" compare.
_DAYS = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "month": 30.44, "year": 365.25}
SAME_SHARE = 0.05  # two durations this close are the same ("just over six years" / "73 months")


def number_conflict(claim: str, sentence: str) -> tuple[str, str] | None:
    """(what the sentence says, what the claim says) when the reader, asked about one of the
    claim's numbers, is sure the sentence answers with a different number of the same thing."""
    return next(((said, stated) for said, stated, same in _readings(claim, sentence) if same is False), None)


def name_conflict(claim: str, sentence: str, around: str = "") -> tuple[str, str] | None:
    """(what the sentence says, what the claim says) when the reader, asked about one of the
    claim's names that neither the sentence nor its passage (around) holds, is sure the sentence
    answers with another name."""
    reader = bundled_reader()
    if reader is None:
        return None
    held = set(tokenize(f"{sentence} {around}"))
    for match in NAME.finditer(claim):
        words = set(tokenize(match.group())) - _CALENDAR
        if not words or words & held or match.group().lower() in _CALENDAR:
            continue
        read = reader.read(_asked_name(claim, match), sentence)
        said = set(tokenize(read.text))
        if read.margin >= reader.margin and NAME.search(read.text) and not said & words:
            return read.text, match.group()
    return None


def _asked_name(claim: str, match: re.Match) -> str:
    """The claim with the name's place asked for: "... at a ceremony held in what?"."""
    asked = "what" if match.start() else "What"
    return f"{claim[: match.start()]}{asked}{claim[match.end() :]}".rstrip(" .!") + "?"


def numbers_agree(claim: str, sentence: str) -> bool:
    """Does the sentence give each counted number of the claim in the claim's place, by the
    reader, and every other number of the claim (a year, a day) as written?"""
    readings = list(_readings(claim, sentence))
    written = set(re.findall(r"\d+", sentence))
    uncounted = [m.group(1) for m in _NUMBER.finditer(claim) if m.group(1).isdigit() and not _counted(m)]
    return bool(readings) and all(same for _, _, same in readings) and all(n in written for n in uncounted)


def _readings(claim: str, sentence: str) -> Iterator[tuple[str, str, bool | None]]:
    """For each counted number of the claim: the reader's answer in the sentence, the claim's
    words, and whether they agree (None: the reader is unsure or answers with no number)."""
    reader = bundled_reader()
    if reader is None:
        return
    for match in _NUMBER.finditer(claim):
        if not _counted(match):
            continue  # a year, or a number with nothing counted after it ("$7 billion in", "February 8")
        ours = _amount(match)
        read = reader.read(_question(claim, match), sentence)
        theirs = next((_amount(m) for m in _NUMBER.finditer(read.text)), None)
        same = None if read.margin < reader.margin or ours is None or theirs is None else _agree(ours, theirs)
        yield read.text, match.group().strip(), same


def _counted(match: re.Match) -> bool:
    amount = _amount(match)
    return amount is not None and bool(amount[1])


def _question(claim: str, match: re.Match) -> str:
    """The claim with the number's place asked for: "... up to how many weeks of pregnancy?"."""
    asked = "how many" if match.start() else "How many"
    unit = f" {match.group(3)}" if match.group(3) else ""
    return f"{claim[: match.start()]}{asked}{unit}{claim[match.end() :]}".rstrip(" .!") + "?"


def _amount(match: re.Match) -> tuple[float, str] | None:
    """(value, unit stem) of a number and the word after it; None for a year."""
    word = match.group(1).lower().replace(",", "")
    if _YEAR.match(word):
        return None
    if "-" in word:
        tens, ones = word.split("-")
        value = float(_WORD_VALUES[tens] + _WORD_VALUES[ones])
    else:
        value = float(_WORD_VALUES.get(word) or word)
    value *= _UNITS.get((match.group(2) or "").lower(), 1)
    unit = next(iter(tokenize(match.group(3) or "")), "")
    return value, "" if unit in _CALENDAR else unit


def _agree(ours: tuple[float, str], theirs: tuple[float, str]) -> bool | None:
    """Whether two amounts agree, or None when they cannot be compared. A bare number in the
    sentence counts what the claim counts (the reader found it in the claim's place); durations
    compare across units; a duration against a count, or counts of different things, cannot."""
    (value, unit), (other, other_unit) = ours, theirs
    if not other_unit:
        return value == other
    mine, its = _duration_unit(unit), _duration_unit(other_unit)
    if mine and its:
        a, b = value * _DAYS[mine], other * _DAYS[its]
        return abs(a - b) <= SAME_SHARE * max(a, b)
    if mine or its or unit != other_unit:
        return None
    return value == other


def _duration_unit(stem: str) -> str | None:
    return next((unit for unit in _DAYS if stem.startswith(unit[:4])), None) if stem else None
