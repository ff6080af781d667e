"""Build, update and load the on-disk passage index."""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from embeddings import pgstore, store
from embeddings.chunking import Passage, make_passages
from embeddings.documents import Document, SkippedFile, doc_id_for, file_digest, list_files, read_document
from embeddings.keyword import KeywordIndex, tokenize
from embeddings.model import DEFAULT_MODEL, Embedder, unit_vector

log = logging.getLogger(__name__)

# Bump when reading, cleaning or chunking changes, so every file is re-read.
PIPELINE_VERSION = 8
KEYWORD_WEIGHT = 0.3  # of max-normalised BM25, added to the cosine similarity


class IndexNotFound(Exception):
    """No index has been built in this folder yet."""


class NothingToIndex(Exception):
    """Not a single file could be indexed; the previous index, if any, is untouched."""


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
    """One indexed file: its document, passages, and the vectors of its title and sentences."""

    path: str
    digest: str
    document: Document
    passages: list[Passage]
    vectors: np.ndarray | None = None  # row 0: title; then every sentence of every passage
    known_passage_vectors: np.ndarray | None = None  # from the previous version, when unchanged

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


def keyword_text(passage: Passage, document: Document) -> str:
    """What keyword search sees: the headline gives a passage its topic."""
    return f"{document.title}\n{passage.text}"


def is_current(index_dir: Path, model_name: str, database: str | None = None) -> bool:
    """Was the live index built by this version of the pipeline with this model?"""
    if database:
        manifest = pgstore.PgStore(database).manifest()
    else:
        version = store.current_version(index_dir)
        manifest = store.read_json(version / "manifest.json") if version else None
    return bool(manifest) and manifest.get("pipeline") == PIPELINE_VERSION and manifest.get("model") == model_name


def load_index(index_dir: Path, database: str | None = None) -> Index:
    """Load the live version of the index in index_dir, or in the PostgreSQL database at that URL."""
    if database:
        return pgstore.PgIndex(database)
    version = store.current_version(index_dir)
    if version is None:
        raise IndexNotFound(f"no index in {index_dir}; run `newsbot index` first")
    manifest = store.read_json(version / "manifest.json")
    documents = {d["doc_id"]: Document.from_dict(d) for d in store.read_json(version / "documents.json")}
    passages = [Passage.from_dict(p) for p in store.read_json(version / "passages.json")]
    vectors = np.load(version / "passage_vectors.npy")
    sentence_vectors = np.load(version / "sentence_vectors.npy")
    sentence_rows = np.cumsum([0] + [len(p.sentences) for p in passages])[:-1]
    keyword = KeywordIndex.load(version / "keyword")
    return Index(
        documents, passages, vectors, sentence_vectors, sentence_rows, keyword, manifest["model"], manifest["files"]
    )


def build_index(
    documents_dir: Path,
    index_dir: Path,
    model_name: str = DEFAULT_MODEL,
    embedder: Embedder | None = None,
    progress: bool = False,
    database: str | None = None,
) -> BuildReport:
    """Index documents_dir into index_dir (or the PostgreSQL database at that URL),
    re-embedding only new or changed files."""
    if not documents_dir.is_dir():
        raise NothingToIndex(f"documents folder {documents_dir} does not exist")
    lock = pgstore.PgStore(database).build_lock() if database else _build_lock(index_dir)
    with lock:
        previous = _database_entries(database, model_name) if database else _previous_entries(index_dir, model_name)
        report = BuildReport()
        entries = _read_entries(documents_dir, previous, report)
        if not entries:
            raise NothingToIndex(_nothing_message(documents_dir, report))
        report.removed_documents = len(set(previous) - {e.path for e in entries})
        report.changed = bool(report.embedded_documents or report.removed_documents)
        if report.changed:
            _embed_missing(entries, embedder or Embedder(model_name), progress)
            if database:
                pgstore.write_version(database, entries, model_name, PIPELINE_VERSION, keyword_text)
            else:
                _write_version(index_dir, entries, model_name)
        report.documents = len(entries)
        report.passages = sum(len(e.passages) for e in entries)
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
    try:
        index = load_index(index_dir)
    except IndexNotFound:
        return {}
    except Exception as exc:  # a damaged index is rebuilt, not fatal
        log.warning("previous index unreadable (%s); rebuilding from scratch", exc)
        return {}
    manifest = store.read_json(store.current_version(index_dir) / "manifest.json")
    if index.model_name != model_name or manifest.get("pipeline") != PIPELINE_VERSION:
        return {}
    rows_by_doc: dict[str, list[int]] = {}
    for row, passage in enumerate(index.passages):
        rows_by_doc.setdefault(passage.doc_id, []).append(row)
    titles = np.load(store.current_version(index_dir) / "title_vectors.npy")
    entries = {}
    for number, (path, info) in enumerate(index.files.items()):
        rows = rows_by_doc.get(info["doc_id"], [])
        passages = [index.passages[r] for r in rows]
        sentences = [index.sentence_vectors_of(r) for r in rows]
        vectors = np.concatenate([titles[number : number + 1], *sentences])
        document = index.documents[info["doc_id"]]
        entries[path] = _Entry(path, info["digest"], document, passages, vectors, index.vectors[rows])
    return entries


