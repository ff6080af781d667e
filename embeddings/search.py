"""Hybrid search: BM25 and dense scores fused, near-duplicate passages collapsed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from embeddings.chunking import Passage
from embeddings.documents import Document
from embeddings.index import Index
from embeddings.keyword import tokenize

KEYWORD_WEIGHT = 0.3
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


def search(index: Index, query: str, query_vector: np.ndarray, k: int = 5) -> list[Hit]:
    """The k best passages for a query, best first, without near-duplicates."""
    if not index.passages:
        return []
    dense = index.vectors @ query_vector
    keyword = index.keyword.scores(tokenize(query))
    top = float(keyword.max())
    keyword_norm = keyword / top if top > 0 else keyword
    fused = dense + KEYWORD_WEIGHT * keyword_norm
    rows = _ranked_rows(fused, max(k * 4, RERANKED))
    # The best single sentence matters as much as the passage as a whole: a question is
    # usually answered by one sentence.
    best_sentence = np.array([float((index.sentence_vectors_of(r) @ query_vector).max()) for r in rows])
    dense[rows] = (1 - SENTENCE_WEIGHT) * dense[rows] + SENTENCE_WEIGHT * best_sentence
    fused[rows] = dense[rows] + KEYWORD_WEIGHT * keyword_norm[rows]
    hits: list[Hit] = []
    for row in rows[np.argsort(-fused[rows], kind="stable")]:
        if _is_duplicate(index, row, hits):
            continue
        passage = index.passages[row]
        hits.append(
            Hit(
                passage,
                index.document_of(passage),
                float(fused[row]),
                float(dense[row]),
                float(keyword_norm[row]),
                int(row),
            )
        )
        if len(hits) == k:
            break
    return hits


def _ranked_rows(scores: np.ndarray, n: int) -> np.ndarray:
    n = min(n, len(scores))
    rows = np.argpartition(-scores, n - 1)[:n]
    return rows[np.argsort(-scores[rows], kind="stable")]


def _is_duplicate(index: Index, row: int, hits: list[Hit]) -> bool:
    text = " ".join(index.passages[row].text.split()).lower()
    for hit in hits:
        if " ".join(hit.passage.text.split()).lower() == text:
            return True
        if float(index.vectors[row] @ index.vectors[hit.row]) >= DUPLICATE_COSINE:
            return True
    return False
