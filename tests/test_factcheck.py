"""Fact checks over the planted articles (never used to develop the checker's rules)."""

import json

import httpx
import pytest
from click.testing import CliRunner
from conftest import BUNDLED, ROOT

from bot.cli import cli

CLAIMS = [json.loads(line) for line in (ROOT / "tests" / "data" / "planted_claims.jsonl").read_text().splitlines()]
EVIDENCE_KEYS = {"id", "doc_id", "title", "source", "date", "url", "text", "start", "end", "score", "stance"}


@pytest.mark.parametrize("item", CLAIMS, ids=lambda c: c["claim"])
def test_planted_claim_verdict(planted_bot, item):
    verdict = planted_bot.check(item["claim"])
    assert verdict.label == item["label"], verdict.explanation
    stances = {e.stance for e in verdict.evidence}
    if item["label"] == "supported":
        assert "supports" in stances
    if item["label"] == "refuted":
        assert "contradicts" in stances


def test_refutation_names_the_mismatch(planted_bot):
    verdict = planted_bot.check("The harbour talks in Port Elling lasted three hours.")
    assert "“nine hours”, not “three hours”" in verdict.explanation
    assert planted_bot.check("Fishing quotas were a subject of the harbour talks.").explanation.count("opposite") == 1


def test_a_duration_in_another_unit_is_compared(planted_bot):
    verdict = planted_bot.check("The harbour talks in Port Elling were over within 45 minutes.")
    assert verdict.label == "refuted" and "“nine hours”, not “45 minutes”" in verdict.explanation


def test_verdict_model_is_shipped_with_its_split_and_held_out_figures():
    from bot.factcheck import LABELS, VERDICT_FEATURES, verdict_model

    model = verdict_model()
    assert set(model.weights) == set(LABELS) and all(set(w) == set(VERDICT_FEATURES) for w in model.weights.values())
    assert "by-article" in model.fitted["split"] and model.fitted["held_out"]["squad"]["claims"] > 100
    assert 1 / len(LABELS) < model.supported_threshold <= 1
    probabilities = model.probabilities(dict.fromkeys(VERDICT_FEATURES, 0.0))
    assert abs(sum(probabilities.values()) - 1) < 1e-9


def test_a_claimed_day_must_be_the_day_the_evidence_means(planted_bot):
    """The accord was signed "on Tuesday" in a Wednesday 4 June 2031 paper: 3 June. A claim of
    that day is supported; a claim of another day is not, although every word else matches."""
    right = planted_bot.check("Veltria and Osmark signed a harbour accord in Port Elling on 3 June 2031.")
    assert right.label == "supported", right.explanation
    wrong = planted_bot.check("Veltria and Osmark signed a harbour accord in Port Elling on 1 June 2031.")
    assert wrong.label != "supported", wrong.explanation


def test_supported_evidence_contains_the_claims_facts(planted_bot):
    verdict = planted_bot.check("The Kessin ice field lost 21 percent of its area.")
    supporting = [e for e in verdict.evidence if e.stance == "supports"]
    assert supporting and "21 percent" in supporting[0].citation.hit.passage.text


def test_check_json_prints_the_api_object(bundled_index_dir):
    env = {"NEWSBOT_INDEX_DIR": str(bundled_index_dir), "NEWSBOT_DOCUMENTS": str(BUNDLED)}
    result = CliRunner().invoke(cli, ["check", "--json", "Russia accepted the 30-day ceasefire."], env=env)
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.stdout)
    assert set(verdict) == {"verdict", "explanation", "evidence"} and verdict["verdict"] == "refuted"
    assert all(set(e) == EVIDENCE_KEYS for e in verdict["evidence"])
    # The refusal refers back to the ceasefire ("Moscow rejected this"): the two are quoted together.
    assert "rejected this" in verdict["explanation"] and "30-day ceasefire" in verdict["explanation"]


def test_check_plain_output_and_bad_claim(bundled_index_dir):
    env = {"NEWSBOT_INDEX_DIR": str(bundled_index_dir), "NEWSBOT_DOCUMENTS": str(BUNDLED)}
    result = CliRunner().invoke(cli, ["check", "China offered to host the next round of talks."], env=env)
    assert result.exit_code == 0 and result.stdout.startswith("NOT ENOUGH INFO")
    result = CliRunner().invoke(cli, ["check", "  "], env=env)
    assert result.exit_code == 2 and "Error: the claim is empty" in result.output


@pytest.mark.slow
def test_served_check_over_http(server):
    response = httpx.post(
        f"{server.url}/api/check", json={"claim": "The first meeting in Belarus lasted two hours."}, timeout=30
    )
    assert response.status_code == 200
    verdict = response.json()
    assert verdict["verdict"] == "refuted" and "five hours" in verdict["explanation"]
    assert verdict["evidence"][0]["stance"] == "contradicts"
    bad = httpx.post(f"{server.url}/api/check", json={"claim": 7}, timeout=10)
    assert bad.status_code == 422 and "claim" in bad.json()["error"]


