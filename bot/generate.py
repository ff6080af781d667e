"""Generative answers from a team's own LLM, with every sentence checked against what it cites.

The model sees the retrieved passages numbered with outlet and date and must end each sentence
with [n]. A sentence is kept only if it cites a passage it was given, every name, number and
date in it appears in the passages it cites, and it means nearly the same as one of their
sentences. Unsupported sentences are removed and the answer says so; when nothing survives the
extractive answer is returned instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from bot.results import Answer, Citation
from embeddings import Hit, SearchableIndex, TextEmbedder, stopwords

GENERATED_PASSAGES = 4
MIN_SIMILARITY = 0.6  # to the closest sentence of a cited passage
_MARKER = re.compile(r"\[(\d+)\]")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’-]+")
_SENTENCE = re.compile(r"(?<=[.!?])(?:\s*\[\d+\])*\s+(?=[A-Z\"“])")

PROMPT = (Path(__file__).parent / "prompts" / "answer.txt").read_text(encoding="utf-8").strip()


class LLMUnavailable(Exception):
    """The configured LLM backend cannot be used; the message says what to install or set."""


@dataclass(frozen=True)
class Judged:
    """One generated sentence and whether its citations bear it out."""

    text: str
    cited: tuple[int, ...]
    kept: bool
    reason: str = ""


def needs_extra(what: str, extra: str) -> str:
    return f"{what} needs the extra '{extra}': in newsbot's folder, run pip install -e '.[{extra}]'"


def get_llm(name: str, base_url: str | None, model: str | None, api_key: str | None, timeout: float = 60):
    """The llama-index LLM of the backend called name (NEWSBOT_LLM), or None for extractive answers."""
    if name not in BACKENDS:
        raise LLMUnavailable(f"unknown LLM backend {name!r}; use {', '.join(repr(n) for n in BACKENDS)}")
    factory = BACKENDS[name]
    if factory is None:
        return None
    if not model:
        raise LLMUnavailable("NEWSBOT_LLM_MODEL must name the model to use")
    return factory(base_url, model, api_key, timeout)


def _openai_like(base_url: str | None, model: str, api_key: str | None, timeout: float):
    try:
        from llama_index.llms.openai_like import OpenAILike
    except ImportError:
        raise LLMUnavailable(needs_extra("NEWSBOT_LLM=openai-like", "llm")) from None
    if not base_url:
        raise LLMUnavailable("NEWSBOT_LLM_BASE_URL must give the server's address, e.g. http://127.0.0.1:8080/v1")
    return OpenAILike(
        model=model,
        api_base=base_url,
        api_key=api_key or "none",
        is_chat_model=True,
        timeout=timeout,
        max_tokens=256,
        max_retries=1,
    )


def _ollama(base_url: str | None, model: str, api_key: str | None, timeout: float):
    try:
        from llama_index.llms.ollama import Ollama
    except ImportError:
        raise LLMUnavailable(needs_extra("NEWSBOT_LLM=ollama", "llm-ollama")) from None
    return Ollama(model=model, base_url=base_url or "http://127.0.0.1:11434", request_timeout=timeout)


# Backend name -> factory of its llama-index LLM ("none": extractive answers, no LLM).
BACKENDS: dict[str, Callable[[str | None, str, str | None, float], Any] | None] = {
    "none": None,
    "openai-like": _openai_like,
    "ollama": _ollama,
}


def prompt_for(question: str, hits: Sequence[Hit], max_sentences: int) -> str:
    numbered = "\n\n".join(
        f"[{n}] {hit.document.source}, {hit.document.date or 'undated'}: {' '.join(hit.passage.text.split())}"
        for n, hit in enumerate(hits, start=1)
    )
    return PROMPT.format(sentences=max_sentences, passages=numbered, question=question)


def generate(
    llm,
    question: str,
    hits: Sequence[Hit],
    fallback: Answer,
    index: SearchableIndex,
    embedder: TextEmbedder,
    max_sentences: int,
) -> tuple[Answer, list[Judged]]:
    """The LLM's answer with unsupported sentences removed, or the extractive fallback."""
    hits = list(hits[:GENERATED_PASSAGES])
    if not hits or not fallback.grounded:
        return fallback, []
    reply = str(llm.complete(prompt_for(question, hits, max_sentences))).strip()
    judged = [judge(sentence, hits, index, embedder) for sentence in split_sentences(reply)]
    kept = [j for j in judged if j.kept]
    if not kept:
        return replace(fallback, generated=len(judged), removed=len(judged)), judged
    answer = _answer(kept, len(judged) - len(kept), hits, index, embedder)
    return replace(answer, generated=len(judged)), judged


