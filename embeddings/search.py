"""Hybrid search: BM25 and dense scores fused, near-duplicate passages collapsed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from embeddings.chunking import Passage
from embeddings.documents import Document
from embeddings.index import Index
from embeddings.keyword import tokenize

KEYWORD_WEIGHT = 0.3
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
    hits: list[Hit] = []
    for row in _ranked_rows(fused, k * 4):
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
