"""From a folder of articles to a searchable passage index. Knows nothing of chat or HTTP."""

from embeddings.chunking import Passage
from embeddings.documents import Document, SkippedFile
from embeddings.index import (
    BuildReport,
    Index,
    IndexNotFound,
    IndexOfAnotherFolder,
    NothingToIndex,
    build_index,
    check_documents_folder,
    is_current,
    live_version,
    load_index,
)
from embeddings.keyword import tokenize
from embeddings.model import DEFAULT_MODEL, Embedder, ModelNotFound
from embeddings.pgstore import DatabaseUnavailable
from embeddings.search import Hit, search

__all__ = [
    "DEFAULT_MODEL",
    "BuildReport",
    "DatabaseUnavailable",
    "Document",
    "Embedder",
    "Hit",
    "Index",
    "IndexNotFound",
    "IndexOfAnotherFolder",
    "ModelNotFound",
    "NothingToIndex",
    "Passage",
    "SkippedFile",
    "build_index",
    "check_documents_folder",
    "is_current",
    "live_version",
    "load_index",
    "search",
    "tokenize",
]
