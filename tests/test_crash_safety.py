"""Crash-safe indexing: `newsbot index` killed at random points never harms the live index, and
a running `newsbot serve` keeps answering through an update, then answers from the new version."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from conftest import PLANTED_QUESTIONS, Server, eventually, server_env

from bot.core import Bot
from embeddings import build_index, live_version, load_index

pytestmark = pytest.mark.slow
KILLS = 5


def newsbot(*args: str, env: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "bot", *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def grow(folder: Path, articles: int) -> set[str]:
    """An update worth interrupting: new articles built from the folder's own sentences, one
    article changed and one removed. Returns the document ids the update should leave."""
    rng = random.Random(11)
    files = sorted(folder.iterdir())
    sentences = [s.strip() + "." for f in files for s in f.read_text().split(".") if len(s.split()) > 6]
    for n in range(articles):
        body = " ".join(rng.sample(sentences, 4)) + f" The review board met {n + 2} times in 2031."
        front = f"---\ntitle: Digest {n}\nsource: Wire\ndate: 2031-06-01\n---\n"
        (folder / f"digest-{n:03d}.md").write_text(front + body + "\n")
    files[0].write_text(files[0].read_text() + "\nThe committee will publish its report in 2032.\n")
    files[-1].unlink()
    return {path.stem for path in folder.iterdir()}


def test_killed_index_runs_never_harm_the_live_index(planted_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    build_index(planted_copy, index_dir, embedder=embedder)
    question = json.loads(PLANTED_QUESTIONS.read_text().splitlines()[0])["question"]
    before, answer_before = live_version(index_dir), Bot(load_index(index_dir), embedder).ask(question).to_dict()
    expected = grow(planted_copy, articles=30)
    env = server_env(index_dir, planted_copy)

    rehearsal = tmp_path / "rehearsal"
    shutil.copytree(index_dir, rehearsal)
    started = time.monotonic()
    assert newsbot("index", "--index-dir", str(rehearsal), env=env).wait() == 0
    full_run = time.monotonic() - started

    rng = random.Random(2031)
    for kill in range(KILLS):
        process = newsbot("index", env=env)
        if kill < 2:  # while the new version is being written, the moment that matters most
            writing = eventually(
                lambda p=process: list(index_dir.glob("tmp-*")) or p.poll() is not None, full_run * 3, interval=0.001
            )
            assert writing
            if process.poll() is not None:  # nothing left to do: a killed run had published
                assert live_version(index_dir) != before
            time.sleep(rng.random() * 0.02)
        else:
            time.sleep(full_run * (kill - 2 + rng.random()) / (KILLS - 2))  # anywhere in the run
        process.send_signal(signal.SIGKILL)
        process.wait()
        index = load_index(index_dir)
        if live_version(index_dir) == before:
            assert Bot(index, embedder).ask(question).to_dict() == answer_before
        else:  # killed after publishing: the new version must be whole
            assert set(index.documents) == expected

    assert newsbot("index", env=env).wait() == 0
    assert set(load_index(index_dir).documents) == expected
    assert not list(index_dir.glob("tmp-*")), "leftovers of killed runs are cleared"


def test_serve_answers_throughout_an_update_then_from_the_new_version(planted_copy, tmp_path):
    index_dir = tmp_path / "index"
    env = server_env(index_dir, planted_copy, NEWSBOT_RATE_LIMIT="off")
    server = Server(env, tmp_path)
    question = json.loads(PLANTED_QUESTIONS.read_text().splitlines()[0])["question"]
    results: list[tuple[int, bool]] = []
    stop = threading.Event()

    def keep_asking() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            while not stop.is_set():
                response = client.post("/api/ask", json={"question": question})
                results.append((response.status_code, response.json().get("grounded")))

    try:
        server.wait_ready()
        asker = threading.Thread(target=keep_asking)
        asker.start()
        expected = grow(planted_copy, articles=20)
        update = newsbot("index", env=env)
        assert update.wait() == 0, update.stderr.read()
        deadline = time.monotonic() + 60
        while httpx.get(server.url + "/api/health").json()["documents"] != len(expected):
            assert time.monotonic() < deadline, "the server never switched to the new version"
            time.sleep(0.5)
        stop.set()
        asker.join()
        answer = httpx.post(
            server.url + "/api/ask", json={"question": "How many times did the review board meet?"}, timeout=60
        )
        assert answer.json()["citations"][0]["doc_id"].startswith("digest-")
    finally:
        stop.set()
        server.stop()
    assert len(results) > 3
    assert all(status == 200 and grounded for status, grounded in results), results
