"""The web pages in a real headless Chromium (Debian's package, driven by Playwright) against a
real `newsbot serve`; every request that is not to a loopback address is blocked and recorded.
Screenshots are saved under test-artifacts/screenshots/."""

from __future__ import annotations

import functools
import os
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


def new_page(
    browser, outside_requests: list[str], width: int = 1200, height: int = 900, scheme: str = "light", locale="en-US"
):
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme, locale=locale)
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
    box = scope.get_by_role("textbox", name="Question")  # named for a screen reader, not "Textbox"
    assert box.get_attribute("placeholder") == "Ask about the articles…"
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


def chat_page_answering(browser, outside_requests, url: str, question: str = QUESTION):
    """The chat at url, asked question, its answer's first citation opened; the answer is cited."""
    page = new_page(browser, outside_requests)
    page.goto(url + "/")
    ask_in(page, question)
    open_first_citation(page)
    answer = page.locator(".message-row, .message").filter(has_text="[1]").last.inner_text()
    assert "[1]" in answer and len(answer) > 40
    return page


def test_chat_answers_and_opens_a_citation(browser, server, outside_requests):
    page = chat_page_answering(browser, outside_requests, server.url)
    link = page.locator("#nb-cite-1 a[href^='http']")
    if link.count():
        assert link.first.get_attribute("target") == "_blank", "the original opens beside the chat"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "chat.png", full_page=True)
    ask_in(page, "   ")
    page.get_by_text("The question is empty.").wait_for(timeout=10_000)
    assert not page.errors
    assert outside_requests == []


