"""Read a folder of articles (text, Markdown, HTML, PDF, Word) into Documents with metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import frontmatter

if TYPE_CHECKING:
    from trafilatura.settings import Document as Page

from embeddings import furniture
from embeddings.dates import date_of, find_date

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
OFFICE_SUFFIXES = {".pdf", ".docx"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | OFFICE_SUFFIXES
MAX_FILE_BYTES = 20 * 1024 * 1024
_URL = re.compile(r"https?://[^\s<>\"')\]]+")
_WIRE_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+,[^.\n]{0,30}\.\s*/([A-Za-z][\w ]{1,20})/\.", re.MULTILINE)
_WIRE_PAREN = re.compile(r"^[A-Z][A-Z .,'-]+\(([A-Z][\w ]{1,20})\)\s*[-–—]", re.MULTILINE)
HEAD_CHARS = 800
UNKNOWN_SOURCE = "unknown source"  # the outlet of a file that names none, and has no address
# A plain-text export's header: "Title: …", "Source: …", "URL: …", "Date: …" lines at the top.
_HEADER_KEYS = {
    "title": "title",
    "headline": "title",
    "source": "source",
    "outlet": "source",
    "publisher": "source",
    "publication": "source",
    "site": "source",
    "site name": "source",
    "url": "url",
    "link": "url",
    "canonical url": "url",
    "date": "date",
    "published": "date",
    "publication date": "date",
    "date published": "date",
    "author": "author",
    "authors": "author",
    "by": "author",
    "byline": "author",
}
_HEADER_LINE = re.compile(r"^[ \t]*([A-Za-z][A-Za-z ]{0,20}?)[ \t]*:[ \t]*(\S.*?)[ \t]*$")


# Why a file is left out of the index, by reason: the message, its details as fields. The index
# records the message; an interface may word it in its own language by the reason (skip_reason).
SKIP_REASONS = {
    "unsupported_type": "unsupported file type {suffix}",
    "no_text": "no article text found",
    "no_html_text": "no article text found in HTML",
    "no_sentences": "no sentences found in the article text",
    "cannot_read": "cannot read file: {error}",
    "empty": "empty file",
    "binary": "binary file, not text",
    "too_large": "file too large ({size} MB; limit {limit} MB)",
    "unknown_encoding": "unknown text encoding",
    "same_id": "same document id as {first}",
    "same_content": "same content as {first}",
    "encrypted_pdf": "encrypted PDF (needs a password)",
    "unreadable_pdf": "unreadable PDF ({error})",
    "no_text_layer": "no text layer (scanned?)",
    "not_docx": "unreadable Word file (not a .docx package: damaged, or another format renamed)",
    "unreadable_docx": "unreadable Word file ({error})",
}


class SkippedFile(Exception):
    """A file that cannot be indexed; the message says why (SKIP_REASONS[reason] with facts)."""

    def __init__(self, reason: str, **facts: object) -> None:
        super().__init__(SKIP_REASONS[reason].format(**facts))
        self.reason, self.facts = reason, facts


def skip_reason(message: str) -> tuple[str, dict[str, str]] | None:
    """The reason and facts of a recorded skip message, if it is one of SKIP_REASONS."""
    for reason, pattern in _skip_patterns().items():
        found = pattern.fullmatch(message)
        if found:
            return reason, found.groupdict()
    return None


@cache
def _skip_patterns() -> dict[str, re.Pattern]:
    """Each reason's message as a pattern, its fields as named groups."""
    escaped = {
        reason: re.escape(template).replace(r"\{", "{").replace(r"\}", "}") for reason, template in SKIP_REASONS.items()
    }
    return {reason: re.compile(re.sub(r"\{(\w+)\}", r"(?P<\1>.+)", e)) for reason, e in escaped.items()}


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    source: str
    date: dt.date | None
    url: str | None
    text: str
    body: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {**self.__dict__, "date": self.date.isoformat() if self.date else None, "body": self.body}

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        date = dt.date.fromisoformat(data["date"]) if data.get("date") else None
        body = [tuple(span) for span in data.get("body", [])]
        return cls(**{**data, "date": date, "body": body})


