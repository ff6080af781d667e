"""Fact checks without a language model: compare a claim's numbers, names, times and polarity
with the sentences that match it best. Says `not_enough_info` rather than guess."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from bot.lexicon import LOST, MONTHS, NAME, NUMBER_VALUES, WEEKDAYS, WON, outcome_of
from bot.question import Question, analyse
from bot.ranking import Candidate, Ranker, context_text, coverage, fitted_file, rank_sentences, time_fit_of
from bot.results import Citation, Evidence, Label, Stance, Verdict
from bot.slots import name_conflict, number_conflict, numbers_agree
from embeddings import Hit, SearchableIndex, days_named, resolve_dates, tokenize

SUPPORT_COVERAGE = 0.7  # share of the claim's term weight a supporting sentence must hold
CONTRADICT_COVERAGE = 0.6  # ... and a contradicting one, leaving out the mismatched fact
CANDIDATES = 12
NEGATION_REACH = 3  # words after a "not" that it can negate
CONTEXT_SHARE = 0.75  # weight of claim words found only around the sentence
CONTEXT_MARGIN = 0.15  # what a contradiction that leans on the passage must cover beyond the usual
RARE_SHARE = 0.6  # a missing claim word this close to the claim's rarest blocks support
PAIR_SHARE = 0.9  # of its nearer sentence's score a pair gets: a sentence alone is better evidence
SLOT_REACH = 4  # words before "in <Name>" that can be what happened there
ALIGNED_CANDIDATES = 2  # best-matching sentences the reader is asked about the claim's numbers
ALIGNED_COVERAGE = 0.4  # ... each covering at least this share of the claim's term weight to contradict it
ALIGNED_SUPPORT = 0.6  # ... and this share to support it

_NUMBER_WORDS = {**NUMBER_VALUES, "single": 1}
# Durations in minutes, so "40 minutes" and "two hours" can be compared.
_MINUTES = {"second": 1 / 60, "minut": 1, "hour": 60, "day": 1440, "week": 10080, "month": 43200, "year": 525600}
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
# Up and down, as stems ("rose" / "fell", "increased" / "decreased").
_UP = ("rose", "rise", "risen", "increas", "grew", "grow", "climb", "jump", "gain", "soar")
_DOWN = ("fell", "fall", "fallen", "drop", "decreas", "slump", "plung", "sank", "shrank", "shrink")
# Verbs whose opposite in the evidence contradicts the claim ("accepted" / "rejected").
_OPPOSITES = {
    stem: set(other)
    for ours, theirs in ((_POSITIVE, _NEGATIVE), (_UP, _DOWN))
    for group, other in ((ours, theirs), (theirs, ours))
    for stem in group
}
UN_STEM = 5  # letters of a stem for its "un-" to make the opposite ("unfair"), not part of it ("under")
DURATION_SCALE = 24  # the most one duration may be times another for the two to be compared
BEFORE_WORDS = 3  # words before a number with no unit after it, in which what it counts is looked for
LINK_WORDS = 4  # words between two names for the words to be what one did to the other
_PASSIVE = re.compile(r"\b(by|was|were|been|being)\b", re.IGNORECASE)
_SLOT = re.compile(r"\b(in|at|to|from|by|with|near)\s+(?:the\s+)?([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)")
_YEAR = re.compile(r"(19|20)\d\d")
_MONTH_YEAR = re.compile(rf"\b({'|'.join(MONTHS)}),? ((?:19|20)\d\d)\b", re.IGNORECASE)
# Words that only say who reported something; any one stands for the others ("announced"/"said").
_REPORTING = frozenset(
    tokenize("said says say told tells announced announces reported reports stated states according noted notes added")
)
# Paraphrases read as the plain statement: "have not met since 2019" says when they last met;
# "discussed X but made no progress" says the talks failed.
_PARAPHRASES = (
    (re.compile(r"\b(?:have|has|had)(?: not|n't) (\w+(?: [\w'’-]+){0,4}?) since\b", re.IGNORECASE), r"last \1 in"),
    (re.compile(r"\b(?:made|make|makes|making|achieved|reached) no (?:progress|breakthrough|headway)\b"), "failed"),
)
_CALENDAR = set(MONTHS) | set(WEEKDAYS)
_CLOCK_HALF = re.compile(r"\b(\d{1,2}(?::\d\d)?)\s*([ap])\.?m\b\.?", re.I)
_HALF_WORDS = re.compile(r"\b(morning|pre-dawn|dawn|afternoon|evening)\b", re.I)


@dataclass(frozen=True)
class Judgement:
    candidate: Candidate
    stance: Stance
    reason: str
    strength: float = 0.0  # how much of the claim the sentence covers
    specificity: int = 0  # 2: a differing number, 1: the opposite statement, 0: another name or none
    holds: bool = False  # no mismatch or denial, and the claim's names and numbers are all there


def check(
    claim: str, hits: list[Hit], index: SearchableIndex, query_vector: np.ndarray, max_evidence: int = 3
) -> Verdict:
    """Verdict on a claim from retrieved hits, with the evidence and its stance. `supported` always
    needs a sentence that holds the claim's names and numbers, and `refuted` one that states
    something else in their place or the opposite."""
    claim = _plain(claim)
    judgements = judgements_of(claim, hits, index, query_vector)
    label = settled(judgements) or verdict_model(index.model_name).decide(claim_features(claim, judgements, index))
    contradicting = sorted(
        (j for j in judgements if j.stance == "contradicts"), key=lambda j: (-j.specificity, -j.strength)
    )
    holding = sorted((j for j in judgements if j.holds), key=lambda j: (j.stance != "supports", -j.strength))
    if label == "refuted" and contradicting:
        lead = contradicting[0]
        # Once a differing number or a denial settles it, vaguer mismatches are only related.
        weaker = [j for j in contradicting[1:] if j.specificity < lead.specificity]
        judgements = [replace(j, stance="related") if j in weaker else j for j in judgements]
        contradicting = [j for j in contradicting if j not in weaker]
        evidence = _evidence([*contradicting, *judgements], max_evidence)
    elif label == "supported" and holding:
        lead = replace(holding[0], stance="supports")
        others = [replace(j, stance="related") if j.stance == "contradicts" else j for j in judgements]
        evidence = _evidence([lead, *others], max_evidence)
    else:
        label, lead = "not_enough_info", None
        related = [replace(j, stance="related") if j.stance != "related" else j for j in judgements]
        evidence = _evidence(related, max_evidence)
    return Verdict(label, _explain(label, lead), evidence)


def settled(judgements: list[Judgement]) -> Label | None:
    """The verdict when the comparison leaves no doubt: a differing number, date or duration, or
    the opposite statement, refutes, and so does another name in the claim's slot in the sentence
    that matches the claim best; otherwise a sentence holding every specific word and number of
    the claim supports. None when it is a matter of weighing (a paraphrase that keeps the claim's names and
    numbers, a name mismatch in a weaker match): the fitted model decides those."""
    best = max(judgements, key=lambda j: j.strength, default=None)
    if any(j.stance == "contradicts" and j.specificity >= 1 for j in judgements):
        return "refuted"
    if best and best.stance == "contradicts":
        return "refuted"  # the sentence that matches the claim best puts another name in its slot
    if any(j.stance == "supports" for j in judgements):
        return "supported"
    return None


def judgements_of(
    claim: str, hits: list[Hit], index: SearchableIndex, query_vector: np.ndarray, scorer: Ranker | None = None
) -> list[Judgement]:
    """How each of the best-matching sentences (alone and with the one before) bears on the claim."""
    question = analyse(claim)
    candidates = _with_pairs(rank_sentences(question, hits, index, query_vector, scorer))
    return _with_aligned_numbers(claim, [judge(claim, c, index, question) for c in candidates[:CANDIDATES]], index)


def _with_aligned_numbers(claim: str, judgements: list[Judgement], index: SearchableIndex) -> list[Judgement]:
    """When the rules find nothing either way, the best-matching sentences are read for the
    claim's numbers: another number in the claim's place contradicts it, however worded; a
    sentence that holds the claim's names and gives every one of its numbers in their place,
    covering most of it, supports it."""
    if any(j.stance != "related" for j in judgements):
        return judgements
    for judgement in sorted(judgements, key=lambda j: -j.strength)[:ALIGNED_CANDIDATES]:
        aligned = _aligned(claim, judgement, index)
        if aligned is not judgement:
            return [aligned if j is judgement else j for j in judgements]
    return judgements


def _aligned(claim: str, judgement: Judgement, index: SearchableIndex) -> Judgement:
    sentence = _plain(judgement.candidate.text)
    if judgement.strength < ALIGNED_COVERAGE:
        return judgement
    conflict = number_conflict(claim, sentence)
    if conflict:
        reason = f"says “{conflict[0]}”, not “{conflict[1]}”"
        return replace(judgement, stance="contradicts", reason=reason, specificity=2)
    other = name_conflict(claim, sentence, context_text(judgement.candidate.hit, index))
    if other:
        return replace(judgement, stance="contradicts", reason=f"says “{other[0]}”, not “{other[1]}”")
    if judgement.strength < ALIGNED_SUPPORT or judgement.reason or _mismatch(claim, sentence):
        return judgement
    terms = set(tokenize(claim))
    plain = _names_present(claim, sentence) and not _rarest_missing(claim, sentence, index)
    plain = plain and not _opposite_polarity(claim, sentence)
    plain = plain and not (_hedged(sentence, terms) and not _HEDGE.search(claim))
    dated = f"{sentence} {_date_words(judgement.candidate)}"
    plain = plain and _days_present(claim, dated, judgement.candidate.hit.document.date)
    return replace(judgement, stance="supports", holds=True) if plain and numbers_agree(claim, sentence) else judgement


def claim_features(claim: str, judgements: list[Judgement], index: SearchableIndex) -> dict[str, float]:
    """What the verdict model weighs: how well the best sentences cover the claim, whether one
    states something else in its place, and how sure retrieval is."""
    contradicting = [j for j in judgements if j.stance == "contradicts"]
    holding = [j for j in judgements if j.holds]
    best_holding = max(holding, key=lambda j: j.strength, default=None)
    return {
        "strict_support": max((j.strength for j in judgements if j.stance == "supports"), default=0.0),
        "holding_support": best_holding.strength if best_holding else 0.0,
        "holding_dense": best_holding.candidate.dense if best_holding else 0.0,
        "contradiction_number": float(any(j.specificity == 2 for j in contradicting)),
        "contradiction_opposite": float(any(j.specificity == 1 for j in contradicting)),
        "contradiction_name": float(any(j.specificity == 0 for j in contradicting)),
        "contradiction_strength": max((j.strength for j in contradicting), default=0.0),
        "coverage": max((j.strength for j in judgements), default=0.0),
        "best_score": max((j.candidate.score for j in judgements), default=0.0),
        "best_dense": max((j.candidate.dense for j in judgements), default=0.0),
        "unknown_terms": float(bool(_unknown_terms(claim, index))),
        "negated_claim": float(bool(_NEGATION.search(claim))),
        "hedged_claim": float(bool(_HEDGE.search(claim))),
    }


VERDICT_FEATURES = (
    "strict_support",
    "holding_support",
    "holding_dense",
    "contradiction_number",
    "contradiction_opposite",
    "contradiction_name",
    "contradiction_strength",
    "coverage",
    "best_score",
    "best_dense",
    "unknown_terms",
    "negated_claim",
    "hedged_claim",
)
LABELS: tuple[Label, ...] = ("supported", "refuted", "not_enough_info")


@dataclass(frozen=True)
class VerdictModel:
    """A multinomial logistic regression over VERDICT_FEATURES, fitted by benchmarks/fit.py."""

    weights: dict[str, dict[str, float]]  # label -> feature -> weight
    intercepts: dict[str, float]
    supported_threshold: float  # chosen on held-out claims, so few refuted ones are called supported
    fitted: dict = field(default_factory=dict, compare=False)

    def probabilities(self, features: dict[str, float]) -> dict[str, float]:
        logits = {
            label: self.intercepts[label] + sum(self.weights[label][f] * features[f] for f in VERDICT_FEATURES)
            for label in LABELS
        }
        top = max(logits.values())
        exps = {label: math.exp(value - top) for label, value in logits.items()}
        total = sum(exps.values())
        return {label: value / total for label, value in exps.items()}

    def decide(self, features: dict[str, float]) -> Label:
        """The likeliest label; `supported` only when that is at least supported_threshold likely,
        since calling a false claim supported costs more than saying the articles don't settle it."""
        probabilities = self.probabilities(features)
        label = max(LABELS, key=lambda label: probabilities[label])
        if label == "supported" and probabilities[label] < self.supported_threshold:
            return "not_enough_info"
        return label


