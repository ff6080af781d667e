"""Hybrid search collapses near-duplicate passages (the same article saved twice)."""

import shutil

from embeddings import build_index, load_index, search


def test_duplicate_article_is_cited_once(planted_copy, tmp_path, embedder):
    shutil.copy(planted_copy / "harbour-accord.md", planted_copy / "harbour-accord-copy.md")
    index_dir = tmp_path / "index"
    build_index(planted_copy, index_dir, embedder=embedder)
    index = load_index(index_dir)
    query = "Who led the Veltrian delegation?"
    hits = search(index, query, embedder.embed_query(query), k=5)
    texts = [" ".join(h.passage.text.split()) for h in hits]
    assert len(texts) == len(set(texts))
    assert sum("Okonkwo-Lind" in t for t in texts) == 1
