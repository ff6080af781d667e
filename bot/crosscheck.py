"""Fact checks of claims in another language than English, against articles in any language.

bot/factcheck.py compares the claim's words with the sentence's. Across languages only what
survives translation can be compared: names (transliterated, as bot/crosslingual.py does),
numbers, dates and years, and whether each side says no. So a verdict here is deliberately
cautious: `supported` needs a sentence near the claim, about all of its names, that holds its
numbers, dates and year, shares at least two names or numbers with it and says no where the
claim does; `refuted` needs the nearest such sentence to state another year, number or day of
the same month, or the opposite. Everything else is `not_enough_info`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import simplemma

from bot import crosslingual
from bot.answer import clean_sentence
from bot.citations import written_date
from bot.crosslingual import CrossModel, QuestionVectors, Scored
from bot.lexicon import NUMBER_WORD_VALUES, outcome_of
from bot.results import Citation, Evidence, Label, Stance, Verdict
from embeddings import UNKNOWN_SOURCE, Hit, SearchableIndex, tokenize, weekdays_named

CANDIDATES = 3  # best sentences a claim is compared with
# Names and numbers a supporting sentence shares with the claim (a name of several words counts
# once): one name alone ("the Kremlin") says the sentence is on the claim's topic, not that it
# tells the same.
MIN_SHARED = 2
# A supporting sentence is surer to be about the claim than an answer need be.
SUPPORT_CONFIDENCE = 0.6
# "Not", in every language a claim or an article may be in.
_NEGATION = re.compile(
    r"\b(not|no|never|neither|nor|without|cannot|n't|yet to"
    r"|не|ні|ніколи|жодн\w*|без|нет|ни|никогда|никак\w*"
    r"|nicht|kein\w*|nie|niemals|ohne|weder"
    r"|nunca|ningun[oa]?|ningún|sin|ni|jamás)\b",
    re.IGNORECASE,
)
# Saying yes and saying no, by word stem in the same languages, and by whole word where a stem
# would also match other words ("sign" in "significant", "согласно", "погода", "negativa").
_YES = re.compile(
    r"\b(?:(?:accept|agree|approv|confirm|allow"
    r"|погодил|погодж|домовил|схвал|підписа|підтверд|дозвол|задовольн|задовольня"
    r"|согласил|соглаш|договорил|одобр|подписа|подтверд|разреш|удовлетвори|удовлетворя"
    r"|zugestimm|akzeptier|unterzeichn|unterschrieb|bestätig|genehmig|erlaub|stattgegeben"
    r"|acept|aprob|confirm|permit|acordaron)\w*|sign(?:s|ed|ing)?|stimmte\w* zu|firm[óa]|firmaron)\b",
    re.IGNORECASE,
)
_NO = re.compile(
    r"\b(?:(?:reject|refus|declin|forbid|oppos"
    r"|відмов|відхил|заперечи|заборон|провал|отказ|отклон|отверг|запрет"
    r"|abgelehnt|lehnte|verweiger|scheitert|gescheitert|rechaz|prohib|fracas)\w*"
    r"|den(?:y|ies|ied)|ban(?:s|ned)?|fail(?:s|ed)?|verboten|negó|negaron|niega|niegan)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NUMBER = re.compile(r"(?<![^\W_])(?<!-)\d+(?:[.,]\d+)?")  # a whole number, not the 19 of "COVID-19"
# Units of time, by stem, in the languages claims may be in.
_TIME_UNITS = (
    *("minute", "hour", "day", "week", "month", "year"),
    *("хвилин", "годин", "дн", "день", "тижн", "тиждень", "місяц", "рок", "рік"),
    *("минут", "час", "недел", "месяц", "год", "лет"),
    *("stunde", "tag", "woche", "monat", "jahr"),
    *("minuto", "hora", "día", "dia", "semana", "mes", "año"),
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_NEARBY_WORD = re.compile(r"[^\W\d_][\w.'’-]*")  # "p.m." whole
_NEARBY = 30  # characters either side of a number in which its month or unit is looked for
# Words between a day and its month ("5 de agosto", "the 5th of August"); "5. August" has none.
_DAY_LINKS = frozenset(["de", "del", "of", "th", "st", "nd", "rd"])
# A number the clock reads ("at 5 p.m.", "um 17 Uhr", "19:00") is neither a count nor a day.
_CLOCK = re.compile(r"(a\.?m\.?|p\.?m\.?|uhr|hrs?|h)$", re.IGNORECASE)
# The verdict's explanation, in the claim's language.
EXPLAINED = {
    "en": ("{source} ({date}) reports it: “{quote}” [1]", "{source} ({date}) says otherwise: “{quote}” [1]"),
    # "Видання …" as the answers' framing: an outlet's name may be plural ("Київські новини").
    "uk": (
        "Видання {source} ({date}) повідомляє про це: «{quote}» [1]",
        "Видання {source} ({date}) пише інакше: «{quote}» [1]",
    ),
    "ru": (
        "Издание {source} ({date}) сообщает об этом: «{quote}» [1]",
        "Издание {source} ({date}) пишет иначе: «{quote}» [1]",
    ),
    "de": ("{source} ({date}) berichtet es: „{quote}“ [1]", "{source} ({date}) schreibt anderes: „{quote}“ [1]"),
    "es": ("{source} ({date}) lo informa: «{quote}» [1]", "{source} ({date}) dice otra cosa: «{quote}» [1]"),
}
# ... of an article whose outlet is not known
UNNAMED = {
    "uk": ("Стаття ({date}) повідомляє про це: «{quote}» [1]", "Стаття ({date}) пише інакше: «{quote}» [1]"),
    "ru": ("Статья ({date}) сообщает об этом: «{quote}» [1]", "Статья ({date}) пишет иначе: «{quote}» [1]"),
    "de": ("Ein Artikel ({date}) berichtet es: „{quote}“ [1]", "Ein Artikel ({date}) schreibt anderes: „{quote}“ [1]"),
    "es": ("Un artículo ({date}) lo informa: «{quote}» [1]", "Un artículo ({date}) dice otra cosa: «{quote}» [1]"),
}
UNSETTLED = {
    "en": "The articles neither confirm nor contradict this claim; the nearest passages are shown.",
    "uk": "Статті цього не підтверджують і не спростовують; показано найближчі уривки.",
    "ru": "Статьи этого не подтверждают и не опровергают; показаны ближайшие отрывки.",
    "de": "Die Artikel bestätigen das weder noch widerlegen sie es; die nächsten Passagen sind angegeben.",
    "es": "Los artículos no lo confirman ni lo desmienten; se muestran los pasajes más cercanos.",
}


@dataclass(frozen=True)
class Facts:
    """What of a claim or sentence can be compared across languages."""

    names: frozenset[str]
    numbers: frozenset[str]
    years: frozenset[str]
    says_no: bool
    yes_or_no: int  # +1 it agrees, accepts, confirms; -1 it refuses, rejects, denies; 0 neither
    dated: frozenset[str] = frozenset()  # the year of the article a sentence is in
    people: tuple[frozenset[str], ...] = ()  # a claim's names, one set of words per name ("John Horton Conway")
    close: frozenset[str] = frozenset()  # a sentence's names and those of its passage and headline
    days: frozenset[tuple[int, int]] = frozenset()  # (month, day) of the dates it writes ("5 de agosto")
    outcome: int = 0  # +1 someone won, -1 someone lost, 0 neither or both
    weekdays: frozenset[int] = frozenset()  # the days of the week it names (0: Monday)


def facts_of(text: str, claim: bool) -> Facts:
    """A claim's capitalised first word need not be a name ("Переговори …"): it is not one the
    sentence must hold, but it counts among the names they share when it is there."""
    years = frozenset(_YEAR.findall(text))
    counts, days = _counts_and_days(text)
    numbers = frozenset(counts) - years
    yes, no = bool(_YES.search(text)), bool(_NO.search(text))
    plain = _without_acronyms(text)
    names = frozenset(crosslingual.names_in(plain, skip_first=claim))
    people = tuple(_name_runs(plain)) if claim else ()
    said_no, yes_or_no = bool(_NEGATION.search(text)), int(yes) - int(no)
    outcome = outcome_of(text)
    return Facts(
        names,
        numbers,
        years,
        said_no,
        yes_or_no,
        people=people,
        days=frozenset(days),
        outcome=outcome,
        weekdays=weekdays_named(text),
    )


def _without_german_nouns(claim: str, facts: Facts) -> Facts:
    """German capitalises every noun ("Die Gespräche dauerten neun Stunden"): the words its
    dictionary knows are left out of the names a sentence must hold, but for those English
    writes alike ("Belarus", "Istanbul"), which an English sentence can hold."""
    nouns = [w for w in _WORD.findall(claim) if w[:1].isupper() and _german_only(w)]
    known = frozenset().union(*(crosslingual.names_in(w, skip_first=False) for w in nouns))
    people = tuple(run - known for run in facts.people if run - known)
    return replace(facts, names=facts.names - known, people=people)


def _german_only(word: str) -> bool:
    return simplemma.is_known(word, lang="de") and not simplemma.is_known(word, lang="en")


def _name_runs(text: str) -> list[frozenset[str]]:
    """The transliterated words of each run of capitalised words: one name, however many words."""
    runs: list[list[str]] = []
    end = -1
    for match in _WORD.finditer(text):
        if not match.group()[0].isupper():
            continue
        if runs and not text[end : match.start()].strip():
            runs[-1].append(match.group())
        else:
            runs.append([match.group()])
        end = match.end()
    return [frozenset(crosslingual.names_in(" ".join(run), skip_first=False)) for run in runs]


def _counts_and_days(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The numbers of a text, in digits or words ("п'ять" is "5"), and apart from them the days
    of its dates ("28 марта", "March 29-30", "am 4. Juni", "5 de agosto"), as (month, day); the
    hours of the clock ("at 5 p.m.") are neither."""
    counts, days = [], []
    for match in _NUMBER.finditer(text):
        before = _NEARBY_WORD.findall(text[max(0, match.start() - _NEARBY) : match.start()])[-1:]
        after = _NEARBY_WORD.findall(text[match.end() : match.end() + _NEARBY])[:2]
        on_the_clock = after and _CLOCK.match(after[0]) and text[match.end() :].lstrip().startswith(after[0])
        if on_the_clock or ":" in text[max(0, match.start() - 1) : match.end() + 1]:  # "at 19:00"
            continue
        nearby = before + after[:1] + (after[1:] if after and after[0].lower() in _DAY_LINKS else [])
        month = next((m for word in nearby if (m := _month_of(word))), None)
        if month is None:
            counts.append(match.group().replace(",", "."))
        elif "." not in match.group() and "," not in match.group() and int(match.group()) <= 31:
            days.append((month, int(match.group())))
    return counts + _counted_in_words(text), days