@lru_cache(maxsize=4)
def verdict_model(model_id: str | None = None) -> VerdictModel:
    """The fitted verdict model shipped with newsbot for claims read through model_id's vectors
    (bot/models/verdict-<model_id>.json when fitted for it, else verdict.json)."""
    data = json.loads(fitted_file("verdict.json", model_id).read_text(encoding="utf-8"))
    return VerdictModel(data["weights"], data["intercepts"], data["supported_threshold"], data.get("fitted", {}))


def judge(claim: str, candidate: Candidate, index: SearchableIndex, question: Question) -> Judgement:
    """Does this sentence support the claim, contradict it, or only touch on it?"""
    text = candidate.text
    if time_fit_of(question, candidate.hit) < 0:
        return _another_year(claim, candidate, index) or Judgement(candidate, "related", "about another time")
    sentence = _plain(text)
    text = f"{sentence} {_date_words(candidate)}"
    around = context_text(candidate.hit, index)
    mismatch = _mismatch(claim, sentence, candidate.hit.document.date)
    if mismatch and _hedged(sentence, set(tokenize(claim))) and not _HEDGE.search(claim):
        # "would cost 85 million" was a forecast: it cannot refute what the cost turned out to be.
        return Judgement(candidate, "related", "a forecast", _strength(claim, text, around, index))
    # A contradiction must be in the sentence itself, not pieced together from around it; a
    # differing number or name may take its subject from the passage, at a cost, unless the
    # passage also states the claim's own value.
    if mismatch:
        own = _covers(claim, text, index, leave_out=mismatch[2])
        leaning = _strength(claim, text, around, index, leave_out=mismatch[2]) - CONTEXT_MARGIN
        if leaning > own and not _mismatch(claim, f"{sentence} {around}", candidate.hit.document.date):
            leaning = own
        strength = max(own, leaning)
        if strength >= CONTRADICT_COVERAGE:
            specificity = 2 if mismatch[0].startswith("“") else 0
            return Judgement(candidate, "contradicts", f"says {mismatch[0]}, not {mismatch[1]}", strength, specificity)
    own = _covers(claim, text, index)
    opposite = _opposite_polarity(claim, sentence)
    if _outcome_reversed(claim, sentence):
        # "lost" is what the sentence says otherwise ("beating"): not a word it must hold.
        opposite, own = True, _covers(claim, text, index, leave_out=_outcome_words(claim))
    if opposite and own >= CONTRADICT_COVERAGE:
        return Judgement(candidate, "contradicts", "says the opposite", own, 1)
    strength = _strength(claim, text, around, index)
    holds = not mismatch and not opposite and _key_facts_present(claim, f"{text} {around}")
    holds = holds and not _roles_swapped(claim, sentence) and outcome_of(claim) * outcome_of(sentence) >= 0
    holds = holds and _days_present(claim, text, candidate.hit.document.date)
    holds = holds and not (_hedged(text, set(tokenize(claim))) and not _HEDGE.search(claim))
    if holds and strength >= SUPPORT_COVERAGE and _holds_all(claim, text, f"{text} {around}", index):
        return Judgement(candidate, "supports", "", strength, holds=True)
    return Judgement(candidate, "related", "", strength, holds=holds)


