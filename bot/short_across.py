"""The short answer to a question in another language than the article's: the one name, date,
place or number of the asked kind in the sentence that answers it, as written there.

The English reader (bot/reader.py) cannot read a Ukrainian question, so the candidates are
narrowed by what needs no translation: what the question already names (its numbers, the
names it spells, its own day and month) is no answer; a count is not a day, a year or a clock
time; a person is asked for before a place; things written one after another ("28 February,
3 March and 7 March", "Antalya in Turkey") are one answer. When more than one remains, the
multilingual reader (bot/reader.py), given, picks the one it reads as the answer, if clearly;
without it, or when it reads no clear answer, there is no short answer: the cited sentence
says it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from itertools import product

from babel import Locale
from babel.numbers import get_currency_name, get_territory_currencies

from bot.lexicon import CYRILLIC_MONTHS, CYRILLIC_NUMBER_WORDS, MONTHS, NUMBER_WORDS, WEEKDAYS
from bot.names import alike, asked_words, english_names, latin
from bot.question import Question
from bot.ranking import (
    ANSWER_TYPES,
    YEAR_FOCUS,
    another_month,
    cyrillic_word,
    holds_year,
    is_count,
    restates_time,
    typed_spans,
)
from bot.reader import Reader
from embeddings import stopwords, tokenize

_MONTH = "|".join(m.capitalize() for m in MONTHS)
_PLACE_WORD = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w'’-]*)"  # "U.S." whole, not "U"
_DAYS = r"\d{1,2}(?:[–-]\d{1,2})?"  # "27–28 July"
# "3.6 billion", "eight million", "48 мільйонів", "3 тысяч", "2,3 млн"
_SCALE = (
    r"(?: (?i:hundred|thousand|million|billion|тисяч[аі]?|тысяч[аи]?|мільйон(?:а|ів)?|миллион(?:а|ов)?"
    r"|мільярд(?:а|ів)?|миллиард(?:а|ов)?|млн|млрд))?"
)
EXTRACTORS = {
    "when": re.compile(
        rf"\b(\d{{1,2}}:\d\d|{_DAYS} (?:{_MONTH})(?: \d{{4}})?|(?:{_MONTH}) {_DAYS}(?:,? \d{{4}})?"
        rf"|(?:{_MONTH}) \d{{4}}|\d{{1,2}} (?:{CYRILLIC_MONTHS})(?: \d{{4}})?|(?:19|20)\d\d|(?:{_MONTH}))\b"
    ),
    "where": re.compile(rf"\b(?:in|at|to|from|near) ((?:the )?{_PLACE_WORD}(?:,? {_PLACE_WORD})*)"),
    # "тридцять два": a Ukrainian or Russian count in words is one number, however many words.
    "number": re.compile(
        rf"\b((?:\d[\d,.]*\d|\d|(?i:{NUMBER_WORDS})|(?i:{CYRILLIC_NUMBER_WORDS})(?:\s+(?i:{CYRILLIC_NUMBER_WORDS}))*)"
        rf"{_SCALE})\b"
    ),
}
_WEEKDAY = "|".join(w.capitalize() for w in WEEKDAYS)
_RELATIVE_DAY = re.compile(rf"\b(?:{_WEEKDAY}|(?:last|this|next) (?:week|month|year)|yesterday|today|tomorrow)\b")
# A name that opens a sentence, which the "who" pattern leaves out ("Rustem Umierov, Secretary …").
_OPENING = re.compile(r"(?:^|(?<=[.!?] )|(?<=[.!?][”\"] ))[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)+")
_PLACE_BEFORE = re.compile(r"\b(?:(?:in|at|near)(?: the)?|the) $")  # "in Antalya", "the Istanbul talks"
_PARTICLE = re.compile(r"\b[A-Z][\w'’-]+ (?:van|von|de|der|den|da|di|du|del|la|le|bin|ibn|al) $")
# What may stand between two things that are one answer.
_JOINED = re.compile(r"(?:,|,? and|,? or| in| to|\s*[–-])\s*")
_JOINED_NAMES = re.compile(r",? (?:and|or) ")
_CALENDAR = frozenset(MONTHS + WEEKDAYS)
# "Is" and "such" in "who is" / "who such", in the languages questions may be in.
_COPULAS = frozenset(
    [
        *("is", "are", "was", "were"),
        *("такий", "така", "таке", "такі", "є", "це"),
        *("такой", "такая", "такое", "такие", "это", "есть"),
        *("ist", "sind", "war", "waren", "es", "son", "era", "fue"),
    ]
)
_WORDS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

Span = tuple[int, int]
# How far the reader's best reading must clear the next thing's for it to pick one of several:
# on the news questions it was not fitted on, its picks were then as often right as the rules'
# single answers (benchmarks/short_across.py, BENCHMARKS.md).
READ_GAP = 1.0


def short_answer(question: Question, text: str, reader: Reader | None = None) -> str | None:
    """The one thing of the asked kind in text, as written there, or None. With a reader, the
    one of several it clearly reads as the answer."""
    if question.kind is None or _asks_who_someone_is(question):
        return None
    runs = candidate_runs(question, text)
    if len({text[start:end] for start, end in runs}) == 1:
        return text[runs[0][0] : runs[0][1]]
    picked = _picked_by_reader(question, text, runs, reader) if len(runs) > 1 and reader else None
    return text[picked[0] : picked[1]] if picked else None


def _asks_who_someone_is(question: Question) -> bool:
    """ "Кто такой Дмитрий Песков?", "Wer ist Olaf Kerrin?": a who-question that only names its
    person asks what they are, not for another name."""
    words = _WORDS.findall(question.text)[1:]
    between = [w.lower() for w in words if not w[0].isupper()]
    named = len(words) - len(between)
    return question.kind == "who" and named > 0 and len(between) <= 1 and set(between) <= _COPULAS


def candidate_runs(question: Question, text: str) -> list[Span]:
    """The things of the asked kind in text that may answer the question, each whole."""
    spans = _people(question, text) if question.kind == "who" else _things(question, text)
    return _not_within_another(text, _joined(text, _outermost(spans), question.kind))


def _not_within_another(text: str, runs: list[Span]) -> list[Span]:
    """Runs whose words are not part of another's ("July" beside "July 27")."""
    written = [text[start:end] for start, end in runs]
    within = [any(words in other and words != other for other in written) for words in written]
    return [run for run, inside in zip(runs, within, strict=True) if not inside]


