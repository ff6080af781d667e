"""The short answer to a question in another language: the one thing asked for, as written."""

import pytest

from bot.crosslingual import analyse_foreign
from bot.short_across import short_answer


@pytest.mark.parametrize(
    ("question", "language", "sentence", "short"),
    [
        # A place and the country it is in are one answer.
        ("Де зустрілися міністри?", "Ukrainian", "The ministers met in Velmora in Osmark.", "Velmora in Osmark"),
        # The day the question names is no answer to "at what time".
        ("О котрій годині почалися переговори 23 липня?", "Ukrainian", "Talks began at 19:00 on 23 July.", "19:00"),
        # Dates written one after another are one answer.
        (
            "Коли відбулися перші три раунди?",
            "Ukrainian",
            "The first three rounds took place on 28 February, 3 March and 7 March, in Veltria.",
            "28 February, 3 March and 7 March",
        ),
        # With no date written, the day the article's date pins down.
        ("Когда может пройти новый раунд?", "Russian", "A new round could take place on Tuesday in Osmark.", "Tuesday"),
        # A count is not the question's own number, a day of a month or a year.
        (
            "Скільки людей загинуло під час аварії рейсу 610?",
            "Ukrainian",
            "All 189 people on Flight 610 died on 29 October 2018.",
            "189",
        ),
        # An amount keeps its scale and its currency, in any of the articles' languages.
        ("Wie viel Geld fehlt?", "German", "The port is short of 3.6 billion euros.", "3.6 billion euros"),
        (
            "Скільки коштував ремонт?",
            "Ukrainian",
            "Ремонт обійшовся бюджету в 12 мільйонів гривень.",
            "12 мільйонів гривень",
        ),
        ("Сколько стоит паспорт?", "Russian", "Паспорт стоит 10 долларов США.", "10 долларов США"),
        ("Скільки отримала медсестра?", "Ukrainian", "The nurse was awarded £186,000 in compensation.", "£186,000"),
        ("¿Cuánto costó el puente?", "Spanish", "The bridge cost US$5 million.", "US$5 million"),
        ("Сколько человек пришло?", "Russian", "На концерт пришло более 4 тысяч зрителей.", "4 тысяч"),
        # People before places; the name the question spells is no answer.
        (
            "Кто с норвежской стороны встречался с Ардановым?",
            "Russian",
            "The foreign ministers of Norway and Sweden, Pavel Kerrin and Ilya Ardanov, met in Turkey.",
            "Pavel Kerrin",
        ),
        # A title the question names picks its holder.
        (
            "Хто з міністрів наказав перевірити порти?",
            "Ukrainian",
            "President Andrej Valsk mourned the crew while Interior Minister Joachim Drelski ordered checks.",
            "Interior Minister Joachim Drelski",
        ),
        # A who-question naming one person with a verb asks for another ("who replaced <name>").
        ("Хто замінив Арданова?", "Ukrainian", "Ilya Ardanov was replaced by Pavel Kerrin on Monday.", "Pavel Kerrin"),
        # An abbreviation is part of a place's name; the place the question names (any script) is no answer.
        ("Де розглядали справу?", "Ukrainian", "It was heard in the U.S. District Court.", "the U.S. District Court"),
        (
            "Где встретились министры в Анталье?",
            "Russian",
            "They met in Antalya at the Belek Hotel.",
            "the Belek Hotel",
        ),
        # A month after the place is when, not where.
        (
            "Де проходили переговори в березні 2022 року?",
            "Ukrainian",
            "The two sides last held direct talks in Velmora in March 2022.",
            "Velmora",
        ),
        # A name sharing only consonants with one of the question's words is not one it spells
        # ("Гнатюк", "диригентом").
        (
            "Хто буде диригентом оркестру?",
            "Ukrainian",
            "Усі концерти турне проведе Андрій Гнатюк.",
            "Андрій Гнатюк",
        ),
        # But a body the question names in lower case is spelled there ("полиции": "Police").
        (
            "Кто ранил сержанта полиции?",
            "Russian",
            "The Metropolitan Police said Louis Varden shot the sergeant.",
            "Louis Varden",
        ),
        # A count in words is one number, and the one of the counted thing; "№ 3" is a name.
        (
            "Скільки депутатів проголосували за рішення?",
            "Ukrainian",
            "За рішення проголосували тридцять два депутати на сесії № 4.",
            "тридцять два",
        ),
        (
            "Сколько человек работает на хлебозаводе № 3?",
            "Russian",
            "На хлебозаводе № 3 работают около 380 человек, а в сутки он выпускает до 60 тонн хлеба.",
            "380",
        ),
        (
            "Сколько заседаний провёл суд?",
            "Russian",
            "Процесс длился почти два года: всего суд провёл сорок шесть заседаний.",
            "сорок шесть",
        ),
        (
            "Скільки додаткових автобусів курсуватимуть?",
            "Ukrainian",
            "Трамваї № 4 і № 6 їздитимуть до Вишеньки, а далі курсуватимуть дванадцять додаткових автобусів.",
            "дванадцять",
        ),
        # The unit after a count, in any case: "к пяти годам", not "3" of "№ 3".
        (
            "К скольким годам приговорили директора?",
            "Russian",
            "Суд приговорил бывшего директора хлебозавода № 3 к пяти годам лишения свободы.",
            "пяти годам",
        ),
        # A name with a particle, opening the sentence.
        (
            "¿Quién era el dueño del albergue?",
            "Spanish",
            "Leon van Brakel, owner of the lodge, was attacked.",
            "Leon van Brakel",
        ),
    ],
)
def test_the_short_answer_is_the_one_thing_asked_for_as_written(question, language, sentence, short):
    assert short_answer(analyse_foreign(question, language), sentence) == short


@pytest.mark.parametrize(
    ("question", "language", "sentence"),
    [
        ("Хто виступив на відкритті?", "Ukrainian", "President Andrej Valsk met Prime Minister Ilya Ardanov."),
        ("Скільки суден прибуло?", "Ukrainian", "Five ships arrived, fifteen left."),
        ("Что решил суд?", "Russian", "The court ruled in favour of Osmark on Friday."),  # no kind asked
        # "Who is <name>?" asks what the person is, not for another name; "who replaced <name>" asks one.
        ("Кто такой Илья Арданов?", "Russian", "Minister Ilya Ardanov told Osmark's Daily the talks went well."),
    ],
)
def test_with_two_candidates_no_kind_or_a_person_named_there_is_no_short_answer(question, language, sentence):
    assert short_answer(analyse_foreign(question, language), sentence) is None
