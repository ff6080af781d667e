"""A bounded load run against a real `newsbot serve` on a loopback port.

    python benchmarks/load.py [--clients 32] [--seconds 60] [--workers 1,4] [--questions tests/eval/questions.jsonl]

Starts the server (rate limit off: every client here shares one address), sends questions from
the set in a loop from N concurrent clients, and polls /api/health once a second meanwhile.
Prints throughput, latency percentiles, errors and the slowest health check, for each number of
worker processes in turn (default: one, and one per core), then the throughput of the last
beside the first.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=_counts, default=_counts(f"1,{os.cpu_count() or 1}"))
    parser.add_argument("--questions", type=Path, default=ROOT / "tests" / "eval" / "questions.jsonl")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for line in args.questions.read_text().splitlines() if line.strip()]
    results = {}
    for workers in args.workers:
        results[workers] = _measure(workers, questions, args)
        if not args.json:
            print(f"{workers} worker{'s' * (workers != 1)}: {_format(results[workers], args)}", flush=True)
    first, last = results[args.workers[0]], results[args.workers[-1]]
    if args.json:
        print(json.dumps(results, indent=2))
    elif len(results) > 1:
        ratio = last["throughput_per_s"] / max(first["throughput_per_s"], 1e-9)
        print(f"{args.workers[-1]} workers answer {ratio:.2f}x as many questions a second as {args.workers[0]}")


def _counts(text: str) -> list[int]:
    """'1,4' -> [1, 4]: the worker counts to measure, in order, each once."""
    counts = [int(part) for part in text.split(",") if part.strip()]
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("give worker counts of at least 1, e.g. 1,4")
    return list(dict.fromkeys(counts))


def _measure(workers: int, questions: list[str], args: argparse.Namespace) -> dict:
    """One load run against a fresh server with this many worker processes."""
    port = _free_port()
    env = {
        **os.environ,
        "NEWSBOT_RATE_LIMIT": "off",
        "NEWSBOT_PORT": str(port),
        "NEWSBOT_HOST": "127.0.0.1",
        "NEWSBOT_WORKERS": str(workers),
    }
    server = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_ready(url)
        time.sleep(15)  # let the full embedding model finish loading, as in steady service
        return {"workers": workers, **asyncio.run(_run(url, questions, args.clients, args.seconds))}
    finally:
        server.terminate()
        server.wait(timeout=15)


async def _run(url: str, questions: list[str], clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    health: list[float] = []
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients + 2)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:

        async def worker(offset: int) -> None:
            i = offset
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    response = await client.post("/api/ask", json={"question": questions[i % len(questions)]})
                    key = None if response.status_code == 200 else f"HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    key = type(exc).__name__
                if key:
                    errors[key] = errors.get(key, 0) + 1
                else:
                    latencies.append(time.perf_counter() - started)
                i += clients

        async def monitor() -> None:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                ok = (await client.get("/api/health")).status_code == 200
                health.append(time.perf_counter() - started if ok else float("inf"))
                await asyncio.sleep(1)

        started = time.monotonic()
        await asyncio.gather(monitor(), *(worker(n) for n in range(clients)))
        elapsed = time.monotonic() - started
    ms = np.array(latencies) * 1000
    return {
        "requests": len(latencies),
        "errors": errors,
        "throughput_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(float(np.percentile(ms, 50)), 1),
        "p95_ms": round(float(np.percentile(ms, 95)), 1),
        "p99_ms": round(float(np.percentile(ms, 99)), 1),
        "health_checks": len(health),
        "health_max_ms": round(max(health) * 1000, 1),
    }


def _format(result: dict, args: argparse.Namespace) -> str:
    return (
        f"{args.clients} clients for {args.seconds:.0f} s: {result['requests']} answers, "
        f"{result['throughput_per_s']}/s; latency p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
        f"p99 {result['p99_ms']} ms; errors {result['errors'] or 0}; "
        f"/api/health answered {result['health_checks']} times, slowest {result['health_max_ms']} ms"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"newsbot serve did not start within {timeout} s")


if __name__ == "__main__":
    main()
