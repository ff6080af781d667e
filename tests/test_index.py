"""Building, updating and loading the index; a failed build never harms the live index."""

import shutil
from pathlib import Path

import numpy as np
import pytest

from embeddings import Embedder, NothingToIndex, build_index, load_index, segments, tokenize
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
    (planted_copy / "notes.pptx").write_bytes(b"%PDF")
    update = build_index(planted_copy, index_dir, embedder=embedder)
    assert (update.embedded_documents, update.reused_documents, update.removed_documents) == (1, 4, 1)
    assert update.skipped == [("notes.pptx", "unsupported file type .pptx")]
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


def test_an_update_adds_one_segment_and_shares_the_others(planted_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    build_index(planted_copy, index_dir, embedder=embedder)
    before = current_version(index_dir)
    (planted_copy / "new.md").write_text("The Osmark parliament approved the accord by 80 votes to 12 on Friday.\n")
    build_index(planted_copy, index_dir, embedder=embedder)
    after = current_version(index_dir)
    old, new = {p.name for p in (before / "segments").iterdir()}, {p.name for p in (after / "segments").iterdir()}
    assert old < new and len(new - old) == 1
    for name in old:  # the same files on disk, not copies
        assert (before / "segments" / name / "sentence_vectors.npy").samefile(
            after / "segments" / name / "sentence_vectors.npy"
        )


@pytest.mark.parametrize("max_segments", [3, segments.MAX_SEGMENTS])
def test_index_updated_file_by_file_equals_one_built_at_once(
    planted_copy, tmp_path, embedder, monkeypatch, max_segments
):
    monkeypatch.setattr(segments, "MAX_SEGMENTS", max_segments)
    folder, piecemeal = tmp_path / "growing", tmp_path / "piecemeal"
    folder.mkdir()
    counts = []
    for path in sorted(planted_copy.iterdir()):
        shutil.copy(path, folder / path.name)
        build_index(folder, piecemeal, embedder=embedder)
        counts.append(len(list((current_version(piecemeal) / "segments").iterdir())))
    first = sorted(folder.iterdir())[0]
    first.write_text(first.read_text() + "\nThe council met again on 3 May 2031.\n")
    sorted(folder.iterdir())[-1].unlink()
    build_index(folder, piecemeal, embedder=embedder)
    build_index(folder, tmp_path / "at-once", embedder=embedder)

    updated, fresh = load_index(piecemeal), load_index(tmp_path / "at-once")
    assert max(counts) <= max_segments
    assert updated.documents == fresh.documents
    assert sorted(p.key for p in updated.passages) == sorted(p.key for p in fresh.passages)
    _assert_same_by_key(updated, fresh, lambda index, row: index.vector(row))
    _assert_same_by_key(updated, fresh, lambda index, row: index.sentence_vectors_of(row))
    assert updated.keyword.doc_freq == fresh.keyword.doc_freq
    for document in fresh.documents.values():  # BM25 uses statistics of the whole index
        terms = tokenize(document.title)
        scores = updated.keyword.scores(terms), fresh.keyword.scores(terms)
        _assert_same_by_key(updated, fresh, lambda index, row, s=scores: s[index is fresh][row])


def _assert_same_by_key(one, other, value) -> None:
    rows = {p.key: row for row, p in enumerate(other.passages)}
    for row, passage in enumerate(one.passages):
        np.testing.assert_allclose(value(one, row), value(other, rows[passage.key]), atol=1e-5)


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


def test_the_index_records_the_files_it_skipped(planted_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    build_index(planted_copy, index_dir, embedder=embedder)
    assert load_index(index_dir).skipped == []
    (planted_copy / "slides.pptx").write_bytes(b"%PDF")
    again = build_index(planted_copy, index_dir, embedder=embedder)
    assert again.changed and again.embedded_documents == 0, "republished for the skipped file alone"
    assert load_index(index_dir).skipped == [("slides.pptx", "unsupported file type .pptx")]


def test_the_chat_header_names_the_skipped_files(planted_copy, tmp_path, embedder):
    from bot.core import Bot
    from bot.ui import _header

    (planted_copy / "slides.pptx").write_bytes(b"%PDF")
    (planted_copy / "empty.txt").write_text("")
    build_index(planted_copy, tmp_path / "index", embedder=embedder)
    header = _header(Bot(load_index(tmp_path / "index"), embedder))
    assert "Answers from 6 news articles" in header
    assert (
        "Files skipped (2): empty\\.txt \\(empty file\\); slides\\.pptx \\(unsupported file type \\.pptx\\)." in header
    )


def test_an_index_records_the_model_of_the_embedder_that_built_it(planted_copy, tmp_path, embedder):
    """An embedder passed without a model name is recorded by its own; a name that is not the
    embedder's is refused before anything is written."""
    named = Embedder("sentence-transformers/all-MiniLM-L6-v2")
    build_index(planted_copy, tmp_path / "named", embedder=named)
    assert load_index(tmp_path / "named").model_name == "sentence-transformers/all-MiniLM-L6-v2"
    with pytest.raises(ValueError, match="multilingual-e5-small"):
        build_index(planted_copy, tmp_path / "other", "multilingual-e5-small", embedder=embedder)
    assert not (tmp_path / "other").exists() or not any((tmp_path / "other").iterdir())
