"""Build, update and load the on-disk passage index."""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from embeddings import pgstore, segments, store
from embeddings.chunking import Passage, make_passages
from embeddings.documents import Document, SkippedFile, doc_id_for, file_digest, read_document, relative_files
from embeddings.keyword import EMPTY, KeywordIndex, tokenize
from embeddings.model import DEFAULT_MODEL, Embedder, unit_vector

log = logging.getLogger(__name__)

# Bump when reading, cleaning or chunking changes, so every file is re-read.
PIPELINE_VERSION = 10
KEYWORD_WEIGHT = 0.3  # of max-normalised BM25, added to the cosine similarity
SEGMENTS = "segments"


class IndexNotFound(Exception):
    """No index has been built in this folder yet."""


class NothingToIndex(Exception):
    """Not a single file could be indexed; the previous index, if any, is untouched."""


class IndexOfAnotherFolder(Exception):
    """The index was built from another documents folder; answering from it would answer about
    articles the user did not point at."""


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

    def vector(self, row: int) -> np.ndarray:
        return self.vectors[row]

    def candidates(self, query: str, query_vector: np.ndarray, n: int) -> Candidates:
        """The n passages with the best fused dense and keyword score, best first."""
        dense = self.vectors @ query_vector
        keyword = self.keyword.scores(tokenize(query))
        top = float(keyword.max()) if len(keyword) else 0.0
        keyword = keyword / top if top > 0 else keyword
        rows = _best_rows(dense + KEYWORD_WEIGHT * keyword, n)
        return Candidates(rows, dense[rows], keyword[rows])


@dataclass(frozen=True)
class Candidates:
    """Passage rows from first-stage retrieval with their dense and normalised keyword scores."""

    rows: np.ndarray
    dense: np.ndarray
    keyword: np.ndarray


def _best_rows(scores: np.ndarray, n: int) -> np.ndarray:
    n = min(n, len(scores))
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    rows = np.argpartition(-scores, n - 1)[:n]
    return rows[np.argsort(-scores[rows], kind="stable")]


@dataclass
class BuildReport:
    documents: int = 0
    passages: int = 0
    embedded_documents: int = 0
    reused_documents: int = 0
    removed_documents: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    changed: bool = False


TITLE_WEIGHT = 0.5


@dataclass
class _Entry:
    """One indexed file. A file kept from the previous version is known by its segment alone;
    a new or changed one (or one whose segment is merged) carries its document, passages and
    vectors: row 0 the title's, then every sentence of every passage."""

    path: str
    digest: str
    doc_id: str
    segment: str | None = None
    document: Document | None = None
    passages: list[Passage] = field(default_factory=list)
    vectors: np.ndarray | None = None
    known_passage_vectors: np.ndarray | None = None  # from the previous version, when unchanged
    tokens: list[list[str]] | None = None

    def texts_to_embed(self) -> list[str]:
        text = self.document.text
        return [self.document.title] + [text[s:e] for p in self.passages for s, e in p.sentences]

    def passage_vectors(self) -> np.ndarray:
        if self.known_passage_vectors is not None:
            return self.known_passage_vectors
        title, sentences = self.vectors[0], self.vectors[1:]
        rows, start = [], 0
        for passage in self.passages:
            mean = sentences[start : start + len(passage.sentences)].mean(axis=0)
            rows.append(unit_vector(unit_vector(mean) + TITLE_WEIGHT * title))
            start += len(passage.sentences)
        return np.asarray(rows, dtype=np.float32)

    def keyword_tokens(self) -> list[list[str]]:
        if self.tokens is None:
            self.tokens = [tokenize(keyword_text(p, self.document)) or [EMPTY] for p in self.passages]
        return self.tokens


def keyword_text(passage: Passage, document: Document) -> str:
    """What keyword search sees: the headline gives a passage its topic."""
    return f"{document.title}\n{passage.text}"


def check_documents_folder(documents_dir: Path) -> None:
    """Raise NothingToIndex, saying why, unless documents_dir is a folder."""
    if documents_dir.is_file():
        raise NothingToIndex(f"{documents_dir} is a file, not a folder; give the folder that holds the articles")
    if not documents_dir.is_dir():
        raise NothingToIndex(f"documents folder {documents_dir} does not exist")


