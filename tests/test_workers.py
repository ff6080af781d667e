"""`newsbot serve --workers 2`, for real: answers come from the worker processes, refusals and the
rate limit work as in one process, a rebuilt index reaches every worker, the chat answers while
the API keeps the workers busy, a worker that dies is replaced, and stopping the server stops
its workers."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from conftest import BUNDLED, Server, eventually, markers, server_env
from test_browser import browser, chat_page_answering, outside_requests  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow

QUESTION = "Who heads Ukraine's delegation for the July 2025 round?"
NEW_ARTICLE = """---
title: Varna lighthouse keepers elect a new chair
source: Black Sea Courier
date: 2025-08-02
---
The lighthouse keepers' union of Varna elected Mirela Dobreva as its chair on Saturday.

The union counted 417 members at the vote, Dobreva told the Black Sea Courier.
"""
NEW_QUESTION = "Who did the lighthouse keepers' union of Varna elect as its chair?"


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> Path:
    """A copy of the bundled articles, which a test adds an article to."""
    folder = tmp_path_factory.mktemp("worker-articles")
    shutil.copytree(BUNDLED, folder, dirs_exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def env(documents, tmp_path_factory) -> dict[str, str]:
    index_dir = tmp_path_factory.mktemp("worker-index")
    return server_env(index_dir, documents, NEWSBOT_WORKERS="2", NEWSBOT_RATE_LIMIT="off")


def started(env: dict[str, str], cwd: Path):
    server = Server(env, cwd)
    try:
        server.wait_ready(timeout=180)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def pooled(env, tmp_path_factory):
    """A two-worker server; it builds the index of the copy first, as `serve` does."""
    yield from started(env, tmp_path_factory.mktemp("pooled"))


@pytest.fixture(scope="module")
def limited(env, tmp_path_factory):
    """A two-worker server that takes three questions a minute from each client."""
    yield from started({**env, "NEWSBOT_RATE_LIMIT": "3/minute"}, tmp_path_factory.mktemp("limited"))


def workers_of(server: Server) -> list[int]:
    """The server's worker processes: its children started by multiprocessing's spawn."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if parent == server.process.pid and b"spawn_main" in command:
            found.append(int(stat.parent.name))
    return sorted(found)


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def ask(server: Server, question: str, timeout: float = 60) -> httpx.Response:
    return httpx.post(f"{server.url}/api/ask", json={"question": question}, timeout=timeout)


def at_once(count: int, call):
    """call() from count threads at once, so both workers answer."""
    with ThreadPoolExecutor(count) as threads:
        return list(threads.map(lambda _: call(), range(count)))


def test_answers_come_from_the_worker_processes(pooled):
    workers = workers_of(pooled)
    assert len(workers) == 2
    for pid in workers:
        os.kill(pid, signal.SIGSTOP)
    try:
        with pytest.raises(httpx.ReadTimeout):
            ask(pooled, QUESTION, timeout=3)
    finally:
        for pid in workers:
            os.kill(pid, signal.SIGCONT)
    for response in at_once(4, lambda: ask(pooled, QUESTION)):
        assert response.status_code == 200
        answer = response.json()
        assert answer["grounded"] and answer["citations"]
        assert markers(answer["answer"]) and markers(answer["answer"]) <= {c["id"] for c in answer["citations"]}
    claim = {"claim": "The first meeting in Belarus lasted two hours."}
    verdict = httpx.post(f"{pooled.url}/api/check", json=claim, timeout=60).json()
    assert verdict["verdict"] == "refuted" and verdict["evidence"]


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/api/ask", {"question": " \t "}, "the question is empty"),
        ("/api/ask", {"question": "q" * 2001}, "too long"),
        ("/api/check", {"claim": ""}, "the claim is empty"),
        ("/api/ask", {"question": "?"}, "the question has no words"),
        ("/api/check", {"claim": "🙂🙂 …"}, "the claim has no words"),
        ("/api/ask", {"question": 12}, "question: Input should be a valid string"),
    ],
)
def test_a_refusal_from_a_worker_is_a_422_with_its_message(pooled, path, body, message):
    response = httpx.post(pooled.url + path, json=body, timeout=60)
    assert response.status_code == 422
    assert set(response.json()) == {"error"}
    assert message in response.json()["error"]


