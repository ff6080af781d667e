"""Embedding models side by side: which paragraph a question's vector lands on first.

XQuAD (../shared/benchmarks/xquad/): the 1,190 questions asked in English, German and Spanish
over the 240 English paragraphs; SQuAD 2.0 dev articles 19-35 (never fitted on): its answerable
questions over those articles' paragraphs, in English. --questions takes every k-th question of
each set, the same ones in each language. Dense retrieval only (a paragraph is
embedded whole, as one text), so the figure is the model's, not newsbot's hybrid search. Also:
texts embedded a second in bulk (the XQuAD paragraphs, once) and one question's embedding time.

    .venv/bin/python benchmarks/embedders.py [--models all-MiniLM-L6-v2,multilingual-e5-small,use-multilingual-v3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from functools import lru_cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from embeddings import make_embedder  # noqa: E402

SHARED = ROOT.parent / "shared" / "benchmarks"
MODELS = "all-MiniLM-L6-v2,multilingual-e5-small,use-multilingual-v3"
SQUAD_ARTICLES = range(18, 35)  # articles 19-35 in file order: kept for measurement


@lru_cache(maxsize=1)
def _english_paragraphs() -> list[str]:
    english = json.loads((SHARED / "xquad" / "xquad.en.json").read_text())["data"]
    return [p["context"] for article in english for p in article["paragraphs"]]


def xquad(language: str) -> tuple[list[str], list[tuple[str, int]]]:
    """The English paragraphs, and (question in language, its paragraph's number)."""
    asked = json.loads((SHARED / "xquad" / f"xquad.{language}.json").read_text())["data"]
    paragraphs = _english_paragraphs()
    questions = [
        (qa["question"], number)
        for number, paragraph in enumerate(p for article in asked for p in article["paragraphs"])
        for qa in paragraph["qas"]
    ]
    return paragraphs, questions


def squad() -> tuple[list[str], list[tuple[str, int]]]:
    data = json.loads((SHARED / "squad" / "dev-v2.0-reconstructed.json").read_text())["data"]
    paragraphs = [p for i in SQUAD_ARTICLES for p in data[i]["paragraphs"]]
    questions = [(qa["question"], n) for n, p in enumerate(paragraphs) for qa in p["qas"] if qa["answers"]]
    return [p["context"] for p in paragraphs], questions


def recall_at_1(embedder, vectors: np.ndarray, questions: list[tuple[str, int]]) -> tuple[float, list[float]]:
    hits, times = 0, []
    for question, number in questions:
        start = time.perf_counter()
        vector = embedder.embed_query(question)
        times.append(time.perf_counter() - start)
        hits += int(np.argmax(vectors @ vector)) == number
    return hits / len(questions), times


def measure(name: str, sets: dict) -> dict:
    embedder = make_embedder(name, quick_start=True)
    row: dict[str, float] = {}
    times: list[float] = []
    embedded: dict[int, np.ndarray] = {}  # the three XQuAD sets share their English paragraphs
    for label, (paragraphs, questions) in sets.items():
        if id(paragraphs) not in embedded:
            start = time.perf_counter()
            embedded[id(paragraphs)] = embedder.embed_texts(paragraphs)
            row.setdefault("texts_per_second", len(paragraphs) / (time.perf_counter() - start))
        row[label], spent = recall_at_1(embedder, embedded[id(paragraphs)], questions)
        times += spent
    row["query_ms_p50"] = 1000 * statistics.median(times)
    return row


def _sample(questions: list, count: int) -> list:
    """Every k-th question, so each language keeps the same questions."""
    step = max(1, len(questions) // count)
    return questions[::step][:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default=MODELS)
    parser.add_argument("--questions", type=int, default=400, help="questions a set (the same ones in every language)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sets = {f"xquad {lang}": xquad(lang) for lang in ("en", "de", "es")} | {"squad 19-35 en": squad()}
    sets = {label: (paragraphs, _sample(questions, args.questions)) for label, (paragraphs, questions) in sets.items()}
    results = {}
    for name in args.models.split(","):
        results[name] = measure(name, sets)
        print(name, json.dumps(results[name]), file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    columns = [*sets, "texts_per_second", "query_ms_p50"]
    print("| model | " + " | ".join(columns) + " |")
    print("| --- " * (len(columns) + 1) + "|")
    for name, row in results.items():
        print(f"| {name} | " + " | ".join(f"{row[c]:.3f}" if c in sets else f"{row[c]:.1f}" for c in columns) + " |")


if __name__ == "__main__":
    main()