def _outcome_reversed(claim: str, sentence: str) -> bool:
    """Does the sentence give the claim's two names, in the same order, the opposite outcome
    ("Ashford Rovers … after beating Millbrook United" against "Ashford Rovers lost to Millbrook
    United")? The other way round, the opposite outcome says the same."""
    claimed = next(_name_links(claim), None)
    if claimed is None or outcome_of(claim) * outcome_of(sentence) >= 0:
        return False
    first, _, second = claimed
    names = [set(tokenize(m.group())) for m in NAME.finditer(sentence)]
    at_first = next((i for i, name in enumerate(names) if name & first), None)
    at_second = next((i for i, name in enumerate(names) if name & second), None)
    return at_first is not None and at_second is not None and at_first < at_second


def _another_year(claim: str, candidate: Candidate, index: SearchableIndex) -> Judgement | None:
    """A sentence of another time that says what the claim says with another year in the claim's
    month ("have not met since December 2019" against "… since December 2021"): it contradicts."""
    claimed, written = _months_and_years(claim), _months_and_years(candidate.text)
    months = {m for m, _ in claimed} & {m for m, _ in written}
    month = next((m for m in months if not {y for n, y in claimed if n == m} & {y for n, y in written if n == m}), None)
    if month is None:
        return None
    theirs, ours = (next(f"{m.title()} {y}" for m, y in pairs if m == month) for pairs in (written, claimed))
    own = _covers(claim, _plain(candidate.text), index, leave_out=frozenset(tokenize(ours)))
    if own < CONTRADICT_COVERAGE:
        return None
    return Judgement(candidate, "contradicts", f"says “{theirs}”, not “{ours}”", own, 2)


