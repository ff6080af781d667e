"""Follow-up questions, dates read against publication dates, and time-aware answers."""

import datetime as dt

import pytest

from bot.conversation import Turn, is_follow_up, repeats, standalone
from embeddings.dates import resolve_dates

SATURDAY = dt.date(2025, 5, 17)


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("The talks took place on Friday.", SATURDAY, dt.date(2025, 5, 16)),
        ("Peskov told reporters on Saturday that a summit was possible.", SATURDAY, SATURDAY),
        ("The delegation is leaving today.", SATURDAY, SATURDAY),
        ("This may happen tomorrow, he added.", SATURDAY, dt.date(2025, 5, 18)),
        ("A new round could take place on Tuesday.", SATURDAY, dt.date(2025, 5, 20)),
        ("They met on Tuesday in Geneva.", SATURDAY, dt.date(2025, 5, 13)),
        ("On Friday officials said the virus may have killed two visitors.", SATURDAY, dt.date(2025, 5, 16)),
        ("The delegations agreed to meet on March 29-30.", dt.date(2022, 3, 28), dt.date(2022, 3, 29)),
        ("The first round took place on 28 February.", dt.date(2022, 3, 28), dt.date(2022, 2, 28)),
        # A past verb just before the day dates it, whatever the reported speech after it says.
        ("Trump told reporters on Monday that he would join the talks.", dt.date(2025, 5, 13), dt.date(2025, 5, 12)),
        ("Peskov said on Tuesday that a new round could follow.", SATURDAY, dt.date(2025, 5, 13)),
        ("The talks will be held on Monday.", SATURDAY, dt.date(2025, 5, 19)),
        ("On Monday, Zelensky will meet Erdogan.", SATURDAY, dt.date(2025, 5, 19)),
        # Else the verb just after it, whatever a later clause says.
        ("On Friday, Trump declared an emergency, claiming this would stem migration.", SATURDAY, dt.date(2025, 5, 16)),
        ("On Sunday, the port's military authorities reported 36 infections.", SATURDAY, dt.date(2025, 5, 11)),
        # ... or further on, past a long subject, before any later clause's future.
        (
            "On Wednesday, Carrie Lam, the chief executive of Hong Kong, announced that her government will "
            "withdraw the bill.",
            SATURDAY,
            dt.date(2025, 5, 14),
        ),
        # Else a sentence with no verb in the past, but for who said it, looks ahead.
        ("“Russia continues preparing for Thursday’s negotiations,” Peskov said.", SATURDAY, dt.date(2025, 5, 22)),
        ("“The talks took place on Friday,” Peskov said.", SATURDAY, dt.date(2025, 5, 16)),
        ("Forecasters predict landfall on Monday.", SATURDAY, dt.date(2025, 5, 19)),
        ("A former U.S. aide was sentenced in U.S. Federal Court on Wednesday.", SATURDAY, dt.date(2025, 5, 14)),
    ],
)
def test_relative_dates_are_read_against_the_publication_date(sentence, published, expected):
    assert [date for _, date in resolve_dates(sentence, published)] == [expected]


def test_each_sentence_of_a_quoted_pair_keeps_its_own_tense():
    pair = (
        "Peskov told reporters on Saturday that a summit would only happen after progress. "
        "His comments followed a meeting in Istanbul on Friday."
    )
    assert [date for _, date in resolve_dates(pair, SATURDAY)] == [SATURDAY, dt.date(2025, 5, 16)]


def test_a_day_in_the_possessive_is_dated_after_its_s():
    from bot.answer import with_dates

    said = with_dates("“Russia continues preparing for Thursday’s negotiations,” he said.", dt.date(2025, 5, 13))
    assert "Thursday’s (15 May 2025) negotiations" in said


def test_days_named_counts_written_and_meant_days():
    from embeddings import days_named

    text = "The treaty of August 30, 2019 was signed again on Friday."
    assert days_named(text, SATURDAY) == {dt.date(2019, 8, 30), dt.date(2025, 5, 16)}
    assert days_named(text, None) == {dt.date(2019, 8, 30)}


