"""A bounded load run against a real `newsbot serve` on a loopback port.

    python benchmarks/load.py [--clients 32] [--seconds 60] [--questions tests/eval/questions.jsonl]

Starts the server (rate limit off: every client here shares one address), sends questions from
the set in a loop from N concurrent clients, and polls /api/health once a second meanwhile.
Prints throughput, latency percentiles, errors and the slowest health check.
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
    parser.add_argument("--questions", type=Path, default=ROOT / "tests" / "eval" / "questions.jsonl")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for line in args.questions.read_text().splitlines() if line.strip()]
    port = _free_port()
    env = {**os.environ, "NEWSBOT_RATE_LIMIT": "off", "NEWSBOT_PORT": str(port), "NEWSBOT_HOST": "127.0.0.1"}
    server = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_ready(url)
        time.sleep(15)  # let the full embedding model finish loading, as in steady service
        result = asyncio.run(_run(url, questions, args.clients, args.seconds))
    finally:
        server.terminate()
        server.wait(timeout=15)
    print(json.dumps(result, indent=2) if args.json else _format(result, args))


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
