"""The multilingual embedding models behind the embedder interface: real models, from their wheels."""

import json
from pathlib import Path

import numpy as np
import pytest

from embeddings import make_embedder

MODELS = ["multilingual-e5-small", "use-multilingual-v3"]
ANSWER = "Rustem Umerov, the Secretary of the National Security and Defence Council, heads Ukraine's delegation."
OTHER = "The ferry timetable changes in spring, with two more crossings on Saturdays."


@pytest.fixture(scope="module", params=MODELS)
def multilingual(request):
    return make_embedder(request.param)


def test_a_model_is_picked_by_its_name_and_says_what_it_is(multilingual):
    vectors = multilingual.embed_texts([ANSWER, OTHER, ""])
    assert vectors.shape == (3, multilingual.dimension)
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-3)
    assert multilingual.model_id in MODELS


@pytest.mark.parametrize(
    "question",
    [
        "Хто очолює українську делегацію?",
        "Кто возглавляет украинскую делегацию?",
        "Wer leitet die ukrainische Delegation?",
        "¿Quién encabeza la delegación ucraniana?",
    ],
)
def test_a_question_in_another_language_finds_the_english_sentence_that_answers_it(multilingual, question):
    answer, other = multilingual.embed_texts([ANSWER, OTHER])
    vector = multilingual.embed_query(question)
    assert vector.shape == (multilingual.dimension,)
    assert float(vector @ answer) > float(vector @ other) + 0.05


def test_progress_is_reported_per_batch(multilingual):
    seen = []
    multilingual.embed_texts([OTHER] * 70, on_batch=seen.append)
    assert sum(seen) == 70 and len(seen) >= 2


ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS, EVAL = ROOT / "documents", ROOT / "tests" / "eval"
KINDS = {"who", "when", "number", "factual", "multi", "temporal", "unanswerable", "conversation", "claim"}
DEV_ARTICLES = {"000_a72c090eb7402965", "002_6985288c84105579", "004_0eff58235e7e9c8e"}


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_the_blind_question_sets_quote_their_articles_and_split_by_article(language):
    items = [json.loads(line) for line in (EVAL / f"questions_{language}.jsonl").read_text().splitlines()]
    articles = {p.stem: " ".join(p.read_text(encoding="utf-8").split()) for p in DOCUMENTS.glob("*.txt")}
    assert len(items) >= 40 and {i["kind"] for i in items} == KINDS
    assert sum(i["kind"] == "unanswerable" for i in items) >= 8
    for item in items:
        for fact in item["facts"]:
            assert any(f in articles[g] for f in fact.split("|") for g in item["gold"]), (item["id"], fact)
        if item["gold"] and item["kind"] != "unanswerable":
            expected = "dev" if set(item["gold"]) <= DEV_ARTICLES else "test"
            assert item["split"] == expected, item["id"]