def _counted_in_words(text: str) -> list[str]:
    """Numbers written as words, when a unit of time follows ("five hours", "дві години",
    "two-hour"): a number word alone is as often no count ("the first three rounds" of what?)."""
    words = [w for part in _WORD.findall(text.lower().replace("’", "'")) for w in part.split("-") if w]
    return [
        str(NUMBER_WORD_VALUES[word])
        for word, unit in zip(words, words[1:], strict=False)
        if word in NUMBER_WORD_VALUES and unit.startswith(_TIME_UNITS)
    ]


def _month_of(word: str) -> int | None:
    """The month a word names in any of the languages, if it names one."""
    return next(
        (m[0] for locale in crosslingual.LOCALES.values() if (m := crosslingual.months_named(word, locale))), None
    )


def _without_acronyms(text: str) -> str:
    # An acronym is spelt after another language's words (РНБО, NSDC): it cannot be compared.
    return re.sub(r"\b[^\W\d_]*[^\W\d_a-zа-яёіїєґ]{2,}[^\W\d_]*\b", lambda m: m.group().lower(), text)


def stance(claim: Facts, sentence: Facts) -> Stance:
    """How a sentence about the claim's topic bears on it, by what the two share."""
    about_it = all(any(crosslingual.alike(n, f) for f in sentence.names) for n in claim.names)
    if not about_it:
        return "related"
    if claim.years and sentence.years and not claim.years & sentence.years:
        return "contradicts"
    if claim.numbers and sentence.numbers and not claim.numbers & sentence.numbers:
        return "contradicts"
    if _another_day(claim.days, sentence.days) or _another_weekday(claim.weekdays, sentence.weekdays):
        return "contradicts"
    if _polarity(claim) * _polarity(sentence) < 0:
        return "contradicts"
    holds_all = (
        claim.numbers <= sentence.numbers
        and claim.days <= sentence.days
        and claim.years <= sentence.years | sentence.dated
    )
    if claim.outcome * sentence.outcome < 0:
        return "related"
    # Support is the costlier mistake: the names it counts are those near the sentence.
    named = sum(any(crosslingual.alike(n, f) for n in run for f in sentence.close) for run in claim.people)
    if named + len(claim.numbers) + len(claim.days) >= MIN_SHARED and holds_all and claim.says_no == sentence.says_no:
        return "supports"
    return "related"


