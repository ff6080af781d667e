"""From a folder of articles to a searchable passage index. Knows nothing of chat or HTTP."""

from embeddings.base import (
    IndexNotFound,
    IndexOfAnotherFolder,
    ModelMismatch,
    SearchableIndex,
    Store,
    check_model,
    check_recorded_model,
)
from embeddings.chunking import Passage
from embeddings.dates import days_named, resolve_dates, weekdays_named
from embeddings.disk import Index
from embeddings.documents import UNKNOWN_SOURCE, Document, SkippedFile, list_files, skip_reason
from embeddings.e5_weights import e5_encoder
from embeddings.index import (
    BuildReport,
    NothingToIndex,
    build,
    build_index,
    check_documents_folder,
    live_version,
    load_index,
    open_store,
)
from embeddings.keyword import KeywordIndex, TermStats, cyrillic_language, stopwords, tokenize
from embeddings.model import (
    DEFAULT_MODEL,
    MULTILINGUAL_MODELS,
    Embedder,
    ModelNotFound,
    TermEmbedder,
    TextEmbedder,
    make_embedder,
    resolve_model_path,
    unit_vector,
)
from embeddings.pgstore import DatabaseUnavailable
from embeddings.query_encoder import QueryEncoder
from embeddings.search import Hit, search
from embeddings.sentences import starts_with_reference
from embeddings.terms import terms_similarity
from embeddings.web import add_urls, refresh_feeds

__all__ = [
    "UNKNOWN_SOURCE",
    "BuildReport",
    "DEFAULT_MODEL",
    "MULTILINGUAL_MODELS",
    "DatabaseUnavailable",
    "Document",
    "Embedder",
    "Hit",
    "Index",
    "IndexNotFound",
    "IndexOfAnotherFolder",
    "KeywordIndex",
    "ModelMismatch",
    "ModelNotFound",
    "NothingToIndex",
    "Passage",
    "QueryEncoder",
    "TermStats",
    "SkippedFile",
    "skip_reason",
    "SearchableIndex",
    "Store",
    "TermEmbedder",
    "TextEmbedder",
    "add_urls",
    "build",
    "build_index",
    "e5_encoder",
    "check_documents_folder",
    "check_model",
    "check_recorded_model",
    "days_named",
    "list_files",
    "live_version",
    "load_index",
    "make_embedder",
    "open_store",
    "refresh_feeds",
    "resolve_dates",
    "weekdays_named",
    "resolve_model_path",
    "search",
    "starts_with_reference",
    "stopwords",
    "terms_similarity",
    "tokenize",
    "cyrillic_language",
    "unit_vector",
]
