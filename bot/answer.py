"""Extractive, grounded answers: pick the sentences that answer, lead with the short answer,
attribute and cite them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Protocol

import numpy as np
import simplemma
from babel.dates import format_date

from bot.lexicon import MONTHS, NAME, WEEKDAYS
from bot.names import alike, latin, names_in
from bot.question import QUESTION_WORDS, Question, analyse, part_texts, question_parts, standalone_part
from bot.ranking import (
    Candidate,
    Ranker,
    close_call,
    is_headline,
    rank_sentences,
    ranker,
    reread_order,
    time_fit_of,
    typed_spans,
)
from bot.reader import Read, bundled_reader
from bot.results import NOT_FOUND, Answer, Citation
from bot.short_answer import short_answer
from embeddings import Hit, SearchableIndex, cyrillic_language, resolve_dates, stopwords, tokenize


class Chosen(Protocol):
    """A sentence picked to answer: an English Candidate or a cross-language one."""

    @property
    def hit(self) -> Hit: ...

    @property
    def spans(self) -> tuple[tuple[int, int], ...]: ...

    @property
    def text(self) -> str: ...


MAX_SENTENCES = 3
EXTRA_SENTENCE_RATIO = 0.8  # a runner-up joins an open question's answer if it scores this close
OTHER_TIME_RATIO = 0.5  # ... or this close, when it speaks from another time
REDUNDANT_OVERLAP = 0.5
REPEATED_SHARE = 0.8  # a sentence holding this much of the last answer's words repeats it
# Framing that says only that something was said: "Earlier, it was reported that …".
_FRAMING = re.compile(
    r"^(?:earlier|previously|meanwhile)?,?\s*it (?:was|has been|had been) (?:previously |earlier )?"
    r"(?:reported|said|announced|stated) that\s+",
    re.I,
)
_LABEL = re.compile(r"^(?!According\b)([A-Z][\w'’]*(?: [\w'’]+){0,2}):\s+")
_BULLET = re.compile(r"^[•·▪◦*\-–—]\s*")
# Sentence openers that are ordinary words, beyond the stopwords: lower-cased after "reported that".
_LOWERCASE_STARTS = frozenset(
    ["according", "after", "before", "earlier", "however", "initially", "instead", "later", "meanwhile"]
)


def compose(
    question: Question,
    hits: list[Hit],
    index: SearchableIndex,
    query_vector: np.ndarray,
    max_citations: int,
    max_sentences: int = MAX_SENTENCES,
    search_part: Callable[[Question], tuple[list[Hit], np.ndarray]] | None = None,
) -> Answer:
    """The answer to a question from retrieved hits: grounded sentences, or an honest 'don't say'.
    A question in several parts ("Which …, and how many …?") gets a sentence for each part, from
    the passages search_part finds for it when given (the parts may be in different articles)."""
    parts = question_parts(question)
    searched = [search_part(p) if search_part and len(parts) > 1 else (hits, query_vector) for p in parts]
    model = ranker(index.model_name)
    ranked = [_ranked(part, *found, index, model) for part, found in zip(parts, searched, strict=True)]
    ranked = [ranked[0], *(_first_part_first(parted, ranked[0]) for parted in ranked[1:])]
    held = [bool(found) and grounded(part, found[0], model, reads) for part, found, reads in ranked]
    answered = [parted for parted, ok in zip(ranked, held, strict=True) if ok]
    unmentioned = unmentioned_names(question, index)
    if not answered or unmentioned:
        return with_unmentioned(not_found(ranked[0][1], hits, max_citations), unmentioned)
    chosen: list[Candidate] = []
    shorts = []
    for part, candidates, reads in answered:
        picked = [
            c for c in _choose(part, candidates, max_sentences, model) if not any(_overlaps(c, o) for o in chosen)
        ]
        chosen += picked
        short = short_answer(part, candidates[0].text, reads.get(candidates[0].text))
        shorts += [short] if short else []
    answer = with_unfound_parts(attributed(chosen), part_texts(question.text), held)
    if not shorts:
        return answer
    short = "; ".join(dict.fromkeys(shorts))
    lead = _end_sentence(short[:1].upper() + short[1:])  # "Five hours." leads; the field stays as written
    return Answer(f"{lead} {answer.text}", True, answer.citations, short_answer=short)


# What an answer to some parts of a question says of the others, in the question's language.
UNFOUND_PART = {
    "en": "Not found in the articles: “{part}”.",
    "uk": "У статтях не знайдено: «{part}».",
    "ru": "В статьях не найдено: «{part}».",
    "de": "In den Artikeln nicht gefunden: „{part}“.",
    "es": "No se encontró en los artículos: «{part}».",
}


def with_unfound_parts(answer: Answer, parts: Sequence[str], held: Sequence[bool], locale: str = "en") -> Answer:
    """The answer to a question in parts (their texts, and whether each was answered), saying
    which parts it found nothing for (else "Who won, and what was the turnout?" reads as if the
    winner were all it asked). A question in one part says nothing more."""
    unfound = [part for part, answered in zip(parts, held, strict=True) if not answered] if len(parts) > 1 else []
    if not unfound:
        return answer
    said = " ".join(UNFOUND_PART[locale].format(part=part) for part in unfound)
    return replace(answer, text=f"{answer.text} {said}")


def _ranked(question: Question, hits: list[Hit], query_vector: np.ndarray, index: SearchableIndex, model: Ranker):
    candidates = rank_sentences(question, hits, index, query_vector, model)
    if question.years or question.months:
        # A question that names a time is answered from that time, or not at all.
        candidates = [c for c in candidates if time_fit_of(question, c.hit) >= 0] or candidates
    if question.kind is not None:
        # The answer type is enforced: a "who" is answered by a sentence that names someone.
        candidates = [c for c in candidates if c.typed] + [c for c in candidates if not c.typed]
    candidates, reads = _reread(question, candidates, model)
    return question, _fresh_first(question, candidates, model), reads


def _first_part_first(parted: tuple, first: tuple) -> tuple:
    """A short part ("and in which minute?") asks about what the first part found: the first
    part's sentence answers it too when it holds the part's own words and a thing of its kind."""
    part, candidates, reads = parted
    if standalone_part(analyse(part.text)) or not first[1] or not candidates:
        return parted
    lead = first[1][0]
    own = set(tokenize(part.text)) - QUESTION_WORDS
    if not own <= set(tokenize(lead.text)) or (part.kind is not None and not typed_spans(part, lead.text)):
        return parted
    same = [c for c in candidates if c.hit.row == lead.hit.row and c.spans == lead.spans]
    return (part, same + [c for c in candidates if c not in same], reads) if same else parted


def _reread(question: Question, candidates: list[Candidate], model: Ranker) -> tuple[list[Candidate], dict[str, Read]]:
    """When the scorer barely separates its two best sentences, the reader, which reads each
    against the question, decides between them; its reads are kept for the short answer."""
    reader = bundled_reader()
    if reader is None or len(candidates) < 2 or not close_call(model, candidates[0], candidates[1]):
        return candidates, {}
    first, second = candidates[:2]
    if question.kind is not None and not second.typed:
        return candidates, {}
    reads = {c.text: reader.read(question.text, c.text) for c in (first, second)}
    margins = (reads[first.text].margin - reader.margin, reads[second.text].margin - reader.margin)
    if reread_order(model, first, second, margins):
        candidates = [second, first, *candidates[2:]]
    return candidates, reads


def _fresh_first(question: Question, candidates: list[Candidate], model: Ranker) -> list[Candidate]:
    """A follow-up asks for something new: the best answer that does not repeat the last one
    goes first, when one is good enough to give."""
    if not question.said or not candidates or not _repeats(question, candidates[0]):
        return candidates
    fresh = next((c for c in candidates if not _repeats(question, c) and grounded(question, c, model)), None)
    return [fresh, *(c for c in candidates if c is not fresh)] if fresh else candidates


def _repeats(question: Question, candidate: Candidate) -> bool:
    """Does the sentence hold most of what the last answer said, and nothing of the asked kind
    that it did not ("How old was his daughter?" after "Kobe Bryant, his daughter Gianna …"
    is answered by a sentence naming them both, with her age)?"""
    said = question.said
    if len(set(tokenize(candidate.text)) & said) / len(said) < REPEATED_SHARE:
        return False
    asked_for = typed_spans(question, candidate.text)
    return not any(set(tokenize(m.group())) - said for m in asked_for)


def grounded(question: Question, best: Candidate, model: Ranker, reads: dict[str, Read] | None = None) -> bool:
    """Does the best candidate answer the question well enough to say so? reads: given for the
    best candidate of a question (not for runners-up), so the reader's reading of it counts too
    and is kept for the short answer."""
    if question.kind is not None and not best.typed:
        return False  # a "how many" answered without a number, a "who" without a name
    if time_fit_of(question, best.hit) < 0:
        return False  # the question asks about another time than the passage covers
    reader = bundled_reader()
    margin = None
    if reads is not None and reader is not None and model.reads_best:
        if best.text not in reads:
            reads[best.text] = reader.read(question.text, best.text)
        margin = reads[best.text].margin - reader.margin
    return model.confidence(best, margin) >= model.threshold


def _choose(question: Question, candidates: list[Candidate], max_sentences: int, model: Ranker) -> list[Candidate]:
    """The best sentence; for an open question, close runners-up; and, when the question names no
    time, the best sentence from each other time the articles speak from (a stance or a date may
    have changed). A question asking for one thing (who, when, how many) gets one sentence a time."""
    best = candidates[0]
    chosen = [best]
    times = {published_month(best)}
    for candidate in candidates[1:]:
        another_time = not (question.years or question.months) and published_month(candidate) not in times
        if question.kind is not None and not another_time:
            continue
        ratio = OTHER_TIME_RATIO if another_time else EXTRA_SENTENCE_RATIO
        if candidate.score < ratio * best.score or not grounded(question, candidate, model):
            continue
        if sum(len(c.spans) for c in chosen) + len(candidate.spans) > max_sentences:
            continue
        if not any(_overlaps(candidate, c) for c in chosen):
            chosen.append(candidate)
            times.add(published_month(candidate))
    return [c for c in chosen if not _tells_again(c, chosen)]


def _tells_again(candidate: Candidate, chosen: list[Candidate]) -> bool:
    """Is it the headline of an article another chosen sentence is from? A headline says again,
    in short, what the article's sentences tell."""
    document = candidate.hit.document.doc_id
    if not is_headline(candidate.hit, candidate.text):
        return False
    return any(c is not candidate and c.hit.document.doc_id == document for c in chosen)


