"""Every command answers from the folder it is given: each folder has its own default index, an
index built from another folder is refused, and a missing folder is an error."""

import json
import logging
import shutil

import httpx
import pytest
from click.testing import CliRunner
from conftest import PLANTED, PLANTED_QUESTIONS, Server, server_env

from bot.cli import cli
from embeddings import load_index

LIGHTHOUSE = """---
title: Volunteers restore the Port Ellery lighthouse
source: Coast Gazette
date: 2031-06-02
---
Volunteers of the Port Ellery Trust finished restoring the town's lighthouse on Saturday.

The restoration took three years and cost 1.2 million euros, most of it raised by the trust.
"""
PLANTED_EVAL = PLANTED_QUESTIONS.parent / "planted_eval.jsonl"
# Settings come from flags and the working folder alone, whatever the machine's environment says.
CLEAN_ENV = {"NEWSBOT_DOCUMENTS": None, "NEWSBOT_INDEX_DIR": None, "NEWSBOT_STORE": None}


@pytest.fixture()
def folders(tmp_path, monkeypatch):
    """Two folders of articles in a working folder of their own: the planted ones, and one
    article that none of them mentions."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(PLANTED, tmp_path / "planted")
    (tmp_path / "lighthouse").mkdir()
    (tmp_path / "lighthouse" / "lighthouse.md").write_text(LIGHTHOUSE)
    return tmp_path / "planted", tmp_path / "lighthouse"


def newsbot(*args: str):
    return CliRunner().invoke(cli, list(args), env=CLEAN_ENV)


def cited_documents(result) -> set[str]:
    assert result.exit_code == 0, result.output
    return {c["doc_id"] for c in json.loads(result.stdout)["citations"]}


def test_each_folder_answers_from_its_own_index(folders):
    planted, lighthouse = folders
    assert "Indexed 6 documents from" in newsbot("index", "--documents", str(planted)).output
    assert "Indexed 1 document from" in newsbot("index", "--documents", str(lighthouse)).output

    question = "Who restored the Port Ellery lighthouse?"
    from_lighthouse = newsbot("ask", "--json", "--documents", str(lighthouse), question)
    from_planted = newsbot("ask", "--json", "--documents", str(planted), question)

    assert cited_documents(from_lighthouse) == {"lighthouse"}
    assert cited_documents(from_planted) <= {p.stem for p in planted.iterdir()}
    assert json.loads(from_lighthouse.stdout)["grounded"] is True


@pytest.mark.parametrize(
    "command",
    [
        ["index"],
        ["ask", "Who?"],
        ["check", "The bridge opened."],
        ["serve", "--port", "0"],
        ["eval", "--no-naive", "--questions", str(PLANTED_EVAL)],
    ],
)
def test_a_missing_folder_is_an_error(folders, command):
    result = newsbot(*command, "--documents", "no-such-folder")
    assert result.exit_code == 1
    assert "documents folder no-such-folder does not exist" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["index"], ["ask", "Who?"]])
def test_a_file_is_not_a_folder(folders, command):
    article = folders[1] / "lighthouse.md"
    result = newsbot(*command, "--documents", str(article))
    assert result.exit_code == 1
    assert "is a file, not a folder" in result.output


def test_an_index_of_another_folder_is_refused(folders):
    planted, lighthouse = folders
    shared = folders[0].parent / "shared-index"
    assert newsbot("index", "--documents", str(planted), "--index-dir", str(shared)).exit_code == 0

    for command in (["ask", "Who restored it?"], ["index"], ["check", "The lighthouse was restored."]):
        result = newsbot(*command, "--documents", str(lighthouse), "--index-dir", str(shared))
        assert result.exit_code == 1, result.output
        message = result.output.strip().splitlines()[-1]
        assert f"built from {planted.resolve()}, not {lighthouse.resolve()}" in message
        assert "leave out --index-dir" in message
    assert set(load_index(shared).documents) == {p.stem for p in planted.iterdir()}


def test_each_model_has_its_own_default_index(tmp_path):
    """Switching models and back rebuilds nothing, and a server on one model is never handed an
    index of the other."""
    from bot.config import DEFAULT_MODEL, Settings
    from embeddings import DEFAULT_MODEL as BUNDLED

    assert DEFAULT_MODEL == BUNDLED
    default = Settings(documents=tmp_path).index_dir
    e5 = Settings(documents=tmp_path, model="multilingual-e5-small").index_dir
    local = Settings(documents=tmp_path, model="/models/my model/").index_dir
    assert len({default, e5, local}) == 3 and default.parent == e5.parent == local.parent
    assert e5.name == f"{default.name}-multilingual-e5-small" and local.name == f"{default.name}-models_my_model"
    given = Settings(documents=tmp_path, model="multilingual-e5-small", index_dir=tmp_path / "i")
    assert given.index_dir == tmp_path / "i"


def test_served_chat_answers_from_the_folder_it_is_given(folders, tmp_path):
    planted, lighthouse = folders
    newsbot("index", "--documents", str(planted))
    env = server_env(tmp_path / "unused", lighthouse)
    del env["NEWSBOT_INDEX_DIR"]  # the default: the folder's own index
    server = Server(env, tmp_path)
    try:
        server.wait_ready()
        assert httpx.get(f"{server.url}/api/health").json()["documents"] == 1
        assert "Answers from 1 news article (" in httpx.get(f"{server.url}/config").text
        question = {"question": "Who restored the lighthouse?"}
        answer = httpx.post(f"{server.url}/api/ask", json=question, timeout=60).json()
        assert {c["doc_id"] for c in answer["citations"]} == {"lighthouse"}
    finally:
        server.stop()


def test_serve_refuses_an_index_of_another_folder(folders, tmp_path):
    planted, lighthouse = folders
    shared = tmp_path / "shared-index"
    newsbot("index", "--documents", str(planted), "--index-dir", str(shared))
    server = Server(server_env(shared, lighthouse), tmp_path)
    try:
        with pytest.raises(RuntimeError, match="exited with 1"):
            server.wait_ready()
        assert f"was built from {planted.resolve()}" in server.log.read_text()
    finally:
        server.stop()


def test_a_folder_indexed_with_another_model_is_said_before_a_second_index_is_built(folders, caplog):
    _, lighthouse = folders
    built = newsbot("index", "--documents", str(lighthouse), "--model", "multilingual-e5-small")
    assert built.exit_code == 0, built.output
    question = "Who restored the Port Ellery lighthouse?"
    with caplog.at_level(logging.WARNING, logger="bot.core"):
        asked = newsbot("ask", "--documents", str(lighthouse), question)
    assert asked.exit_code == 0, asked.output
    assert "has one built with multilingual-e5-small" in caplog.text
    assert "NEWSBOT_MODEL=multilingual-e5-small" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bot.core"):
        assert newsbot("ask", "--documents", str(lighthouse), question).exit_code == 0
        assert (
            newsbot("ask", "--documents", str(lighthouse), "--model", "multilingual-e5-small", question).exit_code == 0
        )
    assert "NEWSBOT_MODEL" not in caplog.text  # each model's index is there now: nothing is built