def _picked_by_reader(question: Question, text: str, runs: list[Span], reader: Reader) -> Span | None:
    """The run the reader reads the answer in, when it reads one there and its reading clears
    every other run's by READ_GAP."""
    run, margin, clearance = reader_pick(question, text, runs, reader)
    return run if margin > 0 and clearance >= READ_GAP else None


def reader_pick(question: Question, text: str, runs: list[Span], reader: Reader) -> tuple[Span, float, float]:
    """Of two or more runs, the one the reader reads best as the answer, its margin over no
    answer, and how far it clears the next run's."""
    margins = reader.margins_within(question.text, text, runs)
    best, second = sorted(margins, reverse=True)[:2]
    return runs[margins.index(best)], best, best - second


def _things(question: Question, text: str) -> list[Span]:
    """Dates, places, numbers: whole ("28 February 2022", "Istanbul, Türkiye", "3.6 billion")
    where the kind's detector, bot/ranking.py's, only spots them ("in I", "3")."""
    extractor = EXTRACTORS.get(question.kind or "")
    if extractor is None:
        spans = [m.span() for m in typed_spans(question, text)]
    else:
        spans = [m.span(m.lastindex or 0) for m in extractor.finditer(text)]
    spans = [s for s in spans if not _in_question(question, text[s[0] : s[1]])]
    if question.kind == "where":
        # "in March" is no place; nor is the place the question names ("в Анталії": "Antalya").
        spans = [s for s in spans if text[s[0] : s[1]].lower() not in _CALENDAR]
        spans = [s for s in spans if not _spelled_in_question(question, text[s[0] : s[1]])]
    if question.kind == "when":
        spans = [s for s in spans if not _restates_date(question, text[s[0] : s[1]])]
        spans = [s for s in spans if not another_month(question, text[s[0] : s[1]])]
        # Else a day as the article's date pins it down ("on Tuesday", "last year"); the answer
        # shows its date.
        spans = spans or [m.span() for m in _RELATIVE_DAY.finditer(text)]
    if question.kind == "number":
        spans = [_with_currency(text, s) for s in spans if is_count(text, *s)]
    if question.kind == "when" and question.focus == YEAR_FOCUS:
        return [s for s in spans if holds_year(text[s[0] : s[1]])]
    if question.focus:
        spans = [s for s in spans if _counts(text, s, question.focus)] or spans
    return spans


def _counts(text: str, span: Span, focus: str) -> bool:
    """Is the number at span a count of focus? A Ukrainian or Russian noun is written right after
    its count ("380 человек", "дванадцять додаткових автобусів"); else it is near."""
    if not cyrillic_word(focus):
        return _near(text, span, focus)
    following = text[span[1] :].split()[:2]
    return focus in tokenize(" ".join(following))


def _with_currency(text: str, span: Span) -> Span:
    """The amount with the currency written before it ("£186,000", "US$5 million") or after it
    ("1,2 мільярда гривень", "10 доларів США", "9.8 billion hryvnias"): without it, the short
    answer says how many of what?"""
    start, end = span
    if start and unicodedata.category(text[start - 1]) == "Sc":
        start -= 1
        while start and text[start - 1].isupper():  # "US$", "HK$"
            start -= 1
    for _ in range(2):
        following = _NEXT_WORD.match(text, end)
        if not following or following.group(1).lower() not in _currency_words():
            break
        end = following.end()
    return start, end


_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")


