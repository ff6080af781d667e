"""The web pages in a real headless Chromium (Debian's package, driven by Playwright) against a
real `newsbot serve`; every request that is not to a loopback address is blocked and recorded.
Screenshots are saved under test-artifacts/screenshots/."""

from __future__ import annotations

import functools
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from conftest import PLANTED, ROOT, Server, eventually, server_env

from bot.feedback import FILE_NAME, FeedbackStore

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
SHOTS = ROOT / "test-artifacts" / "screenshots"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
README_HOST = "http://newsbot.example.internal:7860"
QUESTION = "When did Putin and Zelensky last meet?"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    assert CHROMIUM.exists(), "install Debian's chromium package (`make test` and .ci/run do it)"
    with playwright_api.sync_playwright() as playwright:
        # The resolver rule is a second fence behind the request log: nothing but loopback resolves.
        args = ["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        yield browser
        browser.close()


@pytest.fixture()
def outside_requests() -> list[str]:
    return []


def new_page(browser, outside_requests: list[str], width: int = 1200, height: int = 900, scheme: str = "light"):
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    context.route("**/*", functools.partial(_loopback_only, outside_requests))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    return page


def _loopback_only(outside_requests: list[str], route) -> None:
    url = route.request.url
    if url.startswith(("data:", "blob:")) or urlsplit(url).hostname in LOOPBACK:
        route.continue_()
    else:
        outside_requests.append(url)
        route.abort()


def ask_in(scope, question: str) -> None:
    box = scope.get_by_placeholder("Ask about the articles…")
    box.fill(question)
    box.press("Enter")


def open_first_citation(scope) -> None:
    """Click the answer's [1] and check the passage it opens: highlighted, dated, linked."""
    marker = scope.locator("a[href='#nb-cite-1']").first
    marker.wait_for(timeout=30_000)
    marker.click()
    passage = scope.locator("#nb-cite-1")
    passage.wait_for(state="visible")
    assert passage.locator("mark").count() >= 1, "the cited sentence is highlighted"
    assert re.search(r"\d{1,2} \w+ \d{4}", passage.inner_text()), "the citation shows its article's date"


def no_horizontal_scroll(scope) -> bool:
    return scope.locator("html").evaluate("e => e.scrollWidth <= e.clientWidth + 1")


def test_chat_answers_and_opens_a_citation(browser, server, outside_requests):
    page = new_page(browser, outside_requests)
    page.goto(server.url + "/")
    ask_in(page, QUESTION)
    open_first_citation(page)
    answer = page.locator(".message-row, .message").filter(has_text="[1]").last.inner_text()
    assert "[1]" in answer and len(answer) > 40
    link = page.locator("#nb-cite-1 a[href^='http']")
    if link.count():
        assert link.first.get_attribute("target") == "_blank", "the original opens beside the chat"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "chat.png", full_page=True)
    ask_in(page, "   ")
    page.get_by_text("The question is empty.").wait_for(timeout=10_000)
    assert not page.errors
    assert outside_requests == []