def is_current(
    index_dir: Path, model_name: str, database: str | None = None, documents_dir: Path | None = None
) -> bool:
    """Was the live index built by this version of the pipeline with this model (and, when
    given, from documents_dir)?"""
    return _built_by(_live_manifest(index_dir, database), model_name, documents_dir)


def _built_by(manifest: dict | None, model_name: str, documents_dir: Path | None) -> bool:
    if not manifest or manifest.get("pipeline") != PIPELINE_VERSION or manifest.get("model") != model_name:
        return False
    return documents_dir is None or manifest.get("documents") == _folder_key(documents_dir)


def check_same_folder(documents_dir: Path, index_dir: Path, database: str | None = None) -> None:
    """Raise IndexOfAnotherFolder when the live index records another documents folder."""
    manifest = _live_manifest(index_dir, database)
    built_from = manifest.get("documents") if manifest else None
    if built_from is None or built_from == _folder_key(documents_dir):
        return
    where = "the database" if database else str(index_dir)
    raise IndexOfAnotherFolder(
        f"the index in {where} was built from {built_from}, not {_folder_key(documents_dir)}; "
        f"give that folder as --documents, or give {documents_dir} its own index: "
        f"leave out --index-dir (each folder gets one) or name an empty folder"
    )


def _folder_key(documents_dir: Path) -> str:
    return str(documents_dir.resolve())


def _live_manifest(index_dir: Path, database: str | None) -> dict | None:
    if database:
        return pgstore.PgStore(database).manifest()
    version = store.current_version(index_dir)
    return store.read_json(version / "manifest.json") if version else None


def live_version(index_dir: Path, database: str | None = None) -> str | None:
    """The name of the published version (it changes whenever a build publishes), or None."""
    if database:
        manifest = pgstore.PgStore(database).manifest()
        return str(manifest["version"]) if manifest else None
    version = store.current_version(index_dir)
    return version.name if version else None


def load_index(index_dir: Path, database: str | None = None) -> Index:
    """Load the live version of the index in index_dir, or in the PostgreSQL database at that URL."""
    if database:
        return pgstore.PgIndex(database)
    version = store.current_version(index_dir)
    if version is None:
        raise IndexNotFound(f"no index in {index_dir}; run `newsbot index` first")
    manifest = store.read_json(version / "manifest.json")
    if manifest.get("pipeline") != PIPELINE_VERSION:
        raise IndexNotFound(f"the index in {index_dir} was built by another version of newsbot; run `newsbot index`")
    live = _live_documents(manifest)
    parts = [_live_part(version / SEGMENTS / name, live[name]) for name in manifest["segments"]]
    documents = {d.doc_id: d for part in parts for d in part.documents}
    passages = [p for part in parts for p in part.passages]
    sentence_rows = np.cumsum([0] + [len(p.sentences) for p in passages])[:-1]
    return Index(
        documents,
        passages,
        _concatenate([part.passage_vectors for part in parts]),
        _concatenate([part.sentence_vectors for part in parts]),
        sentence_rows,
        KeywordIndex.load(version / "keyword"),
        manifest["model"],
        manifest["files"],
        version.name,
        [tuple(pair) for pair in manifest.get("skipped", [])],
    )


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
        data.passage_vectors[passage_mask],
        [],
    )


def _concatenate(arrays: list[np.ndarray]) -> np.ndarray:
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


