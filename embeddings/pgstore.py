"""The index in PostgreSQL with pgvector, shared by every bot that points at the database.

Each version has three tables: llama-index's PGVectorStore table (passage text, passage vector
under an HNSW index, and a tsvector for full-text search, the keyword side of the hybrid), a
table of passages with their sentences' vectors, and a table of files (document, digest, and
every vector of the file, for incremental rebuilds). `newsbot_meta` says which version is live;
a build fills a new version and switches that pointer in one transaction.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from embeddings.base import Candidates, Entry, IndexNotFound, built_by, fused, keyword_text
from embeddings.chunking import Passage
from embeddings.documents import Document
from embeddings.keyword import TermStats, tokenize
from embeddings.terms import TERM

log = logging.getLogger(__name__)

SCHEMES = ("postgresql://", "postgres://")
HNSW = {"hnsw_m": 16, "hnsw_ef_construction": 64, "hnsw_ef_search": 100, "hnsw_dist_method": "vector_cosine_ops"}
KEEP_VERSIONS = 2
BATCH = 500
_LOCK_KEY = 7_300_417  # pg_advisory_lock key for builds


class DatabaseUnavailable(Exception):
    """The database cannot be reached or refuses the connection; the message says why."""


def is_database_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(SCHEMES)


def _driver_url(url: str, driver: str) -> str:
    return re.sub(r"^postgres(ql)?://", f"postgresql+{driver}://", url)


class PgStore:
    """Connection to the database and the SQL for versions, pointer and rows: the store of
    index versions in PostgreSQL."""

    where = "the database"

    def __init__(self, url: str) -> None:
        try:
            import llama_index.vector_stores.postgres  # noqa: F401
            from sqlalchemy import create_engine
        except ImportError:
            raise ImportError("the PostgreSQL store needs an extra: pip install 'newsbot[postgres]'") from None
        self.url = url
        self.engine = create_engine(_driver_url(url, "psycopg2"), pool_pre_ping=True, pool_size=4)

    def execute(self, sql: str, params: dict | list | None = None) -> Any:
        from sqlalchemy import text
        from sqlalchemy.exc import OperationalError

        try:
            with self.engine.begin() as connection:
                result = connection.execute(text(sql), params or {})
                return result.fetchall() if result.returns_rows else None
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise DatabaseUnavailable(f"cannot use the database: {reason}") from None

    def setup(self) -> None:
        self.execute("CREATE EXTENSION IF NOT EXISTS vector")
        self.execute("CREATE TABLE IF NOT EXISTS newsbot_meta (key text PRIMARY KEY, value jsonb NOT NULL)")

    def manifest(self) -> dict | None:
        """The live version's manifest ({"version", "model", "pipeline", "documents", "dim", "files"}), if any."""
        try:
            rows = self.execute("SELECT value FROM newsbot_meta WHERE key = 'current'")
        except Exception as exc:  # no meta table yet
            if "newsbot_meta" in str(exc):
                return None
            raise
        return rows[0][0] if rows else None

    def version(self) -> str | None:
        manifest = self.manifest()
        return str(manifest["version"]) if manifest else None

    def is_current(self, model_name: str, documents_dir: Path | None = None) -> bool:
        return built_by(self.manifest(), model_name, documents_dir)

    def load(self) -> PgIndex:
        return PgIndex(self.url)

    def previous_entries(self, model_name: str) -> dict[str, Entry]:
        return {
            path: Entry(
                path, digest, document.doc_id, document=document, passages=passages, vectors=vectors, terms=terms
            )
            for path, digest, document, passages, vectors, terms in _previous_files(self, model_name)
        }

    def write_version(self, entries: list[Entry], record: dict) -> None:
        _write_version(self, entries, record)

    def passage_count(self, entries: list[Entry]) -> int:
        return sum(len(e.passages) for e in entries)

    def vector_store(self, version: int, dim: int, create: bool = False):
        from llama_index.vector_stores.postgres import PGVectorStore

        return PGVectorStore.from_params(
            connection_string=_driver_url(self.url, "psycopg2"),
            async_connection_string=_driver_url(self.url, "asyncpg"),
            table_name=f"newsbot_v{version}",
            embed_dim=dim,
            hybrid_search=True,
            text_search_config="english",
            hnsw_kwargs=dict(HNSW),
            perform_setup=create,
        )

    @contextmanager
    def build_lock(self) -> Iterator[None]:
        from sqlalchemy import text

        with self.engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})

    def drop_version(self, version: int) -> None:
        for table in (f"data_newsbot_v{version}", f"newsbot_v{version}_passages", f"newsbot_v{version}_files"):
            self.execute(f"DROP TABLE IF EXISTS {table}")