def list_files(folder: Path) -> list[Path]:
    """Candidate article files under folder, sorted, hidden files and folders left out."""
    return [folder / rel for rel in relative_files(folder)]


def relative_files(folder: Path) -> list[str]:
    """Candidate article files as POSIX paths relative to folder, sorted folder by folder; hidden
    files and folders left out; linked folders followed, each folder once (no link loops)."""
    files, seen = [], set()
    for root, dirs, names in os.walk(folder, followlinks=True):
        here = os.stat(root)
        if (here.st_dev, here.st_ino) in seen:
            dirs.clear()
            continue
        seen.add((here.st_dev, here.st_ino))
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        prefix = os.path.relpath(root, folder).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        files += [prefix + n for n in names if not n.startswith(".") and os.path.isfile(os.path.join(root, n))]
    return sorted(files, key=lambda rel: rel.split("/"))


def file_digest(path: Path | str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def doc_id_for(rel: str) -> str:
    """A document's id: its path in the folder without the file type (\"2025/talks.md\" -> \"2025/talks\")."""
    name = rel.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return rel[: len(rel) - len(name) + dot] if 0 < dot < len(name) - 1 else rel


def read_document(path: Path, folder: Path) -> Document:
    """Read one file; raises SkippedFile with a reason a user can act on."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise SkippedFile("unsupported_type", suffix=path.suffix or "(none)")
    doc_id = doc_id_for(path.relative_to(folder).as_posix())
    if suffix in OFFICE_SUFFIXES:
        document = _from_office(doc_id, path)
    else:
        text = _decode(_read_bytes(path))
        document = (_from_html if suffix in HTML_SUFFIXES else _from_text)(doc_id, text)
    if not document.body:
        raise SkippedFile("no_text")
    return document


def _read_bytes(path: Path) -> bytes:
    _check_size(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SkippedFile("cannot_read", error=exc.strerror or exc) from exc
    if not raw.strip():
        raise SkippedFile("empty")
    if b"\x00" in raw[:8192]:
        raise SkippedFile("binary")
    return raw


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SkippedFile("cannot_read", error=exc.strerror or exc) from exc
    if size == 0:
        raise SkippedFile("empty")
    if size > MAX_FILE_BYTES:
        raise SkippedFile("too_large", size=size // (1024 * 1024), limit=MAX_FILE_BYTES // (1024 * 1024))


def _from_office(doc_id: str, path: Path) -> Document:
    """A PDF or Word file: its text read as a plain-text article whose metadata comes first from
    the file's own properties, then, where they say nothing, from its first lines."""
    from embeddings import office

    _check_size(path)
    extract = office.pdf_text if path.suffix.lower() == ".pdf" else office.docx_text
    try:
        text, properties = extract(path)
    except office.Unreadable as exc:
        raise SkippedFile(exc.reason, **exc.facts) from exc
    return _from_text(doc_id, text, properties)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise SkippedFile("unknown_encoding")
    return str(best)


def _from_text(doc_id: str, text: str, properties: dict | None = None) -> Document:
    try:
        post = frontmatter.loads(text)
    except Exception as exc:  # the YAML parser raises many types
        reason = " ".join(str(exc).split())
        log.warning("%s: front matter unreadable (%s); reading the file as plain text", doc_id, reason)
        post = frontmatter.Post(text)
    header, body_text = header_block(post.content)
    meta = {**header, **present(properties or {}), **present(post.metadata)}
    return _article(doc_id, body_text, meta)


def _article(doc_id: str, text: str, stated: dict, title_from_url: bool = True) -> Document:
    """The Document of an article's text and what its file states (title, url, date, source;
    absent where it says nothing), each one not stated inferred from the text: the headline,
    a URL in the text, a date near the top or in the URL, a wire dateline or the URL's domain;
    the title from the URL's words only when title_from_url. A stated URL is final, even when
    it is not a web address (then there is none). A stated headline is kept as the text's
    first line."""
    url = _web_url(str(stated["url"])) if "url" in stated else _find_url(text)
    title_of_url = _title_from_url(url) if title_from_url else None
    title = str(stated.get("title") or furniture.infer_title(text) or title_of_url or doc_id)
    date = _as_date(stated.get("date")) or find_date(text[:HEAD_CHARS]) or _date_from_url(url)
    source = str(stated.get("source") or _infer_source(text, url))
    if stated.get("title"):
        text = with_headline(text, title)
    return Document(doc_id, title, source, date, url, text, furniture.body_blocks(text, title))


def header_block(text: str) -> tuple[dict[str, str], str]:
    """Metadata from a header block of known "Key: value" lines at the top of a plain-text
    file (two or more, or one followed by a blank line), and the text after it."""
    meta: dict[str, str] = {}
    offset = 0
    lines = text.splitlines(keepends=True)
    while lines and not lines[0].strip():
        offset += len(lines.pop(0))
    count = 0
    for line in lines:
        match = _HEADER_LINE.match(line)
        key = _HEADER_KEYS.get(" ".join(match.group(1).lower().split())) if match else None
        if match is None or key is None:
            break
        meta.setdefault(key, match.group(2))
        offset += len(line)
        count += 1
    rest = text[offset:]
    if count >= 2 or (count == 1 and rest.startswith(("\n", "\r\n"))):
        return {k: v for k, v in meta.items() if k != "author"}, rest.lstrip("\r\n")
    return {}, text


def with_headline(text: str, title: str) -> str:
    """The text with its headline as the first line, so the headline can be found and cited
    like a sentence; unchanged when a line of the text already is the headline."""
    headline = " ".join(title.split())
    if not headline or any(" ".join(line.lstrip("#").split()) == headline for line in text.splitlines()):
        return text
    return f"{headline}\n\n{text}"


def read_page(html: str, url: str | None = None) -> Page | None:
    """trafilatura's reading of a web page: the article's text and metadata, or None."""
    import trafilatura

    page = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False, include_tables=False)
    return None if isinstance(page, dict) else page  # a dict only when asked for one (as_dict)


