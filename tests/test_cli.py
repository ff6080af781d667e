"""The CLI in process: exact JSON contract, clear errors, index summary."""

import json

import pytest
from click.testing import CliRunner
from conftest import BUNDLED

from bot.cli import cli

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
    assert set(answer) == {"answer", "grounded", "citations"}
    assert answer["grounded"] is True
    assert "Umierov" in answer["answer"]
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


def test_invalid_setting_names_the_variable(env):
    result = CliRunner().invoke(cli, ["ask", "Who?"], env={**env, "NEWSBOT_TOP_K": "many"})
    assert result.exit_code == 2
    assert "NEWSBOT_TOP_K" in result.output


def test_index_prints_summary_and_skipped_files(planted_copy, tmp_path):
    (planted_copy / "scan.pdf").write_bytes(b"%PDF")
    result = CliRunner().invoke(cli, ["index", "--documents", str(planted_copy), "--index-dir", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert "Indexed 6 documents" in result.output
    assert "Skipped scan.pdf: unsupported file type .pdf" in result.output


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
    assert len(answers) == 2 and "Umierov" in answers[0]["answer"]
    assert answers[1]["grounded"] and "National Security and Defence Council" in answers[1]["answer"]
