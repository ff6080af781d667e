"""Words and patterns shared by question analysis, ranking, answers and fact checks."""

from __future__ import annotations

import re

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Number words as a regex alternation, for spotting counts written out.
NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    "hundred|thousand|million|billion|dozen|several|once|twice"
)
NUMBER_VALUES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "once": 1, "twice": 2,
}  # fmt: skip
# Number words of the other languages claims may be in (and English ones NUMBER_VALUES lacks),
# for comparing counts across languages ("дві години" against "five hours").
FOREIGN_NUMBER_WORDS = {
    2: "два дві двох двом двома две двух zwei dos",
    3: "три трьох трьом трёх трех drei tres",
    4: "чотири чотирьох четыре четырёх четырех vier cuatro",
    5: "п'ять п'яти п'ятьох пять пяти fünf cinco",
    6: "шість шести шістьох шесть sechs seis",
    7: "сім семи семь sieben siete",
    8: "вісім восьми восемь acht ocho",
    9: "дев'ять дев'яти девять девяти neun nueve",
    10: "десять десяти zehn diez",
    12: "dozen дванадцять двенадцать zwölf doce",
    15: "fifteen п'ятнадцять пятнадцать fünfzehn quince",
    20: "двадцять двадцяти двадцать двадцати zwanzig veinte",
    30: "тридцять тридцяти тридцать тридцати dreißig treinta",
    40: "сорок сорока vierzig cuarenta",
    50: "п'ятдесят п'ятдесяти пятьдесят пятидесяти fünfzig cincuenta",
    100: "сто hundert cien",
    1000: "thousand тисяча тисячі тисяч тысяча тысячи тысяч tausend mil",
}
# The Cyrillic ones, and "several" and "one and a half": a count a Ukrainian or Russian article
# writes in words ("на сім років", "сорок два учасники"); any apostrophe a Ukrainian one is typed with.
CYRILLIC_NUMBER_WORDS = (
    "|".join(
        word.replace("'", "['’ʼ]")
        for words in FOREIGN_NUMBER_WORDS.values()
        for word in words.split()
        if re.match("[а-яёіїєґ]", word)
    )
    + "|кілька|декілька|несколько|півтора|полтора"
)
# Units of time as Ukrainian and Russian write them after a count ("три роки", "пять лет",
# "двох тижнів"): a duration. "року" and "году" are left out: "2025 року" is a date.
CYRILLIC_TIME_UNITS = {
    "day": "день дні днів дня дней дни доба доби діб сутки суток",
    "week": "тиждень тижні тижнів тижня неделя недели недель неделю",
    "month": "місяць місяці місяців місяця месяц месяца месяцев",
    "year": "рік роки років год года лет",
    "hour": "година години годин годину час часа часов",
    "minute": "хвилина хвилини хвилин хвилину минута минуты минут минуту",
}
# One is left out: "one", "один", "ein", "uno" are as often "a" or "alone"; so is "once", which
# is Spanish for eleven.
NUMBER_WORD_VALUES = {word: value for word, value in NUMBER_VALUES.items() if value != 1} | {
    word: value for value, words in FOREIGN_NUMBER_WORDS.items() for word in words.split()
}
RELATIVE_TIME = re.compile(
    rf"\b({'|'.join(WEEKDAYS)}|today|tomorrow|yesterday|"
    r"(last|next|this) (week|month|year|spring|summer|autumn|winter))\b",
    re.I,
)
# A capital letter in the scripts newsbot reads (Latin, Cyrillic).
CAPITAL = "A-ZА-ЯЁІЇЄҐ"
# A proper name: capitalised words in a row ("Rustem Umierov", "Port Elling", "Оксана Дмитренко").
NAME = re.compile(rf"\b[{CAPITAL}][\w'’-]+(?:\s+[{CAPITAL}][\w'’-]+)*")
# Months as Ukrainian and Russian dates write them ("3 травня", "28 марта").
CYRILLIC_MONTHS = (
    "січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня|"
    "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
)


def plural(count: int, noun: str) -> str:
    """'1 document', '5 documents' (nouns with a plain -s plural)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# Winning and losing, in the languages questions may be in ("перемогла" against "програла"). Who won
# is not told by word order in every language, and "Shakhtar lost to Dynamo" says what "Dynamo
# beat Shakhtar" does: opposite outcomes only keep a sentence from supporting the claim.
WON = re.compile(
    r"\b(?:won|wins?|winning|beat|beats|beating|defeated|(?:перемог|переміг|виграв|виграл|победил|выиграл|одержал"
    r"|gewann|gewonnen|gewinnt|besiegt|siegte|ganó|ganaron|venció|derrotó)\w*)\b",
    re.IGNORECASE,
)
LOST = re.compile(r"\b(?:lost|lose|loses|losing|(?:програ|проигра|verlor|verliert|perdi|pierde)\w*)\b", re.IGNORECASE)


def outcome_of(text: str) -> int:
    """+1 a text says someone won, -1 that someone lost, 0 neither or both."""
    return int(bool(WON.search(text))) - int(bool(LOST.search(text)))