def _from_html(doc_id: str, html: str) -> Document:
    extracted = read_page(html)
    if extracted is None or not (extracted.text or "").strip():
        raise SkippedFile("no_html_text")
    # A page's own URL that is not a web address is left out, so a URL in its text is used instead.
    stated = {
        "title": extracted.title,
        "url": _web_url(extracted.url),
        "date": extracted.date,
        "source": extracted.sitename,
    }
    return _article(doc_id, extracted.text or "", present(stated), title_from_url=False)


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        return find_date(value)
    return None


def _web_url(url: str | None) -> str | None:
    """The link to the original, if it is a web address (never javascript: or data:)."""
    url = (url or "").strip()
    parts = urlparse(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _find_url(text: str) -> str | None:
    # A URL hard-wrapped across lines continues on a line with no spaces.
    joined = re.sub(r"(https?://\S+)\n(\S+)(?=\n|$)", r"\1\2", text)
    match = _URL.search(joined)
    return match.group().rstrip(".,;") if match else None


def _title_from_url(url: str | None) -> str | None:
    if not url:
        return None
    slug = urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]
    words = [w for w in re.split(r"[-_]+", slug) if w and not re.fullmatch(r"[a-z]?\d+", w)]
    return " ".join(words).capitalize() if len(words) >= 3 else None


def _date_from_url(url: str | None) -> dt.date | None:
    return date_of(re.search(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)/", url or ""))


def present(meta: dict) -> dict:
    """The metadata that says something (no empty values)."""
    return {key: value for key, value in meta.items() if value not in (None, "")}


def _infer_source(text: str, url: str | None) -> str:
    head = text[:HEAD_CHARS]
    match = _WIRE_DATELINE.search(head) or _WIRE_PAREN.search(head)
    if match:
        return match.group(1).strip()
    if url:
        host = urlparse(url).hostname or ""
        return host.removeprefix("www.") or UNKNOWN_SOURCE
    return UNKNOWN_SOURCE