def _months_and_years(text: str) -> list[tuple[str, str]]:
    return [(m.group(1).lower(), m.group(2)) for m in _MONTH_YEAR.finditer(text)]


def _outcome_words(text: str) -> frozenset[str]:
    return frozenset(t for m in (*WON.finditer(text), *LOST.finditer(text)) for t in tokenize(m.group()))


def _roles_swapped(claim: str, sentence: str) -> bool:
    """Does the sentence name the claim's second name before the claim's verb and its first name
    just after ("Ashford Rovers reached the final after beating Millbrook United" for "Millbrook
    United beat Ashford Rovers")? In English the order tells who did what to whom; a passive
    ("… was beaten by …") turns it round, so is not compared."""
    claimed = next(_name_links(claim), None)
    if claimed is None:
        return False
    first, verbs, second = claimed
    for word in re.finditer(r"[\w'’-]+", sentence):
        if not set(tokenize(word.group())) & verbs:
            continue
        before, after = sentence[: word.start()], sentence[word.end() :]
        named_before = set().union(*(set(tokenize(m.group())) for m in NAME.finditer(before)))
        following = NAME.search(after)
        if following is None or len(after[: following.start()].split()) > LINK_WORDS:
            continue
        passive = _PASSIVE.search(after[: following.start()]) or _PASSIVE.search(" ".join(before.split()[-2:]))
        if not passive and named_before & second and set(tokenize(following.group())) & first:
            return True
    return False


