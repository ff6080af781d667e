"""Choose the abstention thresholds on the dev half of a question set (never on the test half).

For every question, the best-ranked sentence's support and similarity are computed once; each
pair of thresholds is then scored by how many answerable questions it lets through correctly
and how many unanswerable ones it stops.

    python benchmarks/tune.py [--questions tests/eval/questions.jsonl] [--split dev]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def best_candidates(bot, items):
    from bot import answer as answer_module
    from bot.evaluate import fact_found
    from bot.question import analyse
    from embeddings import search

    rows = []
    for item in items:
        vector = bot.embedder.embed_query(item.question)
        hits = search(bot.index, item.question, vector, k=8)
        question = analyse(item.question)
        best = answer_module.rank_sentences(question, hits, bot.index, vector)[0]
        correct = all(fact_found(f, best.text) for f in item.facts)
        needs_type = question.kind in ("number", "duration")
        rows.append((item.kind == "unanswerable", best.support, best.dense, needs_type and not best.typed, correct))
    return rows


def score(rows, min_support: float, min_confidence: float) -> tuple[float, float, float]:
    answered = abstained = correct = 0
    n_answerable = sum(not unanswerable for unanswerable, *_ in rows) or 1
    n_unanswerable = sum(unanswerable for unanswerable, *_ in rows) or 1
    for unanswerable, support, dense, untyped, right in rows:
        grounded = not untyped and support >= min_support and support + dense >= min_confidence
        if unanswerable:
            abstained += not grounded
        else:
            answered += grounded
            correct += grounded and right
    return answered / n_answerable, abstained / n_unanswerable, correct / n_answerable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=ROOT / "tests" / "eval" / "questions.jsonl")
    parser.add_argument("--documents", type=Path, default=ROOT / "documents")
    parser.add_argument("--split", default="dev")
    args = parser.parse_args()

    import tempfile

    from bot.core import Bot
    from bot.evaluate import ANSWERABLE_KINDS, load_questions
    from embeddings import Embedder, build_index, load_index

    items = [i for i in load_questions(args.questions, args.split) if i.kind in ANSWERABLE_KINDS | {"unanswerable"}]
    with tempfile.TemporaryDirectory() as tmp:
        embedder = Embedder()
        build_index(args.documents, Path(tmp), embedder=embedder)
        rows = best_candidates(Bot(load_index(Path(tmp)), embedder), items)
    grid = itertools.product([0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6], [0.9, 0.95, 1.0, 1.05, 1.1, 1.15, 1.2])
    scored = sorted(((score(rows, s, c), s, c) for s, c in grid), key=lambda r: (-sum(r[0]), -r[1], -r[2]))
    print(f"{len(items)} {args.split} questions; best threshold pairs (answered, abstained, correct):")
    for (answered, abstained, correct), s, c in scored[:10]:
        print(f"  MIN_SUPPORT={s:.2f} MIN_CONFIDENCE={c:.2f}: {answered:.3f} {abstained:.3f} {correct:.3f}")


if __name__ == "__main__":
    main()