def _another_day(claimed: frozenset[tuple[int, int]], written: frozenset[tuple[int, int]]) -> bool:
    """Does the sentence give another day of a month the claim dates something in (the claim's
    5 August against its 2 August)? A date of another month may be of something else."""
    months = {month for month, _ in claimed} & {month for month, _ in written}
    return any(not {d for m, d in claimed if m == month} & {d for m, d in written if m == month} for month in months)


def _another_weekday(claimed: frozenset[int], written: frozenset[int]) -> bool:
    """Does the sentence name days of the week, none of them the claim's ("у суботу" against
    "в неділю")?"""
    return bool(claimed and written) and claimed.isdisjoint(written)


def _polarity(facts: Facts) -> int:
    """+1 or -1 when the text takes a side (a "no" turns it round), else 0."""
    if facts.yes_or_no == 0:
        return -1 if facts.says_no else 0
    return -facts.yes_or_no if facts.says_no else facts.yes_or_no


def check_across(
    claim: str,
    language: str,
    hits: list[Hit],
    index: SearchableIndex,
    vectors: QuestionVectors,
    model: CrossModel,
    max_evidence: int = 3,
) -> Verdict:
    """Verdict on a claim in language, with its evidence, its explanation in that language."""
    locale = crosslingual.LOCALES[language]
    question = replace(crosslingual.analyse_foreign(claim, language), kind=None)
    # Not put in the claim's time first, as an answer is: the claim may have the time wrong.
    ranked = crosslingual.rank(question, hits, index, vectors, model)
    claimed = facts_of(claim, claim=True)
    if locale == "de":
        claimed = _without_german_nouns(claim, claimed)
    candidates = _distinct(ranked)[:CANDIDATES]
    # A sentence counts when the claim is near enough to it for an answer (the first is judged
    # against its runner-up, as an answer is).
    judged = [(c, _judge(claimed, c, ranked if i == 0 else None, model)) for i, c in enumerate(candidates)]
    judged = _settled(claim, judged)
    label = _verdict([s for _, s in judged if s is not None])
    lead = next((c for c, s in judged if s == _LEADS.get(label)), None)
    shown = [(c, s if s and label != "not_enough_info" else "related") for c, s in judged]
    if lead is not None:
        narrow = _narrowest(lead, claimed, ranked)
        shown = [(narrow if c is lead else c, s) for c, s in shown]
        lead = narrow
    return Verdict(label, _explain(label, lead, locale), _evidence(shown, lead, max_evidence), locale)


