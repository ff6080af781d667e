"""The embedded store: index versions on disk, in segments, loaded whole into memory.

INDEX_DIR/CURRENT names the live version (embeddings/store.py publishes it atomically); a
version is a manifest, segments of documents, passages and vectors (a changed file's segment is
new, unchanged files' segments are linked from the previous version) and the BM25 index.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from embeddings import segments, store
from embeddings.base import PIPELINE_VERSION, Candidates, Entry, IndexNotFound, built_by, fused
from embeddings.chunking import Passage
from embeddings.documents import Document
from embeddings.keyword import KeywordIndex, tokenize

log = logging.getLogger(__name__)

SEGMENTS = "segments"


@dataclass
class Index:
    """Documents, passages, vectors and the keyword index of one published version.

    Sentences are embedded once; a passage's vector is the mean of its sentences' vectors
    nudged towards its headline's, so answer selection can score single sentences for free.
    """

    documents: dict[str, Document]
    passages: list[Passage]
    vectors: np.ndarray
    sentence_vectors: np.ndarray
    sentence_terms: np.ndarray
    sentence_rows: np.ndarray
    keyword: KeywordIndex
    model_name: str
    files: dict[str, dict] = field(default_factory=dict)
    version: str = ""
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason) the build left out

    def document_of(self, passage: Passage) -> Document:
        return self.documents[passage.doc_id]

    def sentence_vectors_of(self, row: int) -> np.ndarray:
        """Vectors of the sentences of the passage in this row, in order."""
        start = self.sentence_rows[row]
        return self.sentence_vectors[start : start + len(self.passages[row].sentences)]

    def sentence_terms_of(self, row: int) -> np.ndarray:
        """Latent terms of the sentences of the passage in this row, in order."""
        start = self.sentence_rows[row]
        return self.sentence_terms[start : start + len(self.passages[row].sentences)]

    def vector(self, row: int) -> np.ndarray:
        return self.vectors[row]

    def candidates(self, query: str, query_vector: np.ndarray, n: int) -> Candidates:
        """The n passages with the best fused dense and keyword score, best first."""
        dense = self.vectors @ query_vector
        keyword = self.keyword.scores(tokenize(query))
        top = float(keyword.max()) if len(keyword) else 0.0
        keyword = keyword / top if top > 0 else keyword
        rows = _best_rows(fused(dense, keyword), n)
        return Candidates(rows, dense[rows], keyword[rows])


def _best_rows(scores: np.ndarray, n: int) -> np.ndarray:
    n = min(n, len(scores))
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    rows = np.argpartition(-scores, n - 1)[:n]
    return rows[np.argsort(-scores[rows], kind="stable")]


class DiskStore:
    """Index versions in a folder on this machine."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.where = str(index_dir)

    def manifest(self) -> dict | None:
        version = store.current_version(self.index_dir)
        return store.read_json(version / "manifest.json") if version else None

    def version(self) -> str | None:
        version = store.current_version(self.index_dir)
        return version.name if version else None

    def is_current(self, model_name: str, documents_dir: Path | None = None) -> bool:
        return built_by(self.manifest(), model_name, documents_dir)

    @contextmanager
    def build_lock(self) -> Iterator[None]:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        with open(self.index_dir / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def load(self) -> Index:
        version = store.current_version(self.index_dir)
        if version is None:
            raise IndexNotFound(f"no index in {self.index_dir}; run `newsbot index` first")
        manifest = store.read_json(version / "manifest.json")
        if manifest.get("pipeline") != PIPELINE_VERSION:
            raise IndexNotFound(
                f"the index in {self.index_dir} was built by another version of newsbot; run `newsbot index`"
            )
        live = _live_documents(manifest)
        parts = [_live_part(version / SEGMENTS / name, live[name]) for name in manifest["segments"]]
        passages = [p for part in parts for p in part.passages]
        return Index(
            {d.doc_id: d for part in parts for d in part.documents},
            passages,
            _concatenate([part.passage_vectors for part in parts]),
            _concatenate([part.sentence_vectors for part in parts]),
            _concatenate([part.sentence_terms for part in parts]),
            np.cumsum([0] + [len(p.sentences) for p in passages])[:-1],
            KeywordIndex.load(version / "keyword"),
            manifest["model"],
            manifest["files"],
            version.name,
            [tuple(pair) for pair in manifest.get("skipped", [])],
        )

    def previous_entries(self, model_name: str) -> dict[str, Entry]:
        version = store.current_version(self.index_dir)
        if version is None:
            return {}
        try:
            manifest = store.read_json(version / "manifest.json")
            if manifest.get("model") != model_name or manifest.get("pipeline") != PIPELINE_VERSION:
                return {}
            for name in manifest["segments"]:
                segments.layout(version / SEGMENTS / name)
            files = manifest["files"]
            return {path: Entry(path, i["digest"], i["doc_id"], i["segment"]) for path, i in files.items()}
        except Exception as exc:  # a damaged index is rebuilt, not fatal
            log.warning("previous index unreadable (%s); rebuilding from scratch", exc)
            return {}

    def write_version(self, entries: list[Entry], record: dict) -> None:
        """Publish a version: the previous version's unchanged segments, linked, plus one new
        segment for new, changed and merged files; the keyword index over all of them."""
        _merge_segments(self.index_dir, entries)
        staged = store.staging_dir(self.index_dir)
        try:
            names = _link_kept_segments(self.index_dir, staged, entries) + _write_fresh_segment(staged, entries)
            files = {e.path: {"digest": e.digest, "doc_id": e.doc_id, "segment": e.segment} for e in entries}
            manifest = record | {"segments": names, "files": files}
            (staged / "keyword").mkdir()
            _keyword_index(staged / SEGMENTS, _live_documents(manifest)).save(staged / "keyword")
            store.write_json(staged / "manifest.json", manifest)
        except BaseException:
            store.discard(staged)
            raise
        store.publish(self.index_dir, staged)

    def passage_count(self, entries: list[Entry]) -> int:
        version = store.current_version(self.index_dir)
        if version is None:
            return 0
        live = _live_documents(store.read_json(version / "manifest.json"))
        folder = version / SEGMENTS
        return sum(int(segments.live_passages(segments.layout(folder / n), d).sum()) for n, d in live.items())


def _live_documents(manifest: dict) -> dict[str, set[str]]:
    """Per segment, the ids of its documents that the version still indexes."""
    live: dict[str, set[str]] = {name: set() for name in manifest["segments"]}
    for info in manifest["files"].values():
        live[info["segment"]].add(info["doc_id"])
    return live


def _live_part(folder: Path, live_doc_ids: set[str]) -> segments.SegmentData:
    data = segments.read(folder)
    passage_mask = segments.live_passages(segments.layout(folder), live_doc_ids)
    if passage_mask.all():
        return data
    sentence_mask = np.repeat(passage_mask, [len(p.sentences) for p in data.passages]).astype(bool)
    return segments.SegmentData(
        [d for d in data.documents if d.doc_id in live_doc_ids],
        [p for p, alive in zip(data.passages, passage_mask, strict=True) if alive],
        data.title_vectors,
        data.sentence_vectors[sentence_mask],
        data.sentence_terms[sentence_mask],
        data.passage_vectors[passage_mask],
        [],
    )


def _concatenate(arrays: list[np.ndarray]) -> np.ndarray:
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


def _merge_segments(index_dir: Path, entries: list[Entry]) -> None:
    """Choose the previous version's segments to rewrite into the new one, and load their
    entries' documents, passages, vectors and tokens so they can be."""
    version = store.current_version(index_dir)
    kept = [(e.segment, e) for e in entries if e.segment is not None]
    if version is None or not kept:
        return
    manifest = store.read_json(version / "manifest.json")
    live: dict[str, set[str]] = {name: set() for name in manifest["segments"]}
    for segment, entry in kept:
        live[segment].add(entry.doc_id)
    sizes = {}
    for name, doc_ids in live.items():
        docs = segments.layout(version / SEGMENTS / name)
        sizes[name] = (sum(d["passages"] for d in docs if d["doc_id"] in doc_ids), sum(d["passages"] for d in docs))
    for name in segments.to_merge(sizes):
        _load_entries(version / SEGMENTS / name, [e for segment, e in kept if segment == name])


def _load_entries(folder: Path, entries: list[Entry]) -> None:
    """Fill in the data of entries kept in the segment at folder, so it can be rewritten."""
    data = segments.read(folder, with_tokens=True)
    passage_at = sentence_at = 0
    spans = {}
    for number, doc in enumerate(segments.layout(folder)):
        spans[doc["doc_id"]] = (number, passage_at, doc["passages"], sentence_at, doc["sentences"])
        passage_at += doc["passages"]
        sentence_at += doc["sentences"]
    for entry in entries:
        number, first, count, first_sentence, sentences = spans[entry.doc_id]
        entry.document = data.documents[number]
        entry.passages = data.passages[first : first + count]
        title = data.title_vectors[number : number + 1]
        entry.vectors = np.concatenate([title, data.sentence_vectors[first_sentence : first_sentence + sentences]])
        entry.terms = data.sentence_terms[first_sentence : first_sentence + sentences]
        entry.known_passage_vectors = data.passage_vectors[first : first + count]
        entry.tokens = data.tokens[first : first + count]
        entry.segment = None


def _link_kept_segments(index_dir: Path, staged: Path, entries: list[Entry]) -> list[str]:
    """Link the previous version's segments that entries are kept in; their names."""
    previous = store.current_version(index_dir)
    names = list(dict.fromkeys(e.segment for e in entries if e.segment is not None))
    if previous is None:
        return []
    for name in names:
        segments.link(previous / SEGMENTS / name, staged / SEGMENTS / name)
    return names


def _write_fresh_segment(staged: Path, entries: list[Entry]) -> list[str]:
    """One new segment for the entries not kept in a previous one; its name, if any."""
    fresh = [e for e in entries if e.segment is None]
    if not fresh:
        return []
    name = segments.new_name()
    segments.write(staged / SEGMENTS / name, _segment_data(fresh))
    for entry in fresh:
        entry.segment = name
    return [name]


def _segment_data(entries: list[Entry]) -> segments.SegmentData:
    return segments.SegmentData(
        [e.read for e in entries],
        [p for e in entries for p in e.passages],
        np.stack([e.embedded[0] for e in entries]),
        np.concatenate([e.embedded[1:] for e in entries]),
        np.concatenate([e.embedded_terms for e in entries]),
        np.concatenate([e.passage_vectors() for e in entries]),
        [row for e in entries for row in e.keyword_tokens()],
    )


def _keyword_index(folder: Path, live: dict[str, set[str]]) -> KeywordIndex:
    """BM25 over the live passages of every segment, in load order, from their stored tokens."""
    vocab: dict[str, int] = {}
    rows: list[list[int]] = []
    for name, doc_ids in live.items():
        segment_vocab, ids, offsets = segments.read_tokens(folder / name)
        positions = np.array([vocab.setdefault(t, len(vocab)) for t in segment_vocab.tolist()], dtype=np.int64)
        ids = positions[ids] if len(ids) else ids
        mask = segments.live_passages(segments.layout(folder / name), doc_ids)
        rows += [ids[offsets[i] : offsets[i + 1]].tolist() for i in np.flatnonzero(mask)]
    return KeywordIndex.from_token_ids(rows, vocab)