def test_health_is_answered_by_a_worker(pooled):
    health = httpx.get(f"{pooled.url}/api/health", timeout=60).json()
    assert health["status"] == "ok" and health["documents"] == 5 and health["passages"] > 0


def test_a_rebuilt_index_reaches_every_worker(pooled, documents, env, tmp_path):
    def cites_new_article(response: httpx.Response) -> bool:
        citations = response.json()["citations"] if response.status_code == 200 else []
        return bool(citations) and citations[0]["source"] == "Black Sea Courier"

    workers = workers_of(pooled)
    assert not cites_new_article(ask(pooled, NEW_QUESTION))
    (documents / "005_varna.md").write_text(NEW_ARTICLE, encoding="utf-8")
    update = subprocess.run(
        [sys.executable, "-m", "bot", "index"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert update.returncode == 0, update.stderr
    assert eventually(lambda: cites_new_article(ask(pooled, NEW_QUESTION)), timeout=20)
    # From the first answer from the new version on, every answer, from either worker, is from it.
    assert all(cites_new_article(response) for response in at_once(8, lambda: ask(pooled, NEW_QUESTION)))
    assert "Mirela Dobreva" in ask(pooled, NEW_QUESTION).json()["answer"]
    assert httpx.get(f"{pooled.url}/api/health", timeout=60).json()["documents"] == 6
    assert workers_of(pooled) == workers, "the same workers switched; none was restarted"


def test_the_chat_answers_while_the_api_keeps_the_workers_busy(browser, pooled, outside_requests):  # noqa: F811
    stop = threading.Event()
    statuses: list[int] = []

    def keep_asking() -> None:
        with httpx.Client(base_url=pooled.url, timeout=60) as client:
            while not stop.is_set():
                statuses.append(client.post("/api/ask", json={"question": QUESTION}).status_code)

    askers = [threading.Thread(target=keep_asking) for _ in range(3)]
    for asker in askers:
        asker.start()
    try:
        page = chat_page_answering(browser, outside_requests, pooled.url, QUESTION)
    finally:
        stop.set()
        for asker in askers:
            asker.join()
    assert statuses and set(statuses) == {200}
    assert not page.errors
    assert outside_requests == []


def test_a_worker_that_dies_is_replaced(pooled):
    killed = workers_of(pooled)[0]
    os.kill(killed, signal.SIGKILL)
    for response in [ask(pooled, QUESTION, timeout=30) for _ in range(2)]:  # refused or answered, never hung
        assert response.status_code in (200, 503), response.text
        if response.status_code == 503:
            assert "a worker process stopped" in response.json()["error"]
    assert eventually(lambda: ask(pooled, QUESTION).status_code == 200, timeout=60)
    assert workers_of(pooled) and killed not in workers_of(pooled)


def test_ctrl_c_stops_the_server_and_its_workers(pooled):
    workers = workers_of(pooled)
    assert workers
    pooled.process.send_signal(signal.SIGINT)
    pooled.process.wait(timeout=30)
    assert eventually(lambda: not any(alive(pid) for pid in workers), timeout=15)


def test_the_rate_limit_counts_across_workers(limited):
    responses = sorted(at_once(4, lambda: ask(limited, QUESTION)), key=lambda r: r.status_code)
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert "too many requests" in responses[-1].json()["error"]
    assert httpx.get(f"{limited.url}/api/health", timeout=60).status_code == 200, "GETs are not counted"


def test_sigterm_stops_the_server_and_its_workers(limited):
    workers = workers_of(limited)
    assert len(workers) == 2
    limited.process.terminate()
    limited.process.wait(timeout=30)
    assert eventually(lambda: not any(alive(pid) for pid in workers), timeout=15)
