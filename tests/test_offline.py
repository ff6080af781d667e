"""The default path works with the network unplugged: no download, no call home.

Every process runs with a socket guard that refuses and records outside connections; the
`ask` run also gets a network namespace with no interfaces (unshare) where the kernel allows.
The server runs with the guard alone, since the test must reach it over loopback.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from conftest import BUNDLED, Server, server_env

GUARD = Path(__file__).resolve().parent / "offline"
OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")


def _namespace_prefix() -> list[str]:
    unshare = shutil.which("unshare")
    if not unshare:
        return []
    probe = subprocess.run([unshare, "-rn", "true"], capture_output=True)
    return [unshare, "-rn"] if probe.returncode == 0 else []


@pytest.fixture()
def offline_env(tmp_path):
    env = server_env(tmp_path / "fresh-index", BUNDLED)
    for name in OFFLINE_VARIABLES:
        env.pop(name, None)  # the program itself must keep the hub libraries offline
    env["PYTHONPATH"] = os.pathsep.join([str(GUARD), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["NEWSBOT_TEST_NETWORK_LOG"] = str(tmp_path / "network.log")
    env["HOME"] = str(tmp_path / "home")  # no caches from earlier runs
    return env


def attempts(env) -> str:
    log = Path(env["NEWSBOT_TEST_NETWORK_LOG"])
    return log.read_text() if log.exists() else ""


@pytest.mark.slow
def test_index_and_ask_offline_from_scratch(offline_env, tmp_path):
    command = [
        *_namespace_prefix(),
        sys.executable,
        "-m",
        "bot",
        "ask",
        "--json",
        "How long did the first meeting in Belarus last?",
    ]
    result = subprocess.run(command, env=offline_env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["grounded"] and answer["citations"]
    # The fitted scorer and verdict model ship inside the package: a fact check loads them too.
    claim = [*command[:-3], "check", "--json", "The first meeting in Belarus lasted five hours."]
    result = subprocess.run(claim, env=offline_env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["verdict"] in ("supported", "refuted", "not_enough_info")
    assert attempts(offline_env) == ""


@pytest.mark.slow
def test_serve_offline(offline_env, tmp_path):
    server = Server(offline_env, tmp_path)
    try:
        server.wait_ready(timeout=180)
        page = httpx.get(server.url + "/", timeout=30)
        assert page.status_code == 200
        response = httpx.post(
            server.url + "/api/ask", json={"question": "Who mediated the talks in May 2025?"}, timeout=60
        )
        assert response.status_code == 200 and response.json()["citations"]
    finally:
        server.stop()
    assert attempts(offline_env) == "", server.log.read_text()


def test_guard_refuses_and_records_outside_connections(offline_env, tmp_path):
    """The guard is really active in child processes (it resolves nothing, sends nothing)."""
    probe = (
        "import socket\ntry:\n    socket.getaddrinfo('example.invalid', 80)\nexcept OSError as e:\n    print('refused')"
    )
    result = subprocess.run([sys.executable, "-c", probe], env=offline_env, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "refused"
    assert "example.invalid" in attempts(offline_env)


@pytest.mark.slow
def test_a_question_in_ukrainian_with_the_multilingual_model_is_answered_offline(offline_env, tmp_path):
    """multilingual-e5-small's weights, babel's dates, simplemma's lemmas: all from the packages."""
    offline_env["NEWSBOT_MODEL"] = "multilingual-e5-small"
    question = "Скільки тривала перша зустріч делегацій у Білорусі?"
    command = [*_namespace_prefix(), sys.executable, "-m", "bot", "ask", "--json", question]
    result = subprocess.run(command, env=offline_env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)["answer"]
    assert "Видання " in answer or answer.startswith("У статтях"), answer
    assert attempts(offline_env) == ""
