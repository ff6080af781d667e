"""Hybrid search: BM25 and dense scores fused, near-duplicate passages collapsed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from embeddings.base import SearchableIndex, fused
from embeddings.chunking import Passage
from embeddings.documents import Document

SENTENCE_WEIGHT = 0.3
RERANKED = 40
DUPLICATE_COSINE = 0.95
# ... and the share of their words two passages must have in common. A multilingual model puts
# passages of one story told by different outlets above that cosine (multilingual-e5-small:
# 10,274 pairs of different Wikinews articles, 96 of 405 of the bundled ones, against none under
# MiniLM), and such pairs share a third of their words or less; a copy shares nearly all.
DUPLICATE_WORDS = 0.8
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Hit:
    passage: Passage
    document: Document
    score: float
    dense: float
    keyword: float
    row: int


def search(index: SearchableIndex, query: str, query_vector: np.ndarray, k: int = 5) -> list[Hit]:
    """The k best passages for a query, best first, without near-duplicates."""
    found = index.candidates(query, query_vector, max(k * 4, RERANKED))
    if not len(found.rows):
        return []
    # The best single sentence matters as much as the passage as a whole: a question is
    # usually answered by one sentence.
    best_sentence = np.array([float((index.sentence_vectors_of(r) @ query_vector).max()) for r in found.rows])
    dense = (1 - SENTENCE_WEIGHT) * found.dense + SENTENCE_WEIGHT * best_sentence
    scores = fused(dense, found.keyword)
    hits: list[Hit] = []
    for i in np.argsort(-scores, kind="stable"):
        row = int(found.rows[i])
        if _is_duplicate(index, row, hits):
            continue
        passage = index.passages[row]
        hits.append(
            Hit(passage, index.document_of(passage), float(scores[i]), float(dense[i]), float(found.keyword[i]), row)
        )
        if len(hits) == k:
            break
    return hits


def _is_duplicate(index: SearchableIndex, row: int, hits: list[Hit]) -> bool:
    """The same text, or nearly: another article's copy of it (a story syndicated, lightly
    edited). Two passages of one article are never that: they tell its parts, however alike
    their vectors (under multilingual-e5-small, neighbouring passages of one article sit near
    0.965)."""
    passage = index.passages[row]
    text = " ".join(passage.text.split()).lower()
    for hit in hits:
        if " ".join(hit.passage.text.split()).lower() == text:
            return True
        if (
            hit.passage.doc_id != passage.doc_id
            and float(index.vector(row) @ index.vector(hit.row)) >= DUPLICATE_COSINE
            and _shared_words(passage.text, hit.passage.text) >= DUPLICATE_WORDS
        ):
            return True
    return False


def _shared_words(a: str, b: str) -> float:
    """Jaccard overlap of the two texts' words."""
    first, second = _words(a), _words(b)
    return len(first & second) / max(1, len(first | second))


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))
