"""Hybrid search: BM25 and dense scores fused, near-duplicate passages collapsed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from embeddings.base import SearchableIndex, fused
from embeddings.chunking import Passage
from embeddings.documents import Document

SENTENCE_WEIGHT = 0.3
RERANKED = 40
DUPLICATE_COSINE = 0.95


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
    """The same text, or near it in meaning in another article (a story syndicated). Two
    passages of one article are never that: they tell its parts, however alike their vectors
    (under multilingual-e5-small, neighbouring passages of one article sit near 0.965)."""
    passage = index.passages[row]
    text = " ".join(passage.text.split()).lower()
    for hit in hits:
        if " ".join(hit.passage.text.split()).lower() == text:
            return True
        if (
            hit.passage.doc_id != passage.doc_id
            and float(index.vector(row) @ index.vector(hit.row)) >= DUPLICATE_COSINE
        ):
            return True
    return False
