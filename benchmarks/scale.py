"""The embedded index at scale: build, query latency, memory, disk, and adding one article.

    python benchmarks/scale.py SQUAD_JSON --passages 10000 [--naive] [--encode-check]
        [--model multilingual-e5-small --questions ../shared/benchmarks/xquad/xquad.de.json]

The corpus is SQuAD 2.0 dev's paragraphs plus synthetic articles made by shuffling their
sentences (fine for timing; a repeated sentence is embedded once, so the build of a large
synthetic corpus mostly measures everything except the model). --encode-check compares index
throughput with raw SentenceTransformer.encode() on the same distinct texts, on the real
paragraphs alone. Each phase runs in its own process so peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SENTENCES_PER_ARTICLE = (4, 9)


def write_corpus(squad: Path, folder: Path, passages: int, seed: int = 2026) -> list[str]:
    """SQuAD paragraphs as articles, then shuffled-sentence articles until about `passages`
    passages; returns questions to time."""
    from embeddings.sentences import split_sentences

    data = json.loads(squad.read_text())
    rng = random.Random(seed)
    sentences, questions, count = [], [], 0
    for a, article in enumerate(data["data"]):
        title = article["title"].replace("_", " ")
        for p, paragraph in enumerate(article["paragraphs"]):
            _write(folder / f"squad-{a:02d}-{p:03d}.txt", title, paragraph["context"])
            context = paragraph["context"]
            sentences += [context[s:e] for s, e in split_sentences(context, [(0, len(context))])]
            questions += [qa["question"] for qa in paragraph["qas"] if not qa["is_impossible"]]
            count += 2  # a SQuAD paragraph makes about two passages
    n = 0
    while count < passages:
        size = rng.randint(*SENTENCES_PER_ARTICLE)
        _write(folder / f"synthetic-{n:06d}.txt", f"Synthetic article {n}", " ".join(rng.sample(sentences, size)))
        count += size * 0.42  # measured: about 2.7 passages from a 6.5-sentence article
        n += 1
    return rng.sample(questions, 200)


def _write(path: Path, title: str, text: str) -> None:
    path.write_text(f"---\ntitle: {json.dumps(title)}\nsource: Benchmark\n---\n{text}\n", encoding="utf-8")


def _model() -> str:
    """The embedding model the phases use (--model, passed on to them as NEWSBOT_MODEL)."""
    return os.environ.get("NEWSBOT_MODEL", "all-MiniLM-L6-v2")


def phase_build(folder: Path, index_dir: Path, questions: list[str]) -> dict:
    from embeddings import build_index, make_embedder

    embedder = make_embedder(_model())
    started = time.perf_counter()
    report = build_index(folder, index_dir, _model(), embedder=embedder)
    return {"build_s": time.perf_counter() - started, "documents": report.documents, "passages": report.passages}


def phase_query(folder: Path, index_dir: Path, questions: list[str]) -> dict:
    from bot.core import Bot
    from embeddings import load_index, make_embedder

    started = time.perf_counter()
    bot = Bot(load_index(index_dir), make_embedder(_model()))
    load_s = time.perf_counter() - started
    for question in questions[:10]:
        bot.ask(question)  # warm-up
    return {"load_s": load_s, **_latencies(bot.ask, questions)}


def phase_add_one(folder: Path, index_dir: Path, questions: list[str]) -> dict:
    """Add one article with the model already loaded, then another with `newsbot index` in a
    fresh process (everything counted: start-up, reading the folder, embedding, publishing)."""
    from embeddings import build_index, make_embedder

    embedder = make_embedder(_model())
    _write(folder / "zz-new-article.txt", "A new article", "The Lantern Ferry Company starts its night service.")
    started = time.perf_counter()
    report = build_index(folder, index_dir, _model(), embedder=embedder)
    in_process = time.perf_counter() - started
    _write(folder / "zz-second-article.txt", "Another article", "The night ferry carried 120 passengers.")
    started = time.perf_counter()
    command = [str(Path(sys.executable).parent / "newsbot"), "index", "--documents", str(folder)]
    subprocess.run([*command, "--index-dir", str(index_dir)], check=True, capture_output=True)
    cli = time.perf_counter() - started
    return {"add_one_s": in_process, "add_one_cli_s": cli, "embedded": report.embedded_documents}


def phase_encode(folder: Path, index_dir: Path, questions: list[str]) -> dict:
    """Raw SentenceTransformer.encode() on the distinct texts the index embeds, then the index
    build on the same files; both with the model already loaded."""
    from sentence_transformers import SentenceTransformer

    from embeddings import build_index
    from embeddings.chunking import make_passages
    from embeddings.documents import list_files, read_document
    from embeddings.model import BATCH_SIZE, Embedder, resolve_model_path

    texts = []
    for path in list_files(folder):
        document = read_document(path, folder)
        texts.append(document.title)
        texts += [document.text[s:e] for p in make_passages(document) for s, e in p.sentences]
    texts = list(dict.fromkeys(texts))
    model = SentenceTransformer(str(resolve_model_path("all-MiniLM-L6-v2")), device="cpu")
    model.encode(texts[:64])
    started = time.perf_counter()
    model.encode(texts, batch_size=BATCH_SIZE, normalize_embeddings=True)
    encode_s = time.perf_counter() - started
    embedder = Embedder()
    embedder.embed_texts(texts[:64])
    started = time.perf_counter()
    build_index(folder, index_dir, embedder=embedder)
    build_s = time.perf_counter() - started
    return {"texts": len(texts), "encode_per_s": len(texts) / encode_s, "index_per_s": len(texts) / build_s}


def phase_naive(folder: Path, index_dir: Path, questions: list[str]) -> dict:
    from bot.naive import NaivePipeline

    started = time.perf_counter()
    naive = NaivePipeline(folder)
    build_s = time.perf_counter() - started
    return {"build_s": build_s, **_latencies(naive.answer, questions)}


def _latencies(answer, questions: list[str]) -> dict:
    ms = []
    for question in questions:
        started = time.perf_counter()
        answer(question)
        ms.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": float(np.percentile(ms, 50)), "p95_ms": float(np.percentile(ms, 95))}


PHASES = {
    "build": phase_build,
    "query": phase_query,
    "add_one": phase_add_one,
    "encode": phase_encode,
    "naive": phase_naive,
}


def run_phase(name: str, *args: str) -> dict:
    """One phase in a fresh process, with its peak memory."""
    output = subprocess.run(
        [sys.executable, __file__, "--phase", name, *args], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("squad", type=Path, nargs="?")
    parser.add_argument("--passages", type=int, default=10_000)
    parser.add_argument("--naive", action="store_true", help="also build and query the naive pipeline")
    parser.add_argument("--encode-check", action="store_true")
    parser.add_argument("--model", help="embedding model (default: the bundled MiniLM)")
    parser.add_argument("--questions", type=Path, help="time these XQuAD questions (e.g. xquad.de.json) instead")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--questions-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        questions = json.loads(args.questions_file.read_text()) if args.questions_file else []
        result = PHASES[args.phase](args.folder, args.index_dir, questions)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    if args.model:
        os.environ["NEWSBOT_MODEL"] = args.model
    results = run(args)
    print(json.dumps(results, indent=2))


def run(args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder, index_dir = Path(tmp) / "articles", Path(tmp) / "index"
        folder.mkdir()
        if args.encode_check:
            write_corpus(args.squad, folder, 0)
            return {"encode_check": run_phase("encode", "--folder", str(folder), "--index-dir", str(index_dir))}
        questions = write_corpus(args.squad, folder, args.passages)
        if args.questions:
            data = json.loads(args.questions.read_text(encoding="utf-8"))["data"]
            questions = [qa["question"] for a in data for p in a["paragraphs"] for qa in p["qas"]][: len(questions)]
        questions_file = Path(tmp) / "questions.json"
        questions_file.write_text(json.dumps(questions))
        common = ["--folder", str(folder), "--index-dir", str(index_dir)]
        results = {"build": run_phase("build", *common)}
        results["disk_mb"] = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file()) / 2**20
        results["query"] = run_phase("query", *common, "--questions-file", str(questions_file))
        results["add_one"] = run_phase("add_one", *common)
        if args.naive:
            results["naive"] = run_phase("naive", *common, "--questions-file", str(questions_file))
        return results


if __name__ == "__main__":
    main()
