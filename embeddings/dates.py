"""Find publication dates written in article text."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import blingfire

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
    """The first full calendar date (with a year) written in text, if any, in English,
    Ukrainian or Russian."""
    for match in _DATE.finditer(text):
        parsed = parse_date(match.group())
        if parsed:
            return parsed
    foreign = _foreign_full_dates(text)
    return foreign[0] if foreign else None


def days_named(text: str, published: dt.date | None) -> set[dt.date]:
    """Every day a text names: written in full ("August 30, 2019"), or meant and pinned down by
    the article's date ("on Friday", "July 31")."""
    written = {parse_date(m.group()) for m in _DATE.finditer(text)} | set(_foreign_full_dates(text))
    return {day for day in written if day} | {day for _, day in resolve_dates(text, published)}


@lru_cache(maxsize=4096)
def parse_date(text: str) -> dt.date | None:
    """A written date ("28 March 2022", "March 28th, 2022", "2022-03-28"); the common shapes are
    read directly, the rest by dateparser (whose first call costs half a second)."""
    return _common_date(text) or _dateparser_date(text)


def _common_date(text: str) -> dt.date | None:
    plain = re.sub(r"(?<=\d)(st|nd|rd|th)\b|\.|,", "", text).replace("Sept", "Sep").strip()
    for shape in ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y"):
        try:
            return dt.datetime.strptime(plain, shape).date()
        except ValueError:
            continue
    return None


def _dateparser_date(text: str) -> dt.date | None:
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={"STRICT_PARSING": True})
    return parsed.date() if parsed else None