def _name_links(text: str):
    """Each two names in a row with the words between them (at most LINK_WORDS of them, none
    passive), as stems: ({"shakhtar", "donetsk"}, {"defeat"}, {"dynamo", "kyiv"})."""
    names = [(m, set(tokenize(m.group()))) for m in NAME.finditer(text)]
    for (left, a), (right, b) in zip(names, names[1:], strict=False):
        between = text[left.end() : right.start()]
        words = set(tokenize(between))
        if a and b and not a & b and words and len(between.split()) <= LINK_WORDS and not _PASSIVE.search(between):
            yield a, words, b


def _key_facts_present(claim: str, evidence: str) -> bool:
    """The claim's names and numbers are all in the evidence."""
    return _names_present(claim, evidence) and _numbers_present(claim, evidence)


def _days_present(claim: str, text: str, published: dt.date | None) -> bool:
    """Every day the claim names ("on July 31") is a day the sentence names or means."""
    return days_named(claim, published) <= days_named(text, published)


def _names_present(claim: str, evidence: str) -> bool:
    """The claim's names are all in the evidence (a name as any of its words' stems)."""
    words = set(tokenize(evidence))
    names = [m.group() for m in NAME.finditer(claim) if m.start() > 0 and m.group().lower() not in _CALENDAR]
    return all(set(tokenize(name)) & words for name in names if tokenize(name))


def _strength(
    claim: str, text: str, around: str, index: SearchableIndex, leave_out: frozenset[str] = frozenset()
) -> float:
    """How much of the claim the sentence (with its article's date) covers; words found only in
    the headline or the rest of the passage count for less."""
    own = _covers(claim, text, index, leave_out)
    return own + CONTEXT_SHARE * (_covers(claim, f"{text} {around}", index, leave_out) - own)


def _holds_all(claim: str, text: str, everything: str, index: SearchableIndex) -> bool:
    """Nothing in the way of support: no hedge the claim lacks, no specific word or number of
    the claim missing."""
    hedged = _hedged(text, set(tokenize(claim))) and not _HEDGE.search(claim)
    lacking = _unknown_terms(claim, index) or _rarest_missing(claim, everything, index)
    return not hedged and not lacking and _numbers_present(claim, text)


def _hedged(text: str, terms: set[str]) -> bool:
    """A "may"/"could"/"expected" a few words before one of these terms: "this may happen
    tomorrow" hedges only what happens tomorrow."""
    for match in _HEDGE.finditer(text):
        following = text[match.end() :].split()[:NEGATION_REACH]
        if terms & set(tokenize(" ".join(following))):
            return True
    return False