def _write_version(pg: PgStore, entries: Sequence[Entry], record: dict) -> None:
    """Store entries (files with documents, passages and vectors) as a new version with record
    (model, pipeline, documents folder, skipped files) and make it live."""
    pg.setup()
    previous = pg.manifest()
    version = (previous["version"] + 1) if previous else 1
    dim = int(entries[0].embedded.shape[1])
    pg.drop_version(version)  # leftovers of a build that died before publishing
    try:
        _create_tables(pg, version)
        store = pg.vector_store(version, dim, create=True)
        nodes, rows = _passage_rows(entries)
        for i in range(0, len(nodes), BATCH):
            store.add(nodes[i : i + BATCH])
        _insert(pg, f"newsbot_v{version}_passages", rows)
        _insert(pg, f"newsbot_v{version}_files", [_file_row(entry) for entry in entries])
        files = {e.path: {"digest": e.digest, "doc_id": e.read.doc_id} for e in entries}
        manifest = {"version": version, "model": record["model"], "pipeline": record["pipeline"]}
        manifest |= {"documents": record["documents"], "dim": dim, "files": files, "skipped": record["skipped"]}
        manifest["doc_freq"], manifest["size"] = _term_stats(nodes)
        pg.execute(
            "INSERT INTO newsbot_meta (key, value) VALUES ('current', CAST(:value AS jsonb)) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            {"value": json.dumps(manifest)},
        )
    except BaseException:
        pg.drop_version(version)
        raise
    if version > KEEP_VERSIONS:
        pg.drop_version(version - KEEP_VERSIONS)


def _passage_rows(entries: Sequence[Entry]) -> tuple[list, list[dict]]:
    """llama-index nodes (keyword text and passage vector) and rows of the passages table
    (passage and its sentences' vectors), numbered in order."""
    from llama_index.core.schema import TextNode

    nodes: list = []
    rows: list[dict] = []
    for entry in entries:
        sentence_vectors, sentence_terms, start = entry.embedded[1:], entry.embedded_terms, 0
        for passage, vector in zip(entry.passages, entry.passage_vectors(), strict=True):
            row, size = len(rows), len(passage.sentences)
            nodes.append(
                TextNode(
                    id_=f"r{row}",
                    text=keyword_text(passage, entry.read),
                    embedding=vector.tolist(),
                    metadata={"row": row},
                    excluded_embed_metadata_keys=["row"],
                    excluded_llm_metadata_keys=["row"],
                )
            )
            vectors = sentence_vectors[start : start + size].astype(np.float32)
            terms = sentence_terms[start : start + size]
            rows.append(
                {"row": row, "passage": json.dumps(passage.to_dict()), "vectors": vectors.tobytes()}
                | _terms_columns(terms)
            )
            start += size
    return nodes, rows


def _create_tables(pg: PgStore, version: int) -> None:
    pg.execute(
        f"CREATE TABLE newsbot_v{version}_passages "
        "(row integer PRIMARY KEY, passage jsonb, vectors bytea, terms bytea, term_width integer)"
    )
    pg.execute(
        f"CREATE TABLE newsbot_v{version}_files (path text PRIMARY KEY, digest text, document jsonb, passages jsonb, "
        "vectors bytea, dim integer, terms bytea, term_width integer)"
    )


def _file_row(entry: Entry) -> dict:
    return {
        "path": entry.path,
        "digest": entry.digest,
        "document": json.dumps(entry.read.to_dict()),
        "passages": json.dumps([p.to_dict() for p in entry.passages]),
        "vectors": entry.embedded.astype(np.float32).tobytes(),
        "dim": int(entry.embedded.shape[1]),
    } | _terms_columns(entry.embedded_terms)


def _terms_columns(terms: np.ndarray) -> dict:
    """Latent terms (embeddings/terms.py) as stored: their bytes, and how many a sentence."""
    return {"terms": terms.tobytes(), "term_width": int(terms.shape[1])}


def _terms_from(stored: bytes, sentences: int, width: int) -> np.ndarray:
    return np.frombuffer(stored, dtype=TERM).reshape(sentences, width)


def _insert(pg: PgStore, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    casts = [f"CAST(:{c} AS jsonb)" if c in ("passage", "document", "passages") else f":{c}" for c in columns]
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(casts)})"
    for i in range(0, len(rows), BATCH):
        pg.execute(sql, rows[i : i + BATCH])


def _term_stats(nodes) -> tuple[dict[str, int], int]:
    """Document frequencies of the same stemmed terms the embedded index counts."""
    from collections import Counter

    counts = Counter(term for node in nodes for term in set(tokenize(node.text)))
    return dict(counts), len(nodes)