def cited_sentences(answer: Answer) -> list[tuple[str, list[Hit]]]:
    """A generative answer's sentences, each with the passages it cites."""
    hits = {c.id: c.hit for c in answer.citations}
    text = answer.text.split(" (", 1)[0] if answer.removed else answer.text
    pieces = re.findall(r"(.+?)((?:\s*\[\d+\])+)", text)
    return [(claim.strip(), [hits[int(n)] for n in _MARKER.findall(marks)]) for claim, marks in pieces]


def split_sentences(reply: str) -> list[str]:
    if "NOT IN THE ARTICLES" in reply.upper():
        return []
    return [s.strip() for s in _SENTENCE.split(" ".join(reply.split())) if s.strip()]


def judge(sentence: str, hits: Sequence[Hit], index: SearchableIndex, embedder: TextEmbedder) -> Judged:
    cited = tuple(dict.fromkeys(int(n) for n in _MARKER.findall(sentence)))
    claim = _MARKER.sub("", sentence).strip()
    if not cited:
        return Judged(claim, cited, False, "cites no passage")
    if any(not 1 <= n <= len(hits) for n in cited):
        return Judged(claim, cited, False, "cites a passage it was not given")
    sources = " ".join(cited_text(hits[n - 1]) for n in cited)
    missing = [fact for fact in facts_of(claim) if not _found(fact, sources)]
    if missing:
        return Judged(claim, cited, False, f"not in the cited passages: {', '.join(missing)}")
    similarity = max(_closest(claim, hits[n - 1], index, embedder)[1] for n in cited)
    if similarity < MIN_SIMILARITY:
        return Judged(claim, cited, False, f"not close to any cited sentence ({similarity:.2f})")
    return Judged(claim, cited, True)


def facts_of(sentence: str) -> list[str]:
    """The names, numbers and dates a sentence states, each of which its sources must hold."""
    numbers = [n.rstrip(".,") for n in _NUMBER.findall(sentence)]
    names = [name for name in _NAME.findall(sentence) if name.lower() not in stopwords()]
    return list(dict.fromkeys(numbers + names))


def _found(fact: str, text: str) -> bool:
    if fact[0].isdigit():
        return fact.replace(",", "") in text.replace(",", "")
    return fact.lower().rstrip("'’s") in text.lower()


def cited_text(hit: Hit) -> str:
    """What the model was shown as passage [n]: outlet, headline, date and the passage."""
    date = hit.document.date
    when = f"{date.day} {date:%B %Y} {date.isoformat()}" if date else ""
    return f"{hit.document.source} {hit.document.title} {when} {hit.passage.text}"


def _closest(claim: str, hit: Hit, index: SearchableIndex, embedder: TextEmbedder) -> tuple[tuple[int, int], float]:
    """The cited passage's sentence closest in meaning to the claim, and its cosine."""
    vectors = index.sentence_vectors_of(hit.row)
    similarities = vectors @ embedder.embed_query(claim)
    best = int(np.argmax(similarities))
    return hit.passage.sentences[best], float(similarities[best])


def _answer(
    kept: list[Judged], removed: int, hits: Sequence[Hit], index: SearchableIndex, embedder: TextEmbedder
) -> Answer:
    """Kept sentences with their markers renumbered in order of first citation."""
    order = list(dict.fromkeys(n for j in kept for n in j.cited))
    number = {n: i for i, n in enumerate(order, start=1)}
    text = " ".join(j.text + " " + "".join(f"[{number[n]}]" for n in j.cited) for j in kept)
    if removed:
        text += f" ({removed} generated sentence{'s' if removed > 1 else ''} removed: not supported by the articles.)"
    citations = []
    for n in order:
        spans = tuple(sorted({_closest(j.text, hits[n - 1], index, embedder)[0] for j in kept if n in j.cited}))
        citations.append(Citation(number[n], hits[n - 1], spans))
    return replace(Answer(text, True, tuple(citations)), mode="generative", removed=removed)