def _unknown_terms(claim: str, index: SearchableIndex) -> list[str]:
    """Claim words no article uses at all: nothing can support what is never mentioned."""
    known = set(tokenize(" ".join([*_CALENDAR, *(d.source for d in index.documents.values())])))
    return [t for t in tokenize(claim) if t not in index.keyword.doc_freq and t not in known and not t.isdigit()]


def _rarest_missing(claim: str, text: str, index: SearchableIndex) -> list[str]:
    """The claim's most specific words (rarest in the articles) that the evidence lacks; a word
    that only introduces a number the evidence matches ("lasted" two hours) is not needed."""
    around_numbers = _number_neighbours(claim, text)
    known = tuple(
        t
        for t in dict.fromkeys(tokenize(claim))
        if t in index.keyword.doc_freq and t not in around_numbers and t not in _REPORTING
    )
    if not known:
        return []
    rarest = max(index.keyword.idf(t) for t in known)
    found = _found(known, text)
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


def _plain(text: str) -> str:
    for pattern, replacement in _PARAPHRASES:
        text = pattern.sub(replacement, text)
    return text


def _date_words(candidate: Candidate) -> str:
    """The article's month and the full dates its sentence means ("today" -> "28 March 2022")."""
    date = candidate.hit.document.date
    if not date:
        return ""
    meant = [f"{day.day} {day:%B %Y}" for _, day in resolve_dates(candidate.text, date)]
    return " ".join([f"{date:%B %Y}", *meant])


def _with_pairs(candidates: list[Candidate]) -> list[Candidate]:
    """Each sentence alone and together with the one before it: a claim often spans both
    ("… demanded a 30-day ceasefire. Moscow rejected this …")."""
    variants: dict[tuple, Candidate] = {}
    alone = {(c.hit.row, c.spans): c.score for c in candidates if len(c.spans) == 1}
    for candidate in candidates:
        sentences = candidate.hit.passage.sentences
        last = candidate.spans[-1]
        position = sentences.index(last)
        variants.setdefault((candidate.hit.row, (last,)), replace(candidate, spans=(last,)))
        if position > 0:
            pair = (sentences[position - 1], last)
            # As near as the nearer of its two sentences: "… demanded a 30-day ceasefire." is
            # near the claim, "Moscow rejected this …" says what became of it.
            before = alone.get((candidate.hit.row, (pair[0],)), 0.0)
            score = max(candidate.score, before) * PAIR_SHARE
            variants.setdefault((candidate.hit.row, pair), replace(candidate, spans=pair, score=score))
    return sorted(variants.values(), key=lambda c: -c.score)


def _covers(claim: str, text: str, index: SearchableIndex, leave_out: frozenset[str] = frozenset()) -> float:
    terms = tuple(t for t in dict.fromkeys(tokenize(claim)) if t not in leave_out)
    return coverage(terms, _found(terms, text), index.keyword)


def _found(terms: tuple[str, ...], text: str) -> set[str]:
    """The claim terms the text holds, counting a word of the same root ("agreement"/"agreed"),
    another reporting verb, or an opposite verb (which still talks about the same thing)."""
    words = set(tokenize(text))
    roots = {_root(w) for w in words}
    found = {t for t in terms if t in words or _root(t) in roots}
    if words & _REPORTING:
        found |= _REPORTING & set(terms)
    for stem, opposites in _OPPOSITES.items():
        if stem in terms and opposites & words:
            found.add(stem)
    return found


def _root(stem: str) -> str:
    """A noun made from a verb, reduced to the verb's stem: "agreement" -> "agre"."""
    for suffix in ("ment", "ation"):
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 4:
            return next(iter(tokenize(stem[: -len(suffix)])), stem)
    return stem


def _quantities(text: str) -> dict[str, dict[str, str]]:
    """Numbers by what they count, each value with the words that said it:
    {"hour": {"5": "five hours"}, "round": {"ord2": "second round"}, "clock": {"19:00": "19:00"}}."""
    found: dict[str, dict[str, str]] = {}
    for match in _CLOCK.finditer(text):
        found.setdefault("clock", {})[f"{int(match.group(1))}:{match.group(2)}"] = match.group()
    unclocked = _CLOCK.sub(" ", text)
    for match in _QUANTITY.finditer(unclocked):
        word, unit = match.group(1).lower(), (match.group(2) or "").lower()
        if _YEAR.fullmatch(word) or unit in _CALENDAR:
            continue  # years and days of the month are dates, compared as times
        stems = tokenize(unit)
        if stems:
            found.setdefault(stems[0], {})[_value(word)] = match.group()
        elif word[0].isdigit() and (before := _word_before(unclocked[: match.start()])):
            # "voted 27 to 18", "awarded £186,000": what is counted is told by the word before.
            found.setdefault(f"~{before}", {})[_value(word)] = _written_number(unclocked, match)
    return found


