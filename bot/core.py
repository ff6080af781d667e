"""The Bot: holds the index and model, and answers questions. Every interface calls this."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.answer import Answer, compose
from bot.question import analyse
from embeddings import BuildReport, Embedder, Index, IndexNotFound, build_index, load_index, search

log = logging.getLogger(__name__)
CANDIDATE_PASSAGES = 8


class BadQuestion(ValueError):
    """A question the bot cannot take (empty, too long); the message says why."""


@dataclass(frozen=True)
class Turn:
    role: str
    content: str


class Bot:
    """Answers questions from one index with one embedding model."""

    def __init__(
        self, index: Index, embedder: Embedder, top_k: int = 3, max_question_chars: int = 2000, max_sentences: int = 3
    ) -> None:
        self._index = index
        self.embedder = embedder
        self.top_k = top_k
        self.max_question_chars = max_question_chars
        self.max_sentences = max_sentences
        self._lock = threading.Lock()

    @classmethod
    def open(
        cls,
        documents: Path,
        index_dir: Path,
        model: str,
        top_k: int = 3,
        max_question_chars: int = 2000,
        progress: bool = False,
    ) -> Bot:
        """Load the index in index_dir, building it from documents first if there is none."""
        embedder = Embedder(model)
        try:
            index = load_index(index_dir)
        except IndexNotFound:
            log.info("no index in %s yet; building it from %s", index_dir, documents)
            build_index(documents, index_dir, model, embedder=embedder, progress=progress)
            index = load_index(index_dir)
        return cls(index, embedder, top_k, max_question_chars)

    @property
    def index(self) -> Index:
        return self._index

    def reload(self, index_dir: Path) -> None:
        """Switch to the newest published index; answers in flight finish on the old one."""
        index = load_index(index_dir)
        with self._lock:
            self._index = index

    def update(self, documents: Path, index_dir: Path) -> BuildReport:
        report = build_index(documents, index_dir, self._index.model_name, embedder=self.embedder)
        if report.changed:
            self.reload(index_dir)
        return report

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """A cited answer to question; history is accepted for follow-ups (not used yet)."""
        text = self.validate(question)
        index = self._index
        query_vector = self.embedder.embed_query(text)
        hits = search(index, text, query_vector, k=CANDIDATE_PASSAGES)
        return compose(analyse(text), hits, index, query_vector, self.top_k, self.max_sentences)

    def health(self) -> dict:
        index = self._index
        return {"status": "ok", "documents": len(index.documents), "passages": len(index.passages)}

    def validate(self, text: object) -> str:
        if not isinstance(text, str):
            raise BadQuestion("the question must be a string")
        cleaned = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t").strip()
        if not cleaned:
            raise BadQuestion("the question is empty")
        if len(cleaned) > self.max_question_chars:
            raise BadQuestion(
                f"the question is too long ({len(cleaned)} characters; the limit is {self.max_question_chars})"
            )
        return cleaned
