"""Candidate sentences, their features, and the fitted model that scores them.

Every sentence of the retrieved passages (with the sentence before it when it refers back or
holds the answer) is a candidate. Its features are the signals below; a logistic regression
fitted by `benchmarks/fit.py` on public data turns them into the probability that the sentence
answers the question, and a second fit calibrates the best candidate's score into the
probability that the answer is right, which decides abstention.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from bot.lexicon import (
    CAPITAL,
    CYRILLIC_MONTHS,
    CYRILLIC_NUMBER_WORDS,
    CYRILLIC_TIME_UNITS,
    MONTHS,
    NAME,
    NUMBER_WORDS,
    RELATIVE_TIME,
    WEEKDAYS,
)
from bot.question import Question, asks_which
from embeddings import Hit, SearchableIndex, TermStats, resolve_dates, starts_with_reference, tokenize, unit_vector

MODEL_FILE = "ranker.json"
CONTEXT_WEIGHT = 0.5
MARGIN_BOUND = 10.0
NEAR_CHARS = 20  # the distance at which typed_near_terms halves
EMPHASIS = 3.0  # weight of a follow-up's own terms against those carried from earlier turns
_MONTHS = "|".join(MONTHS)
_YEAR = re.compile(r"(19|20)\d\d")
_CLOCK_AFTER = re.compile(r"\s*([ap]\.?m\b|uhr\b)|:\d", re.I)  # "5 p.m.", "17 Uhr", the 19 of "19:00"
_CLOCK_BEFORE = re.compile(r"\d:$")  # the 00 of "19:00"
_LABEL_BEFORE = re.compile(r"(№|#|\b(No|Nr|no)\.)\s*$")  # "хлебозавод № 3", "No. 10": a name, not a count
_MONTH_NAMES = rf"({_MONTHS}|{CYRILLIC_MONTHS})"
_MONTH_AFTER = re.compile(rf"([–-]\d{{1,2}})?(\s*(st|nd|rd|th))?(\s+(of|de|del))?\s+{_MONTH_NAMES}\b", re.I)
_MONTH_BEFORE = re.compile(rf"\b{_MONTH_NAMES}\.?\s+$", re.I)
_CYRILLIC_MONTH_LIST = CYRILLIC_MONTHS.split("|")  # Ukrainian's twelve, then Russian's
_DAY_REACH = 16  # characters before a day in which its month is looked for ("September 30")
_CYRILLIC_UNIT_OF = {form: unit for unit, forms in CYRILLIC_TIME_UNITS.items() for form in forms.split()}
_CYRILLIC_UNITS = "|".join(_CYRILLIC_UNIT_OF)
ANSWER_TYPES = {
    "when": re.compile(
        rf"\b(\d{{1,2}}:\d\d|(19|20)\d\d|\d{{1,2}} ({_MONTHS})|({_MONTHS}) \d{{1,2}}(?!\d)|{_MONTHS}"
        rf"|(\d{{1,2}} )?({CYRILLIC_MONTHS}))\b",
        re.I,
    ),
    "who": re.compile(rf"(?<=[\w,;:] )[{CAPITAL}][\w'’]+(?:[ -][{CAPITAL}][\w'’]+)*\b"),
    "number": re.compile(rf"\d(?:[\d,.:]*\d)?|\b({NUMBER_WORDS}|{CYRILLIC_NUMBER_WORDS})\b", re.I),
    "duration": re.compile(
        rf"\b(\d+|{NUMBER_WORDS}|an?(?![ -]\d)|several|few)[ -](\w+[ -])?(second|minute|hour|day|week|month|year)s?\b"
        rf"|(?<!\d)(\d{{1,3}}|\b(?:{CYRILLIC_NUMBER_WORDS}))\s(\w+\s)?({_CYRILLIC_UNITS})\b",
        re.I,
    ),
    "where": re.compile(
        r"\b(in|at|to|from|near)\s+(?:the\s+)?[A-Z]"
        r"|(?<![\w'’])(в|у|во|на|до|з|із|зі|из|со|біля|поблизу|около|возле|під|под)\s+[А-ЯЁІЇЄҐ]"
    ),
}
_CALENDAR = frozenset(MONTHS + WEEKDAYS)
YEAR_FOCUS = "year"  # the focus of "In which year …?": a date without its year does not answer it
FEATURES = (
    "dense",
    "own",
    "around",
    "support",
    "passage",
    "passage_dense",
    "passage_keyword",
    "hit_rank",
    "typed",
    "type_missing",
    "untyped_question",
    "time_fit",
    "headline",
    "pair",
    "names_found",
    "numbers_found",
    "rarest_found",
    "dense_gap",
    "own_gap",
    "novelty",
    "asks_who",
    "asks_when",
    "asks_count",
    "asks_which",
    "new_name",
    "new_number",
    "new_date",
    "name_for_who",
    "date_for_when",
    "number_for_count",
    "name_for_which",
    "specific",
    "restates_headline",
    "bigrams_found",
    "typed_near_terms",
)


@dataclass(frozen=True)
class Candidate:
    """A sentence (with the one before it, when it refers back) that might answer the question."""

    hit: Hit
    spans: tuple[tuple[int, int], ...]
    score: float  # probability that it answers the question, from the fitted model
    dense: float
    support: float
    typed: float
    features: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    @property
    def text(self) -> str:
        return " ".join(self.hit.document.text[s:e] for s, e in self.spans)


# What besides the best score tells whether an answer from it is right: a question's names,
# numbers and rarest word missing from the sentence mark a near miss.
CONFIDENCE_FEATURES = ("names_found", "numbers_found", "rarest_found")
# ... and how sure the reader is that the sentence holds an answer at all.
READER_FEATURE = "reader"


@dataclass(frozen=True)
class Ranker:
    """A fitted linear scorer over FEATURES, and the calibration of the best candidate."""

    weights: dict[str, float]
    intercept: float
    # P(right) = sigmoid(score * logit(best score) + sum of weight * best's feature + intercept)
    calibration: dict[str, float]
    threshold: float  # answer when P(right) reaches this; chosen on a dev split
    fitted: dict = field(default_factory=dict, compare=False)
    # When the two best candidates' logits are closer than reread["gap"], the reader decides
    # between them: logit + reread["weight"] * its bounded margin. Chosen on a dev split.
    reread: dict[str, float] = field(default_factory=dict, compare=False)

    def probabilities(self, rows: list[dict[str, float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        x = np.array([[row[name] for name in FEATURES] for row in rows])
        w = np.array([self.weights[name] for name in FEATURES])
        return 1.0 / (1.0 + np.exp(-(x @ w + self.intercept)))

    def confidence(self, best: Candidate, margin: float | None = None) -> float:
        """The probability that an answer from the best candidate is right; margin: the reader's
        no-answer margin on it (past its chosen cut), when the calibration uses it."""
        return 1.0 / (1.0 + math.exp(-self.confidence_logit(best.score, best.features, margin)))

    @property
    def reads_best(self) -> bool:
        """Does the calibration weigh the reader's margin on the best candidate?"""
        return READER_FEATURE in self.calibration

    def confidence_logit(self, score: float, features: dict[str, float], margin: float | None = None) -> float:
        c = self.calibration
        logit = c["intercept"] + c["score"] * _logit(score) + sum(c[f] * features[f] for f in CONFIDENCE_FEATURES)
        if margin is not None and self.reads_best:
            logit += c[READER_FEATURE] * clipped_margin(margin)
        return logit


