"""Articles from the web, fetched only when asked (`newsbot add URL`): an article page is saved
into the documents folder as Markdown with front matter, a feed's items likewise, each article
once. The folder stays the single source of truth; nothing here runs on the default path."""

from __future__ import annotations

import hashlib
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import frontmatter

from embeddings.documents import read_page

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT_SECONDS = 15
FEEDS_FILE = ".newsbot-feeds"  # feeds added so far, one per line (hidden: never indexed)
FEED_TYPES = ("rss", "atom", "xml")
_SLUG = re.compile(r"[^a-z0-9]+")


class FetchFailed(Exception):
    """A URL that could not be added; the message says why, in a few words."""


@dataclass
class AddReport:
    added: list[str] = field(default_factory=list)  # files written
    known: list[str] = field(default_factory=list)  # URLs whose article the folder already has
    failed: list[tuple[str, str]] = field(default_factory=list)  # (URL, reason)

    def summary(self) -> str:
        failures = "".join(f"\n  {url}: {reason}" for url, reason in self.failed)
        return f"added {len(self.added)}, already had {len(self.known)}, failed {len(self.failed)}{failures}"


def add_urls(urls: list[str], folder: Path, progress: bool = False) -> AddReport:
    """Add each URL's article, or every item of a feed, to folder; a failure never stops the rest."""
    folder.mkdir(parents=True, exist_ok=True)
    report, known = AddReport(), Known.of(folder)
    for url in urls:
        try:
            body, kind = fetch(url)
            if _is_feed(kind, body):
                _remember_feed(folder, url)
                _add_feed(url, body, folder, known, report, progress)
            else:
                _add_page(url, _page(body, kind), folder, known, report)
        except FetchFailed as exc:
            report.failed.append((url, str(exc)))
    return report


def refresh_feeds(folder: Path, progress: bool = False) -> AddReport:
    """Read every feed added before again; only items the folder does not have are fetched."""
    return add_urls(known_feeds(folder), folder, progress)


def known_feeds(folder: Path) -> list[str]:
    path = folder / FEEDS_FILE
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def fetch(url: str) -> tuple[bytes, str]:
    """The body and content type at an http(s) URL, within the time and size limits."""
    if urlparse(url).scheme.lower() not in ("http", "https") or not urlparse(url).netloc:
        raise FetchFailed("only http:// and https:// addresses can be added")
    request = urllib.request.Request(url, headers={"User-Agent": "newsbot"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(MAX_BYTES + 1)
            kind = response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        raise FetchFailed(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise FetchFailed(f"unreachable ({exc.reason})") from None
    except TimeoutError:
        raise FetchFailed(f"no answer within {TIMEOUT_SECONDS} s") from None
    if len(body) > MAX_BYTES:
        raise FetchFailed(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    return body, kind


@dataclass
class Known:
    """What the folder already holds: the addresses and the text digests of its articles."""

    urls: set[str]
    digests: set[str]

    @classmethod
    def of(cls, folder: Path) -> Known:
        urls, digests = set(), set()
        for path in folder.rglob("*.md"):
            try:
                post = frontmatter.load(path)
            except Exception:  # noqa: BLE001 - a file the reader will skip or read as text
                continue
            urls |= {str(post.get(key)) for key in ("url", "fetched_from") if post.get(key)}
            digests.add(_digest(post.content))
        return cls(urls, digests)


def _add_feed(url: str, body: bytes, folder: Path, known: Known, report: AddReport, progress: bool) -> None:
    import feedparser
    from tqdm.auto import tqdm

    feed = feedparser.parse(body)
    links = [entry.get("link") for entry in feed.entries if entry.get("link")]
    if not links:
        raise FetchFailed("a feed with no item links")
    for link in tqdm(links, desc="Feed items", unit="item", disable=not progress):
        if link in known.urls:
            report.known.append(link)
            continue
        try:
            page, kind = fetch(link)
            _add_page(link, _page(page, kind), folder, known, report)
        except FetchFailed as exc:
            report.failed.append((link, str(exc)))


def _add_page(url: str, body: bytes, folder: Path, known: Known, report: AddReport) -> None:
    page = read_page(body.decode("utf-8", errors="replace"), url=url)
    text = (page.text or "") if page else ""
    if page is None or not text.strip():
        raise FetchFailed("no article text found (not an article page?)")
    canonical = page.url or url
    if {url, canonical} & known.urls or _digest(text) in known.digests:
        report.known.append(url)
        return
    meta = {"title": page.title, "source": page.sitename or page.hostname, "date": page.date, "url": canonical}
    post = frontmatter.Post(text.strip() + "\n")
    post.metadata.update({k: v for k, v in meta.items() if v})
    if url != canonical:
        post["fetched_from"] = url
    path = _free_path(folder, page.title or urlparse(canonical).path)
    path.write_text(frontmatter.dumps(post) + "\n", encoding="utf-8")
    known.urls |= {url, canonical}
    known.digests.add(_digest(text))
    report.added.append(path.name)


def _page(body: bytes, kind: str) -> bytes:
    """body, when it is a web page (HTML or text)."""
    if not (kind.startswith("text/") or kind == "application/xhtml+xml"):
        raise FetchFailed(f"not a web page or a feed ({kind})")
    return body


def _is_feed(kind: str, body: bytes) -> bool:
    head = body[:512].lstrip().lower()
    declared = any(t in kind for t in FEED_TYPES)
    return declared or (head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head))


def _remember_feed(folder: Path, url: str) -> None:
    if url not in known_feeds(folder):
        with open(folder / FEEDS_FILE, "a", encoding="utf-8") as feeds:
            feeds.write(url + "\n")


def _free_path(folder: Path, title: str) -> Path:
    """folder/<slug of the title>.md, numbered when that name is taken."""
    slug = _SLUG.sub("-", title.lower()).strip("-")[:80] or "article"
    path, number = folder / f"{slug}.md", 2
    while path.exists():
        path, number = folder / f"{slug}-{number}.md", number + 1
    return path


def _digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()