def test_undated_article_resolves_nothing():
    assert resolve_dates("They met on Friday.", None) == []


def test_follow_up_detection():
    assert is_follow_up("What did he say?") and is_follow_up("And where?") and is_follow_up("How long did it last?")
    assert is_follow_up("What about July 2025?") and is_follow_up("How did Moscow respond?")
    assert not is_follow_up("Who led the Veltrian delegation at the harbour talks?")
    assert not is_follow_up("Who is the Kremlin spokesman?")


def test_a_name_the_conversation_already_has_does_not_make_a_question_self_contained():
    context = "Whose convictions did the Supreme Court overturn in the bridge case?"
    assert is_follow_up("Which justice wrote the Court's opinion?", context)
    assert not is_follow_up("Which justice wrote the Court's opinion?")
    assert not is_follow_up("Which justice wrote the Cabinet's opinion?", context)


def test_a_follow_up_keeps_to_the_article_it_is_about(planted_bot):
    """ "When will it open?" after the harbour talks is about the accord, not the orchestra's
    concert that matches its words better; a follow-up whose words that article lacks may
    change the topic."""
    harbour = [Turn("user", "Who led the Veltrian delegation at the harbour talks?"), Turn("assistant", "Mara.")]
    answer = planted_bot.ask("When will it open?", harbour)
    assert {c.hit.document.doc_id for c in answer.citations} == {"harbour-accord"}, answer.text
    bridge = [Turn("user", "How much did the Carrow Bridge repairs cost?"), Turn("assistant", "120 million crowns.")]
    answer = planted_bot.ask("How many musicians?", bridge)
    assert answer.citations[0].hit.document.doc_id == "orchestra", answer.text


def test_self_contained_question_is_not_polluted():
    history = [Turn("user", "How much did the Carrow Bridge repairs cost?"), Turn("assistant", "120 million crowns.")]
    question = "Who led the field team that surveyed the Kessin ice field?"
    assert standalone(question, history) == (question, None)


def test_follow_up_carries_names_and_topic():
    history = [Turn("user", "Who led the Veltrian delegation?"), Turn("assistant", "Mara Okonkwo-Lind led it. [1]")]
    query, leaned_on = standalone("What did she tell reporters?", history)
    assert (
        "Mara Okonkwo-Lind" in query
        and "Veltrian delegation" in query
        and leaned_on == "Who led the Veltrian delegation?"
    )


def test_follow_up_is_answered_from_the_conversation(planted_bot):
    first = "Where were the harbour talks held?"
    answer = planted_bot.ask(first)
    history = [Turn("user", first), Turn("assistant", answer.text)]
    follow_up = planted_bot.ask("How long did they last?", history)
    assert follow_up.grounded and "nine hours" in follow_up.text


def test_a_follow_up_after_long_turns_is_answered_from_the_recent_ones_cut_to_length(planted_bot):
    """A client may send any history: the bot reads the last turns, each cut, and the reader
    takes a follow-up whose context alone outgrows its window (it once raised)."""
    from bot.core import CONTEXT_TURNS

    first = "Where were the harbour talks held? " + "Tell me about the harbour talks. " * 60
    history = [Turn("user", "Hello " * 3000), Turn("assistant", "Port Elling " * 3000)] * 10 + [Turn("user", first)]
    recent = planted_bot.recent(history)
    assert len(recent) == CONTEXT_TURNS and recent[-1].content == first
    assert max(len(t.content) for t in recent) <= 2 * planted_bot.max_question_chars
    follow_up = planted_bot.ask("How long did they last?", [Turn("user", first), Turn("assistant", "x " * 900)])
    assert follow_up.text


