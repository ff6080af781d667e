"""Build an index: read the folder, embed what is new or changed, hand the version to a store.

The store is picked by name (`open_store`): the embedded one on disk (embeddings/disk.py) or
PostgreSQL (embeddings/pgstore.py); both offer what embeddings/base.py declares.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from embeddings.base import PIPELINE_VERSION, Entry, IndexOfAnotherFolder, SearchableIndex, Store, built_by, folder_key
from embeddings.chunking import make_passages
from embeddings.disk import DiskStore
from embeddings.documents import SkippedFile, doc_id_for, file_digest, read_document, relative_files
from embeddings.model import DEFAULT_MODEL, TermEmbedder, TextEmbedder, make_embedder
from embeddings.pgstore import PgStore, is_database_url
from embeddings.terms import no_terms

log = logging.getLogger(__name__)


class NothingToIndex(Exception):
    """Not a single file could be indexed; the previous index, if any, is untouched."""


class StoreSettings(Protocol):
    """What open_store reads of the settings."""

    store: str  # a store's name, or a postgresql:// URL
    index_dir: Path


# Store name -> factory; a postgresql:// URL names the database store.
STORES: dict[str, Callable[[StoreSettings], Store]] = {
    "embedded": lambda settings: DiskStore(settings.index_dir),
    "postgresql": lambda settings: PgStore(settings.store),
}


def open_store(settings: StoreSettings) -> Store:
    """The store the settings name: "embedded" (index_dir on disk) or a postgresql:// URL."""
    name = "postgresql" if is_database_url(settings.store) else settings.store
    if name not in STORES:
        raise ValueError(f"unknown store {settings.store!r}; use {' or '.join(STORES)} (a postgresql:// URL)")
    return STORES[name](settings)


@dataclass
class _Where:
    store: str
    index_dir: Path


def store_at(index_dir: Path, database: str | None = None) -> Store:
    """The store in index_dir, or in the PostgreSQL database at that URL."""
    return open_store(_Where(database or "embedded", index_dir))


def load_index(index_dir: Path, database: str | None = None) -> SearchableIndex:
    """The live version of the index in index_dir, or in the PostgreSQL database at that URL."""
    return store_at(index_dir, database).load()


def live_version(index_dir: Path, database: str | None = None) -> str | None:
    """The name of the published version in index_dir (or the database), or None."""
    return store_at(index_dir, database).version()


@dataclass
class BuildReport:
    documents: int = 0
    passages: int = 0
    embedded_documents: int = 0
    reused_documents: int = 0
    removed_documents: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    changed: bool = False


def check_documents_folder(documents_dir: Path) -> None:
    """Raise NothingToIndex, saying why, unless documents_dir is a folder."""
    if documents_dir.is_file():
        raise NothingToIndex(f"{documents_dir} is a file, not a folder; give the folder that holds the articles")
    if not documents_dir.is_dir():
        raise NothingToIndex(f"documents folder {documents_dir} does not exist")


def check_same_folder(documents_dir: Path, store: Store) -> None:
    """Raise IndexOfAnotherFolder when the live index records another documents folder."""
    manifest = store.manifest()
    built_from = manifest.get("documents") if manifest else None
    if built_from is None or built_from == folder_key(documents_dir):
        return
    raise IndexOfAnotherFolder(
        f"the index in {store.where} was built from {built_from}, not {folder_key(documents_dir)}; "
        f"give that folder as --documents, or give {documents_dir} its own index: "
        f"leave out --index-dir (each folder gets one) or name an empty folder"
    )


def recorded_name(model_name: str | None, embedder: TextEmbedder | None) -> str:
    """The model an index built with this embedder records: the embedder's own, which a
    model_name given beside it must match (the index would claim vectors it does not hold)."""
    if embedder is None:
        return model_name or DEFAULT_MODEL
    if model_name not in (None, embedder.model_id):
        raise ValueError(f"model_name {model_name!r} is not the embedder's model {embedder.model_id!r}")
    return embedder.model_id


