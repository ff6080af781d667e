"""Answers over real indexes: planted facts found and cited, unanswerable questions declined."""

from dataclasses import replace

import pytest
from conftest import assert_offsets_valid, markers, planted_questions

from bot.core import BadQuestion
from bot.ranking import Candidate
from embeddings import search

ANSWERABLE = [q for q in planted_questions() if not q.get("unanswerable")]
UNANSWERABLE = [q for q in planted_questions() if q.get("unanswerable")]


@pytest.mark.parametrize("item", ANSWERABLE, ids=lambda q: q["question"])
def test_planted_fact_is_answered_and_cited(planted_bot, item):
    answer = planted_bot.ask(item["question"])
    assert answer.grounded
    for fact in item["facts"]:
        assert fact in answer.text
    assert answer.citations[0].hit.document.doc_id == item["doc"]


@pytest.mark.parametrize("item", UNANSWERABLE, ids=lambda q: q["question"])
def test_unanswerable_question_is_declined_with_nearest_passages(planted_bot, item):
    answer = planted_bot.ask(item["question"])
    assert not answer.grounded
    assert answer.text.startswith("The articles don't say.")
    assert answer.citations, "the nearest passages are still shown"


@pytest.mark.parametrize("item", planted_questions(), ids=lambda q: q["question"])
def test_markers_match_citations_and_offsets_slice_back(planted_bot, item):
    answer = planted_bot.ask(item["question"]).to_dict()
    assert markers(answer["answer"]) == {c["id"] for c in answer["citations"]}
    assert [c["id"] for c in answer["citations"]] == list(range(1, len(answer["citations"]) + 1))
    assert_offsets_valid(answer, planted_bot.index.documents)


@pytest.mark.parametrize("question", ["Who?", "Why?", "And where?", "What is it?"])
def test_a_question_naming_nothing_is_declined_unless_it_follows_a_turn(planted_bot, question):
    from bot.conversation import Turn

    answer = planted_bot.ask(question)
    assert not answer.grounded and not answer.citations
    assert "names nothing" in answer.text
    first = "Where were the harbour talks held?"
    leaning = planted_bot.ask(question, [Turn("user", first), Turn("assistant", planted_bot.ask(first).text)])
    assert "names nothing" not in leaning.text


def test_highlighted_sentences_lie_inside_their_passage(planted_bot):
    for item in ANSWERABLE:
        for citation in planted_bot.ask(item["question"]).citations:
            passage = citation.hit.passage
            assert citation.highlights
            assert all(span in passage.sentences for span in citation.highlights)


def test_answer_attributes_outlet_and_date(planted_bot):
    answer = planted_bot.ask("How long was the Carrow Bridge closed?")
    first = answer.citations[0].hit.document
    short = answer.short_answer or ""
    lead = f"{short[:1].upper()}{short[1:]}. " if short else ""
    assert answer.text.startswith(f"{lead}{first.source} reported on {first.date.day} {first.date:%B %Y} that ")


@pytest.mark.parametrize("item", ANSWERABLE, ids=lambda q: q["question"])
def test_answer_leads_with_the_short_answer_from_the_cited_sentence(planted_bot, item):
    answer = planted_bot.ask(item["question"])
    assert answer.short_answer, "a question that asks for one thing (not yes / no) gets a short answer"
    lead = answer.short_answer[:1].upper() + answer.short_answer[1:]
    assert answer.text.startswith(lead), "the answer opens with the short answer, capitalised"
    highlighted = " ".join(answer.citations[0].hit.document.text[s:e] for s, e in answer.citations[0].highlights)
    assert answer.short_answer in highlighted, "the short answer is taken as written from the cited sentence"
    assert any(fact in answer.short_answer or answer.short_answer in fact for fact in item["facts"])
    assert len(answer.text.split()) <= 60


def test_yes_no_questions_have_no_short_answer(planted_bot):
    assert planted_bot.ask("Did the Skarvik council vote for the car ban?").short_answer is None


def test_open_and_unanswered_questions_have_no_short_answer(planted_bot):
    for item in UNANSWERABLE:
        assert planted_bot.ask(item["question"]).short_answer is None


def test_answers_stay_short(planted_bot):
    for item in ANSWERABLE:
        answer = planted_bot.ask(item["question"])
        assert len(markers(answer.text)) <= 3 and answer.text.count(" [") <= 3


def test_hits_carry_document_metadata(planted_bot, embedder):
    query = "Where does the orchestra tour open?"
    hits = search(planted_bot.index, query, embedder.embed_query(query), k=3)
    assert hits[0].document.source == "Valley Courier"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.parametrize("question", ["", "   \n\t ", "x" * 2001, 42])
def test_bad_questions_are_refused(planted_bot, question):
    with pytest.raises(BadQuestion):
        planted_bot.ask(question)