# WCAG's contrast ratio of an element's text colour and the background it is drawn on (its own,
# or the nearest ancestor's that is not transparent), in the page itself.
CONTRAST = """e => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const lum = c => { const [r, g, b] = rgb(c); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const clear = c => /^rgba\\(.*,\\s*0\\)$/.test(c) || c === "transparent";
  let under = e;
  while (under.parentElement && clear(getComputedStyle(under).backgroundColor)) under = under.parentElement;
  const a = lum(getComputedStyle(e).color), b = lum(getComputedStyle(under).backgroundColor);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_highlight_is_readable_in_both_themes(browser, server, outside_requests, scheme):
    page = new_page(browser, outside_requests, scheme=scheme)
    page.goto(server.url + "/")
    ask_in(page, QUESTION)
    open_first_citation(page)
    page.get_by_role("tab", name="Fact check").click()
    check_claim(page, example_lines(".newsbot-claims")[0])
    # The verdict's label and explanation too: the dark theme colours a <p> or <b> of its own.
    marked = page.locator("mark, .nb-stance, .nb-verdict, .nb-verdict b, .nb-verdict p")
    assert marked.count() >= 3
    ratios = [marked.nth(i).evaluate(CONTRAST) for i in range(marked.count()) if marked.nth(i).is_visible()]
    assert ratios and min(ratios) >= 4.5, ratios
    page.screenshot(path=SHOTS / f"check-{scheme}.png")
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


@pytest.mark.parametrize("locale", ["en-US", "uk-UA", "ru-RU", "de-DE", "es-ES"])
def test_the_ask_button_shows_its_whole_word_on_a_phone(browser, server, outside_requests, locale):
    page = new_page(browser, outside_requests, width=360, height=740, locale=locale)
    page.goto(server.url + "/")
    button = page.locator(".nb-ask").first
    button.wait_for()
    assert button.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), button.inner_text()
    assert no_horizontal_scroll(page)
    assert outside_requests == []


def test_the_footer_shows_its_one_link_and_no_stray_separator(browser, server, outside_requests):
    page = new_page(browser, outside_requests)
    page.goto(server.url + "/")
    footer = page.locator("footer")
    footer.get_by_text("Use via API").wait_for()
    assert footer.inner_text().strip() == "Use via API"
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


def example_lines(name: str) -> list[str]:
    """The bundled example questions or claims, as the page lists them."""
    lines = (ROOT / "documents" / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def check_claim(page, claim: str) -> None:
    box = page.get_by_placeholder("A statement to check against the articles…")
    shown = page.locator(".nb-verdict")
    before = shown.first.inner_text() if shown.count() else None
    box.fill(claim)
    page.get_by_role("button", name="Check", exact=True).click()
    changed = "before => { const v = document.querySelector('.nb-verdict'); return v && v.innerText !== before; }"
    page.wait_for_function(changed, arg=before, timeout=30_000)


def boxes_overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and (a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])
    )


def test_a_claim_example_is_checked_on_a_click(browser, server, outside_requests):
    page = new_page(browser, outside_requests)
    page.goto(server.url + "/")
    page.get_by_role("tab", name="Fact check").click()
    claim = example_lines(".newsbot-claims")[0]
    page.locator(".nb-example", has_text=claim).first.click()
    page.locator(".nb-verdict").first.wait_for(timeout=30_000)
    box = page.get_by_placeholder("A statement to check against the articles…")
    assert box.input_value() == claim
    assert not page.errors
    assert outside_requests == []


def test_timeline_labels_never_overlap(browser, server, outside_requests):
    page = new_page(browser, outside_requests, width=1000)
    page.goto(server.url + "/")
    page.get_by_role("tab", name="Fact check").click()
    most = 0
    for claim in example_lines(".newsbot-claims"):
        check_claim(page, claim)
        labels = page.locator(".nb-timeline-legend li")
        boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
        most = max(most, len(boxes))
        overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if boxes_overlap(a, b)]
        assert not overlapping, (claim, overlapping)
        assert page.locator(".nb-timeline i, .nb-timeline span:not(:empty)").count() == 0, "no text on the line"
        # The first card's outline (6 px, when a marker jumps to it) leaves the legend's last line clear.
        legend = page.locator(".nb-timeline-legend").first.bounding_box()
        card = page.locator(".nb-citation").first.bounding_box()
        assert legend["y"] + legend["height"] + 6 <= card["y"], (claim, legend, card)
    assert most >= 3, "some verdict cites articles from three dates"
    assert outside_requests == []


def test_copy_button_copies_plain_text_with_sources(browser, server, outside_requests):
    page = new_page(browser, outside_requests)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page.goto(server.url + "/")
    ask_in(page, QUESTION)
    page.locator("a[href='#nb-cite-1']").first.wait_for(timeout=30_000)
    page.locator(".nb-chat button[aria-label*='copy' i], .nb-chat button[title*='copy' i]").last.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    answer = httpx.post(server.url + "/api/ask", json={"question": QUESTION}, timeout=30).json()
    sources = [
        " — ".join(
            part for part in (f"[{c['id']}] {c['source']}, {long_date(c['date'])}", c["title"], c["url"]) if part
        )
        for c in answer["citations"]
    ]
    assert copied == "\n".join([answer["answer"], "", *sources])
    assert "\\" not in copied and "<" not in copied and "#nb-cite" not in copied
    assert not page.errors
    assert outside_requests == []


def long_date(iso: str | None) -> str:
    import datetime as dt

    if not iso:
        return "undated"
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def test_errors_show_under_the_question_and_keep_the_sources(browser, server, outside_requests):
    page = new_page(browser, outside_requests)
    page.goto(server.url + "/")
    ask_in(page, QUESTION)
    open_first_citation(page)
    sources_before = page.locator("#nb-cite-1").inner_text()
    chat_column = page.locator(".nb-chat").bounding_box()
    for bad, message in (("   ", "The question is empty."), ("y" * 2100, "The question is too long")):
        ask_in(page, bad)
        note = page.locator(".nb-note").get_by_text(message)
        note.wait_for(timeout=10_000)
        where = note.bounding_box()
        assert chat_column["x"] <= where["x"] < chat_column["x"] + chat_column["width"], "in the chat column"
        assert where["y"] > chat_column["y"] + chat_column["height"], "under the conversation, by the box"
        assert page.locator("#nb-cite-1").inner_text() == sources_before, "the sources stay"
    ask_in(page, QUESTION)
    page.locator("a[href='#nb-cite-1']").nth(1).wait_for(timeout=30_000)
    assert page.locator(".nb-note p").count() == 0, "the note goes once a question is answered"
    assert outside_requests == []


def test_non_answers_mark_the_nearest_passages_as_such(browser, server, outside_requests):
    question = "What is the capital of Turkey?"
    answer = httpx.post(server.url + "/api/ask", json={"question": question}, timeout=30).json()
    assert not answer["grounded"] and answer["citations"], "the bot abstains and shows its nearest passages"
    page = new_page(browser, outside_requests)
    page.goto(server.url + "/")
    ask_in(page, question)
    page.locator(".nb-nearest-note").wait_for(timeout=30_000)
    assert "they do not answer the question" in page.locator(".nb-nearest-note").inner_text()
    assert page.locator(".nb-citation").count() == page.locator(".nb-citation.nb-nearest").count() >= 1
    assert page.locator(".nb-citation mark").count() == 0, "no highlight claims support"
    assert page.locator(".nb-timeline").count() == 0
    assert outside_requests == []


EMBED = {"width": 360, "height": 560}


def test_embed_fits_a_small_frame_and_shows_each_answer_from_its_start(browser, server, outside_requests):
    page = new_page(browser, outside_requests, **EMBED)
    page.goto(server.url + "/embed/")
    chat = page.locator("#nb-chat-embed")
    chat.wait_for()
    assert page.evaluate("document.scrollingElement.scrollHeight") <= EMBED["height"], "the empty embed fits"
    assert chat.bounding_box()["height"] >= EMBED["height"] / 2, "the conversation fills the frame"
    for question in example_lines(".newsbot-examples")[:2]:
        ask_in(page, question)
        page.locator(".message-row").nth(-1).get_by_text(re.compile(r"\[1\]")).first.wait_for(timeout=30_000)
        for _ in range(20):  # the chat settles its scroll after the answer renders
            page.wait_for_timeout(250)
            last, view = page.locator(".nb-chat .message-row").last.bounding_box(), chat.bounding_box()
            if view["y"] <= last["y"] + 40 < view["y"] + view["height"] / 2:
                break
        assert view["y"] <= last["y"] + 40 < view["y"] + view["height"] / 2, "the answer's start is in view"
    page.locator("a[href='#nb-cite-1']").last.click()
    back = page.locator("#nb-cite-1 a.nb-back")
    assert back.is_visible() and in_viewport(page, back), "a way back is in view at the sources"
    back.click()
    page.wait_for_timeout(300)
    assert in_viewport(page, chat), "back at the conversation"
    assert no_horizontal_scroll(page)
    assert not page.errors
    assert outside_requests == []


def test_the_chat_label_and_scroll_arrow_cover_no_text(browser, server, outside_requests):
    page = new_page(browser, outside_requests, **EMBED)
    page.goto(server.url + "/embed/")
    page.locator("#nb-chat-embed").wait_for()
    for question in example_lines(".newsbot-examples")[:2]:
        ask_in(page, question)
        page.locator(".message-row").nth(-1).get_by_text(re.compile(r"\[1\]")).first.wait_for(timeout=30_000)
    scroller = page.locator("#nb-chat-embed .bubble-wrap")
    page.wait_for_timeout(500)
    scroller.evaluate("box => { box.scrollTop = Math.max(0, box.scrollTop - 45); }")
    arrow = page.get_by_label("Scroll down")
    arrow.wait_for()
    label = page.locator("#nb-chat-embed label").first.bounding_box()
    assert label["y"] + label["height"] <= scroller.bounding_box()["y"] + 1, "the label is above the lines"
    bubbles = [b.bounding_box() for b in page.locator("#nb-chat-embed .message-row .message").all()]
    assert bubbles and not any(_overlap(arrow.bounding_box(), bubble) for bubble in bubbles if bubble)
    assert outside_requests == []


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] < page.viewport_size["height"]


@pytest.mark.parametrize(("path", "shown"), [("/", 6), ("/embed/", 3)])
def test_example_questions_are_shown_whole(browser, server, outside_requests, path, shown):
    page = new_page(browser, outside_requests, **(EMBED if path == "/embed/" else {}))
    page.goto(server.url + path)
    expected = example_lines(".newsbot-examples")[:shown]
    for question in expected:
        example = page.get_by_text(question, exact=True).first
        example.wait_for()
        assert example.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1")
    assert outside_requests == []


def test_example_questions_made_from_headlines_are_shown_whole_and_asked_on_a_click(
    browser, hostile_server, outside_requests
):
    """With no .newsbot-examples, the examples ask about the newest headlines; Gradio's own
    examples cut such a question at 60 characters ("What does Northern Ledger report about
    “Veltria and Osm..."). A click asks the whole question (a new user took a click that only
    filled the box for one that did nothing)."""
    page = new_page(browser, outside_requests)
    page.goto(hostile_server.url)
    examples = page.locator(".nb-example")
    examples.first.wait_for()
    shown = examples.all_inner_texts()
    assert len(shown) == 3 and max(len(text) for text in shown) > 60, shown
    for number, text in enumerate(shown):
        assert text.endswith("?") and not text.endswith("..."), text
        example = examples.nth(number)
        assert example.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1")
        example.click()
        asked = page.locator(".nb-chat .message-row.user-row").nth(number)
        asked.wait_for(timeout=30_000)
        assert " ".join(asked.inner_text().split()) == " ".join(text.split())
        page.locator(".nb-chat .message-row.bot-row").nth(number).wait_for(timeout=30_000)
    assert page.evaluate("() => window.__pwned") is None and not page.errors
    assert outside_requests == []


README_QUESTION = "Who heads Ukraine's delegation for the July 2025 round?"
README_FIGURES = {  # the README's figures of the bundled index, as patterns over its text
    "index": r"Indexed (\d+) documents from documents, (\d+) passages",
    "health": r'\{"status": "ok", "documents": (\d+), "passages": (\d+), "languages": \["English"\]\}',
}


def test_readme_figures_and_screenshot_come_from_the_bundled_index(browser, server, outside_requests):
    """The README's counts are the served bundled index's; NEWSBOT_UPDATE_DOCS=1 (`make docs`)
    writes them, and the screenshot, from this run instead of checking them."""
    health = httpx.get(server.url + "/api/health").json()
    counts = (str(health["documents"]), str(health["passages"]))
    readme_path = ROOT / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    page = new_page(browser, outside_requests)
    page.goto(server.url + "/")
    header = page.get_by_text(re.compile(r"Answers from \d+ news articles")).first.inner_text()
    assert f"Answers from {counts[0]} news articles ({counts[1]} passages)" in header
    if os.environ.get("NEWSBOT_UPDATE_DOCS"):
        for pattern in README_FIGURES.values():
            readme = re.sub(pattern, lambda m: _with_counts(m, counts), readme)
        readme_path.write_text(readme, encoding="utf-8")
        ask_in(page, README_QUESTION)
        open_first_citation(page)
        page.screenshot(path=ROOT / "docs" / "screenshot.png")
    for name, pattern in README_FIGURES.items():
        found = re.findall(pattern, readme)
        assert found and all(f == counts for f in found), f"README {name} figures {found}; the index has {counts}"
    assert outside_requests == []


def _with_counts(match: re.Match, counts: tuple[str, str]) -> str:
    text, start = match.group(0), match.start()
    for group, count in sorted(zip((1, 2), counts, strict=True), reverse=True):
        text = text[: match.start(group) - start] + count + text[match.end(group) - start :]
    return text


def test_a_question_in_another_language_is_told_so(browser, server, outside_requests):
    page = new_page(browser, outside_requests)
    page.goto(server.url + "/")
    page.get_by_text("Ask in English, about articles in English.").first.wait_for()
    ask_in(page, "Хто очолив українську делегацію на переговорах у Стамбулі?")
    reply = page.locator(".nb-chat .message-row").last.get_by_text("reads questions in English only")
    reply.wait_for(timeout=30_000)
    assert "Ukrainian" in reply.inner_text()
    assert page.locator(".nb-citation").count() == 0 and page.locator("mark").count() == 0
    assert outside_requests == []


@pytest.fixture(scope="module")
def multilingual_server(tmp_path_factory) -> Iterator[Server]:
    """`newsbot serve` with multilingual-e5-small over the planted Ukrainian and Russian articles."""
    index_dir = tmp_path_factory.mktemp("uk-ru-index")
    env = server_env(index_dir, ROOT / "tests" / "data" / "articles-uk-ru", NEWSBOT_MODEL="multilingual-e5-small")
    server = Server(env, tmp_path_factory.mktemp("uk-ru-server"))
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def test_with_the_multilingual_model_the_chat_says_its_languages_and_answers_in_ukrainian(
    browser, multilingual_server, outside_requests
):
    page = new_page(browser, outside_requests)
    page.goto(multilingual_server.url + "/")
    page.get_by_text("Ask in English, Ukrainian, Russian, German, or Spanish").first.wait_for()
    ask_in(page, "Хто диригуватиме оркестром під час турне?")
    open_first_citation(page)
    reply = page.locator(".nb-chat .message-row").last
    assert "Видання Поліські вісті повідомило" in reply.inner_text()
    # The sentence naming the conductor is highlighted (the answer may quote the one before too).
    assert "Андрій Гнатюк" in " ".join(page.locator("#nb-cite-1 mark").all_inner_texts())
    assert outside_requests == []


@pytest.mark.parametrize(
    ("locale", "tabs", "languages", "placeholder", "problem"),
    [
        (
            "uk-UA",
            ["Чат", "Перевірка фактів"],
            "Запитуйте мовами: англійська, українська, російська",
            "уривки",
            "У запитанні немає слів",
        ),
        (
            "es-ES",
            ["Chat", "Verificación"],
            "Pregunte en inglés, ucraniano, ruso, alemán o español",
            "pasajes",
            "La pregunta no tiene palabras",
        ),
        (
            "fr-FR",
            ["Chat", "Fact check"],
            "Ask in English, Ukrainian, Russian, German, or Spanish",
            "passages",
            "The question has no words",
        ),
    ],
)
def test_the_page_speaks_the_browser_language(
    browser, multilingual_server, outside_requests, locale, tabs, languages, placeholder, problem
):
    """Its own words, that is, its notes on a question it cannot take included; a language it
    does not have (French) gets English."""
    page = new_page(browser, outside_requests, locale=locale)
    page.goto(multilingual_server.url + "/")
    page.get_by_text(languages).first.wait_for()
    assert page.get_by_role("tab").all_inner_texts() == tabs
    assert placeholder in page.locator(".nb-empty").first.inner_text()
    box = page.locator(".nb-chat-box textarea, textarea").first
    box.fill("?")
    box.press("Enter")
    page.locator(".nb-note").get_by_text(problem).wait_for(timeout=10_000)
    assert outside_requests == []
