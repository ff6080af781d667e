"""Building, updating and loading the index; a failed build never harms the live index."""

from pathlib import Path

import numpy as np
import pytest

from embeddings import Embedder, NothingToIndex, build_index, load_index
from embeddings.store import current_version


def test_build_then_update_only_changed_files(planted_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    first = build_index(planted_copy, index_dir, embedder=embedder)
    assert (first.documents, first.embedded_documents, first.skipped) == (6, 6, [])
    assert first.passages == len(load_index(index_dir).passages)

    again = build_index(planted_copy, index_dir, embedder=embedder)
    assert (again.embedded_documents, again.reused_documents, again.changed) == (0, 6, False)

    (planted_copy / "bridge-2029.md").write_text(
        (planted_copy / "bridge-2029.md").read_text() + "\nFenn retired in 2030.\n"
    )
    (planted_copy / "wire-council.txt").unlink()
    (planted_copy / "notes.pdf").write_bytes(b"%PDF")
    update = build_index(planted_copy, index_dir, embedder=embedder)
    assert (update.embedded_documents, update.reused_documents, update.removed_documents) == (1, 4, 1)
    assert update.skipped == [("notes.pdf", "unsupported file type .pdf")]
    index = load_index(index_dir)
    assert set(index.documents) == {"bridge-2029", "bridge-2031", "glacier-survey", "harbour-accord", "orchestra"}
    assert "retired" in index.documents["bridge-2029"].text


def test_reused_vectors_equal_fresh_ones(planted_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    build_index(planted_copy, index_dir, embedder=embedder)
    (planted_copy / "orchestra.html").unlink()
    build_index(planted_copy, index_dir, embedder=embedder)
    fresh_dir = tmp_path / "fresh"
    build_index(planted_copy, fresh_dir, embedder=embedder)
    updated, fresh = load_index(index_dir), load_index(fresh_dir)
    assert [p.key for p in updated.passages] == [p.key for p in fresh.passages]
    np.testing.assert_allclose(updated.vectors, fresh.vectors, atol=1e-5)
    np.testing.assert_allclose(updated.sentence_vectors, fresh.sentence_vectors, atol=1e-5)


def test_nothing_to_index_keeps_previous_index(planted_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    build_index(planted_copy, index_dir, embedder=embedder)
    for path in planted_copy.iterdir():
        path.write_text("")
    with pytest.raises(NothingToIndex, match="could be indexed"):
        build_index(planted_copy, index_dir, embedder=embedder)
    assert len(load_index(index_dir).documents) == 6


class FailingEmbedder(Embedder):
    """The real model, failing after the first batch: an indexing run that dies midway."""

    def embed_texts(self, texts, on_batch=None):
        raise RuntimeError("simulated crash while embedding")


def test_crash_during_build_leaves_previous_index_serving(planted_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    build_index(planted_copy, index_dir, embedder=embedder)
    live = current_version(index_dir)
    (planted_copy / "new.md").write_text("The Osmark parliament approved the accord by 80 votes to 12 on Friday.\n")
    with pytest.raises(RuntimeError, match="simulated crash"):
        build_index(planted_copy, index_dir, embedder=FailingEmbedder())
    assert current_version(index_dir) == live
    assert len(load_index(index_dir).documents) == 6
    assert not list(Path(index_dir).glob("tmp-*"))
    assert build_index(planted_copy, index_dir, embedder=embedder).documents == 7


@pytest.mark.parametrize(
    "text",
    ["Who heads Ukraine's delegation for the July 2025 round?", "", "a", "Zelenskyy’s term 😀 مرحبا " * 60],
)
def test_quick_start_embeds_questions_like_the_full_model(embedder, text):
    quick = Embedder(quick_start=True)
    assert quick._full is None, "no torch stack loaded for questions"
    assert np.abs(quick.embed_query(text) - embedder.embed_query(text)).max() < 1e-5