def build_index(
    documents_dir: Path,
    index_dir: Path,
    model_name: str = DEFAULT_MODEL,
    embedder: Embedder | None = None,
    progress: bool = False,
    database: str | None = None,
) -> BuildReport:
    """Index documents_dir into index_dir (or the PostgreSQL database at that URL),
    re-embedding only new or changed files. An index records the folder it was built from and
    is never rebuilt from another one."""
    check_documents_folder(documents_dir)
    check_same_folder(documents_dir, index_dir, database)
    lock = pgstore.PgStore(database).build_lock() if database else _build_lock(index_dir)
    with lock:
        live = _live_manifest(index_dir, database)
        recorded = live if _built_by(live, model_name, documents_dir) else None
        previous = _database_entries(database, model_name) if database else _previous_entries(index_dir, model_name)
        report = BuildReport()
        entries = _read_entries(documents_dir, previous, report)
        if not entries:
            raise NothingToIndex(_nothing_message(documents_dir, report))
        report.removed_documents = len(set(previous) - {e.path for e in entries})
        # An index that does not yet record its folder and the files it skipped as they are now
        # is published again, even when no file changed.
        skipped = [list(pair) for pair in report.skipped]
        up_to_date = recorded is not None and recorded.get("skipped", []) == skipped
        report.changed = bool(report.embedded_documents or report.removed_documents) or not up_to_date
        if report.changed:
            merged = set() if database else _merge_segments(index_dir, entries)
            folder = _folder_key(documents_dir)
            _embed_missing(entries, embedder or Embedder(model_name, quick_start=True), progress)
            if database:
                pgstore.write_version(database, entries, model_name, PIPELINE_VERSION, keyword_text, folder, skipped)
            else:
                _write_version(index_dir, entries, model_name, merged, folder, skipped)
        report.documents = len(entries)
        report.passages = _passage_count(index_dir, entries, database)
        return report


@contextmanager
def _build_lock(index_dir: Path) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _previous_entries(index_dir: Path, model_name: str) -> dict[str, _Entry]:
    """The files of the live version, known by segment, when it was built with this model and
    pipeline; else nothing, so everything is embedded again."""
    version = store.current_version(index_dir)
    if version is None:
        return {}
    try:
        manifest = store.read_json(version / "manifest.json")
        if manifest.get("model") != model_name or manifest.get("pipeline") != PIPELINE_VERSION:
            return {}
        for name in manifest["segments"]:
            segments.layout(version / SEGMENTS / name)
        files = manifest["files"]
        return {path: _Entry(path, i["digest"], i["doc_id"], i["segment"]) for path, i in files.items()}
    except Exception as exc:  # a damaged index is rebuilt, not fatal
        log.warning("previous index unreadable (%s); rebuilding from scratch", exc)
        return {}


def _database_entries(database: str, model_name: str) -> dict[str, _Entry]:
    files = pgstore.previous_files(database, model_name, PIPELINE_VERSION)
    return {
        path: _Entry(path, digest, document.doc_id, document=document, passages=passages, vectors=vectors)
        for path, digest, document, passages, vectors in files
    }


def _read_entries(documents_dir: Path, previous: dict[str, _Entry], report: BuildReport) -> list[_Entry]:
    entries: list[_Entry] = []
    first_with: dict[str, str] = {}  # document id or content digest -> the file that had it first
    for rel in relative_files(documents_dir):
        try:
            entry = _read_entry(rel, documents_dir, previous.get(rel), report, first_with)
        except SkippedFile as exc:
            log.info("skipped %s: %s", rel, exc)  # the report lists them; callers show them
            report.skipped.append((rel, str(exc)))
            continue
        first_with.update({entry.doc_id: rel, entry.digest: rel})
        entries.append(entry)
    return entries


def _read_entry(rel: str, folder: Path, old: _Entry | None, report: BuildReport, first_with: dict) -> _Entry:
    try:
        digest = file_digest(os.path.join(folder, rel))
    except OSError as exc:
        raise SkippedFile(f"cannot read file: {exc.strerror or exc}") from exc
    doc_id = doc_id_for(rel)
    for key, what in ((doc_id, "document id"), (digest, "content")):
        if key in first_with:
            raise SkippedFile(f"same {what} as {first_with[key]}")
    if old is not None and old.digest == digest and old.doc_id == doc_id:
        report.reused_documents += 1
        return old
    document = read_document(folder / rel, folder)
    passages = make_passages(document)
    if not passages:
        raise SkippedFile("no sentences found in the article text")
    report.embedded_documents += 1
    return _Entry(rel, digest, document.doc_id, document=document, passages=passages)


