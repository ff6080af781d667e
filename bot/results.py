"""What the bot returns: cited answers and fact-check verdicts, and their JSON shapes, which the
HTTP API, the CLI's --json and the UI all use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from embeddings import Hit

Mode = Literal["extractive", "generative"]
Stance = Literal["supports", "contradicts", "related"]
Label = Literal["supported", "refuted", "not_enough_info"]
NOT_FOUND = "The articles don't say."


class CitationOut(BaseModel):
    id: int
    doc_id: str
    title: str
    source: str
    date: str | None
    url: str | None
    text: str = Field(description="The cited passage")
    start: int = Field(description="Character offset of the passage in the document text")
    end: int
    score: float


class AskResponse(BaseModel):
    answer: str = Field(description="The answer, with [1], [2] markers that match citations[].id")
    short_answer: str | None = Field(
        default=None,
        description="The name, date, place, number or thing asked for, as written in the first cited sentence "
        "(at most 8 words); null for yes/no questions, when no short span answers, and when not grounded",
    )
    grounded: bool = Field(description="false when the articles do not answer the question")
    citations: list[CitationOut]
    mode: Mode = Field(
        description="extractive: sentences quoted from the articles; generative: written by the configured LLM, "
        "each sentence checked against the passages it cites"
    )


class EvidenceOut(CitationOut):
    stance: Stance


class CheckResponse(BaseModel):
    verdict: Label
    explanation: str
    evidence: list[EvidenceOut]


@dataclass(frozen=True)
class Citation:
    id: int
    hit: Hit
    highlights: tuple[tuple[int, int], ...]

    def out(self) -> CitationOut:
        passage, document = self.hit.passage, self.hit.document
        return CitationOut(
            id=self.id,
            doc_id=document.doc_id,
            title=document.title,
            source=document.source,
            date=document.date.isoformat() if document.date else None,
            url=document.url,
            text=passage.text,
            start=passage.start,
            end=passage.end,
            score=round(self.hit.score, 4),
        )

    def to_dict(self) -> dict:
        return self.out().model_dump()


@dataclass(frozen=True)
class Answer:
    text: str
    grounded: bool
    citations: tuple[Citation, ...] = field(default_factory=tuple)
    mode: Mode = "extractive"  # or "generative": written by the configured LLM, then checked
    generated: int = 0  # sentences the LLM wrote, kept or not
    removed: int = 0  # generated sentences dropped for want of support
    short_answer: str | None = None  # the name, date, place, number or thing asked for, as written
    locale: str = "en"  # the language of the bot's own words, for the labels shown around them

    def to_dict(self) -> dict:
        citations = [c.out() for c in self.citations]
        response = AskResponse(
            answer=self.text,
            short_answer=self.short_answer,
            grounded=self.grounded,
            citations=citations,
            mode=self.mode,
        )
        return response.model_dump()


@dataclass(frozen=True)
class Evidence:
    citation: Citation
    stance: Stance

    def out(self) -> EvidenceOut:
        return EvidenceOut(**self.citation.out().model_dump(), stance=self.stance)

    def to_dict(self) -> dict:
        return self.out().model_dump()


@dataclass(frozen=True)
class Verdict:
    label: Label
    explanation: str
    evidence: tuple[Evidence, ...]
    locale: str = "en"  # the language of the explanation, for the labels shown around it

    def to_dict(self) -> dict:
        evidence = [e.out() for e in self.evidence]
        return CheckResponse(verdict=self.label, explanation=self.explanation, evidence=evidence).model_dump()
