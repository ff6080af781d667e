"""Render citations: the passage with its cited sentences highlighted, outlet, date and link."""

from __future__ import annotations

import html
import textwrap

import click

from bot.answer import Answer, Citation
from bot.factcheck import Verdict


def passage_pieces(citation: Citation) -> list[tuple[str, bool]]:
    """The passage as (text, highlighted) pieces, whitespace collapsed for display."""
    passage = citation.hit.passage
    pieces: list[tuple[str, bool]] = []
    cursor = passage.start
    for start, end in citation.highlights:
        pieces.append((passage.text[cursor - passage.start : start - passage.start], False))
        pieces.append((passage.text[start - passage.start : end - passage.start], True))
        cursor = end
    pieces.append((passage.text[cursor - passage.start :], False))
    return [(" ".join(text.split()), marked) for text, marked in pieces if text.strip()]


def source_line(citation: Citation) -> str:
    document = citation.hit.document
    date = f"{document.date.day} {document.date:%B %Y}" if document.date else "undated"
    return f"{document.source}, {date}"


def format_terminal(answer: Answer, color: bool = False) -> str:
    """Plain-text answer with numbered sources; cited sentences in bold on a terminal."""
    lines = [textwrap.fill(answer.text, 100), ""]
    for citation in answer.citations:
        document = citation.hit.document
        lines.append(f"[{citation.id}] {source_line(citation)} — {document.title}")
        if document.url:
            lines.append(f"    {document.url}")
        body = " ".join(
            click.style(text, bold=True) if marked and color else text for text, marked in passage_pieces(citation)
        )
        lines.extend(textwrap.wrap(body, 96, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(lines).rstrip()


def format_verdict(verdict: Verdict, color: bool = False) -> str:
    """A verdict for the terminal: label, explanation, each evidence passage with its stance."""
    label = verdict.label.replace("_", " ").upper()
    lines = [click.style(label, bold=True) if color else label, textwrap.fill(verdict.explanation, 100), ""]
    for item in verdict.evidence:
        citation = item.citation
        lines.append(f"[{citation.id}] {item.stance} — {source_line(citation)} — {citation.hit.document.title}")
        body = " ".join(click.style(t, bold=True) if m and color else t for t, m in passage_pieces(citation))
        lines.extend(textwrap.wrap(body, 96, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(lines).rstrip()


def sources_html(answer: Answer) -> str:
    """The citations as safe HTML: every piece of article text is escaped."""
    if not answer.citations:
        return '<p class="nb-empty">No sources for this answer.</p>'
    return "\n".join(_citation_html(citation) for citation in answer.citations)


def _citation_html(citation: Citation) -> str:
    document = citation.hit.document
    body = " ".join(
        f"<mark>{html.escape(t)}</mark>" if marked else html.escape(t) for t, marked in passage_pieces(citation)
    )
    title = html.escape(document.title)
    link = (
        f'<a href="{html.escape(document.url, quote=True)}" target="_blank" rel="noopener noreferrer">{title} ↗</a>'
        if document.url and document.url.startswith(("http://", "https://"))
        else f"<span>{title}</span>"
    )
    return (
        f'<div class="nb-citation" id="nb-cite-{citation.id}">'
        f'<div class="nb-source"><b>[{citation.id}] {html.escape(source_line(citation))}</b> · {link}</div>'
        f"<blockquote>{body}</blockquote></div>"
    )