def _previous_files(pg: PgStore, model_name: str) -> list[tuple[str, str, Document, list[Passage], Any, Any]]:
    """(path, digest, document, passages, vectors, latent terms) of every file in the live
    version, when it was built with this model and pipeline; else nothing, so everything is
    embedded again."""
    manifest = pg.manifest()
    if manifest is None or not built_by(manifest, model_name):
        return []
    table = f"newsbot_v{manifest['version']}_files"
    rows = pg.execute(f"SELECT path, digest, document, passages, vectors, dim, terms, term_width FROM {table}")
    files = []
    for path, digest, document, stored_passages, vectors, dim, terms, width in rows:
        passages = [Passage.from_dict(p) for p in stored_passages]
        sentences = sum(len(p.sentences) for p in passages)
        embedded = np.frombuffer(vectors, dtype=np.float32).reshape(-1, dim)
        files.append(
            (path, digest, Document.from_dict(document), passages, embedded, _terms_from(terms, sentences, width))
        )
    return files


class PgIndex:
    """The live version in the database, with the same interface as the embedded Index:
    first-stage retrieval runs in PostgreSQL (HNSW, full-text search); rows it returns are
    fetched once and kept. One object serves one version; `Bot` swaps in a newer one."""

    def __init__(self, url: str) -> None:
        self.pg = PgStore(url)
        self._load(self._manifest())

    def _manifest(self) -> dict:
        manifest = self.pg.manifest()
        if manifest is None:
            raise IndexNotFound("no index in the database yet; run `newsbot index`")
        return manifest

    def _load(self, manifest: dict) -> None:
        self.version = manifest["version"]
        self.model_name = manifest["model"]
        self.files = manifest["files"]
        self.skipped = [tuple(pair) for pair in manifest.get("skipped", [])]
        self.keyword = TermStats(manifest["doc_freq"], manifest["size"])
        rows = self.pg.execute(f"SELECT document FROM newsbot_v{self.version}_files")
        self.documents = {d["doc_id"]: Document.from_dict(d) for (d,) in rows}
        self.passages = _Rows(self, manifest["size"])
        self._rows: dict[int, tuple[Passage, np.ndarray, np.ndarray, np.ndarray]] = {}
        self._store = self.pg.vector_store(self.version, manifest["dim"])

    def candidates(self, query: str, query_vector: np.ndarray, n: int):
        from llama_index.core.vector_stores.types import VectorStoreQuery, VectorStoreQueryMode

        dense_hits = self._store.query(VectorStoreQuery(query_embedding=query_vector.tolist(), similarity_top_k=n))
        keyword: dict[int, float] = {}
        if re.search(r"\w", query):
            sparse = VectorStoreQuery(query_str=query, sparse_top_k=n, mode=VectorStoreQueryMode.SPARSE)
            sparse_hits = self._store.query(sparse)
            keyword = {n.metadata["row"]: s for n, s in zip(sparse_hits.nodes, sparse_hits.similarities, strict=True)}
        rows = list(dict.fromkeys([node.metadata["row"] for node in dense_hits.nodes] + list(keyword)))
        self._fetch(rows)
        top = max(keyword.values(), default=0.0) or 1.0
        dense = np.array([float(self.vector(r) @ query_vector) for r in rows], dtype=np.float32)
        kw = np.array([keyword.get(r, 0.0) / top for r in rows], dtype=np.float32)
        order = np.argsort(-fused(dense, kw), kind="stable")[:n]
        return Candidates(np.array(rows, dtype=np.int64)[order], dense[order], kw[order])

    def _fetch(self, rows: Sequence[int]) -> None:
        missing = [int(r) for r in rows if r not in self._rows]
        if not missing:
            return
        found = self.pg.execute(
            f"SELECT p.row, p.passage, p.vectors, p.terms, p.term_width, d.embedding::text "
            f"FROM newsbot_v{self.version}_passages p "
            f"JOIN data_newsbot_v{self.version} d ON d.node_id = 'r' || p.row WHERE p.row = ANY(:rows)",
            {"rows": missing},
        )
        for row, passage, vectors, terms, width, embedding in found:
            vector = np.asarray(json.loads(embedding), dtype=np.float32)  # pgvector's text form is a JSON list
            sentences = np.frombuffer(vectors, dtype=np.float32).reshape(-1, len(vector))
            terms = _terms_from(terms, len(sentences), width)
            self._rows[row] = (Passage.from_dict(passage), sentences, vector, terms)

    def row(self, row: int) -> tuple[Passage, np.ndarray, np.ndarray, np.ndarray]:
        self._fetch([row])
        return self._rows[row]

    def document_of(self, passage: Passage) -> Document:
        return self.documents[passage.doc_id]

    def sentence_vectors_of(self, row: int) -> np.ndarray:
        return self.row(row)[1]

    def sentence_terms_of(self, row: int) -> np.ndarray:
        return self.row(row)[3]

    def vector(self, row: int) -> np.ndarray:
        return self.row(row)[2]


class _Rows(Sequence):
    """index.passages for the database: rows fetched on first use."""

    def __init__(self, index: PgIndex, size: int) -> None:
        self._index = index
        self._size = size

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, row):  # type: ignore[override]
        if isinstance(row, slice):
            return [self[r] for r in range(*row.indices(self._size))]
        if not 0 <= row < self._size:
            raise IndexError(row)
        return self._index.row(int(row))[0]