@pytest.mark.parametrize(
    ("sentence", "opening"),
    [("US officials met.", "US officials"), ("A gunman fled.", "a gunman"), ("I agree, she said.", "I agree")],
)
def test_an_acronym_opening_a_quoted_sentence_keeps_its_capitals(planted_bot, sentence, opening):
    from dataclasses import replace

    from bot.answer import attribute

    candidate = planted_bot.ask("Who led the Veltrian delegation?").citations[0]
    hit = replace(candidate.hit, document=replace(candidate.hit.document, text=sentence))
    quoted = Candidate(hit, ((0, len(sentence)),), 1.0, 1.0, 1.0, 1.0)
    assert f"reported on 4 June 2031 that {opening}" in attribute(quoted, name_source=True)


def test_an_ordinary_word_after_reported_that_is_lower_case(planted_bot, bundled_bot):
    """ "… reported on 2 May 2031 that construction is due …", not "that Construction": a word the
    article itself writes in lower case is an ordinary word; names keep their capital."""
    import re

    from conftest import BUNDLED

    examples = (BUNDLED / ".newsbot-examples").read_text().splitlines()
    asked = [(planted_bot, q["question"]) for q in planted_questions()]
    asked += [(bundled_bot, q) for q in examples if q.strip() and not q.startswith("#")]
    checked = 0
    for bot, question in asked:
        answer = bot.ask(question)
        for citation in answer.citations:
            text = citation.hit.document.text
            for word in re.findall(
                rf"{re.escape(citation.hit.document.source)} reported on [^.]*? that (\w+)", answer.text
            ):
                checked += 1
                written_lower = re.search(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", text)
                assert not (word[0].isupper() and written_lower), f"{question!r}: 'that {word}'"
    assert checked >= 10


def test_every_mark_on_the_timeline_has_its_line_in_the_legend(planted_bot):
    """A filled dot is an article's publication day, a ring a day its cited sentence speaks of;
    the legend under the line explains each, in date order."""
    import html
    import re

    from bot.citations import SPOKEN_OF, sources_html

    spoken_of = 0
    for item in planted_questions():
        page = html.unescape(sources_html(planted_bot.ask(item["question"])))
        marks = re.findall(r'<span class="nb-(dot|event)" style="[^"]*" title="([^"]*)"', page)
        legend = re.findall(r'<li class="nb-legend-(dot|event)">([^<]*)</li>', page)
        assert sorted(marks) == sorted(legend), item["question"]
        # A day spoken of names the citations that speak of it: "29 Mar 2022 · spoken of [2]".
        assert all(re.search(rf"{SPOKEN_OF['en']} (\[\d+\] ?)+$", label) for kind, label in legend if kind == "event")
        spoken_of += sum(kind == "event" for kind, _ in legend)
    assert spoken_of, "some planted answer speaks of a day other than its article's"


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        ("The shooting took place in the Tsuen Wan district.", "in the T"),
        ("The delegations met in Istanbul.", "in I"),
        ("The summit moved to the Hague.", "to the H"),
    ],
)
def test_a_place_after_the_counts_as_answering_where(sentence, place):
    from bot.question import analyse
    from bot.ranking import typed_spans

    question = analyse("Where did it happen?")
    assert question.kind == "where"
    assert [m.group() for m in typed_spans(question, sentence)] == [place]


@pytest.mark.parametrize(
    ("opening", "rest", "ordinary"),
    [
        ("Speaking", "in the Legislative Council, Lam was interrupted.", True),
        ("Sixty-six", "people were injured.", True),
        ("Lam", "was interrupted.", False),  # the article writes "Carrie Lam" mid-sentence
        ("Hong", "Kong police said so.", False),  # opens a run of capitals: a name
        ("Putin", "said so.", False),  # no English word
        ("The", "Kremlin said so.", True),
    ],
)
def test_an_english_word_opening_a_quoted_sentence_is_lower_cased_unless_the_article_names_with_it(
    opening, rest, ordinary
):
    from bot.answer import _ordinary_word

    article = "Chief Executive Carrie Lam spoke. Speaking later, Lam left. Sixty-six were hurt. Hong Kong is calm."
    assert _ordinary_word(opening, article, rest) is ordinary


@pytest.mark.parametrize("grounded", [True, False])
def test_a_cited_headline_is_shown_marked_and_a_nearest_passage_shows_none(planted_bot, grounded):
    """A declined question's nearest passages are shown unmarked: a headline left in would run
    into the first sentence ("… для пішоходів У п'ятницю …"), with no mark to tell them apart."""
    from bot.citations import format_terminal, sources_html
    from bot.results import Answer, Citation

    hit = planted_bot.ask("How long did the harbour talks in Port Elling last?").citations[0].hit
    first = next(p for p in planted_bot.index.passages if p.doc_id == hit.document.doc_id and p.seq == 0)
    title = " ".join(hit.document.title.split())
    assert first.text.startswith(title)
    headline = Citation(1, replace(hit, passage=first), ((first.start, first.start + len(title)),))
    answer = Answer("…", grounded, (headline,))
    quoted = sources_html(answer).split("<blockquote>")[1]
    assert (f"<mark>{title}</mark>" in quoted) == grounded and (title in quoted) == grounded
    assert (title in format_terminal(answer).split(hit.document.url or title, 1)[1]) == grounded


