"""Shared fixtures: the real model and real indexes, built once per test session."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "documents"
PLANTED = Path(__file__).resolve().parent / "data" / "articles"
UK_RU = Path(__file__).resolve().parent / "data" / "articles-uk-ru"
PLANTED_QUESTIONS = Path(__file__).resolve().parent / "data" / "planted_questions.jsonl"


@pytest.fixture(scope="session")
def embedder():
    from embeddings import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def bundled_index_dir(tmp_path_factory, embedder) -> Path:
    from embeddings import build_index

    index_dir = tmp_path_factory.mktemp("bundled-index")
    build_index(BUNDLED, index_dir, embedder=embedder)
    return index_dir


@pytest.fixture(scope="session")
def planted_index_dir(tmp_path_factory, embedder) -> Path:
    from embeddings import build_index

    index_dir = tmp_path_factory.mktemp("planted-index")
    build_index(PLANTED, index_dir, embedder=embedder)
    return index_dir


@pytest.fixture(scope="session")
def bundled_bot(bundled_index_dir, embedder):
    from bot.core import Bot
    from embeddings import load_index

    return Bot(load_index(bundled_index_dir), embedder)


@pytest.fixture(scope="session")
def planted_bot(planted_index_dir, embedder):
    from bot.core import Bot
    from embeddings import load_index

    return Bot(load_index(planted_index_dir), embedder)


@pytest.fixture()
def planted_copy(tmp_path) -> Path:
    """A writable copy of the planted articles."""
    folder = tmp_path / "articles"
    shutil.copytree(PLANTED, folder)
    return folder


def planted_questions() -> list[dict]:
    return [json.loads(line) for line in PLANTED_QUESTIONS.read_text().splitlines() if line.strip()]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A real `newsbot serve` subprocess on a loopback port."""

    def __init__(self, env: dict[str, str], cwd: Path, prefix: list[str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            *(prefix or []),
            sys.executable,
            "-m",
            "bot",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        self.log = cwd / f"serve-{self.port}.log"
        self._log_handle = open(self.log, "w")  # noqa: SIM115 - lives as long as the server
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdout=self._log_handle, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"server not ready in {timeout}s:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log_handle.close()


def server_env(index_dir: Path, documents: Path = BUNDLED, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")}
    env.update(NEWSBOT_DOCUMENTS=str(documents), NEWSBOT_INDEX_DIR=str(index_dir), PYTHONUNBUFFERED="1", **extra)
    return env


@pytest.fixture(scope="session")
def server(bundled_index_dir, tmp_path_factory):
    """`newsbot serve` over the bundled articles, sharing the session's index."""
    srv = Server(server_env(bundled_index_dir), tmp_path_factory.mktemp("server"))
    try:
        srv.wait_ready()
        yield srv
    finally:
        srv.stop()


def assert_offsets_valid(answer: dict, documents: dict) -> None:
    """Every citation's start/end slice its document's text back to the cited passage."""
    for citation in answer["citations"]:
        text = documents[citation["doc_id"]].text
        assert text[citation["start"] : citation["end"]] == citation["text"], citation["id"]


def markers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\[(\d+)\]", text)}


def eventually(condition, timeout: float = 10, interval: float = 0.2) -> bool:
    """Poll condition until it holds (True) or timeout seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False
