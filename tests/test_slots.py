"""A claim's numbers and names aligned with a sentence by the fitted reader, whatever the wording."""

import pytest

from bot.slots import name_conflict, number_conflict, numbers_agree


@pytest.mark.parametrize(
    ("claim", "sentence", "said"),
    [
        (
            "Twenty-six states joined the lawsuit against the new border rule.",
            "Sixteen states sued the government to stop the new border rule.",
            "Sixteen",
        ),
        (
            "The new law permits terminations up to 24 weeks of pregnancy.",
            "The law legalised terminations up to week 22 of a pregnancy.",
            "22",
        ),
    ],
)
def test_another_number_in_the_claims_place_conflicts(claim, sentence, said):
    conflict = number_conflict(claim, sentence)
    assert conflict is not None and said in conflict[0]


def test_the_same_duration_in_another_unit_does_not_conflict():
    claim = "The judge gave Paul Varga a sentence of just over six years in prison."
    sentence = "Paul Varga was sentenced by the judge to 73 months in prison."
    assert number_conflict(claim, sentence) is None
    assert numbers_agree(claim, sentence)


def test_numbers_written_out_agree_with_digits():
    claim = "Each of the five girls who died in the fire was 15 years old."
    sentence = "The fire killed five girls, all aged fifteen, at an escape room."
    assert numbers_agree(claim, sentence)


def test_a_year_or_day_the_sentence_lacks_blocks_agreement():
    claim = "The council approved 40 new buses on 8 February 2019."
    assert not numbers_agree(claim, "The council approved 40 new buses.")


def test_a_number_with_nothing_counted_after_it_is_not_asked():
    claim = "The storm caused about $7 billion in damage."
    assert number_conflict(claim, "An earlier storm claimed about 3,000 lives.") is None
    assert not numbers_agree(claim, "An earlier storm claimed about 3,000 lives.")


def test_another_name_in_the_claims_place_conflicts():
    claim = "The charity renamed its rescue ship at a ceremony held in Lisbon."
    sentence = "The charity gave its rescue ship the new name at a ceremony in the port of Valletta on Sunday."
    conflict = name_conflict(claim, sentence)
    assert conflict is not None and "Valletta" in conflict[0] and conflict[1] == "Lisbon"


def test_a_name_the_sentence_or_its_passage_holds_is_not_asked():
    claim = "The charity renamed its rescue ship at a ceremony held in Lisbon."
    sentence = "The charity gave its rescue ship the new name at a ceremony in the port of Valletta on Sunday."
    assert name_conflict(claim, sentence, around="The ship sailed from Lisbon to Valletta.") is None
    assert name_conflict(claim, "The ceremony in Lisbon renamed the charity's rescue ship.") is None
