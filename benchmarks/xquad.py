"""XQuAD end to end: questions in English, German and Spanish over the 240 English paragraphs
(one document each), asked of newsbot with each embedding model and of the naive llama-index
pipeline, in one run. Only the articles benchmarks/fit_crosslingual.py does not fit on (the
odd-numbered ones, in file order) are asked; --every k takes every k-th of their questions, the
same ones in each language. Figures as in benchmarks/squad.py: recall@1 of the right paragraph,
answered, and the answer containing the gold (English) answer.

    .venv/bin/python benchmarks/xquad.py [--models all-MiniLM-L6-v2,multilingual-e5-small] [--every 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fit_crosslingual import LANGUAGE_NAMES, searched, xquad_items  # noqa: E402
from benchmarks.squad import run_naive, run_newsbot, write_corpus  # noqa: E402

FIGURES = ("recall@1", "answerable answered", "answer contains gold", "declined without its paragraph", "query p50 ms")


def declined(index_dir: Path, model: str, questions: list[dict]) -> float | None:
    """Share of the questions declined when their paragraph is left out of the search (the rest
    of its article, on the same topic, stays), as benchmarks/fit_crosslingual.py's negatives."""
    from bot import crosslingual
    from embeddings import load_index, make_embedder

    cross = crosslingual.cross_model(model)
    if cross is None or questions[0]["language"] not in LANGUAGE_NAMES:
        return None
    index, embedder = load_index(index_dir), make_embedder(model)
    answers = []
    for item in questions:
        question, hits, vectors = searched(index, embedder, item, answerable=False, model=cross)
        language = LANGUAGE_NAMES[item["language"]]
        answers.append(crosslingual.compose(question, language, hits, index, vectors, cross, max_citations=3))
    return round(sum(not a.grounded for a in answers) / len(answers), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default="all-MiniLM-L6-v2,multilingual-e5-small")
    parser.add_argument("--languages", default="en,de,es")
    parser.add_argument("--every", type=int, default=3)
    parser.add_argument("--no-naive", action="store_true")
    args = parser.parse_args()
    languages = args.languages.split(",")
    english, items = xquad_items(languages)
    held_out = [i for i in items if i["article"] % 2 == 1]
    asked = {lang: [i for i in held_out if i["language"] == lang][:: args.every] for lang in languages}
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        docs = Path(folder) / "docs"
        docs.mkdir()
        write_corpus(english, docs)
        for model in args.models.split(","):
            for n, (language, questions) in enumerate(asked.items()):
                index_dir = Path(folder) / f"index-{model}"
                figures = run_newsbot(docs, index_dir, questions, model) | {"built": n == 0}
                rows.append(
                    (language, figures | {"declined without its paragraph": declined(index_dir, model, questions)})
                )
        if not args.no_naive:
            rows += [(language, run_naive(docs, questions)) for language, questions in asked.items()]
    print(f"{len(asked[languages[0]])} questions a language, held-out articles")
    print("| pipeline | language | " + " | ".join(FIGURES) + " |")
    print("|---|---|" + "---|" * len(FIGURES))
    for language, figures in rows:
        print(f"| {figures['pipeline']} | {language} | " + " | ".join(str(figures.get(f, "–")) for f in FIGURES) + " |")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