def _merge_segments(index_dir: Path, entries: list[_Entry]) -> set[str]:
    """Choose the previous version's segments to rewrite into the new one, and load their
    entries' documents, passages, vectors and tokens so they can be."""
    version = store.current_version(index_dir)
    kept = [e for e in entries if e.segment is not None]
    if version is None or not kept:
        return set()
    manifest = store.read_json(version / "manifest.json")
    live: dict[str, set[str]] = {name: set() for name in manifest["segments"]}
    for entry in kept:
        live[entry.segment].add(entry.doc_id)
    sizes = {}
    for name, doc_ids in live.items():
        docs = segments.layout(version / SEGMENTS / name)
        sizes[name] = (sum(d["passages"] for d in docs if d["doc_id"] in doc_ids), sum(d["passages"] for d in docs))
    merged = segments.to_merge(sizes)
    for name in merged:
        _load_entries(version / SEGMENTS / name, [e for e in kept if e.segment == name])
    return merged


def _load_entries(folder: Path, entries: list[_Entry]) -> None:
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
        entry.known_passage_vectors = data.passage_vectors[first : first + count]
        entry.tokens = data.tokens[first : first + count]
        entry.segment = None


def _embed_missing(entries: list[_Entry], embedder: Embedder, progress: bool) -> None:
    todo = [e for e in entries if e.vectors is None and e.segment is None]
    texts = [text for e in todo for text in e.texts_to_embed()]
    if not texts:
        return
    from tqdm.auto import tqdm

    # A sentence repeated across articles (wire copy, boilerplate, quotes) is embedded once.
    distinct = list(dict.fromkeys(texts))
    with tqdm(total=len(distinct), desc="Embedding sentences", unit="sentence", disable=not progress) as bar:
        found = embedder.embed_texts(distinct, on_batch=bar.update)
    position = {text: i for i, text in enumerate(distinct)}
    vectors = found[[position[text] for text in texts]]
    row = 0
    for entry in todo:
        size = 1 + sum(len(p.sentences) for p in entry.passages)
        entry.vectors = vectors[row : row + size]
        row += size


def _write_version(
    index_dir: Path, entries: list[_Entry], model_name: str, merged: set[str], folder: str, skipped: list
) -> None:
    """Publish a version: the previous version's unchanged segments, linked, plus one new
    segment for new, changed and merged files; the keyword index over all of them."""
    previous = store.current_version(index_dir)
    staged = store.staging_dir(index_dir)
    try:
        names = list(dict.fromkeys(e.segment for e in entries if e.segment is not None))
        for name in names:
            segments.link(previous / SEGMENTS / name, staged / SEGMENTS / name)
        fresh = [e for e in entries if e.segment is None]
        if fresh:
            name = segments.new_name()
            segments.write(staged / SEGMENTS / name, _segment_data(fresh))
            for entry in fresh:
                entry.segment = name
            names.append(name)
        files = {e.path: {"digest": e.digest, "doc_id": e.doc_id, "segment": e.segment} for e in entries}
        manifest = {"model": model_name, "pipeline": PIPELINE_VERSION, "documents": folder, "skipped": skipped}
        manifest |= {"segments": names, "files": files}
        (staged / "keyword").mkdir()
        _keyword_index(staged / SEGMENTS, _live_documents(manifest)).save(staged / "keyword")
        store.write_json(staged / "manifest.json", manifest)
    except BaseException:
        store.discard(staged)
        raise
    store.publish(index_dir, staged)


def _segment_data(entries: list[_Entry]) -> segments.SegmentData:
    return segments.SegmentData(
        [e.document for e in entries],
        [p for e in entries for p in e.passages],
        np.stack([e.vectors[0] for e in entries]),
        np.concatenate([e.vectors[1:] for e in entries]),
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


def _passage_count(index_dir: Path, entries: list[_Entry], database: str | None) -> int:
    if database:
        return sum(len(e.passages) for e in entries)
    version = store.current_version(index_dir)
    manifest = store.read_json(version / "manifest.json")
    live = _live_documents(manifest)
    return sum(int(segments.live_passages(segments.layout(version / SEGMENTS / n), d).sum()) for n, d in live.items())


def _nothing_message(documents_dir: Path, report: BuildReport) -> str:
    if not report.skipped:
        return f"no article files found in {documents_dir} (supported: .txt, .md, .html)"
    reasons = "; ".join(f"{path}: {why}" for path, why in report.skipped[:5])
    return f"none of the {len(report.skipped)} files in {documents_dir} could be indexed ({reasons})"