def _written_number(text: str, match: re.Match) -> str:
    """The number as written, with its currency or per cent sign ("£186,000", "12%")."""
    start = match.start(1)
    while start > 0 and not text[start - 1].isspace() and not text[start - 1].isalnum():
        start -= 1
    end = match.end(1)
    return (text[start:end] + ("%" if text[end : end + 1] == "%" else "")).strip("(\"'“‘")


def _word_before(text: str) -> str | None:
    """The stem of the last word before a number, past other numbers and little words ("voted"
    for the 18 of "voted 27 to 18"), within a few words."""
    for word in reversed(text.split()[-BEFORE_WORDS:]):
        stems = tokenize(word)
        if stems and not any(c.isdigit() for c in word):
            # "February 8": a day of the month, compared as a time
            return None if word.strip(",.").lower() in _CALENDAR else stems[0]
    return None


def _value(word: str) -> str:
    if word in _ORDINALS:
        return f"ord{_ORDINALS[word]}"
    return str(_NUMBER_WORDS.get(word, word.replace(",", "")))


def _duration_mismatch(claimed: dict, said: dict) -> tuple[str, str, frozenset[str]] | None:
    """A duration the claim gives that the sentence gives differently in another unit
    ("40 minutes" / "two hours")."""
    ours, theirs = _durations(claimed), _durations(said)
    if not ours or not theirs or set(ours) & set(theirs):
        return None
    # A duration of another scale is of something else ("more than two years before …" against
    # a meeting's "three hours"): a misstated one is hours for days at most.
    near = {minutes: words for minutes, words in theirs.items() if any(_within_scale(minutes, m) for m in ours)}
    if not near:
        return None
    claimed_words = next(iter(ours.values()))
    return f"“{next(iter(near.values()))}”", f"“{claimed_words}”", frozenset(tokenize(claimed_words))


def _within_scale(a: float, b: float) -> bool:
    return min(a, b) > 0 and max(a, b) / min(a, b) <= DURATION_SCALE


def _durations(quantities: dict[str, dict[str, str]]) -> dict[float, str]:
    return {
        round(float(value) * _MINUTES[unit], 3): words
        for unit, values in quantities.items()
        if unit in _MINUTES
        for value, words in values.items()
        if value.replace(".", "", 1).isdigit()
    }


def _day_mismatch(claim: str, text: str, published: dt.date | None) -> tuple[str, str, frozenset[str]] | None:
    """A day of the month the claim names that the sentence gives differently ("24 July" / "23 July")."""
    if published is None:
        return None
    said = [(text[s:e], day) for (s, e), day in resolve_dates(text, published) if re.search(r"\d", text[s:e])]
    claimed = [(claim[s:e], day) for (s, e), day in resolve_dates(claim, published) if re.search(r"\d", claim[s:e])]
    if not claimed or not said or {d for _, d in claimed} & {d for _, d in said}:
        return None
    return f"“{said[0][0]}”", f"“{claimed[0][0]}”", frozenset(tokenize(claimed[0][0]))


def _halves_of_day(text: str) -> dict[str, str]:
    """Which half of the day a text puts things in, with the words that say so: "at 6am" ->
    {"am": "6am"}, "in the evening" -> {"pm": "evening"}. Night and noon belong to neither."""
    halves: dict[str, str] = {}
    for match in _CLOCK_HALF.finditer(text):
        halves.setdefault(f"{match.group(2).lower()}m", match.group())
    for match in _HALF_WORDS.finditer(text):
        halves.setdefault("am" if match.group().lower() in ("morning", "dawn", "pre-dawn") else "pm", match.group())
    return halves


def _half_day_mismatch(claim: str, text: str) -> tuple[str, str, frozenset[str]] | None:
    """The claim puts it in the evening, the sentence at 6am (or the other way round)."""
    claimed, said = _halves_of_day(claim), _halves_of_day(text)
    if not claimed or not said or claimed.keys() & said.keys():
        return None
    ours = next(iter(claimed.values()))
    return f"“{next(iter(said.values()))}”", f"“{ours}”", frozenset(tokenize(ours))


