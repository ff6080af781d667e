"""Names across languages and alphabets: capitalised words transliterated to Latin letters and
compared by sound ("Умєров" is "Umierov", "Мединського" is "Medinsky"), and the names a sentence
holds that a question does not (who it may be asking for)."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from anyascii import anyascii

from bot.lexicon import MONTHS, WEEKDAYS
from bot.question import Question
from bot.ranking import ANSWER_TYPES

_CAPITALISED = re.compile(r"(?<![\w'’-])[^\W\d_][\w'’-]*")
_CALENDAR = frozenset(MONTHS + WEEKDAYS)
MIN_NAME = 4  # letters, transliterated, for a capitalised word to count as a name
NAME_SHARE = 0.5
_VOWELS = re.compile(r"[aeiouy]")
# CLDR (and so babel) names Turkey "Türkiye"; English news mostly still writes "Turkey".
_ENGLISH_ALSO = {"Türkiye": ("Turkey",)}


def names_in(text: str, skip_first: bool) -> set[str]:
    """The capitalised words of a text, transliterated to lower-case Latin letters."""
    words = [m.group() for m in _CAPITALISED.finditer(text) if m.group()[0].isupper()]
    if skip_first and words and text.lstrip().startswith(words[0]):
        words = words[1:]
    return {written for written in map(latin, words) if len(written) >= MIN_NAME}


def names_in_sentences(text: str) -> set[str]:
    """The names of a text of several sentences (a conversation's turns), each sentence's first
    word aside: "Що її не варто очікувати." names no one."""
    return set().union(*(names_in(sentence, skip_first=True) for sentence in _SENTENCE_END.split(text)))


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def latin(word: str) -> str:
    return re.sub(r"[^a-z]", "", anyascii(word).lower())


def alike(a: str, b: str, consonants: bool = True) -> bool:
    """Are two transliterated words the same name in two spellings (Умєров ~ Umierov, Пєсков ~
    Peskov, Мединського ~ Medinsky, Трамп ~ Trump, Адамовича ~ Adamowicz)? Half the shorter
    one's letter triples are shared, or (with consonants) half those of their consonants (vowels
    are what transliteration changes most), once both are written by sound."""
    a, b = _by_sound(a), _by_sound(b)
    # Three consonants alone say too little (Kremlin's "krm" is Crimea's).
    return _share_triples(a, b) or consonants and _share_triples(_VOWELS.sub("", a), _VOWELS.sub("", b), least=2)


# Spellings of one sound across the Latin alphabets and the transliteration of Cyrillic, applied
# in order: Polish "cz" and German "sch" as Cyrillic's "ч" and "ш" come out (Adamowicz ~
# Adamovich, Scholz ~ Shol'ts), "х" as "kh" for an "h" (Warholm ~ Varkhol'm), "c" by its sound.
_SOUNDS = (
    (r"shch|sch", "sh"),
    (r"tch|cz", "ch"),
    (r"d?zh", "j"),
    (r"kh|ch(?=[rl])", "h"),
    (r"ph", "f"),
    (r"tz|ts", "z"),
    (r"ck|q", "k"),
    (r"x", "ks"),
    (r"w", "v"),
    (r"c(?=[eiy])", "s"),
    (r"c(?!h)", "k"),
    (r"y", "i"),
    (r"ie", "e"),
    (r"(.)\1+", r"\1"),
)


@lru_cache(maxsize=4096)
def _by_sound(word: str) -> str:
    for pattern, sound in _SOUNDS:
        word = re.sub(pattern, sound, word)
    return word


def _share_triples(a: str, b: str, least: int = 1) -> bool:
    ta, tb = _triples(a), _triples(b)
    return min(len(ta), len(tb)) >= least and len(ta & tb) >= NAME_SHARE * min(len(ta), len(tb))


@cache
def _triples(word: str) -> frozenset[str]:
    return frozenset(word[i : i + 3] for i in range(len(word) - 2))


def new_names(question: Question, text: str) -> list[str]:
    """The names in text that the question does not hold in its own spelling ("Russia" is in
    "російських", transliterated): who it may be asking for."""
    asked = asked_words(question.text)
    spans = [m.group() for m in ANSWER_TYPES["who"].finditer(text) if m.group().lower() not in _CALENDAR]
    return [s for s in spans if not any(alike(latin(word), a) for word in s.split() for a in asked)]


@lru_cache(maxsize=64)
def asked_words(question: str) -> frozenset[str]:
    return frozenset(latin(w) for w in re.findall(r"[^\W\d_]{4,}", question))


def english_names(name: str) -> tuple[str, ...]:
    """A country's English name as babel gives it, and as the English press also writes it."""
    return (name, *_ENGLISH_ALSO.get(name, ()))