def test_a_new_question_that_looks_like_a_follow_up_does_not_get_the_last_answer_again(planted_bot):
    """Short and naming only what the conversation named, it reads as a follow-up; when leaning
    on the last turn only repeats the last answer, it is asked on its own."""
    first = "How did the Skarvik council vote on the car ban?"
    answer = planted_bot.ask(first)
    assert answer.grounded
    history = [Turn("user", first), Turn("assistant", answer.text)]
    question = "What is the population of Skarvik?"
    assert is_follow_up(question, " ".join(t.content for t in history))
    again = planted_bot.ask(question, history)
    assert not repeats(again.text, answer.text) and again.text == planted_bot.ask(question).text


def test_ellipsis_takes_the_new_time(planted_bot):
    first = "What did city engineer Dario Fenn say about the Carrow Bridge in 2029?"
    history = [Turn("user", first), Turn("assistant", planted_bot.ask(first).text)]
    answer = planted_bot.ask("What about 2031?", history)
    assert answer.grounded and answer.citations[0].hit.document.doc_id == "bridge-2031"


@pytest.mark.parametrize(("year", "doc"), [(2029, "bridge-2029"), (2031, "bridge-2031")])
def test_question_naming_a_year_is_answered_from_that_year(planted_bot, year, doc):
    answer = planted_bot.ask(f"What did city engineer Dario Fenn say about the Carrow Bridge in {year}?")
    assert answer.grounded
    assert {c.hit.document.doc_id for c in answer.citations} == {doc}


def test_question_naming_an_uncovered_time_is_declined(planted_bot):
    assert not planted_bot.ask("What did Dario Fenn say about the Carrow Bridge in 2035?").grounded


def test_changing_story_is_told_in_date_order(planted_bot):
    answer = planted_bot.ask("When does the Carrow Bridge reopen?")
    dates = [c.hit.document.date for c in answer.citations]
    assert len(set(dates)) == 2 and dates == sorted(dates)
    assert answer.text.index("15 January 2029") < answer.text.index("4 May 2031")


def test_relative_day_in_answer_gets_its_date(planted_bot):
    answer = planted_bot.ask("How long did the harbour talks in Port Elling last?")
    published = dt.date(2031, 6, 4)
    tuesday = published - dt.timedelta(days=(published.weekday() - 1) % 7 or 7)
    assert f"on Tuesday ({tuesday.day} {tuesday:%B %Y})" in answer.text


def test_follow_up_changing_the_entity_replaces_it_and_drops_the_old_answer():
    history = [
        Turn("user", "How long was the Carrow Bridge closed in 2029?"),
        Turn("assistant", "Eleven weeks. The Harwick Post reported that the bridge was closed for eleven weeks. [1]"),
    ]
    query, leaned_on = standalone("And what about the Osmark ferry?", history)
    assert leaned_on == history[0].content
    assert "Osmark" in query and "Carrow" not in query and "eleven" not in query.lower()
    assert "closed" in query and "2029" in query


def test_follow_up_changing_the_time_keeps_the_question_and_drops_the_old_answer():
    history = [
        Turn("user", "How long was the Carrow Bridge closed in 2029?"),
        Turn("assistant", "Eleven weeks. The Harwick Post reported that the bridge was closed for eleven weeks. [1]"),
    ]
    query, _ = standalone("And in 2031?", history)
    assert "2031" in query and "2029" not in query and "eleven" not in query.lower()
    assert "Carrow Bridge closed" in query


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("28 March 2022", dt.date(2022, 3, 28)),
        ("March 28th, 2022", dt.date(2022, 3, 28)),
        ("Sept. 3, 2019", dt.date(2019, 9, 3)),
        ("2022-03-28", dt.date(2022, 3, 28)),
        ("3 Mar 2022", dt.date(2022, 3, 3)),
    ],
)
def test_common_written_dates_are_read_without_dateparser(monkeypatch, written, day):
    from embeddings import dates

    def slow(text):
        raise AssertionError(f"dateparser asked for {text!r}")

    monkeypatch.setattr(dates, "_dateparser_date", slow)
    assert dates.parse_date(written) == day
