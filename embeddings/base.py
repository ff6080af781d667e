"""What a searchable index and a store offer, and the types both stores share.

The build steps (embeddings/index.py) and search (embeddings/search.py) work through these
protocols only, so the on-disk store (embeddings/disk.py) and PostgreSQL (embeddings/pgstore.py)
are interchangeable, and a new store is one new class.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from embeddings.chunking import Passage
from embeddings.documents import Document
from embeddings.keyword import EMPTY, TermStats, tokenize
from embeddings.model import TextEmbedder, unit_vector

# Bump when reading, cleaning, chunking or what is stored changes, so every file is re-read
# (12: the sentences' latent terms).
PIPELINE_VERSION = 12
KEYWORD_WEIGHT = 0.3  # of max-normalised BM25, added to the cosine similarity
TITLE_WEIGHT = 0.5  # of the headline's vector, added to a passage's mean sentence vector


class IndexNotFound(Exception):
    """No index has been built in this folder yet."""


class ModelMismatch(Exception):
    """The index was built with another embedding model than the one questions would be
    embedded with: their vectors cannot be compared."""


class IndexOfAnotherFolder(Exception):
    """The index was built from another documents folder; answering from it would answer about
    articles the user did not point at."""


@dataclass(frozen=True)
class Candidates:
    """Passage rows from first-stage retrieval with their dense and normalised keyword scores."""

    rows: np.ndarray
    dense: np.ndarray
    keyword: np.ndarray


def fused(dense: np.ndarray, keyword: np.ndarray) -> np.ndarray:
    """First-stage score: cosine plus a share of the max-normalised keyword score."""
    return dense + KEYWORD_WEIGHT * keyword


def keyword_text(passage: Passage, document: Document) -> str:
    """What keyword search sees: the headline gives a passage its topic."""
    return f"{document.title}\n{passage.text}"


@dataclass
class Entry:
    """One indexed file. A file kept from the previous version is known by its segment alone;
    a new or changed one (or one whose segment is merged) carries its document, passages and
    vectors: row 0 the title's, then every sentence of every passage; and every sentence's latent
    terms (embeddings/terms.py; zero wide with a model without a sparse head)."""

    path: str
    digest: str
    doc_id: str
    segment: str | None = None
    document: Document | None = None
    passages: list[Passage] = field(default_factory=list)
    vectors: np.ndarray | None = None
    terms: np.ndarray | None = None
    known_passage_vectors: np.ndarray | None = None  # from the previous version, when unchanged
    tokens: list[list[str]] | None = None

    @property
    def read(self) -> Document:
        """The document, once read (a new or changed file) or loaded (a file being rewritten)."""
        if self.document is None:
            raise ValueError(f"{self.path} was kept by segment and not read")
        return self.document

    @property
    def embedded(self) -> np.ndarray:
        """Row 0 the title's vector, then every sentence's, once embedded or loaded."""
        if self.vectors is None:
            raise ValueError(f"{self.path} has not been embedded")
        return self.vectors

    @property
    def embedded_terms(self) -> np.ndarray:
        """Every sentence's latent terms, in order."""
        if self.terms is None:
            raise ValueError(f"{self.path} has not been embedded")
        return self.terms

    def texts_to_embed(self) -> list[str]:
        text = self.read.text
        return [self.read.title] + [text[s:e] for p in self.passages for s, e in p.sentences]

    def passage_vectors(self) -> np.ndarray:
        if self.known_passage_vectors is not None:
            return self.known_passage_vectors
        title, sentences = self.embedded[0], self.embedded[1:]
        rows, start = [], 0
        for passage in self.passages:
            mean = sentences[start : start + len(passage.sentences)].mean(axis=0)
            rows.append(unit_vector(unit_vector(mean) + TITLE_WEIGHT * title))
            start += len(passage.sentences)
        return np.asarray(rows, dtype=np.float32)

    def keyword_tokens(self) -> list[list[str]]:
        if self.tokens is None:
            self.tokens = [tokenize(keyword_text(p, self.read)) or [EMPTY] for p in self.passages]
        return self.tokens