@lru_cache(maxsize=4)
def ranker(model_id: str | None = None) -> Ranker:
    """The fitted model shipped with newsbot for sentences embedded by model_id: its own fit
    (bot/models/ranker-<model_id>.json) when there is one, else bot/models/ranker.json. The
    dense features are cosines, and each embedding model has its own scale of them."""
    data = json.loads(fitted_file(MODEL_FILE, model_id).read_text(encoding="utf-8"))
    fitted, reread = data.get("fitted", {}), data.get("reread", {})
    return Ranker(data["weights"], data["intercept"], data["calibration"], data["threshold"], fitted, reread)


def fitted_file(name: str, model_id: str | None):
    """bot/models/<name>, or its variant fitted for model_id (own_file_name) if shipped."""
    models = resources.files("bot.models")
    own = models.joinpath(own_file_name(name, model_id)) if model_id else None
    return own if own is not None and own.is_file() else models.joinpath(name)


def own_file_name(name: str, model_id: str) -> str:
    """The name of a fitted file's variant for an embedding model: ranker.json -> ranker-<model_id>.json."""
    return name.replace(".json", f"-{model_id}.json")


def reread_order(model: Ranker, first: Candidate, second: Candidate, margins: tuple[float, float]) -> bool:
    """Should the second candidate go first, by the scores and the reader's margins on both?"""
    weight = model.reread["weight"]
    first_score = _logit(first.score) + weight * clipped_margin(margins[0])
    return _logit(second.score) + weight * clipped_margin(margins[1]) > first_score


def close_call(model: Ranker, first: Candidate, second: Candidate) -> bool:
    """Are the two best candidates too close for the scorer alone to choose?"""
    return bool(model.reread) and _logit(first.score) - _logit(second.score) < model.reread["gap"]


def clipped_margin(margin: float) -> float:
    """The reader's margin, bounded: beyond a few units it says nothing more."""
    return max(-MARGIN_BOUND, min(MARGIN_BOUND, margin))


def rank_sentences(
    question: Question, hits: list[Hit], index: SearchableIndex, query_vector: np.ndarray, model: Ranker | None = None
) -> list[Candidate]:
    """Every sentence of the hits, scored by the fitted model, best answer first."""
    rows, made = [], []
    for rank, hit in enumerate(hits):
        context = _context_terms(hit, index)
        time_fit = time_fit_of(question, hit)
        vectors = index.sentence_vectors_of(hit.row)
        for i in range(len(hit.passage.sentences)):
            window = _window(question, hit, i)
            spans = tuple(hit.passage.sentences[j] for j in window)
            text = " ".join(hit.document.text[s:e] for s, e in spans)
            dense = max(
                float(vectors[i] @ query_vector), float(unit_vector(vectors[window].sum(axis=0)) @ query_vector)
            )
            row = _features(question, hit, index, text, context, dense, rank, time_fit, len(window))
            rows.append(row)
            made.append((hit, spans, dense, row["support"], row["typed"]))
    if rows:
        best_dense, best_own = max(r["dense"] for r in rows), max(r["own"] for r in rows)
        for row in rows:
            row["dense_gap"], row["own_gap"] = row["dense"] - best_dense, row["own"] - best_own
    scores = (model or ranker(index.model_name)).probabilities(rows)
    candidates = [
        Candidate(hit, spans, float(p), dense, support, typed, row)
        for (hit, spans, dense, support, typed), p, row in zip(made, scores, rows, strict=True)
    ]
    return sorted(candidates, key=lambda c: -c.score)


def _features(
    question: Question,
    hit: Hit,
    index: SearchableIndex,
    text: str,
    context: set[str],
    dense: float,
    rank: int,
    time_fit: float,
    width: int,
) -> dict[str, float]:
    terms = set(tokenize(text))
    typed = answer_type_fit(question, text, hit.document.date)
    return {
        **placement_features(question, hit, text, typed, dense, rank, time_fit),
        "passage": hit.score,
        "passage_keyword": hit.keyword,
        "pair": float(width > 1),
        "dense_gap": 0.0,
        "own_gap": 0.0,
        "typed_near_terms": _typed_near_terms(question, text) if typed else 0.0,
        **_word_features(question, hit, index.keyword, text, terms, context),
        **_kind_features(question, text, terms),
    }


def placement_features(
    question: Question, hit: Hit, text: str, typed: float, dense: float, rank: int, time_fit: float
) -> dict[str, float]:
    """What both scorers (this one and bot/crosslingual.py's) know of a sentence without its
    words: how near it is, where its passage ranked, whether it holds the kind asked for, its
    time, and whether it is the headline."""
    return {
        "dense": dense,
        "passage_dense": hit.dense,
        "hit_rank": 1.0 / (1 + rank),
        "typed": typed,
        "type_missing": float(question.kind is not None and typed == 0),
        "untyped_question": float(question.kind is None),
        "time_fit": time_fit,
        "headline": float(is_headline(hit, text)),
    }


def is_headline(hit: Hit, text: str) -> bool:
    """Is this text, from the hit's passage, its article's headline?"""
    return hit.passage.seq == 0 and text.startswith(hit.document.title)


def _word_features(
    question: Question, hit: Hit, keyword: TermStats, text: str, terms: set[str], context: set[str]
) -> dict[str, float]:
    """How much of the question's words, names and numbers the sentence (with its context) holds."""
    # A follow-up is grounded by its own words or by the words it carries over.
    support = max(
        coverage(question.terms, terms | context, keyword),
        coverage(question.emphasis, terms | context, keyword) if question.emphasis else 0.0,
    )
    own = coverage(question.terms, terms, keyword, question.emphasis)
    around = coverage(question.terms, terms | context, keyword, question.emphasis)
    headline = set(tokenize(hit.document.title))
    return {
        "own": own,
        "around": own + CONTEXT_WEIGHT * (around - own),
        "support": support,
        "names_found": _share_found(question_names(question.text), terms | context),
        "numbers_found": _share_found(_numbers(question.text), set(_numbers(text)) | context),
        "rarest_found": float(_rarest(question.terms, keyword) in terms | context) if question.terms else 1.0,
        # The question's words that its article's headline lacks pick out the sentence that
        # answers it from those that only restate the story.
        "specific": coverage(tuple(t for t in question.terms if t not in headline), terms, keyword),
        "restates_headline": sum(t in headline for t in terms) / len(terms) if terms else 0.0,
        "bigrams_found": _share_found(_bigrams(tokenize(question.text)), set(_bigrams(tokenize(text)))),
    }


def _kind_features(question: Question, text: str, terms: set[str]) -> dict[str, float]:
    """What the question asks for (who, when, how many, which) and whether the sentence brings
    something new of that kind."""
    asked = set(tokenize(question.text)) | set(question.terms)
    news = _new_things(text, asked)
    forms = _forms(question)
    return {
        "novelty": sum(t not in asked for t in terms) / len(terms) if terms else 0.0,
        **forms,
        **news,
        "name_for_who": forms["asks_who"] * news["new_name"],
        "date_for_when": forms["asks_when"] * news["new_date"],
        "number_for_count": forms["asks_count"] * news["new_number"],
        "name_for_which": forms["asks_which"] * news["new_name"],
    }


def _forms(question: Question) -> dict[str, float]:
    """What form of thing the question asks for."""
    kind = question.kind
    return {
        "asks_who": float(kind == "who"),
        "asks_when": float(kind == "when"),
        "asks_count": float(kind in ("number", "duration")),
        "asks_which": float(kind is None and asks_which(question.text)),
    }


def _new_things(text: str, asked: set[str]) -> dict[str, float]:
    """Does the sentence hold a name, a number or a date that the question does not?"""
    names = [m.group() for m in NAME.finditer(text) if m.start() > 0]
    numbers = re.findall(rf"\d[\d,.]*|\b(?:{NUMBER_WORDS})\b", text, re.I)
    dates = re.findall(rf"\b(?:{'|'.join(MONTHS)}|{'|'.join(WEEKDAYS)}|(?:19|20)\d\d|\d{{1,2}}:\d\d)\b", text, re.I)
    return {
        "new_name": float(any(not set(tokenize(n)) <= asked for n in names)),
        "new_number": float(any(not set(tokenize(n)) <= asked for n in numbers)),
        "new_date": float(any(not set(tokenize(d)) <= asked for d in dates)),
    }


def question_names(text: str) -> list[str]:
    """Stemmed words of the proper names in a question ("Which hotel in Istanbul …" -> istanbul);
    the first word is left out, being capitalised anyway."""
    words = [m.group() for m in NAME.finditer(text) if m.start() > 0]
    return [t for w in words for t in tokenize(w)]


def _numbers(text: str) -> list[str]:
    return [n.replace(",", "") for n in re.findall(r"\d[\d,.]*\d|\d", text)]


