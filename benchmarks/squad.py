"""SQuAD 2.0 dev as a retrieval, answer and abstention benchmark: its 1,204 paragraphs are the
corpus (one document each, titled by article); the questions are a fixed sample of answerable and
of unanswerable questions from articles 19-35 in file order (articles 1-18 are what
benchmarks/fit.py fits on). newsbot and the naive llama-index pipeline are built and queried in
the same run. Short answers are scored with the official SQuAD normalisation (exact match, F1).

    python benchmarks/squad.py ../shared/benchmarks/squad/dev-v2.0-reconstructed.json [--sample 400]
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import statistics
import string
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHORT_ANSWER_SENTENCES = 2
FIRST_MEASURED_ARTICLE = 19  # 1-based, in file order: benchmarks/fit.py fits on articles 1-18


def write_corpus(data: dict, folder: Path) -> list[dict]:
    """One file per paragraph; returns every question with its paragraph's doc id and article."""
    questions = []
    for a, article in enumerate(data["data"]):
        title = article["title"].replace("_", " ")
        for p, paragraph in enumerate(article["paragraphs"]):
            doc_id = f"{a:02d}-{p:03d}"
            front = f"---\ntitle: {json.dumps(title)}\nsource: Wikipedia\n---\n"
            (folder / f"{doc_id}.txt").write_text(front + paragraph["context"] + "\n", encoding="utf-8")
            for qa in paragraph["qas"]:
                answers = sorted({answer["text"] for answer in qa["answers"]})
                questions.append({"question": qa["question"], "doc": doc_id, "answers": answers, "article": a})
    return questions


def sample_questions(questions: list[dict], n: int, seed: int, first_article: int) -> list[dict]:
    """n answerable and n unanswerable questions from the measured articles."""
    rng = random.Random(seed)
    measured = [q for q in questions if q["article"] >= first_article - 1]
    answerable = [q for q in measured if q["answers"]]
    unanswerable = [q for q in measured if not q["answers"]]
    return rng.sample(answerable, min(n, len(answerable))) + rng.sample(unanswerable, min(n, len(unanswerable)))


def normalise_answer(text: str) -> str:
    """The official SQuAD normalisation: lower case, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in set(string.punctuation))
    return " ".join(re.sub(r"\b(a|an|the)\b", " ", text).split())


def exact_and_f1(prediction: str | None, answers: list[str]) -> tuple[float, float]:
    if not prediction:
        return 0.0, 0.0
    return max(_exact_f1(prediction, gold) for gold in answers)


def _exact_f1(prediction: str, gold: str) -> tuple[float, float]:
    predicted, wanted = normalise_answer(prediction).split(), normalise_answer(gold).split()
    common = sum((collections.Counter(predicted) & collections.Counter(wanted)).values())
    if not common:
        return float(predicted == wanted), 0.0
    precision, recall = common / len(predicted), common / len(wanted)
    return float(predicted == wanted), 2 * precision * recall / (precision + recall)


def contains_answer(text: str, answers: list[str]) -> bool:
    haystack = " ".join(text.lower().split())
    return any(" ".join(answer.lower().split()) in haystack for answer in answers)


def ranked_docs(doc_ids: list[str]) -> list[str]:
    return list(dict.fromkeys(doc_ids))


def measure(name: str, build_s: float, results: list[tuple], questions: list[dict]) -> dict:
    """results: per question (ranked doc ids, answer text or "" when abstaining, short answer or
    None, milliseconds)."""
    pairs = list(zip(results, questions, strict=True))
    answerable = [(r, q) for r, q in pairs if q["answers"]]
    unanswerable = [(r, q) for r, q in pairs if not q["answers"]]
    scores = [exact_and_f1(short, q["answers"]) for (_, text, short, _), q in answerable]
    latencies = sorted(ms for *_, ms in results)
    n = len(answerable) or 1
    return {
        "pipeline": name,
        "recall@1": round(sum(q["doc"] in docs[:1] for (docs, *_), q in answerable) / n, 3),
        "recall@5": round(sum(q["doc"] in docs[:5] for (docs, *_), q in answerable) / n, 3),
        "answerable answered": round(sum(bool(text) for (_, text, *_), _ in answerable) / n, 3),
        "unanswerable abstained": round(
            sum(not text for (_, text, *_), _ in unanswerable) / max(1, len(unanswerable)), 3
        ),
        "answer contains gold": round(
            sum(contains_answer(text, q["answers"]) for (_, text, *_), q in answerable) / n, 3
        ),
        "short answer given": round(sum(short is not None for (_, _, short, _), _ in answerable) / n, 3),
        "short answer EM": round(sum(em for em, _ in scores) / n, 3),
        "short answer F1": round(sum(f1 for _, f1 in scores) / n, 3),
        "index build s": round(build_s, 1),
        "query p50 ms": round(statistics.median(latencies), 1),
        "query p95 ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
    }


def run_newsbot(folder: Path, index_dir: Path, questions: list[dict], model: str = "all-MiniLM-L6-v2") -> dict:
    from bot.core import Bot
    from embeddings import build_index, load_index, make_embedder

    embedder = make_embedder(model)
    start = time.perf_counter()
    build_index(folder, index_dir, model, embedder=embedder, progress=True)
    build_s = time.perf_counter() - start
    bot = Bot(load_index(index_dir), embedder, max_sentences=SHORT_ANSWER_SENTENCES)
    results = []
    for q in questions:
        started = time.perf_counter()
        answer = bot.ask(q["question"])
        ms = (time.perf_counter() - started) * 1000
        hits = bot.passages_for(q["question"])
        text = answer.text if answer.grounded else ""
        short = getattr(answer, "short_answer", None) if answer.grounded else None
        results.append((ranked_docs([h.document.doc_id for h in hits]), text, short, ms))
    return measure("newsbot" if model == "all-MiniLM-L6-v2" else f"newsbot ({model})", build_s, results, questions)


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
        results.append((ranked_docs([h.doc_id for h in hits]), hits[0].text if hits else "", None, ms))
    return measure("naive llama-index", build_s, results, questions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="SQuAD 2.0 dev JSON (dev-v2.0-reconstructed.json)")
    parser.add_argument("--sample", type=int, default=400, help="answerable, and unanswerable, questions to ask")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--first-article", type=int, default=FIRST_MEASURED_ARTICLE, help="ask questions of this article on (1-based)"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--models", default="all-MiniLM-L6-v2", help="embedding models, comma-separated, side by side")
    args = parser.parse_args()
    data = json.loads(args.data.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "paragraphs"
        folder.mkdir()
        questions = write_corpus(data, folder)
        sample = sample_questions(questions, args.sample, args.seed, args.first_article)
        models = args.models.split(",")
        rows = [run_newsbot(folder, Path(tmp) / f"index-{model}", sample, model) for model in models]
        rows.append(run_naive(folder, sample))
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{len(sample)} questions from article {args.first_article} on, half unanswerable (seed {args.seed})")
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + " --- |" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()
