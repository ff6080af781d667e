"""SQuAD 2.0 dev as a retrieval and answer benchmark: its 1,204 paragraphs are the corpus
(one document each, titled by article) and a fixed sample of answerable questions the queries.
newsbot and the naive llama-index pipeline are built and queried in the same run.

    python benchmarks/squad.py ../shared/benchmarks/squad/dev-v2.0-reconstructed.json [--sample 1000]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHORT_ANSWER_SENTENCES = 2


def write_corpus(data: dict, folder: Path) -> list[dict]:
    """One file per paragraph; returns the answerable questions with their paragraph's doc id."""
    questions = []
    for a, article in enumerate(data["data"]):
        title = article["title"].replace("_", " ")
        for p, paragraph in enumerate(article["paragraphs"]):
            doc_id = f"{a:02d}-{p:03d}"
            front = f"---\ntitle: {json.dumps(title)}\nsource: Wikipedia\n---\n"
            (folder / f"{doc_id}.txt").write_text(front + paragraph["context"] + "\n", encoding="utf-8")
            for qa in paragraph["qas"]:
                if not qa["is_impossible"]:
                    answers = sorted({answer["text"] for answer in qa["answers"]})
                    questions.append({"question": qa["question"], "doc": doc_id, "answers": answers})
    return questions


def contains_answer(text: str, answers: list[str]) -> bool:
    haystack = " ".join(text.lower().split())
    return any(" ".join(answer.lower().split()) in haystack for answer in answers)


def ranked_docs(doc_ids: list[str]) -> list[str]:
    return list(dict.fromkeys(doc_ids))


def measure(name: str, build_s: float, results: list[tuple[list[str], str, float]], questions: list[dict]) -> dict:
    recall1 = sum(q["doc"] in docs[:1] for (docs, _, _), q in zip(results, questions, strict=True))
    recall5 = sum(q["doc"] in docs[:5] for (docs, _, _), q in zip(results, questions, strict=True))
    found = sum(contains_answer(answer, q["answers"]) for (_, answer, _), q in zip(results, questions, strict=True))
    latencies = sorted(ms for _, _, ms in results)
    n = len(questions)
    return {
        "pipeline": name,
        "recall@1": round(recall1 / n, 3),
        "recall@5": round(recall5 / n, 3),
        "answer contains gold": round(found / n, 3),
        "index build s": round(build_s, 1),
        "query p50 ms": round(statistics.median(latencies), 1),
        "query p95 ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
    }


def run_newsbot(folder: Path, index_dir: Path, questions: list[dict]) -> dict:
    from bot.core import Bot
    from embeddings import Embedder, build_index, load_index, search

    embedder = Embedder()
    start = time.perf_counter()
    build_index(folder, index_dir, embedder=embedder, progress=True)
    build_s = time.perf_counter() - start
    bot = Bot(load_index(index_dir), embedder, max_sentences=SHORT_ANSWER_SENTENCES)
    results = []
    for q in questions:
        started = time.perf_counter()
        answer = bot.ask(q["question"])
        ms = (time.perf_counter() - started) * 1000
        hits = search(bot.index, q["question"], embedder.embed_query(q["question"]), k=10)
        results.append((ranked_docs([h.document.doc_id for h in hits]), answer.text if answer.grounded else "", ms))
    return measure("newsbot", build_s, results, questions)


def run_naive(folder: Path, questions: list[dict]) -> dict:
    from bot.naive import NaivePipeline

    start = time.perf_counter()
    naive = NaivePipeline(folder, top_k=10)
    build_s = time.perf_counter() - start
    results = []
    for q in questions:
        started = time.perf_counter()
        hits = naive.retrieve(q["question"])
        ms = (time.perf_counter() - started) * 1000
        results.append((ranked_docs([h.doc_id for h in hits]), hits[0].text if hits else "", ms))
    return measure("naive llama-index", build_s, results, questions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="SQuAD 2.0 dev JSON (dev-v2.0-reconstructed.json)")
    parser.add_argument("--sample", type=int, default=1000, help="answerable questions to ask")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data = json.loads(args.data.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "paragraphs"
        folder.mkdir()
        questions = write_corpus(data, folder)
        sample = random.Random(args.seed).sample(questions, min(args.sample, len(questions)))
        rows = [run_newsbot(folder, Path(tmp) / "index", sample), run_naive(folder, sample)]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{len(sample)} answerable questions (seed {args.seed}) over 1,204 paragraphs")
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + " --- |" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()