_LEADS: dict[str, Stance] = {"refuted": "contradicts", "supported": "supports"}


def _settled(claim: str, judged: list[tuple[Scored, Stance | None]]) -> list[tuple[Scored, Stance | None]]:
    """When one sentence supports the claim and another contradicts it, the one that shares more
    of the claim's words goes first ("приговорил … к пяти годам" against "просило … семь лет"):
    the nearer by vectors is often the one that only repeats the number. Across languages no
    words are shared, and the nearer still decides."""
    stances = [s for _, s in judged]
    if "supports" not in stances or "contradicts" not in stances:
        return judged
    words = set(tokenize(claim))
    support = next(c for c, s in judged if s == "supports")
    contra = next(c for c, s in judged if s == "contradicts")
    if len(words & set(tokenize(contra.text))) > len(words & set(tokenize(support.text))):
        return [(c, s) for c, s in judged if c is contra] + [(c, s) for c, s in judged if c is not contra]
    return judged


def _verdict(stances: list[Stance]) -> Label:
    """The nearest sentence that bears on the claim decides: it refutes it by contradicting it,
    supports it by holding it. (A count further down is often of something else: "17 boats"
    against "seven years".)"""
    decisive = next((s for s in stances if s != "related"), "related")
    if decisive == "contradicts":
        return "refuted"
    return "supported" if decisive == "supports" else "not_enough_info"