@pytest.mark.slow
def test_served_check_through_gradio_client(server):
    from gradio_client import Client

    client = Client(server.url + "/", verbose=False)
    assert (
        client.predict("Rustem Umierov heads Ukraine's delegation for the July 2025 talks.", api_name="/check_json")[
            "verdict"
        ]
        == "supported"
    )
    html = client.predict("Russia accepted the 30-day ceasefire.", api_name="/check")
    assert "nb-verdict nb-refuted" in html and "nb-timeline" in html


@pytest.mark.parametrize(
    ("claim", "swapped"),
    [
        ("Shakhtar Donetsk defeated Dynamo Kyiv 3-1.", True),
        ("Dynamo Kyiv defeated Shakhtar Donetsk 3-1.", False),
        ("Shakhtar Donetsk was defeated by Dynamo Kyiv.", False),  # passive: the order turns round
        ("Dynamo Kyiv and Shakhtar Donetsk met on Saturday.", False),  # nothing done by one to the other
    ],
)
@pytest.mark.parametrize(
    "sentence",
    [
        "Dynamo Kyiv defeated Shakhtar Donetsk 3-1 on Saturday at the Olympic Stadium in Kyiv.",
        "Dynamo Kyiv reached the final of the Ukrainian Cup for the first time in years after they defeated Shakhtar.",
    ],
)
def test_a_claim_with_the_roles_swapped_is_not_held_by_the_sentence(claim, swapped, sentence):
    from bot.factcheck import _roles_swapped

    assert _roles_swapped(claim, sentence) is swapped


@pytest.mark.parametrize(
    ("claim", "sentence", "said"),
    [
        ("Councillors voted 31 to 14 in favour.", "Councillors voted 27 to 18 in favour after a debate.", "“27”"),
        ("Priya Raman was awarded £86,000.", "Raman was awarded £186,000 in compensation.", "“£186,000”"),
        ("The council approved it by 27 votes to 18.", "Councillors voted 27 to 18 in favour.", None),
        ("He was sentenced on February 8, 2019.", "Sentencing is scheduled for February 4.", None),  # a day: a time
        # a duration of another scale is of something else; an ordinal is no count
        ("The meeting lasted three hours.", "They have not met since 2019, more than two years before.", None),
        ("The meeting lasted three hours.", "The meeting lasted two days.", "“two days”"),
        ("Lindqvist scored three goals.", "Lindqvist scored, and Mensah added the third goal.", None),
    ],
)
def test_a_number_is_compared_with_one_of_the_same_thing_and_scale(claim, sentence, said):
    from bot.factcheck import _mismatch

    mismatch = _mismatch(claim, sentence)
    assert (mismatch[0] if mismatch else None) == said


def test_a_supporting_sentence_holds_the_claims_numbers_however_it_counts_them():
    from bot.factcheck import _numbers_present

    assert _numbers_present("The council approved it by 27 votes to 18.", "Councillors voted 27 to 18 in favour.")
    assert not _numbers_present("Councillors voted 31 to 14 in favour.", "Councillors voted 27 to 18 in favour.")
    assert not _numbers_present("Raman was awarded £86,000.", "Raman was awarded £186,000.")


def test_rising_against_falling_is_the_opposite():
    from bot.factcheck import _opposite_polarity

    assert _opposite_polarity("Veltrix net profit rose 12 per cent.", "Veltrix net profit fell 12 per cent.")
    assert not _opposite_polarity("Veltrix net profit fell 12 per cent.", "Its net profit fell 12% in the quarter.")


def test_un_makes_the_opposite_of_a_claims_word():
    from bot.factcheck import _opposite_polarity

    assert _opposite_polarity("Priya Raman was fairly dismissed.", "The trust unfairly dismissed Priya Raman.")
    assert not _opposite_polarity("Raman was unfairly dismissed.", "The trust unfairly dismissed Priya Raman.")
    assert not _opposite_polarity("The talks were held under pressure.", "The talks were held under pressure.")


@pytest.mark.parametrize(
    ("claim", "reversed_"),
    [
        ("Ashford Rovers lost the semi-final to Millbrook United.", True),
        ("Millbrook United lost the semi-final to Ashford Rovers.", False),  # the same, the other way round
        ("Ashford Rovers beat Millbrook United.", False),
    ],
)
def test_the_opposite_outcome_with_the_names_in_the_same_order_says_the_opposite(claim, reversed_):
    from bot.factcheck import _outcome_reversed

    sentence = "Ashford Rovers reached the final for the first time in 22 years after beating Millbrook United 3-1."
    assert _outcome_reversed(claim, sentence) is reversed_


def test_a_claim_dated_in_another_year_of_the_same_month_is_refuted(bundled_bot):
    """The sentence is "about another time" than the claim names, which is what makes it wrong."""
    verdict = bundled_bot.check("Putin and Zelensky have not met since December 2021.")
    assert verdict.label == "refuted" and "“December 2019”, not “December 2021”" in verdict.explanation
    assert bundled_bot.check("Putin and Zelensky have not met since December 2019.").label == "supported"