def _database_entries(database: str, model_name: str) -> dict[str, _Entry]:
    files = pgstore.previous_files(database, model_name, PIPELINE_VERSION)
    return {entry[0]: _Entry(*entry) for entry in files}


def _read_entries(documents_dir: Path, previous: dict[str, _Entry], report: BuildReport) -> list[_Entry]:
    entries: list[_Entry] = []
    seen_ids: set[str] = set()
    for path in list_files(documents_dir):
        rel = path.relative_to(documents_dir).as_posix()
        try:
            entry = _read_entry(path, rel, documents_dir, previous.get(rel), report)
        except SkippedFile as exc:
            log.warning("skipped %s: %s", rel, exc)
            report.skipped.append((rel, str(exc)))
            continue
        if entry.document.doc_id in seen_ids:
            report.skipped.append((rel, f"same document id as another file ({entry.document.doc_id})"))
            continue
        seen_ids.add(entry.document.doc_id)
        entries.append(entry)
    return entries


def _read_entry(path: Path, rel: str, folder: Path, old: _Entry | None, report: BuildReport) -> _Entry:
    try:
        digest = file_digest(path)
    except OSError as exc:
        raise SkippedFile(f"cannot read file: {exc.strerror or exc}") from exc
    if old is not None and old.digest == digest and old.document.doc_id == doc_id_for(path, folder):
        report.reused_documents += 1
        return old
    document = read_document(path, folder)
    passages = make_passages(document)
    if not passages:
        raise SkippedFile("no sentences found in the article text")
    report.embedded_documents += 1
    return _Entry(rel, digest, document, passages)


def _embed_missing(entries: list[_Entry], embedder: Embedder, progress: bool) -> None:
    todo = [e for e in entries if e.vectors is None]
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


def _write_version(index_dir: Path, entries: list[_Entry], model_name: str) -> None:
    staged = store.staging_dir(index_dir)
    try:
        passages = [p for e in entries for p in e.passages]
        texts = [keyword_text(p, e.document) for e in entries for p in e.passages]
        np.save(staged / "passage_vectors.npy", np.concatenate([e.passage_vectors() for e in entries]))
        np.save(staged / "sentence_vectors.npy", np.concatenate([e.vectors[1:] for e in entries]))
        np.save(staged / "title_vectors.npy", np.stack([e.vectors[0] for e in entries]))
        store.write_json(staged / "passages.json", [p.to_dict() for p in passages])
        store.write_json(staged / "documents.json", [e.document.to_dict() for e in entries])
        (staged / "keyword").mkdir()
        KeywordIndex.build(texts).save(staged / "keyword")
        files = {e.path: {"digest": e.digest, "doc_id": e.document.doc_id} for e in entries}
        manifest = {"model": model_name, "pipeline": PIPELINE_VERSION, "files": files}
        store.write_json(staged / "manifest.json", manifest)
    except BaseException:
        store.discard(staged)
        raise
    store.publish(index_dir, staged)


def _nothing_message(documents_dir: Path, report: BuildReport) -> str:
    if not report.skipped:
        return f"no article files found in {documents_dir} (supported: .txt, .md, .html)"
    reasons = "; ".join(f"{path}: {why}" for path, why in report.skipped[:5])
    return f"none of the {len(report.skipped)} files in {documents_dir} could be indexed ({reasons})"
