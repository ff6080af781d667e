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
    2: "два дві двох двом двома две двух двум двумя zwei dos",
    3: "три трьох трьом трьома трёх трех трём трем тремя drei tres",
    4: "чотири чотирьох чотирьом чотирма четыре четырёх четырех четырём четырем четырьмя vier cuatro",
    5: "п'ять п'яти п'ятьох п'ятьма пять пяти пятью fünf cinco",
    6: "шість шести шістьох шістьма шесть шестью sechs seis",
    7: "сім семи сімох сімома семь sieben siete",  # not "семью" (a family) nor "сьома" (seventh)
    8: "вісім восьми вісьмох вісьмома восемь восемью acht ocho",
    9: "дев'ять дев'яти дев'ятьох дев'ятьма девять девяти девятью neun nueve",
    10: "десять десяти десятьох десятьма десятью zehn diez",
    11: "одинадцять одинадцяти одиннадцать одиннадцати elf",
    12: "dozen дванадцять дванадцяти двенадцать двенадцати zwölf doce",
    13: "тринадцять тринадцяти тринадцать тринадцати dreizehn trece",
    14: "чотирнадцять чотирнадцяти четырнадцать четырнадцати vierzehn catorce",
    15: "fifteen п'ятнадцять п'ятнадцяти пятнадцать пятнадцати fünfzehn quince",
    16: "шістнадцять шістнадцяти шестнадцать шестнадцати sechzehn dieciséis",
    17: "сімнадцять сімнадцяти семнадцать семнадцати siebzehn diecisiete",
    18: "вісімнадцять вісімнадцяти восемнадцать восемнадцати achtzehn dieciocho",
    19: "дев'ятнадцять дев'ятнадцяти девятнадцать девятнадцати neunzehn diecinueve",
    20: "двадцять двадцяти двадцать двадцати zwanzig veinte",
    30: "тридцять тридцяти тридцать тридцати dreißig treinta",
    40: "сорок сорока vierzig cuarenta",
    50: "п'ятдесят п'ятдесяти пятьдесят пятидесяти fünfzig cincuenta",
    60: "шістдесят шістдесяти шестьдесят шестидесяти sechzig sesenta",
    70: "сімдесят сімдесяти семьдесят семидесяти siebzig setenta",
    80: "вісімдесят вісімдесяти восемьдесят восьмидесяти achtzig ochenta",
    90: "дев'яносто девяносто neunzig noventa",
    100: "сто hundert cien",
    200: "двісті двохсот двести двухсот",
    300: "триста трьохсот трёхсот трехсот",
    400: "чотириста чотирьохсот четыреста четырёхсот",
    500: "п'ятсот п'ятисот пятьсот пятисот",
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
CYRILLIC_TIME_UNITS = {  # and their plurals' other cases ("к пяти годам", "за двома тижнями")
    "day": "день дні днів дня дней дни доба доби діб сутки суток дням днями днях",
    "week": "тиждень тижні тижнів тижня неделя недели недель неделю тижням тижнями неделям неделями",
    "month": "місяць місяці місяців місяця месяц месяца месяцев місяцям місяцями месяцам месяцами",
    "year": "рік роки років год года лет рокам роками годам годами",
    "hour": "година години годин годину час часа часов годинам годинами часам часами",
    "minute": "хвилина хвилини хвилин хвилину минута минуты минут минуту хвилинам хвилинами минутам минутами",
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
