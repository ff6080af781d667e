"""The naive llama-index pipeline every figure is compared with: default splitter, the same
MiniLM model, top-3 dense retrieval, the answer is the best chunk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from embeddings import DEFAULT_MODEL, list_files, resolve_model_path


@dataclass(frozen=True)
class NaiveHit:
    doc_id: str
    text: str
    score: float


class NaivePipeline:
    """What a first llama-index tutorial builds: raw files in, best chunk out."""

    def __init__(self, documents_dir: Path, model: str = DEFAULT_MODEL, top_k: int = 3) -> None:
        from llama_index.core import Document, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding

        embed_model = HuggingFaceEmbedding(model_name=str(resolve_model_path(model)), device="cpu")
        documents = [
            Document(
                text=path.read_text(encoding="utf-8", errors="replace"),
                metadata={"doc_id": _doc_id(path, documents_dir)},
            )
            for path in list_files(documents_dir)
        ]
        self._index = VectorStoreIndex.from_documents(
            documents, embed_model=embed_model, transformations=[SentenceSplitter()]
        )
        self._retriever = self._index.as_retriever(similarity_top_k=top_k)

    def retrieve(self, question: str) -> list[NaiveHit]:
        return [
            NaiveHit(n.node.metadata["doc_id"], n.node.get_content(), float(n.score or 0.0))
            for n in self._retriever.retrieve(question)
        ]

    def answer(self, question: str) -> str:
        hits = self.retrieve(question)
        return hits[0].text if hits else ""


def _doc_id(path: Path, folder: Path) -> str:
    return path.relative_to(folder).with_suffix("").as_posix()