def _judge(claimed: Facts, candidate: Scored, ranked: list[Scored] | None, model: CrossModel) -> Stance | None:
    """The sentence's stance, or None when it is not near enough to the claim to bear on it."""
    confidence = model.confidence(candidate, crosslingual.runner_up(ranked) if ranked else None)
    if confidence < model.threshold:
        return None
    found = stance(claimed, _sentence_facts(candidate))
    return "related" if found == "supports" and confidence < SUPPORT_CONFIDENCE else found


def _narrowest(lead: Scored, claimed: Facts, ranked: list[Scored]) -> Scored:
    """One sentence of a two-sentence lead, when it alone bears on the claim the same way."""
    wanted = stance(claimed, _sentence_facts(lead))
    alone = [c for c in ranked if c.hit is lead.hit and len(c.spans) == 1 and c.spans[0] in lead.spans]
    return next((c for c in alone if stance(claimed, _sentence_facts(c)) == wanted), lead)


def _sentence_facts(candidate: Scored) -> Facts:
    """What the sentence says; its names are also those of its article, which say whom a
    sentence like "In port, 17 boats will be based" or "The first meeting lasted five hours" is
    about."""
    hit = candidate.hit
    document = hit.document
    facts = facts_of(candidate.text, claim=False)
    close = facts.names | crosslingual.names_in(f"{document.title} {hit.passage.text}", skip_first=False)
    names = facts.names | _article_names(document.title, document.text)
    # The article's year dates what its sentences tell ("on Friday"), enough to support a
    # claim's year, not to contradict one: the sentence may tell of an earlier year.
    dated = frozenset({str(document.date.year)} if document.date else ())
    return replace(facts, names=names, close=frozenset(close), dated=dated)


@lru_cache(maxsize=256)
def _article_names(title: str, text: str) -> frozenset[str]:
    return frozenset(crosslingual.names_in(f"{title} {text}", skip_first=False))


def _distinct(ranked: list[Scored]) -> list[Scored]:
    """The best candidates, none sharing a sentence with a better one."""
    chosen: list[Scored] = []
    for candidate in ranked:
        if not any(set(candidate.spans) & set(c.spans) for c in chosen):
            chosen.append(candidate)
    return chosen


def _evidence(judged: list[tuple[Scored, Stance]], lead: Scored | None, limit: int) -> tuple[Evidence, ...]:
    """The lead first, then the others, one per passage (as bot/factcheck.py's): another
    sentence of a passage already shown would show the same passage again."""
    chosen: dict[str, tuple[Scored, Stance]] = {}
    for candidate, found in sorted(judged, key=lambda pair: pair[0] is not lead):
        if candidate.hit.passage.key not in chosen and len(chosen) < limit:
            chosen[candidate.hit.passage.key] = (candidate, found)
    return tuple(Evidence(Citation(i + 1, c.hit, c.spans), s) for i, (c, s) in enumerate(chosen.values()))


def _explain(label: Label, lead: Scored | None, locale: str) -> str:
    if lead is None or label == "not_enough_info":
        return UNSETTLED[locale]
    document = lead.hit.document
    date = written_date(document.date, locale) if document.date else ""
    unnamed = document.source == UNKNOWN_SOURCE and locale in UNNAMED
    wording = (UNNAMED if unnamed else EXPLAINED)[locale][0 if label == "supported" else 1]
    quote = clean_sentence(" ".join(lead.text.split()))
    return wording.format(source=document.source, date=date, quote=quote).replace(" ()", "")
