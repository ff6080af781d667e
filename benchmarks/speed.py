"""Speed on a documents folder: index build and answer latency, newsbot beside the naive
llama-index pipeline in the same run; plus `newsbot ask` and `newsbot serve` start-up (both with
the index of the default index folder, built first if needed).

    python benchmarks/speed.py [--documents documents] [--questions FILE] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def latencies(answer, questions: list[str], repeat: int) -> list[float]:
    answer(questions[0])  # warm-up
    return [timed(answer, q)[1] * 1000 for _ in range(repeat) for q in questions]


def row(name: str, build_s: float, ms: list[float]) -> str:
    return f"| {name} | {build_s:.1f} s | {percentile(ms, 0.5):.1f} ms | {percentile(ms, 0.95):.1f} ms |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=Path, default=ROOT / "documents")
    parser.add_argument("--questions", type=Path, default=ROOT / "documents" / ".newsbot-examples")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    questions = [q for q in args.questions.read_text().splitlines() if q.strip() and not q.startswith("#")]

    from bot.core import Bot
    from bot.naive import NaivePipeline
    from embeddings import Embedder, build_index, load_index

    Embedder()  # imports and first model load are paid here, not by either pipeline
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "index"
        start = time.perf_counter()
        embedder = Embedder()
        build_index(args.documents, index_dir, embedder=embedder)
        bot_build = time.perf_counter() - start
        bot = Bot(load_index(index_dir), embedder)
        bot_ms = latencies(bot.ask, questions, args.repeat)

        naive, naive_build = timed(NaivePipeline, args.documents)
        naive_ms = latencies(naive.answer, questions, args.repeat)

        ask_runs = []
        for _ in range(3):
            command = [
                sys.executable,
                "-m",
                "bot",
                "ask",
                questions[0],
                "--documents",
                str(args.documents),
                "--index-dir",
                str(index_dir),
            ]
            ask_runs.append(timed(subprocess.run, command, capture_output=True, check=True)[1])
        serve_runs = [serve_until_first_answer(args.documents, index_dir, questions[0]) for _ in range(3)]

    print(f"{len(questions)} questions x {args.repeat}, documents: {args.documents}")
    print("| pipeline | index build (model load included, imports not) | answer p50 | answer p95 |")
    print("| --- | --- | --- | --- |")
    print(row("newsbot", bot_build, bot_ms))
    print(row("naive llama-index", naive_build, naive_ms))
    best, median = min(ask_runs), statistics.median(ask_runs)
    print(f"`newsbot ask` end to end with an existing index: best {best:.2f} s, median {median:.2f} s")
    best, median = min(serve_runs), statistics.median(serve_runs)
    print(f"`newsbot serve` until its first answer: best {best:.2f} s, median {median:.2f} s")


def serve_until_first_answer(documents: Path, index_dir: Path, question: str) -> float:
    """Seconds from starting `newsbot serve` (index already built) to its first /api/ask answer."""
    import socket

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    where = ["--documents", str(documents), "--index-dir", str(index_dir)]
    command = [sys.executable, "-m", "bot", "serve", "--port", str(port), *where]
    started = time.perf_counter()
    server = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                response = httpx.post(f"http://127.0.0.1:{port}/api/ask", json={"question": question}, timeout=5)
                if response.status_code == 200:
                    return time.perf_counter() - started
            except httpx.HTTPError:
                time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(timeout=15)


if __name__ == "__main__":
    main()
