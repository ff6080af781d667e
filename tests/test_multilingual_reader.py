"""The reader fitted over multilingual-e5-small, for questions in other languages, and how the
cross-language answer uses it."""

import pytest

# A planted sentence and questions asking for its date, its count and its place, in four languages.
SENTENCE = "The second round of talks opened in Istanbul on 2 June, with 14 members in each delegation."
OTHER = "The ferry timetable changes in spring, with two more crossings on Saturdays."
ASKED = {
    "Коли розпочався другий раунд переговорів?": "2 June",
    "Сколько членов было в каждой делегации?": "14",
    "¿En qué ciudad se abrió la segunda ronda de conversaciones?": "Istanbul",
    "Wann begann die zweite Verhandlungsrunde?": "2 June",
}


@pytest.mark.parametrize(("question", "answer"), ASKED.items())
def test_the_reader_points_at_the_answer_in_an_english_sentence(question, answer):
    from bot.reader import e5_reader

    reader = e5_reader()
    assert reader is not None
    read = reader.read(question, SENTENCE)
    assert answer in read.text and len(read.text) < len(SENTENCE) / 2
    assert read.margin > reader.read(question, OTHER).margin


def test_the_reader_records_its_data_and_split():
    import json

    from safetensors import safe_open

    from bot.reader import adapter_path

    with safe_open(str(adapter_path("multilingual-e5-small")), framework="numpy") as stored:
        fitted = json.loads(stored.metadata()["fitted"])
    assert fitted["model"] == "multilingual-e5-small" and fitted["script"] == "benchmarks/fit_reader.py"
    assert "SQuAD 2.0" in fitted["data"] and fitted["train_articles"] == [1, 12]
    assert fitted["news_languages"] == "uk,ru" and "1st, 3rd, 5th" in fitted["news_train"]


def _candidates(sentences: list[str], scores: list[float]):
    """Scored sentences of one planted article, as bot/crosslingual.py ranks them."""
    from types import SimpleNamespace

    from bot.crosslingual import Scored

    text = " ".join(sentences)
    hit = SimpleNamespace(document=SimpleNamespace(text=text))
    spans, start = [], 0
    for sentence in sentences:
        spans.append((start, start + len(sentence)))
        start += len(sentence) + 1
    return [Scored(hit, (span,), score, {}) for span, score in zip(spans, scores, strict=True)]


def test_a_close_call_is_read_and_a_clear_best_is_not():
    from dataclasses import replace

    from bot.crosslingual import cross_model, reread
    from bot.reader import e5_reader

    model = cross_model("multilingual-e5-small")
    assert model is not None and model.reread_weights["Russian"] > 0
    near_miss = "The delegations met in Istanbul for the second round of talks."
    question = "Сколько членов было в каждой делегации?"
    close = _candidates([near_miss, SENTENCE, OTHER], [0.52, 0.5, 0.1])
    read = reread(question, "Russian", close, e5_reader(), model)
    assert read[0].text == SENTENCE and read[0].score == 0.5  # reordered; the scores stay the scorer's
    clear = _candidates([near_miss, SENTENCE, OTHER], [0.9, 0.2, 0.1])
    assert reread(question, "Russian", clear, e5_reader(), model)[0].text == near_miss
    assert reread(question, "Russian", close, e5_reader(), replace(model, reread_weights={}))[0].text == near_miss


def test_of_several_things_of_the_asked_kind_the_reader_picks_the_one_it_clearly_reads():
    from bot.crosslingual import analyse_foreign
    from bot.reader import e5_reader
    from bot.short_across import short_answer

    question = analyse_foreign("Скільки членів було в кожній делегації?", "Ukrainian")
    sentence = "The 3 delegations met for 2 days, with 14 members in each delegation."
    assert short_answer(question, sentence) is None, "the rules alone cannot tell three counts apart"
    assert short_answer(question, sentence, e5_reader()) == "14"


def test_the_reader_picks_none_where_it_reads_no_answer():
    from bot.crosslingual import analyse_foreign
    from bot.reader import e5_reader
    from bot.short_across import short_answer

    question = analyse_foreign("Хто виступив на відкритті?", "Ukrainian")  # who spoke at the opening
    assert short_answer(question, "President Andrej Valsk met Prime Minister Ilya Ardanov.", e5_reader()) is None


def test_the_best_answer_within_a_span_is_scored_as_the_reader_reads_it():
    from bot.reader import e5_reader

    reader = e5_reader()
    assert reader is not None
    question = "Сколько членов было в каждой делегации?"
    whole, date = reader.margins_within(
        question, SENTENCE, [(0, len(SENTENCE)), (SENTENCE.index("2 June"), SENTENCE.index(","))]
    )
    assert whole >= reader.read(question, SENTENCE).margin - 1e-4 > date, "the count reads above the date"


# A planted Ukrainian sentence that answers, and a near miss with the question's words but not its answer.
ASKED_IN_ITS_SCRIPT = {
    "Скільки коштує квиток на концерт оркестру?": (
        "Квиток на концерт оркестру коштує 250 гривень.",
        "Оркестр дасть концерт у філармонії в суботу ввечері.",
    ),
    "Кто будет руководить новой школой?": (
        "Новой школой будет руководить Анна Петренко, учитель математики.",
        "Новая школа откроется в сентябре на улице Лесной.",
    ),
}


@pytest.mark.parametrize(("question", "sentences"), ASKED_IN_ITS_SCRIPT.items())
def test_a_sentence_in_the_question_script_answers_only_if_the_reader_finds_the_answer(question, sentences):
    from bot.crosslingual import read_as_answer
    from bot.reader import e5_reader

    answer, near_miss = _candidates(list(sentences), [0.9, 0.9])
    assert read_as_answer(question, answer, e5_reader())
    assert not read_as_answer(question, near_miss, e5_reader())
    assert read_as_answer(question, near_miss, None)  # no reader: the calibration alone decides