_MONTH_NUMBERS = {
    name: i + 1
    for i, name in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_RELATIVE = re.compile(
    rf"\b(today|tonight|tomorrow|yesterday|(?:on |last |next |this )?(?:{'|'.join(_WEEKDAYS)}))\b"
    rf"|\b(\d{{1,2}})(?:-\d{{1,2}})?\s+({_MONTH})\b(?!,?\s+(?:19|20)\d\d)"
    rf"|\b({_MONTH})\s+(\d{{1,2}})(?:-\d{{1,2}})?\b(?!,?\s+(?:19|20)\d\d)",
    re.IGNORECASE,
)
# "may have killed" speaks of the past: a modal before "have" is no future.
_FUTURE = re.compile(
    r"\b(will|would|could|may|might|shall|scheduled|expected|due|plans?|next|upcoming|to be|tomorrow)\b(?! have\b)",
    re.I,
)

# A verb in the past tense ("said", "told", "announced").
_PAST = re.compile(
    r"\b(\w+ed|said|told|met|held|spoke|gave|took|made|went|came|began|left|flew|sent|wrote|was|were|had|did"
    r"|has been|have been|ran|broke|caught|found|withdrew|struck|stole|stolen|won|lost|fell|rose|led|saw|knew"
    r"|became|brought|bought|built|fought|got|heard|hit|kept|paid|put|sold|spent|stood|thought|threw|shot|sank)\b",
    re.I,
)
_REPORTING = re.compile(r"\b(said|told|added|stated|noted|explained|reported|confirmed|warned|claimed|quoted)\b", re.I)
_CUE_WORDS = 3  # words before a day that say whether it is past or ahead


def resolve_dates(sentence: str, published: dt.date | None) -> list[tuple[tuple[int, int], dt.date]]:
    """Dates a sentence means but does not write in full, read against the article's date:
    "on Friday" in a 17 May 2025 article is 16 May 2025; "March 28" in 2022 is 2022-03-28."""
    if published is None:
        return []
    found = []
    matches = list(_RELATIVE.finditer(sentence))
    spans = blingfire.text_to_sentences_and_offsets(sentence)[1] if matches else []
    for match in matches:
        around = next((sentence[s:e] for s, e in spans if s <= match.start() < e), sentence)
        # A sentence without a verb in the past, but for who said it, tells what is coming
        # ("“Russia continues preparing for Thursday's negotiations,” Peskov said").
        future = bool(_FUTURE.search(around)) or not _PAST.search(_REPORTING.sub("", around))
        date = _relative_date(match, published, _ahead(sentence, match, future))
        if date is not None:
            found.append(((match.start(), match.end()), date))
    return _beside_their_dates(sentence, found + _foreign_relative(sentence, published))


def _beside_their_dates(sentence: str, found: list[tuple[tuple[int, int], dt.date]]):
    """Less the days named with their date just after them ("у неділю, 25 серпня", "on Sunday,
    August 25"): the date written there says which day, whatever the tense seems to say."""
    dated = {start for (start, end), _ in found if any(c.isdigit() for c in sentence[start:end])}

    def dated_after(end: int) -> bool:
        gap = re.match(r",?\s*", sentence[end:])
        return end + (gap.end() if gap else 0) in dated

    return [((start, end), date) for (start, end), date in found if start in dated or not dated_after(end)]


def _ahead(sentence: str, match: re.Match, anywhere: bool) -> bool:
    """Does the day lie ahead? The words just before it decide ("told reporters on Monday that
    he would …" is last Monday; "will be held on Monday" next), else the first verb just after
    it, however far ("On Friday, Trump declared …, claiming this would …" is last Friday; "On
    Wednesday, Carrie Lam, the chief executive of Hong Kong, announced that her government will
    …" last Wednesday), else any future word in the sentence."""
    before = " ".join(sentence[: match.start()].split()[-_CUE_WORDS:])
    if _FUTURE.search(before):
        return True
    if _PAST.search(before):
        return False
    # Up to the end of a quotation: "“… Thursday's negotiations,” Peskov said" is not said on Thursday.
    rest = re.split(r"[”»\"]", sentence[match.end() :], maxsplit=1)[0]
    after = " ".join(re.findall(r"\w[\w'’-]*", rest))
    tenses = [
        (m.start(), future) for pattern, future in ((_FUTURE, True), (_PAST, False)) for m in pattern.finditer(after)
    ]
    return min(tenses)[1] if tenses else anywhere


def _relative_date(match: re.Match, published: dt.date, future: bool) -> dt.date | None:
    word = (match.group(1) or "").lower()
    if word:
        return _day_word(word, published, future)
    day, month = (match.group(2), match.group(3)) if match.group(2) else (match.group(5), match.group(4))
    # Read directly, not by dateparser, whose first call costs half a second of a cold `ask`.
    number = _MONTH_NUMBERS[month.lower()[:3]]
    parsed = _safe_date(published.year, number, int(day))
    if parsed and parsed > published + dt.timedelta(days=180):
        parsed = _safe_date(published.year - 1, number, int(day))
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


# Ukrainian and Russian articles: the same dates, in words from babel's locale data (month names
# in the genitive, as dates write them; weekdays with their accusative "у середу", "в пятницу").
CYRILLIC_LOCALES = ("uk", "ru")
_FOREIGN_WORDS = {
    "uk": {"today": "сьогодні", "tomorrow": "завтра", "yesterday": "вчора|учора"},
    "ru": {"today": "сегодня", "tomorrow": "завтра", "yesterday": "вчера"},
}
_FOREIGN_FUTURE = {
    "uk": r"буде|будуть|відбудеться|відбудуться|заплановано|запланован\w*|наступн\w*|має відбутися|мають відбутися",
    "ru": r"будет|будут|состоится|состоятся|запланирован\w*|следующ\w*|пройд[её]т|должн\w* пройти",
}


_PAST_VERB = re.compile(
    r"(?<!\w)[а-яёіїєґ']{2,}(?:л|ла|ло|ли|лся|лась|лось|лись|лася|лося)(?!\w)|[а-яіїєґ']{4,}(?:ав|ив|ів)(?!\w)", re.I
)


def _looks_ahead(sentence: str, match: re.Match) -> bool:
    """Slavic future verbs ("выйдут", "відкриється") have no marker word, but the past has its
    own endings (сказал, подписала, заявив): a clause around the date without one looks ahead."""
    start = max(sentence.rfind(mark, 0, match.start()) for mark in ",;–—")
    ends = [i for i in (sentence.find(mark, match.end()) for mark in ",;–—") if i >= 0]
    clause = sentence[start + 1 : min(ends, default=len(sentence))]
    return not any(_is_verb(m.group()) for m in _PAST_VERB.finditer(clause))


_INFINITIVE = ("ти", "тися", "тись")


@lru_cache(maxsize=4096)
def _is_verb(word: str) -> bool:
    """Is a word with a past verb's ending a verb? Ukrainian genitive plurals end as "провів"
    does ("тижнів", "депутатів"): for those its dictionary tells, a verb's dictionary form being
    its infinitive (a word it does not know is taken for a verb, as the ending says). Other
    endings are taken at their word: the Russian dictionary costs a second to load."""
    word = word.lower()
    if not word.endswith("ів"):
        return True
    import simplemma

    return simplemma.lemmatize(word, lang="uk").endswith(_INFINITIVE) or not simplemma.is_known(word, lang="uk")


@lru_cache(maxsize=2)
def _locale_patterns(locale: str) -> tuple[re.Pattern, re.Pattern, dict[str, int], dict[str, int]]:
    """A full date ("23 липня 2025"), a date without its year or a day word, and the month
    and weekday each matched word stands for."""
    from babel.dates import get_month_names

    months = {name.lower(): n for n, name in get_month_names("wide", context="format", locale=locale).items()}
    weekdays = _weekday_forms(locale)
    month = "|".join(sorted(months, key=len, reverse=True))
    words = "|".join(_FOREIGN_WORDS[locale].values())
    day = "|".join(sorted((re.escape(w).replace("'", "['’ʼ]") for w in weekdays), key=len, reverse=True))
    full = re.compile(rf"(?<!\w)(\d{{1,2}})\s+({month})\s+((?:19|20)\d\d)(?!\d)", re.I)
    relative = re.compile(
        rf"(?<!\w)({words}|{day})(?!\w)|(?<!\w)(\d{{1,2}})(?:[-–]\d{{1,2}})?\s+({month})(?!\w)(?!\s+(?:19|20)\d\d)",
        re.I,
    )
    return full, relative, months, weekdays


def weekdays_named(text: str) -> frozenset[int]:
    """The days of the week a text names (0: Monday), in English, Ukrainian, Russian, German or
    Spanish ("у неділю", "am Samstag")."""
    words = re.findall(r"[^\W\d_][\w'’ʼ]*", text.lower().replace("’", "'").replace("ʼ", "'"))
    return frozenset(day for word in words if (day := _weekday_words().get(word)) is not None)


@lru_cache(maxsize=1)
def _weekday_words() -> dict[str, int]:
    return {word: n for locale in ("en", "uk", "ru", "de", "es") for word, n in _weekday_forms(locale).items()}


def _weekday_forms(locale: str) -> dict[str, int]:
    """Each weekday's name in locale, lower-case, and a Cyrillic one's accusative too ("у середу",
    "в пятницу"), with the weekday it stands for (0: Monday), by babel's locale data."""
    from babel.dates import get_day_names

    forms = {}
    for n, name in get_day_names("wide", context="format", locale=locale).items():
        name = name.lower().replace("ʼ", "'")
        forms[name] = n
        if locale in CYRILLIC_LOCALES and name.endswith(("а", "я")):
            forms[name[:-1] + ("у" if name.endswith("а") else "ю")] = n
    return forms


def _foreign_full_dates(text: str) -> list[dt.date]:
    found = []
    for locale in CYRILLIC_LOCALES:
        full, _, months, _ = _locale_patterns(locale)
        for match in full.finditer(text):
            found.append(_safe_date(int(match.group(3)), months[match.group(2).lower()], int(match.group(1))))
    return [date for date in found if date]


def _foreign_relative(sentence: str, published: dt.date) -> list[tuple[tuple[int, int], dt.date]]:
    found = []
    for locale in CYRILLIC_LOCALES:
        _, relative, months, weekdays = _locale_patterns(locale)
        marked = bool(re.search(rf"(?<!\w)(?:{_FOREIGN_FUTURE[locale]})(?!\w)", sentence, re.I))
        for match in relative.finditer(sentence):
            future = marked or _looks_ahead(sentence, match)
            date = _foreign_date(match, locale, months, weekdays, published, future)
            if date is not None:
                found.append(((match.start(), match.end()), date))
    return found


def _foreign_date(match, locale, months, weekdays, published, future) -> dt.date | None:
    word = (match.group(1) or "").lower().replace("’", "'").replace("ʼ", "'")
    if word:
        english = next((e for e, w in _FOREIGN_WORDS[locale].items() if word in w.split("|")), None)
        name = english or _WEEKDAYS[weekdays[word]]
        return _day_word(name, published, future)
    date = _safe_date(published.year, months[match.group(3).lower()], int(match.group(2)))
    if date and date > published + dt.timedelta(days=180):
        date = _safe_date(published.year - 1, date.month, date.day)
    return date


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
