"""Text and properties of PDF and Word (.docx) files: paragraphs kept, words broken across lines
joined, running headers, footers and page numbers left out."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from zipfile import BadZipFile

from embeddings.dates import date_of


class Unreadable(Exception):
    """The file cannot be read as a PDF or Word file: why, as a reason of documents.SKIP_REASONS."""

    def __init__(self, reason: str, **facts: object) -> None:
        super().__init__(reason)
        self.reason, self.facts = reason, facts


# A line on at least this share of the pages, at their top or bottom, runs on every page.
RUNNING_SHARE = 0.5
EDGE_LINES = 2  # lines at the top and the bottom of a page where running headers and footers sit
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\s*$", re.I)
_BROKEN_WORD = re.compile(r"(\w)-\n([a-z])")
_PARAGRAPH_END = re.compile(r"[.!?:\"”’)]\s*$")


def pdf_text(path: Path) -> tuple[str, dict[str, object]]:
    """The text of a PDF (paragraphs separated by blank lines) and its title, author and date."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs what it works around in a damaged file; a file it cannot read is reported once,
    # skipped with its reason, and one it can is read.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("encrypted_pdf")
        pages = [page.extract_text() or "" for page in reader.pages]
        info: Mapping[str, object] = reader.metadata or {}
    except Unreadable:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise Unreadable("unreadable_pdf", error=_said(exc)) from exc
    if not any(page.strip() for page in pages):
        raise Unreadable("no_text_layer")
    meta = {"title": info.get("/Title"), "date": _pdf_date(info.get("/CreationDate"))}
    return "\n\n".join(_paragraphs(lines) for lines in _without_running_lines(pages)), meta


def docx_text(path: Path) -> tuple[str, dict[str, object]]:
    """The paragraphs of a Word file's body (its headers and footers are not body) and its title,
    author and date."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, BadZipFile) as exc:  # python-docx says "Package not found at …"
        raise Unreadable("not_docx") from exc
    except (ValueError, KeyError, OSError) as exc:
        raise Unreadable("unreadable_docx", error=_said(exc)) from exc
    paragraphs = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    properties = document.core_properties
    when = properties.created or properties.modified
    meta = {"title": properties.title, "date": when.date() if when else None}
    return "\n\n".join(paragraphs), meta


def _without_running_lines(pages: list[str]) -> list[list[str]]:
    """Each page's lines, less page numbers and the lines at its edges that recur on many pages."""
    lines = [[line.strip() for line in page.splitlines() if line.strip()] for page in pages]
    edges = Counter(_key(line) for page in lines for line in {*page[:EDGE_LINES], *page[-EDGE_LINES:]})
    running = {key for key, count in edges.items() if len(pages) > 1 and count >= RUNNING_SHARE * len(pages)}
    kept = []
    for page in lines:
        edge = {*page[:EDGE_LINES], *page[-EDGE_LINES:]}
        kept.append(
            [line for line in page if not _PAGE_NUMBER.match(line) and not (line in edge and _key(line) in running)]
        )
    return kept


def _key(line: str) -> str:
    """A line with its digits masked, so "Page 3" and "Page 4" are one running line."""
    return re.sub(r"\d+", "#", line.lower())


def _paragraphs(lines: list[str]) -> str:
    """A page's lines joined into paragraphs: a line that ends a sentence and stops well short of
    the page's width ends its paragraph; a word broken by a hyphen at a line end is joined."""
    width = max((len(line) for line in lines), default=0)
    text = ""
    for line in lines:
        text += line
        # A sentence's end well short of the width ends a paragraph; so does any short line (a
        # heading, a byline), since a line inside a paragraph runs nearly to the margin.
        ends = (_PARAGRAPH_END.search(line) and len(line) < 0.85 * width) or len(line) < 0.6 * width
        text += "\n\n" if ends else "\n"
    text = _BROKEN_WORD.sub(r"\1\2", text)
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text).strip()


def _pdf_date(value: object) -> dt.date | None:
    """A PDF date ("D:20310602…") as a date."""
    return date_of(re.match(r"^(?:D:)?(\d{4})(\d{2})(\d{2})", str(value or "")))


def _said(exc: Exception) -> str:
    """What an exception says, on one line (its type when it says nothing)."""
    return " ".join(str(exc).split()) or type(exc).__name__