def test_a_part_of_a_question_the_articles_do_not_answer_is_named(planted_bot):
    answer = planted_bot.ask("Who led the Veltrian delegation, and how much did a ferry ticket to Port Elling cost?")
    assert answer.grounded and "Okonkwo-Lind" in answer.text, answer.text
    assert answer.text.endswith("Not found in the articles: “how much did a ferry ticket to Port Elling cost”.")


def test_a_passage_is_shown_without_the_headline_its_source_line_already_gives(planted_bot):
    """An article's first passage opens with its headline; shown, it ran into the first sentence
    ("… graduation party Early Saturday morning"). It stays where it is the cited sentence."""
    from bot.citations import passage_pieces

    opening = 0
    for item in planted_questions():
        for citation in planted_bot.ask(item["question"]).citations:
            title = " ".join(citation.hit.document.title.split())
            if citation.hit.passage.seq != 0 or not citation.hit.passage.text.startswith(title):
                continue
            opening += 1
            shown = " ".join(text for text, _ in passage_pieces(citation))
            cited = any(start < citation.hit.passage.start + len(title) for start, _ in citation.highlights)
            assert shown.startswith(title) == cited, (item["question"], shown[:80])
    assert opening, "some planted answer cites an article's first passage"


def _bot_over(tmp_path, embedder, article: str):
    """A bot over one article written for the test."""
    from bot.core import Bot
    from embeddings import build_index, load_index

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "article.md").write_text(article, encoding="utf-8")
    build_index(folder, tmp_path / "index", embedder=embedder)
    return Bot(load_index(tmp_path / "index"), embedder)


EARNINGS = "\n\n".join(
    [
        "---\ntitle: Korvana profit falls 9% as ferry bookings slow\nsource: Harbour Business\ndate: 2031-02-20\n---",
        "Korvana Lines, the ferry operator, reported on Thursday that its net profit fell 9 per cent in the fourth "
        "quarter, as bookings from tour groups slowed.",
        "Net profit for the three months to December fell to 41 million crowns. Revenue rose 2 per cent.",
        "Korvana shares fell 5.1 per cent in Port Elling after the results were published.\n",
    ]
)


def test_an_answer_does_not_tell_again_in_its_headline_what_its_sentences_tell(tmp_path, embedder):
    answer = _bot_over(tmp_path, embedder, EARNINGS).ask("Why did Korvana's profit fall?")
    assert answer.grounded and "bookings from tour groups slowed" in answer.text
    assert "as ferry bookings slow" not in answer.text


MATCH = "\n\n".join(
    [
        "---\ntitle: Osmark Rovers reach the cup final\nsource: Harbour Sport\ndate: 2031-04-06\n---",
        "Osmark Rovers reached the final of the Harbour Cup for the first time in 22 years after beating Elling "
        "Town 3-1 at Wembury Park on Saturday.",
        "Striker Ilya Brandt scored twice, in the 12th and 67th minutes, and midfielder Pavel Kerrin added the "
        "third goal in stoppage time.",
        "Elling's only goal came from a penalty by captain Joachim Drelski in the 54th minute, after goalkeeper "
        "Sam Whitlock brought down Jordan Pike in the area.",
        "A crowd of 18,450 watched the semi-final, a record for the ground.\n",
    ]
)


def test_a_short_second_part_is_answered_from_the_first_parts_sentence(tmp_path, embedder):
    """ "… and in which minute?" asks when the goal the first part found was scored."""
    answer = _bot_over(tmp_path, embedder, MATCH).ask("Who scored Elling's goal and in which minute?")
    assert answer.short_answer is not None and "Drelski" in answer.short_answer
    assert "54th" in answer.short_answer and "67th" not in answer.short_answer


@pytest.mark.parametrize(
    ("question", "unmentioned"),
    [
        ("How much did the net profit of Brevik Lines fall?", "“Brevik Lines”"),  # another company
        ("How much did the net profit of Korvanna Lines fall?", None),  # the same name, spelled otherwise
    ],
)
def test_a_name_no_article_mentions_is_said_so(tmp_path, embedder, question, unmentioned):
    answer = _bot_over(tmp_path, embedder, EARNINGS).ask(question)
    if unmentioned:
        assert not answer.grounded and f"No article mentions {unmentioned}." in answer.text
    else:
        assert answer.grounded and "No article mentions" not in answer.text
