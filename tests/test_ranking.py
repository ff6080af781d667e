"""The fitted sentence scorer: shipped as data, loaded offline, recording what it was fitted on."""

import json
from importlib import resources

import numpy as np

from bot.ranking import FEATURES, rank_sentences, ranker


def test_shipped_model_records_its_data_and_split_by_article():
    data = json.loads(resources.files("bot.models").joinpath("ranker.json").read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES)
    fitted = data["fitted"]
    assert fitted["script"] == "benchmarks/fit.py"
    fit, calibration = set(fitted["squad_fit_articles"]), set(fitted["squad_calibration_articles"])
    assert len(fit) == 12 and len(calibration) == 6 and not fit & calibration
    assert "19-35" in fitted["squad_kept_for_measurement"]
    assert 0 < data["threshold"] < 1


def test_an_embedding_model_with_its_own_fit_is_scored_by_it_and_any_other_by_the_default():
    """Cosines are features, and each model has its own scale of them: multilingual-e5-small
    ships its own scorer and verdict model; a model without one falls back to the default's."""
    from bot.factcheck import verdict_model

    own, default = ranker("multilingual-e5-small"), ranker()
    assert own.fitted["embedding_model"] == "multilingual-e5-small"
    assert default.fitted["embedding_model"] == "all-MiniLM-L6-v2"
    assert own.weights != default.weights
    assert ranker("use-multilingual-v3") == default
    assert verdict_model("multilingual-e5-small").fitted["embedding_model"] == "multilingual-e5-small"
    assert verdict_model("use-multilingual-v3") == verdict_model()


def test_scores_are_probabilities_and_rank_the_candidates(planted_bot):
    found = planted_bot.retrieve("How long did the harbour talks in Port Elling last?")
    candidates = rank_sentences(found.question, found.hits, found.index, found.query_vector)
    scores = [c.score for c in candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)
    assert set(candidates[0].features) == set(FEATURES)
    model = ranker()
    assert np.allclose(model.probabilities([c.features for c in candidates]), scores)
    assert 0 <= model.confidence(candidates[0]) <= 1


def test_reader_decides_close_calls_between_the_two_best(planted_bot):
    """The shipped reread rule: chosen on the calibration split, recorded, and it lets a
    sentence the reader is sure answers overtake a slightly better-scored one, never a far one."""
    from dataclasses import replace

    from bot.ranking import close_call, reread_order

    model = ranker()
    figures = model.fitted["reread_on_calibration"]
    assert figures["right_after_reread"] >= figures["first_right"] and figures["questions"] > 100
    assert model.reread["weight"] > 0 and model.reread["gap"] > 0
    found = planted_bot.retrieve("How long did the harbour talks in Port Elling last?")
    first, second = rank_sentences(found.question, found.hits, found.index, found.query_vector)[:2]
    near = replace(second, score=first.score * 0.99)
    assert close_call(model, first, near) and reread_order(model, first, near, (-5.0, 5.0))
    assert not reread_order(model, first, near, (5.0, -5.0))
    far = replace(second, score=1e-4)
    assert not close_call(model, first, far)


def test_the_readers_doubt_about_the_best_sentence_lowers_the_confidence(planted_bot):
    """With the reader's margin in the calibration, a sentence the reader finds no answer in is
    trusted less than the same sentence read as answering; without it, the margin is ignored."""
    from dataclasses import replace

    found = planted_bot.retrieve("How long did the harbour talks in Port Elling last?")
    best = rank_sentences(found.question, found.hits, found.index, found.query_vector)[0]
    plain = ranker()
    read = replace(plain, calibration=plain.calibration | {"reader": 0.5})
    assert read.reads_best
    assert read.confidence(best, -4.0) < read.confidence(best, 0.0) < read.confidence(best, 4.0)
    without = replace(plain, calibration={k: v for k, v in plain.calibration.items() if k != "reader"})
    assert without.confidence(best, -4.0) == without.confidence(best, 4.0) == without.confidence(best)