def build_index(
    documents_dir: Path,
    index_dir: Path,
    model_name: str | None = None,
    embedder: TextEmbedder | None = None,
    progress: bool = False,
    database: str | None = None,
) -> BuildReport:
    """Index documents_dir into index_dir (or the PostgreSQL database at that URL), with the
    embedder given or the model called model_name (by default, the embedder's or DEFAULT_MODEL)."""
    return build(documents_dir, store_at(index_dir, database), model_name, embedder, progress)


def build(
    documents_dir: Path,
    store: Store,
    model_name: str | None = None,
    embedder: TextEmbedder | None = None,
    progress: bool = False,
) -> BuildReport:
    """Index documents_dir into store, re-embedding only new or changed files. An index records
    the folder it was built from and is never rebuilt from another one."""
    model_name = recorded_name(model_name, embedder)
    check_documents_folder(documents_dir)
    check_same_folder(documents_dir, store)
    with store.build_lock():
        live = store.manifest()
        recorded = live if built_by(live, model_name, documents_dir) else None
        previous = store.previous_entries(model_name)
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
            _embed_missing(entries, embedder or make_embedder(model_name, quick_start=True), progress)
            record = {"model": model_name, "pipeline": PIPELINE_VERSION, "documents": folder_key(documents_dir)}
            store.write_version(entries, record | {"skipped": skipped})
        report.documents = len(entries)
        report.passages = store.passage_count(entries)
        return report


def _read_entries(documents_dir: Path, previous: dict[str, Entry], report: BuildReport) -> list[Entry]:
    entries: list[Entry] = []
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


def _read_entry(rel: str, folder: Path, old: Entry | None, report: BuildReport, first_with: dict) -> Entry:
    try:
        digest = file_digest(os.path.join(folder, rel))
    except OSError as exc:
        raise SkippedFile("cannot_read", error=exc.strerror or exc) from exc
    doc_id = doc_id_for(rel)
    for key, reason in ((doc_id, "same_id"), (digest, "same_content")):
        if key in first_with:
            raise SkippedFile(reason, first=first_with[key])
    if old is not None and old.digest == digest and old.doc_id == doc_id:
        report.reused_documents += 1
        return old
    document = read_document(folder / rel, folder)
    passages = make_passages(document)
    if not passages:
        raise SkippedFile("no_sentences")
    report.embedded_documents += 1
    return Entry(rel, digest, document.doc_id, document=document, passages=passages)


def _embed_missing(entries: list[Entry], embedder: TextEmbedder, progress: bool) -> None:
    todo = [e for e in entries if e.vectors is None and e.segment is None]
    if not todo:
        return
    texts = [e.texts_to_embed() for e in todo]  # each: the title, then every sentence
    vectors = _each_once([t for its in texts for t in its], embedder.embed_texts, "Embedding sentences", progress)
    sentences = [t for its in texts for t in its[1:]]
    if isinstance(embedder, TermEmbedder):
        terms = _each_once(sentences, embedder.embed_terms, "Reading latent terms", progress)
    else:
        terms = no_terms(len(sentences))
    row = sentence = 0
    for entry, its in zip(todo, texts, strict=True):
        entry.vectors, entry.terms = vectors[row : row + len(its)], terms[sentence : sentence + len(its) - 1]
        row, sentence = row + len(its), sentence + len(its) - 1


def _each_once(texts: list[str], embed: Callable[..., np.ndarray], what: str, progress: bool) -> np.ndarray:
    """embed's rows for texts, in order; a text repeated across articles (wire copy, boilerplate,
    quotes) is embedded once."""
    from tqdm.auto import tqdm

    distinct = list(dict.fromkeys(texts))
    with tqdm(total=len(distinct), desc=what, unit="sentence", disable=not progress) as bar:
        found = embed(distinct, on_batch=bar.update)
    position = {text: i for i, text in enumerate(distinct)}
    return found[[position[text] for text in texts]]


def _nothing_message(documents_dir: Path, report: BuildReport) -> str:
    if not report.skipped:
        return f"no article files found in {documents_dir} (supported: .txt, .md, .html)"
    reasons = "; ".join(f"{path}: {why}" for path, why in report.skipped[:5])
    return f"none of the {len(report.skipped)} files in {documents_dir} could be indexed ({reasons})"
