"""Keyword (BM25) search over passages, and the tokenizer shared with the answer step."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

_TOKEN = re.compile(r"\w+", re.UNICODE)
_DOUBLED_END = re.compile(r"yy\b")
_NOT_WORD = re.compile(r"[^\w']")


@lru_cache(maxsize=4)
def _stemmer(language: str = "english"):
    import Stemmer

    return Stemmer.Stemmer(language)


# Auxiliaries, pronouns and other function words beyond bm25s's short list; number words and
# "may" (the month) stay searchable.
_FUNCTION_WORDS = frozenset(
    "s t also said says would could about what has have had having do does did done is are was were be "  # noqa: SIM905
    "been being am shall can might must should its his her hers their theirs our ours your yours my he "
    "she they we you i me him them us who whom which when where why how this that these those than so "
    "very just over into up down out off again further here all any both each more most other some such "
    "only own same too don now while because until against between through during above below".split()
)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_RUSSIAN

    return frozenset(STOPWORDS_EN) | _FUNCTION_WORDS | frozenset(STOPWORDS_RUSSIAN)


EMPTY = "_empty_"  # the one token of a passage with no content words, so every row has one


# Letters that only Ukrainian or only Russian writes: enough of them in a text tell the two apart.
_UKRAINIAN_LETTERS = re.compile(r"[іїєґ]")
_RUSSIAN_LETTERS = re.compile(r"[ыэъё]")
_CYRILLIC = re.compile(r"[а-яёіїєґ]")
# Ukrainian's commonest function words (the ones bm25s lists for Russian, in Ukrainian spelling).
_UKRAINIAN_FUNCTION_WORDS = frozenset(
    "і й та або але а що як це цей ця ці той та те ті в у на з із зі до від за про по для при без над під між "  # noqa: SIM905
    "через він вона воно вони його її їх їм йому їй ми ви я ти не ні так же б би чи вже ще також був була було "
    "були є бути буде яка який яке які де коли хто чому навіщо скільки звідки куди чого чим ніж тут там".split()
)


def _russian_function_words() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_RUSSIAN

    return frozenset(STOPWORDS_RUSSIAN)


_ONLY_UKRAINIAN = _UKRAINIAN_FUNCTION_WORDS - _russian_function_words()
_ONLY_RUSSIAN = _russian_function_words() - _UKRAINIAN_FUNCTION_WORDS


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed content words: what keyword search and term matching compare.
    Latin words are stemmed as English, Cyrillic ones as Russian or, when the text is
    Ukrainian, lemmatised by simplemma's dictionary (Snowball has no Ukrainian stemmer)."""
    # A doubled final "y" is a common transliteration variant (Zelenskyy / Zelensky).
    text = _DOUBLED_END.sub("y", text.lower().replace("’", "'").replace("ʼ", "'"))
    words = [w for w in _TOKEN.findall(text) if w not in stopwords()]
    if not _CYRILLIC.search(text):
        return _stemmer().stemWords(words)
    cyrillic = _cyrillic_normaliser(text)
    tokens = [cyrillic(w) if _CYRILLIC.match(w) else _stemmer().stemWord(w) for w in words]
    return [t for t in tokens if t]


def cyrillic_language(text: str) -> str | None:
    """ "uk" or "ru" for a Cyrillic text, by the letters only one of them writes; None when it
    has none of them (or as many of each)."""
    lowered = text.lower()
    ukrainian, russian = len(_UKRAINIAN_LETTERS.findall(lowered)), len(_RUSSIAN_LETTERS.findall(lowered))
    if ukrainian == russian:
        # No telling letters ("Хто був посередником?"): the function words only one of them uses.
        words = set(_TOKEN.findall(lowered))
        ukrainian, russian = len(words & _ONLY_UKRAINIAN), len(words & _ONLY_RUSSIAN)
    return None if ukrainian == russian else "uk" if ukrainian > russian else "ru"


def _cyrillic_normaliser(text: str):
    return _ukrainian_lemma if cyrillic_language(text) == "uk" else _stemmer("russian").stemWord


@lru_cache(maxsize=65536)
def _ukrainian_lemma(word: str) -> str:
    import simplemma

    if word in _UKRAINIAN_FUNCTION_WORDS:
        return ""
    return _NOT_WORD.sub("", simplemma.lemmatize(word, lang="uk").lower())


class TermStats:
    """Document frequencies of stemmed terms, for weighting the words of a question."""

    def __init__(self, doc_freq: dict[str, int], size: int) -> None:
        self.doc_freq = doc_freq
        self.size = size

    def idf(self, token: str) -> float:
        """Inverse document frequency; a term found nowhere gets the highest weight."""
        df = self.doc_freq.get(token, 0)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))


class KeywordIndex(TermStats):
    """BM25 scores for every passage, plus document frequencies for term weighting."""

    def __init__(self, retriever) -> None:
        # bm25s keeps one row of scores per term: its length is the term's document frequency.
        counts = np.diff(retriever.scores["indptr"])
        doc_freq = {term: int(counts[i]) for term, i in retriever.vocab_dict.items() if i < len(counts) and counts[i]}
        super().__init__(doc_freq, int(retriever.scores["num_docs"]))
        self._retriever = retriever

    @classmethod
    def build(cls, texts: Sequence[str]) -> KeywordIndex:
        vocab: dict[str, int] = {}
        rows = [[vocab.setdefault(t, len(vocab)) for t in tokenize(text) or [EMPTY]] for text in texts]
        return cls.from_token_ids(rows, vocab)

    @classmethod
    def from_token_ids(cls, rows: Sequence[Sequence[int]], vocab: dict[str, int]) -> KeywordIndex:
        """From passages already tokenized: rows of positions in vocab (term -> position)."""
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        retriever = bm25s.BM25()
        retriever.index((rows, vocab), show_progress=False)
        return cls(retriever)

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        import bm25s

        return cls(bm25s.BM25.load(str(folder), show_progress=False))

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        known = [t for t in query_tokens if t in self._retriever.vocab_dict]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(known), dtype=np.float32)
