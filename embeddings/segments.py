"""Segments: immutable folders holding part of the embedded index.

A version of the index is a list of segments plus a keyword index over their live passages.
An update writes one new segment for new and changed files and hard-links the unchanged
segments from the previous version, so adding an article costs in proportion to the article,
not to the archive. A file that changed or went away leaves its old passages in their segment,
marked dead by the version's manifest (its files no longer point there); segments that are
mostly dead, or too many small ones, are merged into the new segment.

A segment's folder: layout.json (per document: doc_id, passages, sentences), documents.json,
passages.json, title_vectors.npy (one per document), sentence_vectors.npy, sentence_terms.npy
(each sentence's latent terms, embeddings/terms.py), passage_vectors.npy, and tokens.npz (the
stemmed keyword tokens of every passage, so the keyword index is rebuilt without reading or
tokenizing any text again).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from embeddings import store
from embeddings.chunking import Passage
from embeddings.documents import Document

MAX_SEGMENTS = 8
MAX_DEAD_SHARE = 0.5


@dataclass
class SegmentData:
    """Everything one segment holds, read back for queries or for merging."""

    documents: list[Document]
    passages: list[Passage]
    title_vectors: np.ndarray
    sentence_vectors: np.ndarray
    sentence_terms: np.ndarray
    passage_vectors: np.ndarray
    tokens: list[list[str]]


def new_name() -> str:
    return f"s-{uuid.uuid4().hex[:12]}"


def write(folder: Path, data: SegmentData) -> None:
    folder.mkdir(parents=True)
    layout = [
        {"doc_id": d.doc_id, "passages": n, "sentences": sum(len(p.sentences) for p in data.passages[s : s + n])}
        for d, (s, n) in zip(data.documents, _doc_spans(data.documents, data.passages), strict=True)
    ]
    store.write_json(folder / "layout.json", layout)
    store.write_json(folder / "documents.json", [d.to_dict() for d in data.documents])
    store.write_json(folder / "passages.json", [p.to_dict() for p in data.passages])
    np.save(folder / "title_vectors.npy", data.title_vectors)
    np.save(folder / "sentence_vectors.npy", data.sentence_vectors)
    np.save(folder / "sentence_terms.npy", data.sentence_terms)
    np.save(folder / "passage_vectors.npy", data.passage_vectors)
    vocab = sorted({token for row in data.tokens for token in row})
    ids = {token: i for i, token in enumerate(vocab)}
    flat = np.fromiter((ids[t] for row in data.tokens for t in row), dtype=np.int32)
    offsets = np.cumsum([0] + [len(row) for row in data.tokens], dtype=np.int64)
    np.savez(folder / "tokens.npz", vocab=np.asarray(vocab, dtype=str), ids=flat, offsets=offsets)


def read(folder: Path, with_tokens: bool = False) -> SegmentData:
    tokens = []
    if with_tokens:
        vocab, ids, offsets = read_tokens(folder)
        tokens = [vocab[ids[offsets[i] : offsets[i + 1]]].tolist() for i in range(len(offsets) - 1)]
    return SegmentData(
        [Document.from_dict(d) for d in store.read_json(folder / "documents.json")],
        [Passage.from_dict(p) for p in store.read_json(folder / "passages.json")],
        np.load(folder / "title_vectors.npy"),
        np.load(folder / "sentence_vectors.npy"),
        np.load(folder / "sentence_terms.npy"),
        np.load(folder / "passage_vectors.npy"),
        tokens,
    )


def layout(folder: Path) -> list[dict]:
    return store.read_json(folder / "layout.json")


def live_passages(docs: list[dict], live_doc_ids: set[str]) -> np.ndarray:
    """Boolean mask over a segment's passages, given its layout: those of documents still indexed."""
    alive = np.array([d["doc_id"] in live_doc_ids for d in docs], dtype=bool)
    return np.repeat(alive, [d["passages"] for d in docs]).astype(bool)


def read_tokens(folder: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The segment's keyword vocabulary, its passages' tokens as positions in it, and where each
    passage's tokens start (one more offset than passages)."""
    with np.load(folder / "tokens.npz") as data:
        return data["vocab"], data["ids"], data["offsets"]


def link(source: Path, target: Path) -> None:
    """Share an unchanged segment with a new version: hard links, copies where links fail."""
    target.mkdir(parents=True)
    for path in source.iterdir():
        try:
            os.link(path, target / path.name)
        except OSError:
            shutil.copy2(path, target / path.name)


def to_merge(sizes: dict[str, tuple[int, int]]) -> set[str]:
    """Segments to rewrite into the new one, given each one's (live, total) passages: the mostly
    dead ones, and when there are too many, the smaller half, so a version keeps few segments
    and a big segment is rewritten rarely."""
    merge = {name for name, (live, total) in sizes.items() if total and live < (1 - MAX_DEAD_SHARE) * total}
    rest = sorted((live, name) for name, (live, _) in sizes.items() if name not in merge)
    if len(rest) >= MAX_SEGMENTS:
        merge |= {name for _, name in rest[: len(rest) // 2 + 1]}
    return merge


def _doc_spans(documents: Sequence[Document], passages: Sequence[Passage]) -> list[tuple[int, int]]:
    """(first passage, passage count) of each document; a document's passages are contiguous."""
    spans, start = [], 0
    for document in documents:
        end = start
        while end < len(passages) and passages[end].doc_id == document.doc_id:
            end += 1
        spans.append((start, end - start))
        start = end
    return spans