def published_month(candidate: Chosen) -> tuple[int, int] | None:
    date = candidate.hit.document.date
    return (date.year, date.month) if date else None


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return bool(set(a.spans) & set(b.spans)) or _redundant(a, b)


def _redundant(a: Candidate, b: Candidate) -> bool:
    ta, tb = set(tokenize(a.text)), set(tokenize(b.text))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= REDUNDANT_OVERLAP


def attributed(chosen: Sequence[Chosen], frame: Callable[[Chosen, bool], str] | None = None) -> Answer:
    """Attributed sentences with [n] markers; ordered by publication date when the sources span
    more than one time, so a change of stance reads in order. frame(candidate, name_source):
    the words around a sentence (attribute, the English "… reported on … that …", by default)."""
    frame = frame or attribute
    if len({published_month(c) for c in chosen}) > 1:
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
        parts.append(f"{frame(candidate, first_from_source)} [{number}]")
    cited = tuple(Citation(n, hit, tuple(sorted(set(spans)))) for n, hit, spans in citations.values())
    return Answer(" ".join(parts), True, cited)


def attribute(candidate: Chosen, name_source: bool) -> str:
    """The sentence as a statement of its outlet: "TASS reported on 28 March 2022 that …"."""
    sentence = with_dates(clean_sentence(candidate.text), candidate.hit.document.date)
    if not name_source:
        return _end_sentence(sentence)
    document = candidate.hit.document
    when = f" on {document.date.day} {document.date:%B %Y}" if document.date else ""
    first, _, rest = sentence.partition(" ")
    if _ordinary_word(first.rstrip(",;:"), document.text, rest):
        sentence = f"{first.lower()} {rest}"
    return _end_sentence(f"{document.source} reported{when} that {sentence}")