def folder_key(documents_dir: Path) -> str:
    """How a manifest records the documents folder an index was built from."""
    return str(documents_dir.resolve())


def built_by(manifest: dict | None, model_name: str, documents_dir: Path | None = None) -> bool:
    """Was this live version built by this pipeline with this model (and, when given, from
    documents_dir)?"""
    if not manifest or manifest.get("pipeline") != PIPELINE_VERSION or manifest.get("model") != model_name:
        return False
    return documents_dir is None or manifest.get("documents") == folder_key(documents_dir)


def check_model(index: SearchableIndex, embedder: TextEmbedder) -> None:
    """Raise ModelMismatch, saying what to run, unless index was built with embedder's model."""
    check_recorded_model(index.model_name, embedder.model_id)


def check_recorded_model(built_with: str | None, model_id: str, where: str = "", options: str = "") -> None:
    """Raise ModelMismatch, saying what to run, when an index (in where) was built with another
    model than model_id; None: nothing is built yet. options: the command's other options that
    name the index ("--index-dir …"), for the command to run."""
    if built_with is None or built_with == model_id:
        return
    command = " ".join(filter(None, ("newsbot index --model", model_id, options)))
    raise ModelMismatch(
        f"the index{' in ' + where if where else ''} was built with the embedding model {built_with!r}, but "
        f"questions would be embedded with {model_id!r}; to use the index as it is, pass --model {built_with} "
        f"(or set NEWSBOT_MODEL={built_with}); to rebuild it with {model_id!r}, run `{command}`"
    )


class SearchableIndex(Protocol):
    """One published version: what search, answering and checking read."""

    @property
    def documents(self) -> dict[str, Document]: ...

    @property
    def passages(self) -> Sequence[Passage]: ...

    @property
    def keyword(self) -> TermStats: ...

    @property
    def model_name(self) -> str: ...

    @property
    def version(self) -> str | int: ...

    @property
    def files(self) -> dict[str, dict]: ...

    @property
    def skipped(self) -> list[tuple[str, str]]: ...

    def candidates(self, query: str, query_vector: np.ndarray, n: int) -> Candidates:
        """The n passages with the best fused dense and keyword score, best first."""
        ...

    def sentence_terms_of(self, row: int) -> np.ndarray:
        """Latent terms of the sentences of the passage in this row, in order (embeddings/terms.py;
        zero wide for a model without a sparse head)."""
        ...

    def sentence_vectors_of(self, row: int) -> np.ndarray:
        """Vectors of the sentences of the passage in this row, in order."""
        ...

    def vector(self, row: int) -> np.ndarray: ...

    def document_of(self, passage: Passage) -> Document: ...


class Store(Protocol):
    """Where versions of an index live: one is live, a build writes the next and publishes it
    at once, so a crash mid-build leaves the previous one serving."""

    where: str  # for messages: "the database", or the index folder

    def manifest(self) -> dict | None:
        """The live version's record (model, pipeline, documents folder, files, skipped), if any."""
        ...

    def version(self) -> str | None:
        """The live version's name; it changes whenever a build publishes."""
        ...

    def build_lock(self) -> AbstractContextManager[None]:
        """Held while building, so two builds never interleave."""
        ...

    def previous_entries(self, model_name: str) -> dict[str, Entry]:
        """The live version's files by path, when it was built with this model and pipeline;
        else nothing, so everything is embedded again."""
        ...

    def write_version(self, entries: list[Entry], record: dict) -> None:
        """Store entries as a new version with record (model, pipeline, documents, skipped) and
        make it live."""
        ...

    def passage_count(self, entries: list[Entry]) -> int:
        """Passages in the live version, which holds entries."""
        ...

    def load(self) -> SearchableIndex:
        """The live version, or IndexNotFound saying what to run."""
        ...

    def is_current(self, model_name: str, documents_dir: Path | None = None) -> bool:
        """Was the live version built by this pipeline with this model (and from documents_dir)?"""
        ...