def _mismatch(claim: str, text: str, published: dt.date | None = None) -> tuple[str, str, frozenset[str]] | None:
    """(what the text says, what the claim says, claim terms involved) for a differing number
    of the same unit, clock time, or name in the same slot ("in Antalya" / "in Minsk")."""
    said = _quantities(text)
    for unit, claimed in _quantities(claim).items():
        # "the third goal" is no count of goals: ordinals are compared with ordinals only.
        written = {v: w for v, w in _of_unit(said, unit).items() if _ordinal(v) == _ordinal(next(iter(claimed)))}
        if written and not claimed.keys() & written.keys():
            theirs, ours = next(iter(written.values())), next(iter(claimed.values()))
            return f"“{theirs}”", f"“{ours}”", frozenset(tokenize(" ".join(claimed.values())))
    duration = _duration_mismatch(_quantities(claim), said)
    if duration:
        return duration
    day = _day_mismatch(claim, text, published) or _half_day_mismatch(claim, text)
    if day:
        return day
    slots = _slots(text)
    for before, preposition, name in _slots(claim):
        same_slot = [n for b, p, n in slots if p == preposition and (before[-1] in b or b[-1] in before)]
        # "met in Antalya in Turkey" does not contradict "met in Turkey": the one lies in the other.
        rivals = [n for n in same_slot if not _within(n, name, slots)]
        if rivals and name not in same_slot:
            return rivals[0], name, frozenset(tokenize(name))
    return None


def _within(place: str, other: str, slots: list[tuple[tuple[str, ...], str, str]]) -> bool:
    """Does the text say place is in other ("Antalya in Turkey")?"""
    last = tokenize(place)[-1:]
    return any(n == other and last and last[0] in b for b, _, n in slots)


def _numbers_present(claim: str, text: str) -> bool:
    """Each number of the claim is in the text: of the same unit where one follows it, else
    anywhere (a sentence may say "27 to 18" for "by 27 votes to 18")."""
    said = _quantities(text)
    everywhere = {value for values in said.values() for value in values}
    return all(
        values.keys() <= everywhere if unit.startswith("~") else values.keys() & _of_unit(said, unit).keys()
        for unit, values in _quantities(claim).items()
    )


def _ordinal(value: str) -> bool:
    return value.startswith("ord")


def _of_unit(quantities: dict[str, dict[str, str]], unit: str) -> dict[str, str]:
    """The numbers of a unit, counted after them or told by the word before ("27 votes",
    "voted 27")."""
    base = unit.removeprefix("~")
    return {**quantities.get(f"~{base}", {}), **quantities.get(base, {})}


def _slots(text: str) -> list[tuple[tuple[str, ...], str, str]]:
    """(words before, preposition, name): "talks were held in Ankara" -> (("talk", "held"), "in",
    "Ankara"). The last word before is the slot's head; a name in the same slot of the other
    text has the same head or a head among these words ("held direct talks in Istanbul").
    Months and weekdays are left out; they are compared as times."""
    found = []
    for match in _SLOT.finditer(text):
        before = tuple(tokenize(" ".join(text[: match.start()].split()[-SLOT_REACH:])))
        name = match.group(2)
        if before and name.split()[0].lower() not in _CALENDAR:
            found.append((before, match.group(1).lower(), name))
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
    words = set(tokenize(text))
    # "Moscow rejected this, arguing it would allow …": the verb itself is there, so a second,
    # opposite verb elsewhere in the sentence does not reverse it.
    opposite = any((_OPPOSITES.get(t, set()) | {f"un{t}"}) & words for t in terms - words)
    return bool(count) != opposite


def _opposite_polarity(claim: str, text: str) -> bool:
    """Claim and sentence disagree on whether the shared statement holds. The claim's own
    negation counts only where the sentence speaks of what it negates."""
    shared = set(tokenize(claim)) & (set(tokenize(text)) | _opposite_stems(text))
    return _negations(claim, shared) != _negations(text, shared)


def _opposite_stems(text: str) -> set[str]:
    """The stems a text says the opposite of: "reject" of "accept", "unfair" of "fair"."""
    stems = tokenize(text)
    unsaid = {stem[2:] for stem in stems if stem.startswith("un") and len(stem) > UN_STEM}
    return unsaid | {t for stem in stems for t, group in _OPPOSITES.items() if stem in group}


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