def _ordinary_word(word: str, text: str, after: str = "") -> bool:
    """Is a capitalised sentence opener an ordinary word, to be lower-cased mid-sentence
    ("that construction is due …"), rather than a name? It is when it is a stopword, when the
    article itself writes it in lower case somewhere, or when it is an English word ("Speaking",
    "Sixty-six") the article never capitalises mid-sentence, as it does "Lam" and "China", and
    that does not open a run of capitals ("Hong Kong"; after: the rest of the sentence);
    "Putin" and "NATO" never are."""
    if not word[:1].isupper() or (word[1:] and not word[1:].islower()) or word == "I":
        return False  # an acronym ("US", "IT"), a number or an odd token stays as written
    lower = word.lower()
    if lower in _LOWERCASE_STARTS or lower in stopwords():
        return True
    if re.search(rf"(?<![\w-]){re.escape(lower)}(?![\w-])", text):
        return True
    named_mid_sentence = re.search(rf"[\w,;:] {re.escape(word)}(?![\w-])", text)
    return simplemma.is_known(lower, lang="en") and not named_mid_sentence and not after[:1].isupper()


def with_dates(sentence: str, published: dt.date | None) -> str:
    """Relative days made explicit: "on Friday" -> "on Friday (16 May 2025)", "у п'ятницю" ->
    "у п'ятницю (16 травня 2025)"."""
    locale = cyrillic_language(sentence) if re.search("[а-яА-ЯіїєІЇЄ]", sentence) else None
    for (start, end), date in reversed(resolve_dates(sentence, published)):
        if not re.search(r"\d", sentence[start:end]):
            if re.match(r"['’]s\b", sentence[end:]):
                end += 2  # "Thursday’s (15 May 2025) talks"
            written = format_date(date, "d MMMM y", locale=locale) if locale else f"{date.day} {date:%B %Y}"
            sentence = f"{sentence[:end]} ({written}){sentence[end:]}"
    return sentence


