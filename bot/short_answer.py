"""The short answer: the name, date, place, number or duration a factoid question asks for,
taken as written from the sentence that answers it."""

from __future__ import annotations

import datetime as dt
import re

from bot.lexicon import MONTHS, NAME, NUMBER_WORDS, WEEKDAYS
from bot.question import Question, asks_which
from embeddings import tokenize
from embeddings.dates import resolve_dates
from embeddings.keyword import stopwords

_MONTH = "|".join(m.capitalize() for m in MONTHS) + "|" + "|".join(m[:3].capitalize() + r"\." for m in MONTHS)
_DATE = re.compile(
    rf"\b(?:(?:{'|'.join(d.capitalize() for d in WEEKDAYS)}),?\s+)?"
    rf"(?:\d{{1,2}}(?:\s*[-–]\s*\d{{1,2}})?\s+(?:{_MONTH})(?:,?\s+(?:19|20)\d\d)?"
    rf"|(?:{_MONTH})\s+\d{{1,2}}(?:\s*[-–]\s*\d{{1,2}})?(?:,?\s+(?:19|20)\d\d)?"
    rf"|(?:{_MONTH})\s+(?:19|20)\d\d|(?:19|20)\d\d|\d{{1,2}}:\d\d(?:\s*[ap]\.?m\.?)?)\b"
)
_SCALE = r"(?:\s+(?:million|billion|thousand|hundred|trillion))?"
_QUANTITY = re.compile(
    rf"(?:\b(?:about|around|almost|nearly|more than|over|at least|some|up to|fewer than|less than)\s+)?"
    rf"(?:[$€£]\s?)?(?:(?:\d[\d,.]*\d|\d)(?:m|bn|mn|k)?\b|\b(?:{NUMBER_WORDS})\b){_SCALE}(?:\s?(?:%|per ?cent))?"
    rf"(?:[ -]([A-Za-z][\w-]*))?(?:\s+([a-z][\w-]*))?",
    re.I,
)
_DURATION_UNIT = re.compile(r"^(second|minute|hour|day|week|month|year|decade)s?$", re.I)
_PLACE = re.compile(r"\b(?:in|at|near|from|to)\s+((?:the\s+)?[A-Z][\w'’-]+(?:\s+(?:of\s+)?[A-Z][\w'’-]+)*)")
_SPEECH = re.compile(r"\b(said|says|told|according|reported|announced|stated)\b", re.I)
MAX_WORDS = 8


def short_answer(question: Question, sentence: str, published: dt.date | None = None) -> str | None:
    """The thing asked for, as written in sentence, or None when the question asks for no one
    thing or the sentence holds none that the question does not already name."""
    kind = question.kind
    finders = {"who": _names, "when": _dates, "where": _places, "number": _quantities, "duration": _durations}
    # "Which bridge …?", "What agency …?": a named thing, when the sentence names one.
    finder = finders.get(kind or "") or (_names if asks_which(question.text) else None)
    if finder is None:
        return None
    found = [(s, e) for s, e in finder(question, sentence) if not _already_asked(question, sentence[s:e])]
    if kind == "when" and not found:
        found = [span for span, _ in resolve_dates(sentence, published)]
    if not found:
        return None
    if kind == "who":
        # News names the actor first: the first name that looks like a person's.
        start, end = min(found, key=lambda span: (_unlike_a_person(sentence, span), span[0]))
    else:
        start, end = min(found, key=lambda span: _distance(question, sentence, span))
    answer = sentence[start:end].strip(" ,;:")
    return answer if 0 < len(answer.split()) <= MAX_WORDS else None


def _names(question: Question, sentence: str) -> list[tuple[int, int]]:
    spans = []
    for match in NAME.finditer(sentence):
        words = match.group().split()
        start = match.start()
        while words and (words[0].lower() in stopwords() or words[0].lower() in MONTHS + WEEKDAYS):
            start += len(words[0]) + 1
            words.pop(0)
        possessive = bool(words) and words[-1].endswith(("'s", "’s"))  # "Russia's" names whose thing?
        if words and not (start == 0 and len(words) == 1) and not possessive:
            spans.append((start, start + len(" ".join(words))))
    return spans


def _dates(question: Question, sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in _DATE.finditer(sentence)]


def _places(question: Question, sentence: str) -> list[tuple[int, int]]:
    return [m.span(1) for m in _PLACE.finditer(sentence)]


def _quantities(question: Question, sentence: str) -> list[tuple[int, int]]:
    spans = []
    dates = [m.span() for m in _DATE.finditer(sentence) if not re.fullmatch(r"\d+", m.group())]
    for match in _QUANTITY.finditer(sentence):
        if re.fullmatch(r"(19|20)\d\d", match.group().split()[0]):
            continue  # a year is not a count
        if any(start <= match.start() < end for start, end in dates):
            continue  # nor is the day of a date ("23 July")
        end = _noun_end(question, match)
        spans.append((match.start(), end))
    return spans


def _durations(question: Question, sentence: str) -> list[tuple[int, int]]:
    spans = []
    for match in _QUANTITY.finditer(sentence):
        unit = match.group(1) or ""
        if _DURATION_UNIT.match(unit):
            spans.append((match.start(), match.end(1)))
    return spans


def _noun_end(question: Question, match: re.Match) -> int:
    """A count keeps the word it counts ("1,000 prisoners"), the asked-for thing when it follows."""
    first, second = match.group(1), match.group(2)
    if second and question.focus and question.focus in tokenize(second):
        return match.end(2)
    if first and first.lower() not in stopwords():
        return match.end(1)
    return match.start(1) - 1 if first else match.end()


def _already_asked(question: Question, text: str) -> bool:
    words = [t for t in tokenize(text) if t not in stopwords()]
    asked = set(tokenize(question.text))
    return bool(words) and all(w in asked for w in words)


_ARTICLE_OR_PLACE_BEFORE = re.compile(r"\b(the|a|an|in|at|from|to|near|across)\s+$", re.I)


def _unlike_a_person(sentence: str, span: tuple[int, int]) -> bool:
    """Is the name unlike a person's: one word, or after "the" or a place's "in"?"""
    one_word = len(sentence[span[0] : span[1]].split()) < 2
    return one_word or bool(_ARTICLE_OR_PLACE_BEFORE.search(sentence[: span[0]]))


def _distance(question: Question, sentence: str, span: tuple[int, int]) -> float:
    """How far a span is from the question's words in the sentence (closest first; earlier wins ties)."""
    terms = set(question.terms)
    positions = [m.start() for m in re.finditer(r"\w+", sentence) if set(tokenize(m.group())) & terms]
    if not positions:
        return span[0] / 1000
    middle = (span[0] + span[1]) / 2
    return min(abs(middle - p) for p in positions) + span[0] / 1000
