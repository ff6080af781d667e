"""Fact checks without a language model: compare a claim's numbers, names, times and polarity
with the sentences that match it best. Says `not_enough_info` rather than guess."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

import numpy as np

from bot.answer import Candidate, Citation, coverage, rank_sentences, time_fit_of
from bot.question import MONTHS, Question, analyse
from embeddings import Hit, Index, tokenize
from embeddings.dates import resolve_dates

SUPPORT_COVERAGE = 0.7  # share of the claim's term weight a supporting sentence must hold
CONTRADICT_COVERAGE = 0.6  # ... and a contradicting one, leaving out the mismatched fact
CANDIDATES = 12
NEGATION_REACH = 3  # words after a "not" that it can negate
CONTEXT_SHARE = 0.75  # weight of claim words found only around the sentence
CONTEXT_MARGIN = 0.15  # what a contradiction that leans on the passage must cover beyond the usual
RARE_SHARE = 0.6  # a missing claim word this close to the claim's rarest blocks support
PAIR_PENALTY = 0.05  # a sentence alone is better evidence than the same with its neighbour

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "once": 1, "twice": 2,
}  # fmt: skip
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "last": -1}
_QUANTITY = re.compile(
    rf"\b(\d+(?:[.,]\d+)?|{'|'.join(_NUMBER_WORDS)}|{'|'.join(_ORDINALS)})(?:[ -](\w+))?\b", re.IGNORECASE
)
_CLOCK = re.compile(r"\b(\d{1,2}):(\d\d)\b")
_NEGATION = re.compile(r"\b(not|no|never|neither|nor|without|n't|cannot|yet to)\b|n't\b", re.IGNORECASE)
# Lower-case "may" only: the month is no hedge.
_HEDGE = re.compile(
    r"\b([Ww]ould|[Cc]ould|[Mm]ight|may|[Ii]f|[Pp]ossibl[ey]|[Pp]otential|[Ee]xpected|[Pp]lans?|[Ll]ikely)\b"
)
_POSITIVE = ("accept", "agre", "approv", "sign", "confirm", "allow", "succeed", "support")
_NEGATIVE = ("reject", "refus", "declin", "deni", "forbid", "ban", "fail", "oppos")
# Verbs whose opposite in the evidence contradicts the claim ("accepted" / "rejected").
_OPPOSITES = {**{p: set(_NEGATIVE) for p in _POSITIVE}, **{n: set(_POSITIVE) for n in _NEGATIVE}}
_SLOT = re.compile(r"\b(in|at|to|from|by|with|near)\s+(?:the\s+)?([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)")
_YEAR = re.compile(r"(19|20)\d\d")
_CALENDAR = set(MONTHS) | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


@dataclass(frozen=True)
class Evidence:
    citation: Citation
    stance: str  # supports | contradicts | related

    def to_dict(self) -> dict:
        return {**self.citation.to_dict(), "stance": self.stance}


@dataclass(frozen=True)
class Verdict:
    label: str  # supported | refuted | not_enough_info
    explanation: str
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict:
        evidence = [e.to_dict() for e in self.evidence]
        return {"verdict": self.label, "explanation": self.explanation, "evidence": evidence}


@dataclass(frozen=True)
class Judgement:
    candidate: Candidate
    stance: str
    reason: str
    strength: float = 0.0  # how much of the claim the sentence covers
    specificity: int = 0  # 2: a differing number, 1: the opposite statement, 0: another name or none


def check(claim: str, hits: list[Hit], index: Index, query_vector: np.ndarray, max_evidence: int = 3) -> Verdict:
    """Verdict on a claim from retrieved hits, with the evidence and its stance."""
    question = analyse(claim)
    candidates = _with_pairs(rank_sentences(question, hits, index, query_vector))
    judgements = [judge(claim, c, index, question) for c in candidates[:CANDIDATES]]
    contradicting = sorted(
        (j for j in judgements if j.stance == "contradicts"), key=lambda j: (-j.specificity, -j.strength)
    )
    supporting = sorted((j for j in judgements if j.stance == "supports"), key=lambda j: -j.strength)
    if contradicting:
        label, lead = "refuted", contradicting[0]
        # Once a differing number or a denial settles it, vaguer mismatches are only related.
        weaker = [j for j in contradicting[1:] if j.specificity < lead.specificity]
        judgements = [replace(j, stance="related") if j in weaker else j for j in judgements]
        contradicting = [j for j in contradicting if j not in weaker]
    elif supporting:
        label, lead = "supported", supporting[0]
    else:
        label, lead = "not_enough_info", None
    evidence = _evidence([*contradicting, *supporting, *judgements], max_evidence)
    return Verdict(label, _explain(label, lead), evidence)


def judge(claim: str, candidate: Candidate, index: Index, question: Question) -> Judgement:
    """Does this sentence support the claim, contradict it, or only touch on it?"""
    text = candidate.text
    if time_fit_of(question, candidate.hit) < 0:
        return Judgement(candidate, "related", "about another time")
    text = f"{text} {_date_words(candidate)}"
    around = _surroundings(candidate)
    mismatch = _mismatch(claim, candidate.text, candidate.hit.document.date)
    # A contradiction must be in the sentence itself, not pieced together from around it; a
    # differing number or name may take its subject from the passage, at a cost.
    if mismatch:
        own = _covers(claim, text, index, leave_out=mismatch[2])
        strength = max(own, _strength(claim, text, around, index, leave_out=mismatch[2]) - CONTEXT_MARGIN)
        if strength >= CONTRADICT_COVERAGE:
            specificity = 2 if mismatch[0].startswith("“") else 0
            return Judgement(candidate, "contradicts", f"says {mismatch[0]}, not {mismatch[1]}", strength, specificity)
    own = _covers(claim, text, index)
    if _opposite_polarity(claim, candidate.text) and own >= CONTRADICT_COVERAGE:
        return Judgement(candidate, "contradicts", "says the opposite", own, 1)
    strength = _strength(claim, text, around, index)
    if not mismatch and strength >= SUPPORT_COVERAGE and _holds_all(claim, text, f"{text} {around}", index):
        return Judgement(candidate, "supports", "", strength)
    return Judgement(candidate, "related", "", strength)


def _strength(claim: str, text: str, around: str, index: Index, leave_out: frozenset[str] = frozenset()) -> float:
    """How much of the claim the sentence (with its article's date) covers; words found only in
    the headline or the rest of the passage count for less."""
    own = _covers(claim, text, index, leave_out)
    return own + CONTEXT_SHARE * (_covers(claim, f"{text} {around}", index, leave_out) - own)


def _holds_all(claim: str, text: str, everything: str, index: Index) -> bool:
    """Nothing in the way of support: no hedge the claim lacks, no specific word or number of
    the claim missing."""
    hedged = bool(_HEDGE.search(text)) and not _HEDGE.search(claim)
    lacking = _unknown_terms(claim, index) or _rarest_missing(claim, everything, index)
    return not hedged and not lacking and _numbers_present(claim, text)


def _unknown_terms(claim: str, index: Index) -> list[str]:
    """Claim words no article uses at all: nothing can support what is never mentioned."""
    calendar = set(tokenize(" ".join(_CALENDAR)))
    return [t for t in tokenize(claim) if t not in index.keyword.doc_freq and t not in calendar and not t.isdigit()]


def _rarest_missing(claim: str, text: str, index: Index) -> list[str]:
    """The claim's most specific words (rarest in the articles) that the evidence lacks; a word
    that only introduces a number the evidence matches ("lasted" two hours) is not needed."""
    around_numbers = _number_neighbours(claim, text)
    known = [t for t in dict.fromkeys(tokenize(claim)) if t in index.keyword.doc_freq and t not in around_numbers]
    if not known:
        return []
    rarest = max(index.keyword.idf(t) for t in known)
    found = set(tokenize(text))
    return [t for t in known if t not in found and index.keyword.idf(t) >= RARE_SHARE * rarest]


def _number_neighbours(claim: str, text: str) -> set[str]:
    """The word just before a quantity of the claim that the evidence states too."""
    said = _quantities(text)
    neighbours: set[str] = set()
    for unit, values in _quantities(claim).items():
        for value, surface in values.items():
            if unit in said and value in said[unit]:
                at = claim.find(surface)
                neighbours |= set(tokenize(" ".join(claim[:at].split()[-1:])))
    return neighbours


def _date_words(candidate: Candidate) -> str:
    date = candidate.hit.document.date
    return f"{date:%B %Y}" if date else ""


def _surroundings(candidate: Candidate) -> str:
    """The article's outlet and headline and the rest of the passage."""
    document = candidate.hit.document
    return f"{document.source} {document.title} {candidate.hit.passage.text}"


def _with_pairs(candidates: list[Candidate]) -> list[Candidate]:
    """Each sentence alone and together with the one before it: a claim often spans both
    ("… demanded a 30-day ceasefire. Moscow rejected this …")."""
    variants: dict[tuple, Candidate] = {}
    for candidate in candidates:
        sentences = candidate.hit.passage.sentences
        last = candidate.spans[-1]
        position = sentences.index(last)
        variants.setdefault((candidate.hit.row, (last,)), replace(candidate, spans=(last,)))
        if position > 0:
            pair = (sentences[position - 1], last)
            score = candidate.score - PAIR_PENALTY
            variants.setdefault((candidate.hit.row, pair), replace(candidate, spans=pair, score=score))
    return sorted(variants.values(), key=lambda c: -c.score)


def _covers(claim: str, text: str, index: Index, leave_out: frozenset[str] = frozenset()) -> float:
    terms = tuple(t for t in dict.fromkeys(tokenize(claim)) if t not in leave_out)
    found = set(tokenize(text))
    for stem, opposites in _OPPOSITES.items():
        if stem in terms and opposites & found:
            found.add(stem)  # an opposite verb still talks about the same thing
    return coverage(terms, found, index.keyword)


def _quantities(text: str) -> dict[str, dict[str, str]]:
    """Numbers by what they count, each value with the words that said it:
    {"hour": {"5": "five hours"}, "round": {"ord2": "second round"}, "clock": {"19:00": "19:00"}}."""
    found: dict[str, dict[str, str]] = {}
    for match in _CLOCK.finditer(text):
        found.setdefault("clock", {})[f"{int(match.group(1))}:{match.group(2)}"] = match.group()
    for match in _QUANTITY.finditer(_CLOCK.sub(" ", text)):
        word, unit = match.group(1).lower(), (match.group(2) or "").lower()
        stems = tokenize(unit)
        if not stems or _YEAR.fullmatch(word) or unit in _CALENDAR:
            continue  # years and days of the month are dates, compared as times
        found.setdefault(stems[0], {})[_value(word)] = match.group()
    return found


def _value(word: str) -> str:
    if word in _ORDINALS:
        return f"ord{_ORDINALS[word]}"
    return str(_NUMBER_WORDS.get(word, word.replace(",", "")))


def _day_mismatch(claim: str, text: str, published: dt.date | None) -> tuple[str, str, frozenset[str]] | None:
    """A day of the month the claim names that the sentence gives differently ("24 July" / "23 July")."""
    if published is None:
        return None
    claimed = resolve_dates(claim, published)
    said = [(text[s:e], day) for (s, e), day in resolve_dates(text, published) if re.search(r"\d", text[s:e])]
    claimed = [(claim[s:e], day) for (s, e), day in claimed if re.search(r"\d", claim[s:e])]
    if not claimed or not said or {d for _, d in claimed} & {d for _, d in said}:
        return None
    return f"“{said[0][0]}”", f"“{claimed[0][0]}”", frozenset(tokenize(claimed[0][0]))


def _mismatch(claim: str, text: str, published: dt.date | None = None) -> tuple[str, str, frozenset[str]] | None:
    """(what the text says, what the claim says, claim terms involved) for a differing number
    of the same unit, clock time, or name in the same slot ("in Antalya" / "in Minsk")."""
    said = _quantities(text)
    for unit, claimed in _quantities(claim).items():
        if unit in said and not claimed.keys() & said[unit].keys():
            theirs, ours = next(iter(said[unit].values())), next(iter(claimed.values()))
            return f"“{theirs}”", f"“{ours}”", frozenset(tokenize(" ".join(claimed.values())))
    day = _day_mismatch(claim, text, published)
    if day:
        return day
    slots = _slots(text)
    for head, preposition, name in _slots(claim) - slots:
        others = [n for h, p, n in slots if (h, p) == (head, preposition) and n != name]
        if others:
            return others[0], name, frozenset(tokenize(name))
    return None


def _numbers_present(claim: str, text: str) -> bool:
    said = _quantities(text)
    return all(unit in said and values.keys() & said[unit].keys() for unit, values in _quantities(claim).items())


def _slots(text: str) -> set[tuple[str, str, str]]:
    """(word before, preposition, name): "met in Antalya" -> ("met", "in", "Antalya").
    Months and weekdays are left out; they are compared as times."""
    found = set()
    for match in _SLOT.finditer(text):
        before = tokenize(text[max(0, match.start() - 30) : match.start()])
        name = match.group(2)
        if before and name.split()[0].lower() not in _CALENDAR:
            found.add((before[-1], match.group(1).lower(), name))
    return found


def _negations(text: str, terms: set[str]) -> bool:
    """Is text negated where it bears on these terms: a "not"/"no" a few words before one of
    them, or the opposite of one of its verbs ("rejected" for "accepted")? "Have not met since
    2019" says when they last met; it negates nothing."""
    count = 0
    for match in _NEGATION.finditer(text):
        following = text[match.end() :].split()[:NEGATION_REACH]
        if "since" not in following:
            count += bool(terms & set(tokenize(" ".join(following))))
    opposite = any(stem in _OPPOSITES.get(t, ()) for stem in tokenize(text) for t in terms)
    return bool(count) != opposite


def _opposite_polarity(claim: str, text: str) -> bool:
    """Claim and sentence disagree on whether the shared statement holds. The claim's own
    negation counts only where the sentence speaks of what it negates."""
    shared = set(tokenize(claim)) & (set(tokenize(text)) | _opposite_stems(text))
    return _negations(claim, shared) != _negations(text, shared)


def _opposite_stems(text: str) -> set[str]:
    return {t for stem in tokenize(text) for t, group in _OPPOSITES.items() if stem in group}


def _evidence(judgements: list[Judgement], limit: int) -> tuple[Evidence, ...]:
    chosen: dict[str, Judgement] = {}
    for judgement in judgements:
        key = judgement.candidate.hit.passage.key
        if key not in chosen and len(chosen) < limit:
            chosen[key] = judgement
    return tuple(
        Evidence(Citation(i + 1, j.candidate.hit, j.candidate.spans), j.stance) for i, j in enumerate(chosen.values())
    )


def _explain(label: str, lead: Judgement | None) -> str:
    if lead is None:
        return "The articles neither confirm nor contradict this claim; the nearest passages are shown."
    document = lead.candidate.hit.document
    when = f" ({document.date.day} {document.date:%B %Y})" if document.date else ""
    quote = " ".join(lead.candidate.text.split())
    if label == "supported":
        return f"{document.source}{when} reports it: “{quote}” [1]"
    return f"{document.source}{when} {lead.reason}: “{quote}” [1]"
