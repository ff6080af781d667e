"""Answer quality on a question set, for newsbot and for the naive pipeline, in one run."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core import Bot, Turn
from bot.naive import NaivePipeline
from bot.question import analyse

ANSWERABLE_KINDS = {"who", "when", "number", "factual", "multi", "temporal"}
FACTOID_KINDS = {"who", "when", "number"}
# Page furniture as a reader would recognise it, kept apart from the cleaner's own rules so
# the measure is not the cleaner grading itself.
JUNK = re.compile(
    r"support us|advertisement|load next story|^related$|recent news|all news|all sections|subscribe|"
    r"read more|original url|photo:|support .{0,40} on patreon|^\s*\d\d:\d\d\s*$|\bукр\b|https?://",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Item:
    id: str
    split: str
    kind: str
    question: str
    gold: tuple[str, ...]
    facts: tuple[str, ...]
    history: tuple[Turn, ...] = ()
    label: str | None = None


@dataclass
class Outcome:
    """What one pipeline did with one item."""

    answer: str
    grounded: bool
    cited_docs: list[str]
    cited_texts: list[str]
    milliseconds: float
    generated: int = 0  # generative mode: sentences the LLM wrote
    kept: int = 0  # and kept after the grounding check
    precise: int = 0  # kept sentences whose names and numbers are all in the passages they cite


@dataclass
class ClaimOutcome:
    label: str
    evidence_docs: list[str]
    milliseconds: float


@dataclass
class Report:
    items: int
    split: str
    measures: dict[str, dict[str, float | int | None]] = field(default_factory=dict)


def load_questions(path: Path, split: str = "all") -> list[Item]:
    """Items of a JSON-lines question set (see tests/eval/questions.jsonl), of one split or all."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        data = json.loads(line)
        history = tuple(Turn(t["role"], t["content"]) for t in data.get("history", []))
        item = Item(
            data.get("id", f"line{number}"),
            data.get("split", "dev"),
            data["kind"],
            data["question"],
            tuple(data.get("gold", [])),
            tuple(data.get("facts", [])),
            history,
            data.get("label"),
        )
        if split in ("all", item.split):
            items.append(item)
    return items


def fact_found(fact: str, text: str) -> bool:
    """A fact ("five hours", or alternatives "a|b") appears in text, ignoring case and quote style."""
    haystack = _normalise(text)
    return any(_normalise(alternative) in haystack for alternative in fact.split("|"))


def has_junk(text: str) -> bool:
    return bool(JUNK.search(text))


def run_bot(bot: Bot, item: Item) -> Outcome:
    start = time.perf_counter()
    answer = bot.ask(item.question, item.history)
    elapsed = (time.perf_counter() - start) * 1000
    docs = [c.hit.document.doc_id for c in answer.citations]
    outcome = Outcome(answer.text, answer.grounded, docs, [c.hit.passage.text for c in answer.citations], elapsed)
    if answer.generated:
        from bot.generate import cited_sentences, cited_text, facts_of

        kept = cited_sentences(answer) if answer.mode == "generative" else []
        outcome.generated, outcome.kept = answer.generated, len(kept)
        outcome.precise = sum(
            all(fact_found(fact, " ".join(cited_text(h) for h in hits)) for fact in facts_of(claim))
            for claim, hits in kept
        )
    return outcome


def run_naive(naive: NaivePipeline, item: Item) -> Outcome:
    start = time.perf_counter()
    hits = naive.retrieve(item.question)
    elapsed = (time.perf_counter() - start) * 1000
    best = hits[0].text if hits else ""
    return Outcome(best, bool(hits), [h.doc_id for h in hits], [h.text for h in hits], elapsed)


def run_check(bot: Bot, item: Item) -> ClaimOutcome:
    start = time.perf_counter()
    verdict = bot.check(item.question)
    elapsed = (time.perf_counter() - start) * 1000
    return ClaimOutcome(verdict.label, [e.citation.hit.document.doc_id for e in verdict.evidence], elapsed)


def evaluate(
    items: list[Item],
    pipelines: dict[str, Callable[[Item], Outcome]],
    checkers: dict[str, Callable[[Item], ClaimOutcome]] | None = None,
    split: str = "all",
) -> Report:
    """Run every pipeline on every question, every checker on every claim, and compute the measures.
    A pipeline without a checker (the naive one cannot judge claims) reports n/a for claims."""
    asked = [item for item in items if item.kind != "claim"]
    claims = [item for item in items if item.kind == "claim"]
    report = Report(len(items), split)
    for name, run in pipelines.items():
        report.measures[name] = measures(asked, [run(item) for item in asked])
        checker = (checkers or {}).get(name)
        report.measures[name].update(claim_measures(claims, [checker(c) for c in claims] if checker else None))
    return report


