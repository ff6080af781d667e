"""`newsbot add` against a news site served on loopback by the test: article pages with
navigation, a cookie banner and a "most read" list, their date and site name in meta tags; an
RSS 2.0 feed and an Atom feed linking to them; a dead link and a non-HTML address."""

from __future__ import annotations

import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from conftest import free_port

from bot.cli import cli
from embeddings import load_index

ARTICLES = {
    "lighthouse": (
        "Volunteers restore the Port Ellery lighthouse",
        "2025-06-02",
        "Volunteers of the Port Ellery Trust finished restoring the town's lighthouse on Saturday. "
        "The restoration took three years and cost 1.2 million euros, most of it raised by the trust.",
    ),
    "ferry": (
        "Night ferry to Carrow starts in March",
        "2025-06-05",
        "The night ferry between Port Elling and Carrow will start on 14 March, the operator said. "
        "Tickets will cost 6 euros, and bicycles travel free.",
    ),
    "museum": (
        "Maritime museum reopens after renovation",
        "2025-06-09",
        "The maritime museum of Port Elling reopened on Saturday after a renovation that cost "
        "2.4 million euros. Its new wing holds the logbooks of the Carrow packet boats.",
    ),
}
FURNITURE = ["Accept all cookies", "Most read today", "Subscribe to our newsletter"]
SITE = "Coast Courier"


def page(slug: str) -> str:
    title, date, text = ARTICLES[slug]
    paragraphs = "".join(f"<p>{sentence}.</p>" for sentence in text.rstrip(".").split(". "))
    most_read = "".join(f'<li><a href="/news/{s}.html">{ARTICLES[s][0]}</a></li>' for s in ARTICLES)
    return f"""<!doctype html><html><head><title>{title} | {SITE}</title>
<meta property="og:site_name" content="{SITE}"><meta property="og:title" content="{title}">
<meta property="article:published_time" content="{date}T08:00:00Z">
<link rel="canonical" href="http://news.example/news/{slug}.html"></head><body>
<div id="cookie-banner">{FURNITURE[0]} <button>OK</button></div>
<nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
<main><article><h1>{title}</h1>{paragraphs}</article></main>
<aside><h2>{FURNITURE[1]}</h2><ul>{most_read}</ul></aside>
<footer>{FURNITURE[2]} · © {SITE}</footer></body></html>"""


def rss(base: str, slugs: list[str]) -> str:
    items = "".join(f"<item><title>{ARTICLES[s][0]}</title><link>{base}/news/{s}.html</link></item>" for s in slugs)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{SITE}</title>{items}</channel></rss>'


def atom(base: str, slugs: list[str]) -> str:
    entries = "".join(
        f'<entry><title>{ARTICLES[s][0]}</title><link href="{base}/news/{s}.html"/><id>{s}</id></entry>' for s in slugs
    )
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{SITE}</title>{entries}</feed>'


@pytest.fixture()
def site(tmp_path):
    """The news site on a loopback port; feed.xml lists what `feed_items` holds."""
    root = tmp_path / "site"
    (root / "news").mkdir(parents=True)
    for slug in ARTICLES:
        (root / "news" / f"{slug}.html").write_text(page(slug), encoding="utf-8")
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    def publish(slugs: list[str]) -> None:
        (root / "feed.rss").write_text(rss(base, slugs), encoding="utf-8")
        (root / "feed.atom").write_text(atom(base, slugs), encoding="utf-8")

    publish(["ferry"])
    yield base, publish
    server.shutdown()


class _Quiet(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".rss": "application/rss+xml"}
    extensions_map[".atom"] = "application/atom+xml"

    def log_message(self, *args) -> None:
        pass


def newsbot(tmp_path, *args: str):
    documents, index_dir = tmp_path / "docs", tmp_path / "index"
    flags = ["--documents", str(documents), "--index-dir", str(index_dir)]
    return CliRunner().invoke(cli, [*args, *flags], env={"NEWSBOT_DOCUMENTS": None, "NEWSBOT_INDEX_DIR": None})


def test_an_article_page_is_added_once_and_answered_with_its_metadata(site, tmp_path):
    base, _ = site
    result = newsbot(tmp_path, "add", f"{base}/news/lighthouse.html")
    assert result.exit_code == 0, result.output
    assert "added 1, already had 0, failed 0" in result.output and "Indexed 1 document" in result.output

    answer = json.loads(newsbot(tmp_path, "ask", "--json", "What did the lighthouse restoration cost?").stdout)
    cited = answer["citations"][0]
    assert answer["grounded"] and "1.2 million euros" in answer["answer"]
    assert (cited["title"], cited["source"], cited["date"]) == (ARTICLES["lighthouse"][0], SITE, "2025-06-02")
    assert cited["url"] == "http://news.example/news/lighthouse.html"
    text = " ".join(d.text for d in load_index(tmp_path / "index").documents.values())
    assert not any(line in text for line in FURNITURE), "no page furniture is indexed"

    again = newsbot(tmp_path, "add", f"{base}/news/lighthouse.html")
    assert "added 0, already had 1, failed 0" in again.output
    assert len(list((tmp_path / "docs").glob("*.md"))) == 1


@pytest.mark.parametrize("feed", ["feed.rss", "feed.atom"])
def test_a_feed_adds_its_items_and_refresh_fetches_only_new_ones(site, tmp_path, feed):
    base, publish = site
    first = newsbot(tmp_path, "add", f"{base}/{feed}")
    assert first.exit_code == 0, first.output
    assert "added 1, already had 0, failed 0" in first.output

    publish(["ferry", "museum"])
    again = newsbot(tmp_path, "add", "--refresh")
    assert "added 1, already had 1, failed 0" in again.output, again.output
    titles = {d.title for d in load_index(tmp_path / "index").documents.values()}
    assert titles == {ARTICLES["ferry"][0], ARTICLES["museum"][0]}


def test_failures_are_listed_with_their_reason_and_the_rest_added(site, tmp_path):
    base, _ = site
    closed = f"http://127.0.0.1:{free_port()}/news.html"
    urls = [f"{base}/news/missing.html", f"{base}/logo.png", "ftp://127.0.0.1/x", closed, f"{base}/news/museum.html"]
    result = newsbot(tmp_path, "add", *urls)
    assert result.exit_code == 0, result.output
    assert "added 1, already had 0, failed 4" in result.output
    assert f"{base}/news/missing.html: HTTP 404" in result.output
    assert f"{base}/logo.png: not a web page or a feed (image/png)" in result.output
    assert f"{closed}: unreachable (" in result.output
    assert "ftp://127.0.0.1/x: only http:// and https:// addresses can be added" in result.output


def test_nothing_but_failures_is_an_error(site, tmp_path):
    base, _ = site
    result = newsbot(tmp_path, "add", f"{base}/news/missing.html")
    assert result.exit_code == 1 and "failed 1" in result.output


def test_the_same_article_at_another_address_is_not_stored_twice(site, tmp_path):
    base, _ = site
    root = tmp_path / "site"
    copy = page("lighthouse").replace("news.example/news/lighthouse.html", "mirror.example/lighthouse")
    (root / "mirror.html").write_text(copy, encoding="utf-8")
    result = newsbot(tmp_path, "add", f"{base}/news/lighthouse.html", f"{base}/mirror.html")
    assert "added 1, already had 1, failed 0" in result.output, result.output
    assert len(list((tmp_path / "docs").glob("*.md"))) == 1