# WCAG's contrast ratio of two computed CSS colours, in the page itself.
CONTRAST = """e => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const lum = c => { const [r, g, b] = rgb(c); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const s = getComputedStyle(e), a = lum(s.color), b = lum(s.backgroundColor);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_highlighted_sentence_is_readable_in_both_themes(browser, server, outside_requests, scheme):
    page = new_page(browser, outside_requests, scheme=scheme)
    page.goto(server.url + "/")
    ask_in(page, QUESTION)
    open_first_citation(page)
    assert page.locator("#nb-cite-1 mark").first.evaluate(CONTRAST) >= 4.5
    page.screenshot(path=SHOTS / f"chat-{scheme}.png")
    assert outside_requests == []


def test_thumbs_up_is_stored(browser, server, bundled_index_dir, outside_requests):
    question = "Who heads Ukraine's delegation for the July 2025 round?"
    page = new_page(browser, outside_requests)
    page.goto(server.url + "/")
    ask_in(page, question)
    page.locator("a[href='#nb-cite-1']").first.wait_for(timeout=30_000)
    page.get_by_label("Like").last.click()
    store = FeedbackStore(bundled_index_dir / FILE_NAME)
    assert eventually(lambda: any(r["question"] == question and r["helpful"] == 1 for r in store.all()))
    assert outside_requests == []


def test_chat_fits_a_phone(browser, server, outside_requests):
    page = new_page(browser, outside_requests, width=360, height=740)
    page.goto(server.url + "/")
    ask_in(page, QUESTION)
    open_first_citation(page)
    assert no_horizontal_scroll(page)
    page.screenshot(path=SHOTS / "chat-phone.png", full_page=True)
    assert outside_requests == []


def test_readme_iframe_snippet_works_in_a_wiki_page(browser, server, wiki_page, outside_requests):
    page = new_page(browser, outside_requests, width=800, height=700)
    page.goto(wiki_page(server.url))
    frame_element = page.locator("iframe")
    frame_element.evaluate("e => { e.style.width = '360px'; e.style.height = '560px'; }")
    frame = page.frame_locator("iframe")
    ask_in(frame, QUESTION)
    frame.locator("a[href='#nb-cite-1']").first.wait_for(timeout=30_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "embed-in-wiki-answer.png", full_page=True)
    open_first_citation(frame)
    assert frame.locator("footer:visible").count() == 0, "no footer in the embedded view"
    assert no_horizontal_scroll(frame), "readable at 360 px without scrolling sideways"
    page.screenshot(path=SHOTS / "embed-in-wiki-citation.png", full_page=True)
    assert not page.errors
    assert outside_requests == []


HOSTILE_QUESTIONS = [
    "When will the night ferry service start?",
    "Where is the timetable of the night ferry?",
    "How much will tickets for the night ferry cost?",
]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory) -> Iterator[Server]:
    """`newsbot serve` over the planted articles plus one carrying scripts, event handlers,
    javascript: links and an image on an outside host, in its text and its front matter."""
    documents = tmp_path_factory.mktemp("hostile-articles")
    for path in [*PLANTED.iterdir(), *HOSTILE.iterdir()]:
        shutil.copy(path, documents / path.name)
    index_dir = tmp_path_factory.mktemp("hostile-index")
    server = Server(server_env(index_dir, documents), tmp_path_factory.mktemp("hostile-server"))
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("path", ["/", "/embed"])
def test_hostile_article_shows_as_inert_text(browser, hostile_server, outside_requests, path):
    page = new_page(browser, outside_requests)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_server.url + path)
    for number, question in enumerate(HOSTILE_QUESTIONS):
        ask_in(page, question)
        page.locator("a[href='#nb-cite-1']").nth(number).wait_for(timeout=30_000)
    open_first_citation(page)
    shown = page.locator("body").inner_text()
    assert "<script>" in shown and "onerror=" in shown, "the markup is shown as text"
    assert page.evaluate("() => window.__pwned") is None, "no script from the article ran"
    assert page.locator("img[src*='203.0.113'], a[href^='javascript:' i]").count() == 0
    assert not page.evaluate("() => [...document.scripts].some(s => s.textContent.includes('__pwned'))")
    assert not dialogs and not page.errors
    assert outside_requests == []


def test_hostile_article_comes_back_from_the_api_as_plain_text(hostile_server):
    answer = httpx.post(hostile_server.url + "/api/ask", json={"question": HOSTILE_QUESTIONS[2]}, timeout=30).json()
    cited = answer["citations"][0]
    assert "<img" in cited["text"] and "onerror" in cited["text"], "returned as written, not stripped or rendered"
    assert cited["url"] is None, "a javascript: link to the original is dropped"


@pytest.fixture()
def wiki_page(tmp_path) -> Iterator:
    """A static page on a second loopback port holding the README's iframe snippet as given."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def make(newsbot_url: str) -> str:
        snippet = readme_iframe_snippet().replace(README_HOST, newsbot_url)
        page = f"<!doctype html><title>Team wiki</title><h1>Team wiki</h1><p>Ask the articles:</p>{snippet}"
        (tmp_path / "wiki.html").write_text(page, encoding="utf-8")
        return f"http://127.0.0.1:{server.server_address[1]}/wiki.html"

    yield make
    server.shutdown()


def readme_iframe_snippet() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Embed in your wiki") :]
    snippet = re.search(r"```html\n(<iframe.*?</iframe>)\n```", section, re.DOTALL)
    assert snippet, "the README's wiki section has an iframe snippet"
    assert README_HOST in snippet.group(1)
    return snippet.group(1)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass
