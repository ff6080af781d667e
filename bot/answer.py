"""Extractive, grounded answers: pick the sentences that answer, attribute and cite them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np

from bot.question import MONTHS, Question
from embeddings import Hit, Index, tokenize
from embeddings.dates import resolve_dates
from embeddings.keyword import KeywordIndex
from embeddings.model import unit_vector
from embeddings.sentences import starts_with_reference

MAX_SENTENCES = 3
EXTRA_SENTENCE_RATIO = 0.93
OTHER_TIME_RATIO = 0.75  # a sentence from another time joins the answer if it scores this close
OTHER_TIME_DENSE, OTHER_TIME_SUPPORT = 0.7, 0.3
W_DENSE, W_LEXICAL, W_PASSAGE, W_TYPE, W_TIME = 1.0, 0.5, 0.3, 0.4, 0.1
CONTEXT_WEIGHT = 0.5
EMPHASIS = 3.0  # weight of a follow-up's own terms against those carried from earlier turns
MIN_SUPPORT = 0.45
MIN_CONFIDENCE = 1.0  # support + dense similarity of the best sentence; set by benchmarks/tune.py on dev
REDUNDANT_OVERLAP = 0.5
NOT_FOUND = "The articles don't say."

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    "hundred|thousand|million|billion|dozen|several|once|twice"
)
_RELATIVE_TIME = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|yesterday|"
    r"(last|next|this) (week|month|year|spring|summer|autumn|winter))\b",
    re.I,
)
_ANSWER_TYPES = {
    "when": re.compile(rf"\b(\d{{1,2}}:\d\d|(19|20)\d\d|{'|'.join(MONTHS)})\b", re.I),
    "who": re.compile(r"(?<=[\w,;:] )[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*\b"),
    "number": re.compile(rf"\d|\b({_NUMBER_WORDS})\b", re.I),
    "duration": re.compile(
        rf"\b(\d+|{_NUMBER_WORDS}|an?|several|few)[ -](\w+[ -])?(second|minute|hour|day|week|month|year)s?\b", re.I
    ),
    "where": re.compile(r"\b(in|at|to|from|near)\s+[A-Z]"),
}
_LABEL = re.compile(r"^(?!According\b)([A-Z][\w'’]*(?: [\w'’]+){0,2}):\s+")
_BULLET = re.compile(r"^[•·▪◦*\-–—]\s*")
_LOWERCASE_STARTS = frozenset(
    [
        "the",
        "a",
        "an",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "his",
        "her",
        "their",
        "our",
        "in",
        "on",
        "at",
        "after",
        "before",
        "according",
        "however",
        "but",
        "and",
        "also",
        "earlier",
        "later",
        "initially",
        "instead",
        "meanwhile",
        "while",
        "as",
        "so",
    ]
)


@dataclass(frozen=True)
class Citation:
    id: int
    hit: Hit
    highlights: tuple[tuple[int, int], ...]

    def to_dict(self) -> dict:
        passage, document = self.hit.passage, self.hit.document
        return {
            "id": self.id,
            "doc_id": document.doc_id,
            "title": document.title,
            "source": document.source,
            "date": document.date.isoformat() if document.date else None,
            "url": document.url,
            "text": passage.text,
            "start": passage.start,
            "end": passage.end,
            "score": round(self.hit.score, 4),
        }


@dataclass(frozen=True)
class Answer:
    text: str
    grounded: bool
    citations: tuple[Citation, ...] = field(default_factory=tuple)
    mode: str = "extractive"  # or "generative": written by the configured LLM, then checked
    generated: int = 0  # sentences the LLM wrote, kept or not
    removed: int = 0  # generated sentences dropped for want of support

    def to_dict(self) -> dict:
        citations = [c.to_dict() for c in self.citations]
        return {"answer": self.text, "grounded": self.grounded, "citations": citations, "mode": self.mode}


@dataclass(frozen=True)
class Candidate:
    """A sentence (with the one before it, when it refers back) that might answer the question."""

    hit: Hit
    spans: tuple[tuple[int, int], ...]
    score: float
    dense: float
    support: float
    typed: float

    @property
    def text(self) -> str:
        return " ".join(self.hit.document.text[s:e] for s, e in self.spans)


def compose(
    question: Question,
    hits: list[Hit],
    index: Index,
    query_vector: np.ndarray,
    max_citations: int,
    max_sentences: int = MAX_SENTENCES,
) -> Answer:
    """The answer to a question from retrieved hits: grounded sentences, or an honest 'don't say'."""
    candidates = rank_sentences(question, hits, index, query_vector)
    if question.years or question.months:
        # A question that names a time is answered from that time, or not at all.
        candidates = [c for c in candidates if time_fit_of(question, c.hit) >= 0] or candidates
    if not candidates or not _grounded(question, candidates[0]):
        return _not_found(candidates, hits, max_citations)
    return _attributed(_choose(question, candidates, max_sentences))


def rank_sentences(question: Question, hits: list[Hit], index: Index, query_vector: np.ndarray) -> list[Candidate]:
    """Every sentence of the hits, best answer first."""
    candidates = []
    for hit in hits:
        context = _context_terms(hit, index)
        time_fit = time_fit_of(question, hit)
        vectors = index.sentence_vectors_of(hit.row)
        for i in range(len(hit.passage.sentences)):
            window = _window(question, hit, i)
            text = " ".join(hit.document.text[s:e] for s, e in (hit.passage.sentences[j] for j in window))
            terms = set(tokenize(text))
            dense = max(
                float(vectors[i] @ query_vector), float(unit_vector(vectors[window].sum(axis=0)) @ query_vector)
            )
            # A follow-up is grounded by its own words or by the words it carries over.
            support = max(
                coverage(question.terms, terms | context, index.keyword),
                coverage(question.emphasis, terms | context, index.keyword) if question.emphasis else 0.0,
            )
            # Terms found only around the sentence count for less than terms in it; a follow-up's
            # own terms rank sentences above the terms carried over, but do not decide grounding.
            own = coverage(question.terms, terms, index.keyword, question.emphasis)
            around = coverage(question.terms, terms | context, index.keyword, question.emphasis)
            lexical = own + CONTEXT_WEIGHT * (around - own)
            typed = answer_type_fit(question, text, hit.document.date)
            score = W_DENSE * dense + W_LEXICAL * lexical + W_PASSAGE * hit.score + W_TYPE * typed + W_TIME * time_fit
            spans = tuple(hit.passage.sentences[j] for j in window)
            candidates.append(Candidate(hit, spans, score, dense, support, typed))
    return sorted(candidates, key=lambda c: -c.score)


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
    asked = question.text.lower()
    found = [m for m in _ANSWER_TYPES[question.kind].finditer(text) if m.group().lower() not in asked]
    if not found and question.kind == "when" and resolve_dates(text, published):
        return 1.0
    if not found:
        return 0.5 if question.kind == "when" and _RELATIVE_TIME.search(text) else 0.0
    if question.focus and question.kind in ("number", "duration"):
        return 1.0 if any(_near(text, m, question.focus) for m in found) else 0.0
    return 1.0


def _near(text: str, match: re.Match, focus: str, window: int = 40) -> bool:
    around = text[max(0, match.start() - window) : match.end() + window]
    return focus in tokenize(around)


def coverage(terms: tuple[str, ...], found: set[str], keyword: KeywordIndex, emphasis: tuple[str, ...] = ()) -> float:
    """Share of the question's term weight (IDF, more for emphasised terms) present in found."""
    if not terms:
        return 1.0
    weights = {t: keyword.idf(t) * (EMPHASIS if t in emphasis else 1.0) for t in terms}
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in found) / total if total else 1.0


def _context_terms(hit: Hit, index: Index) -> set[str]:
    document = hit.document
    dated = f"{MONTHS[document.date.month - 1]} {document.date.year}" if document.date else ""
    return set(tokenize(f"{context_text(hit, index)} {dated}"))


def context_text(hit: Hit, index: Index) -> str:
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


def _times_of(hit: Hit) -> tuple[set[int], set[int]]:
    """Years and months a passage is about: its article's date and the dates it mentions."""
    text, date = hit.passage.text, hit.document.date
    years = {int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)}
    months = {i + 1 for i, name in enumerate(MONTHS) if re.search(rf"\b{name}\b", text, re.I) and name != "may"}
    months |= {5} if re.search(r"\bMay\b", text) else set()
    resolved = [d for _, d in resolve_dates(text, date)]
    if date:
        resolved.append(date)
    return years | {d.year for d in resolved}, months | {d.month for d in resolved}


def _grounded(question: Question, best: Candidate) -> bool:
    if question.kind in ("number", "duration") and not best.typed:
        return False  # a "how many" answered without a number is no answer
    if time_fit_of(question, best.hit) < 0:
        return False  # the question asks about another time than the passage covers
    return best.support >= MIN_SUPPORT and best.support + best.dense >= MIN_CONFIDENCE


def _choose(question: Question, candidates: list[Candidate], max_sentences: int) -> list[Candidate]:
    """The best sentence, close runners-up, and, when the question names no time, the best
    sentence from each other time the articles speak from (a stance may have changed)."""
    best = candidates[0]
    chosen = [best]
    times = {_published(best)}
    for candidate in candidates[1:]:
        close = candidate.score >= EXTRA_SENTENCE_RATIO * best.score
        another_time = not (question.years or question.months) and _published(candidate) not in times
        if not close and not (another_time and candidate.score >= OTHER_TIME_RATIO * best.score):
            continue
        if sum(len(c.spans) for c in chosen) + len(candidate.spans) > max_sentences:
            continue
        relevant = _grounded(question, candidate) or (another_time and _close_in_meaning(candidate))
        if relevant and not any(_overlaps(candidate, c) for c in chosen):
            chosen.append(candidate)
            times.add(_published(candidate))
    return chosen


def _close_in_meaning(candidate: Candidate) -> bool:
    """Said in other words: very similar in meaning though sharing fewer of the question's words."""
    return candidate.dense >= OTHER_TIME_DENSE and candidate.support >= OTHER_TIME_SUPPORT


def _published(candidate: Candidate) -> tuple[int, int] | None:
    date = candidate.hit.document.date
    return (date.year, date.month) if date else None


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return bool(set(a.spans) & set(b.spans)) or _redundant(a, b)


def _redundant(a: Candidate, b: Candidate) -> bool:
    ta, tb = set(tokenize(a.text)), set(tokenize(b.text))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= REDUNDANT_OVERLAP


def _attributed(chosen: list[Candidate]) -> Answer:
    """Attributed sentences with [n] markers; ordered by publication date when the sources span
    more than one time, so a change of stance reads in order."""
    if len({_published(c) for c in chosen}) > 1:
        chosen = sorted(chosen, key=lambda c: c.hit.document.date or dt.date.max)
    citations: dict[str, tuple[int, Hit, list[tuple[int, int]]]] = {}
    parts = []
    for candidate in chosen:
        key = candidate.hit.passage.key
        if key not in citations:
            citations[key] = (len(citations) + 1, candidate.hit, [])
        number, _, spans = citations[key]
        spans.extend(candidate.spans)
        first_from_source = all(
            c.hit.document.doc_id != candidate.hit.document.doc_id for c in chosen[: chosen.index(candidate)]
        )
        parts.append(f"{attribute(candidate, first_from_source)} [{number}]")
    cited = tuple(Citation(n, hit, tuple(sorted(set(spans)))) for n, hit, spans in citations.values())
    return Answer(" ".join(parts), True, cited)


def attribute(candidate: Candidate, name_source: bool) -> str:
    """The sentence as a statement of its outlet: "TASS reported on 28 March 2022 that …"."""
    sentence = with_dates(clean_sentence(candidate.text), candidate.hit.document.date)
    if not name_source:
        return _end_sentence(sentence)
    document = candidate.hit.document
    when = f" on {document.date.day} {document.date:%B %Y}" if document.date else ""
    first, _, rest = sentence.partition(" ")
    if first.lower().rstrip(",;:") in _LOWERCASE_STARTS:
        sentence = f"{first.lower()} {rest}"
    return _end_sentence(f"{document.source} reported{when} that {sentence}")


def with_dates(sentence: str, published: dt.date | None) -> str:
    """Relative days made explicit: "on Friday" -> "on Friday (16 May 2025)"."""
    for (start, end), date in reversed(resolve_dates(sentence, published)):
        if not re.search(r"\d", sentence[start:end]):
            sentence = f"{sentence[:end]} ({date.day} {date:%B %Y}){sentence[end:]}"
    return sentence


def clean_sentence(text: str) -> str:
    """One line, without list bullets or a leading "Details:"-style label."""
    sentence = _BULLET.sub("", " ".join(text.split()))
    return _LABEL.sub("", sentence, count=1) or sentence


def _end_sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", '"', "”", "…")) else text + "."


def _not_found(candidates: list[Candidate], hits: list[Hit], max_citations: int) -> Answer:
    best_spans: dict[str, tuple[tuple[int, int], ...]] = {}
    for candidate in candidates:
        best_spans.setdefault(candidate.hit.passage.key, candidate.spans)
    nearest = [hit for hit in hits[:max_citations] if hit.passage.key in best_spans]
    cited = tuple(Citation(i + 1, hit, best_spans[hit.passage.key]) for i, hit in enumerate(nearest))
    if not cited:
        return Answer(f"{NOT_FOUND} No passage in the index is related to the question.", False, ())
    markers = ", ".join(f"[{c.id}]" for c in cited)
    return Answer(f"{NOT_FOUND} The nearest passages ({markers}) do not answer the question.", False, cited)