def _bigrams(tokens: list[str]) -> list[str]:
    return [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def _typed_near_terms(question: Question, text: str) -> float:
    """How close the thing asked for sits to the question's own words in the sentence: 1 when
    adjacent, falling with the distance in characters."""
    terms = set(question.terms)
    positions = [m.start() for m in re.finditer(r"\w+", text) if set(tokenize(m.group())) & terms]
    spans = typed_spans(question, text)
    if not positions or not spans:
        return 0.0
    distance = min(abs(p - m.start()) for p in positions for m in spans)
    return 1.0 / (1.0 + distance / NEAR_CHARS)


def _share_found(wanted: list[str], found: set[str]) -> float:
    return sum(w in found for w in wanted) / len(wanted) if wanted else 1.0


def _rarest(terms: tuple[str, ...], keyword: TermStats) -> str:
    return max(terms, key=keyword.idf)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _window(question: Question, hit: Hit, i: int) -> list[int]:
    """The sentence alone, or with the one before when it refers back or the answer is there."""
    if i == 0:
        return [i]
    text = hit.document.text
    sentence, previous = (text[s:e] for s, e in (hit.passage.sentences[i], hit.passage.sentences[i - 1]))
    published = hit.document.date
    lacks_answer = question.kind is not None and not answer_type_fit(question, sentence, published)
    if starts_with_reference(sentence) or (lacks_answer and answer_type_fit(question, previous, published)):
        return [i - 1, i]
    return [i]


def answer_type_fit(question: Question, text: str, published: dt.date | None = None) -> float:
    """1 when the sentence holds a new thing of the kind asked for (a date, name, number), else less.
    A relative date ("on Friday") counts as a date when the article's own date pins it down."""
    if question.kind is None:
        return 0.0
    found = typed_spans(question, text)
    if question.kind == "when" and question.focus == YEAR_FOCUS:
        return 1.0 if any(holds_year(m.group()) for m in found) else 0.0
    if not found and question.kind == "when" and (dates := [d for _, d in resolve_dates(text, published)]):
        return 1.0 if any(_in_named_month(question, d) for d in dates) else 0.0
    if not found:
        return 0.5 if question.kind == "when" and RELATIVE_TIME.search(text) else 0.0
    if question.focus and question.kind in ("number", "duration") and not cyrillic_word(question.focus):
        return 1.0 if any(_near(text, m, question.focus) for m in found) else 0.0
    return 1.0


def typed_spans(question: Question, text: str) -> list[re.Match]:
    """Things of the asked kind in text that the question does not already name."""
    if question.kind is None:
        return []
    asked = question.text.lower()
    found = [m for m in ANSWER_TYPES[question.kind].finditer(text) if m.group().lower() not in asked]
    if question.kind == "when":
        # "March" does not answer "When, in March 2022, …?", however the question spells it ("im März").
        found = [m for m in found if not restates_time(question, m.group().lower())]
        # "Коли … у березні 2022 року?" is not answered by "February 28": a date in another month.
        found = [m for m in found if not another_month(question, m.group())]
    if question.kind == "number":
        asked_numbers = {m.group().lower() for m in ANSWER_TYPES["number"].finditer(asked)}
        found = [m for m in found if m.group().lower() not in asked_numbers and is_count(text, *m.span())]
    if question.kind == "who":
        # A name the question does not already hold, and not a day or month.
        words = set(tokenize(question.text)) | set(MONTHS) | set(WEEKDAYS)
        found = [m for m in found if not set(tokenize(m.group())) <= words and m.group().lower() not in _CALENDAR]
    return found


def _in_named_month(question: Question, date: dt.date) -> bool:
    return not question.months or date.month in question.months


def another_month(question: Question, span: str) -> bool:
    """Does the span date something in another month than the one the question names?"""
    return bool(question.months) and month_of(span) not in (None, *question.months)


def month_of(span: str) -> int | None:
    """The month a date names in English, Ukrainian or Russian ("28 березня" -> 3), if any."""
    for word in re.findall(r"[^\W\d_]+", span.lower()):
        if word in MONTHS:
            return MONTHS.index(word) + 1
        if word in _CYRILLIC_MONTH_LIST:
            return _CYRILLIC_MONTH_LIST.index(word) % 12 + 1
    return None


def restates_time(question: Question, span: str) -> bool:
    """Is the span only a month or year the question names?"""
    if span in MONTHS:
        return MONTHS.index(span) + 1 in question.months
    return span.isdigit() and int(span) in question.years


def is_count(text: str, start: int, end: int) -> bool:
    """Is the number at text[start:end] a count or amount, not an hour of the clock ("19:00",
    "5 p.m."), a year or the day of a date ("23 July", "July 23", "28–29 March", "28 марта")?
    Those do not answer "how many"."""
    number = text[start:end]
    if ":" in number or _YEAR.fullmatch(number) or _LABEL_BEFORE.search(text, 0, start):
        return False
    if _CLOCK_AFTER.match(text, end) or _CLOCK_BEFORE.search(text, 0, start):
        return False
    if not number.isdigit() or int(number) > 31:
        return True
    before = text[max(0, start - _DAY_REACH) : start]
    return not (_MONTH_AFTER.match(text, end) or _MONTH_BEFORE.search(before))


def cyrillic_word(word: str) -> bool:
    """Is the word Ukrainian or Russian? A counted noun in those ("автобус") picks the short
    answer; whether a sentence in another language counts it cannot be told."""
    return bool(re.match("[а-яёіїєґ]", word))


def holds_year(text: str) -> bool:
    """Does the text write a year ("3 May 1994", "2024")?"""
    return bool(_YEAR.search(text))


def _near(text: str, match: re.Match, focus: str, window: int = 40) -> bool:
    around = text[max(0, match.start() - window) : match.end() + window]
    following = " ".join(text[match.end() :].split()[:1])  # "пяти годам": the unit after the count
    return focus in tokenize(around) or focus in (_cyrillic_unit(match.group()), _cyrillic_unit(following))


def _cyrillic_unit(count: str) -> str | None:
    """The unit of time a Ukrainian or Russian count is in, as tokenize writes the English one
    ("сім років": "year"), or None."""
    unit = next((_CYRILLIC_UNIT_OF[w] for w in count.lower().split() if w in _CYRILLIC_UNIT_OF), None)
    return tokenize(unit)[0] if unit else None


def coverage(terms: tuple[str, ...], found: set[str], keyword: TermStats, emphasis: tuple[str, ...] = ()) -> float:
    """Share of the question's term weight (IDF, more for emphasised terms) present in found."""
    if not terms:
        return 1.0
    weights = {t: keyword.idf(t) * (EMPHASIS if t in emphasis else 1.0) for t in terms}
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in found) / total if total else 1.0


