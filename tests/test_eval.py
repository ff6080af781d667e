"""`newsbot eval` and the SQuAD benchmark run end to end on small data."""

import json
import subprocess
import sys

from click.testing import CliRunner
from conftest import PLANTED, ROOT

from bot.cli import cli
from bot.evaluate import fact_found, has_junk, load_questions

QUESTIONS = ROOT / "tests" / "eval" / "questions.jsonl"
PLANTED_EVAL = ROOT / "tests" / "data" / "planted_eval.jsonl"


def test_question_set_meets_its_brief():
    items = load_questions(QUESTIONS)
    kinds = [item.kind for item in items]
    assert len(items) >= 80
    assert kinds.count("unanswerable") >= 12 and kinds.count("conversation") >= 10 and kinds.count("claim") >= 20
    assert {item.label for item in items if item.kind == "claim"} == {"supported", "refuted", "not_enough_info"}
    assert all(1 <= len(item.facts) <= 3 and item.gold for item in items if item.kind not in ("unanswerable", "claim"))
    assert {item.split for item in items} == {"dev", "test"}


def test_facts_of_every_item_are_in_its_gold_articles(bundled_bot):
    documents = bundled_bot.index.documents
    for item in load_questions(QUESTIONS):
        for fact in item.facts:
            assert any(fact_found(fact, documents[doc].text) for doc in item.gold), (item.id, fact)


def test_fact_matching_and_junk_detection():
    assert fact_found("five hours|5 hours", "It lasted  Five\nhours.")
    assert fact_found("Russia's", "Russia’s chief negotiator")
    assert not fact_found("two-hour", "a five-hour meeting")
    assert has_junk("Support Us") and has_junk("text\n16:07\nmore") and not has_junk("The talks lasted two hours.")


def test_eval_reports_every_measure_for_both_pipelines(tmp_path):
    args = [
        "eval",
        "--questions",
        str(PLANTED_EVAL),
        "--documents",
        str(PLANTED),
        "--index-dir",
        str(tmp_path / "ix"),
        "--json",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["items"] == 5 and set(report["measures"]) == {"newsbot", "naive"}
    ours, naive = report["measures"]["newsbot"], report["measures"]["naive"]
    assert ours["doc_hit@1"] == 1.0 and ours["answer_accuracy"] == 1.0 and ours["abstained_when_unanswerable"] == 1.0
    assert naive["abstained_when_unanswerable"] == 0.0
    assert ours["claim_accuracy"] == 1.0 and ours["supported_when_refuted"] == 0 and naive["claim_accuracy"] is None
    assert ours["junk_citations"] == 0 and naive["junk_citations"] > 0
    assert ours["latency_p50_ms"] > 0


def test_eval_split_selects_items(tmp_path):
    args = ["eval", "--questions", str(PLANTED_EVAL), "--documents", str(PLANTED), "--index-dir", str(tmp_path / "ix")]
    result = CliRunner().invoke(cli, [*args, "--split", "test", "--no-naive"])
    assert result.exit_code == 0, result.output
    assert "2 items (split: test)" in result.stdout and "| doc_hit@1 |" in result.stdout


def test_squad_benchmark_runs_on_a_small_file(tmp_path):
    data = {"version": "v2.0", "data": []}
    facts = [
        (
            "Harbours",
            "The harbour of Port Elling was dredged in 1911 by the Osmark Navy.",
            "Who dredged the harbour of Port Elling?",
            "the Osmark Navy",
        ),
        (
            "Glaciers",
            "The Kessin ice field lost 21 percent of its area between 2010 and 2030.",
            "How much area did the Kessin ice field lose?",
            "21 percent",
        ),
        (
            "Music",
            "The Lumen Youth Orchestra has 64 musicians and tours every spring.",
            "How many musicians does the Lumen Youth Orchestra have?",
            "64",
        ),
    ]
    for title, context, question, answer in facts:
        qa = {
            "question": question,
            "id": title,
            "answers": [{"text": answer, "answer_start": context.index(answer)}],
            "is_impossible": False,
        }
        data["data"].append({"title": title, "paragraphs": [{"context": context, "qas": [qa]}]})
    unanswerable = {"question": "Who conducts the orchestra?", "id": "u", "answers": [], "is_impossible": True}
    data["data"][-1]["paragraphs"][0]["qas"].append(unanswerable)
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(data))
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "squad.py"), str(path), "--json", "--first-article", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    rows = {row["pipeline"]: row for row in json.loads(result.stdout)}
    assert rows["newsbot"]["recall@1"] == 1.0 and rows["newsbot"]["answer contains gold"] == 1.0
    assert set(rows) == {"newsbot", "naive llama-index"}
    assert rows["newsbot"]["short answer F1"] > 0 and rows["naive llama-index"]["unanswerable abstained"] == 0.0


def test_junk_is_page_furniture_not_a_word_that_contains_it():
    assert has_junk("УКР | ENG") and has_junk("Subscribe to our newsletter")
    assert not has_junk("Оркестр дасть 12 концертів у дев'яти містах України.")