def claim_measures(claims: list[Item], outcomes: list[ClaimOutcome] | None) -> dict[str, float | int | None]:
    if not outcomes:
        return {"claim_accuracy": None, "supported_when_refuted": None}
    pairs = list(zip(claims, outcomes, strict=True))
    wrongly_supported = sum(i.label == "refuted" and o.label == "supported" for i, o in pairs)
    return {
        "claim_accuracy": _share(pairs, lambda i, o: o.label == i.label),
        "supported_when_refuted": wrongly_supported,
    }


def measures(items: list[Item], outcomes: list[Outcome]) -> dict[str, float | int | None]:
    pairs = list(zip(items, outcomes, strict=True))
    answerable = [(i, o) for i, o in pairs if i.kind in ANSWERABLE_KINDS]
    unanswerable = [(i, o) for i, o in pairs if i.kind == "unanswerable"]
    followups = [(i, o) for i, o in pairs if i.kind == "conversation"]
    factoid = [(i, o) for i, o in answerable if i.kind in FACTOID_KINDS and o.grounded]
    latencies = sorted(o.milliseconds for o in outcomes)
    return {
        "doc_hit@1": _share(answerable, lambda i, o: bool(o.cited_docs) and o.cited_docs[0] in i.gold),
        "doc_hit@3": _share(answerable, lambda i, o: any(d in i.gold for d in o.cited_docs[:3])),
        "evidence": _share(answerable, lambda i, o: all(fact_found(f, " ".join(o.cited_texts[:3])) for f in i.facts)),
        "answer_accuracy": _share(answerable, _correct),
        "answered_when_answerable": _share(answerable, lambda i, o: o.grounded),
        "abstained_when_unanswerable": _share(unanswerable, lambda i, o: not o.grounded),
        "followup_accuracy": _share(followups, _correct),
        "time_named_accuracy": _share([(i, o) for i, o in answerable + followups if _names_time(i)], _correct),
        "factoid_answer_words_p50": _percentile(sorted(len(o.answer.split()) for i, o in factoid), 0.5),
        "junk_citations": sum(has_junk(text) for o in outcomes for text in o.cited_texts),
        "latency_p50_ms": _percentile(latencies, 0.5),
        "latency_p95_ms": _percentile(latencies, 0.95),
        **_generative_measures(outcomes),
    }


def _generative_measures(outcomes: list[Outcome]) -> dict[str, float]:
    """Only in generative mode: the share of generated sentences kept, and of kept sentences whose
    names and numbers the cited passages hold (citation precision)."""
    generated, kept = sum(o.generated for o in outcomes), sum(o.kept for o in outcomes)
    if not generated:
        return {}
    return {
        "generated_sentences_kept": round(kept / generated, 3),
        "kept_citation_precision": round(sum(o.precise for o in outcomes) / kept, 3) if kept else 0.0,
    }


def format_report(report: Report) -> str:
    names = list(report.measures)
    lines = [
        f"{report.items} items (split: {report.split})",
        "| measure | " + " | ".join(names) + " |",
        "| --- |" + " --- |" * len(names),
    ]
    for measure in next(iter(report.measures.values())):
        values = [_show(report.measures[name].get(measure)) for name in names]
        lines.append(f"| {measure} | " + " | ".join(values) + " |")
    return "\n".join(lines)


def _names_time(item: Item) -> bool:
    question = analyse(item.question)
    return bool(question.years or question.months)


def _correct(item: Item, outcome: Outcome) -> bool:
    return outcome.grounded and all(fact_found(f, outcome.answer) for f in item.facts)


def _share(pairs: list, test: Callable[[Item, Any], bool]) -> float | None:
    return round(sum(test(i, o) for i, o in pairs) / len(pairs), 3) if pairs else None


def _percentile(values: list[float], q: float) -> float | None:
    return round(values[min(len(values) - 1, round(q * (len(values) - 1)))], 1) if values else None


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("“", '"').replace("”", '"').replace("–", "-")
    return " ".join(text.split())


def _show(value: float | int | None) -> str:
    return "n/a" if value is None else str(value)