def _context_terms(hit: Hit, index: SearchableIndex) -> set[str]:
    document = hit.document
    dated = f"{MONTHS[document.date.month - 1]} {document.date.year}" if document.date else ""
    return set(tokenize(f"{context_text(hit, index)} {dated}"))


def context_text(hit: Hit, index: SearchableIndex) -> str:
    """The text around a passage: its article's headline and outlet, the passage, and the
    sentence before it."""
    document = hit.document
    before = ""
    if hit.passage.seq > 0 and hit.row > 0:
        start, end = index.passages[hit.row - 1].sentences[-1]
        before = document.text[start:end]
    return f"{document.title} {document.source} {before} {hit.passage.text}"


def time_fit_of(question: Question, hit: Hit) -> float:
    """+1 when the passage is about the time the question names, -1 when it clearly is not, else 0."""
    if not question.years and not question.months:
        return 0.0
    years, months = _times_of(hit)
    if not years and not months:
        return 0.0
    year_ok = not question.years or bool(years & set(question.years))
    month_ok = not question.months or bool(months & set(question.months))
    return 1.0 if year_ok and month_ok else -1.0


def _times_of(hit: Hit) -> tuple[frozenset[int], frozenset[int]]:
    """Years and months a passage is about: its article's date and the dates it mentions."""
    return _times_in(hit.passage.text, hit.document.date)


@lru_cache(maxsize=4096)
def _times_in(text: str, date: dt.date | None) -> tuple[frozenset[int], frozenset[int]]:
    """The years and months a passage's text and date speak of, read once: each of its sentences,
    and each part of a question, asks for them."""
    years = {int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)}
    months = {i + 1 for i, name in enumerate(MONTHS) if re.search(rf"\b{name}\b", text, re.I) and name != "may"}
    months |= {5} if re.search(r"\bMay\b", text) else set()
    resolved = [d for _, d in resolve_dates(text, date)]
    if date:
        resolved.append(date)
    return frozenset(years | {d.year for d in resolved}), frozenset(months | {d.month for d in resolved})