def clean_sentence(text: str) -> str:
    """One line, without list bullets, a leading "Details:"-style label or "it was reported that"."""
    sentence = _BULLET.sub("", " ".join(text.split()))
    sentence = _LABEL.sub("", sentence, count=1) or sentence
    unframed = _FRAMING.sub("", sentence, count=1)
    return unframed[:1].upper() + unframed[1:] if unframed else sentence


def _end_sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", '"', "”", "…")) else text + "."


def unmentioned_names(question: Question, index: SearchableIndex) -> list[str]:
    """The names the question asks about that no article mentions, in any spelling ("Who won the
    election in Irpin?" of articles about Bucha): what is never mentioned cannot be answered."""
    known = index.keyword.doc_freq
    aside = set(tokenize(" ".join([*MONTHS, *WEEKDAYS, *(d.source for d in index.documents.values())])))
    unmentioned = []
    for match in NAME.finditer(question.text):
        if match.start() > 0 and any(_unmentioned(word, known, aside, index) for word in match.group().split()):
            unmentioned.append(match.group())
    return unmentioned


def _unmentioned(word: str, known: Mapping[str, int], aside: set[str], index: SearchableIndex) -> bool:
    """Is a word of a name in no article, nor like any name there ("Zelenskyy" is "Zelensky")?"""
    stems = [t for t in tokenize(word) if not t.isdigit()]
    if not stems or any(t in known or t in aside for t in stems):
        return False
    return not any(alike(latin(word), name) for name in _names_of(index))


def _names_of(index: SearchableIndex) -> frozenset[str]:
    key = (id(index), len(index.documents))
    if key not in _NAMES_OF:
        _NAMES_OF.clear()  # one index is asked at a time
        _NAMES_OF[key] = frozenset().union(*(names_in(d.text, skip_first=False) for d in index.documents.values()))
    return _NAMES_OF[key]


_NAMES_OF: dict[tuple[int, int], frozenset[str]] = {}


def with_unmentioned(answer: Answer, names: list[str]) -> Answer:
    """A declined answer that says which of the question's names no article mentions."""
    if not names:
        return answer
    said = ", ".join(f"“{name}”" for name in names)
    return replace(answer, text=answer.text.replace(NOT_FOUND, f"{NOT_FOUND} No article mentions {said}.", 1))


def not_found(
    candidates: Sequence[Chosen], hits: list[Hit], max_citations: int, declined: tuple[str, str] | None = None
) -> Answer:
    """The honest "the articles don't say", citing the nearest passages; declined: the bot's
    words for both in the question's language, when it is not English."""
    best_spans: dict[str, tuple[tuple[int, int], ...]] = {}
    for candidate in candidates:
        best_spans.setdefault(candidate.hit.passage.key, candidate.spans)
    nearest = [hit for hit in hits[:max_citations] if hit.passage.key in best_spans]
    cited = tuple(Citation(i + 1, hit, best_spans[hit.passage.key]) for i, hit in enumerate(nearest))
    if declined is not None:
        said, pointer = declined
        markers = ", ".join(f"[{c.id}]" for c in cited)
        return Answer(f"{said} {pointer.format(markers=markers)}" if cited else said, False, cited)
    if not cited:
        return Answer(f"{NOT_FOUND} No passage in the index is related to the question.", False, ())
    markers = ", ".join(f"[{c.id}]" for c in cited)
    return Answer(f"{NOT_FOUND} The nearest passages ({markers}) do not answer the question.", False, cited)
