"""A question's embedding without importing torch, transformers or sentence-transformers.

Loading that stack takes about five seconds, which `newsbot ask` would otherwise spend before
answering in twenty milliseconds. A question is one short text, so the model's forward pass in
numpy is fast enough, and it gives the same vector (to about 1e-6) as sentence-transformers;
tests/test_index.py compares the two. Indexing still goes through llama-index. Only BERT-style
sentence-transformers models with mean pooling and normalisation qualify; others use the full
stack (`supports` tells which).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np


def supports(model_dir: Path) -> bool:
    """Can this model folder be run here: BERT, mean pooling, normalised output, fast tokenizer?"""
    try:
        config = json.loads((model_dir / "config.json").read_text())
        modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((model_dir / "modules.json").read_text())]
        pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
    except (OSError, ValueError, KeyError):
        return False
    others = ("pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens")
    mean_only = pooling.get("pooling_mode_mean_tokens") and not any(pooling.get(k) for k in others)
    return (
        config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and modules == ["Transformer", "Pooling", "Normalize"]
        and bool(mean_only)
        and (model_dir / "tokenizer.json").is_file()
        and (model_dir / "model.safetensors").is_file()
    )


class QueryEncoder:
    """Embeds one text at a time with a BERT sentence-transformers model, in numpy."""

    def __init__(self, model_dir: Path, updates: dict[str, np.ndarray] | None = None, fast_gelu: bool = False) -> None:
        """updates: arrays added to named weights (as stored: out x in), e.g. fitted adapters;
        fast_gelu: the tanh form of GELU (within 5e-4 of the exact one, fifteen times faster than
        scipy's erf): for a reader that points at spans, not for vectors that must equal the index's."""
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((model_dir / "config.json").read_text())
        limits = json.loads((model_dir / "sentence_bert_config.json").read_text())
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tokenizer.enable_truncation(limits.get("max_seq_length", 256))
        tokenizer.no_padding()
        weights = {k.removeprefix("bert."): v for k, v in load_file(str(model_dir / "model.safetensors")).items()}
        shape = (config["num_attention_heads"], config["num_hidden_layers"], config["layer_norm_eps"])
        self._start(weights, tokenizer, shape, updates, fast_gelu)

    @classmethod
    def from_weights(
        cls, weights: dict, tokenizer, shape: tuple[int, int, float], updates=None, fast_gelu: bool = False
    ) -> QueryEncoder:
        """An encoder over weights already in memory under BERT's names; shape: heads, layers, eps."""
        encoder = cls.__new__(cls)
        encoder._start(dict(weights), tokenizer, shape, updates, fast_gelu)
        return encoder

    def _start(self, weights: dict, tokenizer, shape: tuple[int, int, float], updates, fast_gelu: bool) -> None:
        self.gelu = _tanh_gelu if fast_gelu else _gelu
        self.heads, self.layers, self.eps = shape
        self.tokenizer = tokenizer
        for name, update in (updates or {}).items():
            weights[name] = weights[name] + update
        # Dense layers' weights stored transposed, so each product reads memory in order.
        self.w = {k: _dense_ready(k, v) for k, v in weights.items()}

    def embed(self, text: str) -> np.ndarray:
        pooled = self.token_states(self.tokenizer.encode(text)).mean(axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)

    def token_states(self, encoding) -> np.ndarray:
        """The last layer's vector for each token of a tokenizers Encoding."""
        ids, types = np.array(encoding.ids), np.array(encoding.type_ids)
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: len(ids)]
            + w["embeddings.token_type_embeddings.weight"][types]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        for layer in range(self.layers):
            x = self._layer(x, f"encoder.layer.{layer}.")
        return x

    def _layer(self, x: np.ndarray, p: str) -> np.ndarray:
        attended = self._attention(x, p + "attention.self.")
        x = self._norm(x + self._dense(attended, p + "attention.output.dense"), p + "attention.output.LayerNorm")
        hidden = self.gelu(self._dense(x, p + "intermediate.dense"))
        return self._norm(x + self._dense(hidden, p + "output.dense"), p + "output.LayerNorm")

    def _attention(self, x: np.ndarray, p: str) -> np.ndarray:
        n, width = x.shape
        size = width // self.heads

        def split(name: str) -> np.ndarray:
            return self._dense(x, p + name).reshape(n, self.heads, size).transpose(1, 0, 2)

        q, k, v = split("query"), split("key"), split("value")
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(size)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        return (scores @ v).transpose(1, 0, 2).reshape(n, width)

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[name + ".weight"] + self.w[name + ".bias"]

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        var = x.var(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]


def _dense_ready(name: str, weight: np.ndarray) -> np.ndarray:
    if weight.ndim == 2 and "embeddings" not in name:
        return np.ascontiguousarray(weight.T)
    return weight


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def _tanh_gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(np.float32(math.sqrt(2 / math.pi)) * (x + np.float32(0.044715) * x * x * x)))
