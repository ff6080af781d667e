"""Keyword (BM25) search over passages, and the tokenizer shared with the answer step."""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

_TOKEN = re.compile(r"\w+", re.UNICODE)
_DOUBLED_END = re.compile(r"yy\b")


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


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
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN) | _FUNCTION_WORDS


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed content words: what keyword search and term matching compare."""
    # A doubled final "y" is a common transliteration variant (Zelenskyy / Zelensky).
    text = _DOUBLED_END.sub("y", text.lower().replace("’", "'"))
    stop = stopwords()
    return _stemmer().stemWords([w for w in _TOKEN.findall(text) if w not in stop])


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

    def __init__(self, retriever, doc_freq: dict[str, int], size: int) -> None:
        super().__init__(doc_freq, size)
        self._retriever = retriever

    @classmethod
    def build(cls, texts: Sequence[str]) -> KeywordIndex:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        tokens = [tokenize(text) or ["_empty_"] for text in texts]
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        doc_freq = Counter(token for row in tokens for token in set(row))
        return cls(retriever, dict(doc_freq), len(texts))

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder), show_progress=False)
        (folder / "doc_freq.json").write_text(json.dumps({"size": self.size, "doc_freq": self.doc_freq}))

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        import bm25s

        retriever = bm25s.BM25.load(str(folder), show_progress=False)
        data = json.loads((folder / "doc_freq.json").read_text())
        return cls(retriever, data["doc_freq"], data["size"])

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        known = [t for t in query_tokens if t in self._retriever.vocab_dict]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(known), dtype=np.float32)