@cache
def _currency_words() -> frozenset[str]:
    """The nouns of every tender currency's name, singular and plural, as the articles' languages
    write it after an amount (babel's: "US dollars", "доларів США", "гривень"); not adjectives
    ("новых" of "новых тайваньских долларов" is as often a count's own word)."""
    codes = {code for territory in Locale("en").territories for code in get_territory_currencies(str(territory))}
    words = set()
    for code, count in product(codes, (1, 2, 5, 1.5)):
        words.add(get_currency_name(code, count=count, locale="en").split()[-1].lower())
        for locale in ("uk", "ru"):
            name = get_currency_name(code, count=count, locale=locale).lower()
            words |= {w for w in re.findall(r"[^\W\d_]{3,}", name) if not _ADJECTIVE.search(w)}
    return frozenset(words)


_ADJECTIVE = re.compile(r"(?:ий|ый|ой|ая|яя|ое|ее|ые|ие|их|ых|ого|его|ому|ему|ую|юю|ій|ої|ою)$")


def _people(question: Question, text: str) -> list[Span]:
    """The names the question does not spell; one with a title the question names first ("Хто з
    міністрів …": "Interior Minister Joachim Brudziński"); people and bodies before places."""
    matches = [*ANSWER_TYPES["who"].finditer(text), *_OPENING.finditer(text)]
    asked = asked_words(question.text)
    # Consonants alone match a name the question spells ("Мединського"), not one of its other
    # words: "Гнатюк" shares a consonant triple with "диригентом". A body the question writes in
    # lower case ("полиции": "Metropolitan Police") shares letter triples.
    names = asked_words(" ".join(w for w in _WORDS.findall(question.text)[1:] if w[0].isupper()))

    def spelled(words: list[str], strict: bool = False) -> bool:
        # A title must also start alike ("Minister", "міністрів"): a name may share sounds anywhere.
        return any(
            alike(w, a, consonants=a in names) and (not strict or w[:3] == a[:3])
            for w in map(latin, words)
            for a in asked
        )

    spans = [
        _with_particle(text, m.span())
        for m in matches
        if not spelled(m.group().split()[-1:]) and not set(tokenize(m.group())) <= stopwords() | _CALENDAR
    ]
    titled = [s for s in spans if spelled(_titles(text[s[0] : s[1]]), strict=True)]
    people = [s for s in titled or spans if not _is_place(text, s)]
    return people or spans


def _titles(name: str) -> list[str]:
    """The words before a name's last but for countries and languages ("Interior Minister" of
    "Interior Minister Joachim Brudziński"; none of "Polish Roman Catholic")."""
    return [word for word in name.split()[:-1] if word.lower() not in _english_places()]


def _with_particle(text: str, span: Span) -> Span:
    """The whole name of "Leon van Biljon", which the pattern finds as "Biljon"."""
    before = _PARTICLE.search(text[: span[0]])
    return (before.start(), span[1]) if before else span


def _is_place(text: str, span: Span) -> bool:
    """A country or language ("Turkey's", "Russian") or what the sentence puts a thing in ("in Antalya")."""
    name = text[span[0] : span[1]].lower().removesuffix("'s").removesuffix("’s")
    return name in _english_places() or bool(_PLACE_BEFORE.search(text[max(0, span[0] - 8) : span[0]]))


@cache
def _english_places() -> frozenset[str]:
    english = Locale("en")
    names = [*english.territories.values(), *english.languages.values()]
    return frozenset(written.lower() for name in names for written in english_names(name))


def _outermost(spans: list[Span]) -> list[Span]:
    """Each span not inside another ("July" inside "July 27")."""
    unique = sorted(set(spans))
    return [s for s in unique if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in unique)]


def _joined(text: str, spans: list[Span], kind: str | None) -> list[Span]:
    """Spans written one after another as one ("Dmytro Kuleba and Sergey Lavrov"); names only
    by "and" or "or", since a comma after one brings its title ("Rustem Umierov, Secretary …")."""
    joined = _JOINED_NAMES if kind == "who" else _JOINED
    runs: list[Span] = []
    for start, end in spans:
        if runs and joined.fullmatch(text[runs[-1][1] : start]):
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


def _spelled_in_question(question: Question, span: str) -> bool:
    """Is every name of the span spelled, in any script, in the question?"""
    asked = asked_words(question.text)
    names = [latin(word) for word in re.findall(r"[A-Z][\w'’-]+", span)]
    return bool(names) and all(any(alike(name, a) for a in asked) for name in names)


def _in_question(question: Question, span: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(span)}(?!\w)", question.text, re.I) is not None


def _restates_date(question: Question, span: str) -> bool:
    """The question's own month or year, or its own day of its month ("23 July" for "… 23 липня?")."""
    if restates_time(question, span.lower()):
        return True
    month = next((i + 1 for i, name in enumerate(MONTHS) if re.search(rf"\b{name}\b", span, re.I)), None)
    days = re.findall(r"\b\d{1,2}\b", span)
    return month in question.months and bool(days) and all(_in_question(question, day) for day in days)


def _near(text: str, span: Span, focus: str, window: int = 40) -> bool:
    return focus in tokenize(text[max(0, span[0] - window) : span[1] + window])
