"""Passages: runs of whole sentences, with character offsets into the document text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from embeddings.documents import Document
from embeddings.sentences import split_sentences, starts_with_reference

MAX_PASSAGE_WORDS = 80
# A sentence that refers back ("They discussed …") may stretch a passage this far rather
# than be cut off from the sentence it refers to.
STRETCH = 1.5
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Passage:
    doc_id: str
    seq: int
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...]

    @property
    def key(self) -> str:
        return f"{self.doc_id}#{self.seq}"

    def sentence_texts(self, document_text: str) -> list[str]:
        return [document_text[s:e] for s, e in self.sentences]

    def to_dict(self) -> dict:
        return {**self.__dict__, "sentences": [list(span) for span in self.sentences]}

    @classmethod
    def from_dict(cls, data: dict) -> Passage:
        return cls(**{**data, "sentences": tuple(tuple(span) for span in data["sentences"])})


def make_passages(document: Document, max_words: int = MAX_PASSAGE_WORDS) -> list[Passage]:
    """Group consecutive sentences into passages of at most max_words (a longer sentence stands alone).

    A passage never spans text dropped as furniture, so its slice of the document stays clean,
    and a sentence that refers back stays with the sentence before it where it can.
    """
    groups: list[list[tuple[int, int]]] = []
    words = 0
    for span in split_sentences(document.text, document.body):
        n = len(_WORD.findall(document.text[span[0] : span[1]]))
        adjacent = bool(groups) and not document.text[groups[-1][-1][1] : span[0]].strip()
        limit = max_words * STRETCH if starts_with_reference(document.text[span[0] : span[1]]) else max_words
        if adjacent and words + n <= limit:
            groups[-1].append(span)
            words += n
        else:
            groups.append([span])
            words = n
    return [_passage(document, seq, group) for seq, group in enumerate(groups)]


def _passage(document: Document, seq: int, group: list[tuple[int, int]]) -> Passage:
    start, end = group[0][0], group[-1][1]
    return Passage(document.doc_id, seq, start, end, document.text[start:end], tuple(group))
