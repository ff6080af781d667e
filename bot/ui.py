"""The Gradio pages: the chat (with cited, highlighted passages on a timeline, and a fact-check
tab) at /, and a compact chat for an iframe at /embed."""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Sequence
from pathlib import Path

import gradio as gr
from gradio.i18n import I18nData

from bot.citations import plain_text, source_line, sources_html, verdict_html
from bot.conversation import Turn
from bot.core import Answering, BadQuestion
from bot.crosslingual import LOCALES as LANGUAGE_LOCALES
from bot.crosslingual import in_cyrillic
from bot.feedback import FeedbackStore
from bot.language import foreign_language
from bot.results import Answer
from bot.ui_words import (
    EXAMPLE_FRAMES,
    LOCALES,
    WORDS,
    browser_locale,
    counted,
    languages,
    problem_in,
    skip_reason_in,
)
from embeddings import Document

EXAMPLES_FILE = ".newsbot-examples"
ARTICLE_LANGUAGES = ("English", "Ukrainian", "Russian")
CLAIMS_FILE = ".newsbot-claims"
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>])")
_ESCAPED_PUNCTUATION = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")
# Each answer carries its plain-text form, base64 in an HTML comment the page does not show;
# COPY_SCRIPT hands it to the clipboard in place of the Markdown when the copy button is used.
_COPY_MARKER = re.compile(r"\n*<!--nb-copy:([A-Za-z0-9+/=]*)-->")
CSS = """
.nb-timeline { position: relative; height: 1em; margin: .4em 1em .3em 1em; border-bottom: 2px solid #999; }
.nb-timeline .nb-dot { position: absolute; bottom: -7px; width: 12px; height: 12px; margin-left: -6px;
  border-radius: 50%; background: #e8710a; }
.nb-timeline .nb-event { position: absolute; bottom: -5px; width: 8px; height: 8px; margin-left: -4px;
  border-radius: 50%; border: 2px solid #e8710a; background: #fff; }
/* Gradio's prose style takes a last list's bottom margin away: the first card's outline (when
   a marker jumps to it) would then cover the legend's last line. */
.nb-timeline-legend { list-style: none; display: flex; flex-wrap: wrap; gap: .1em 1.2em; padding: 0;
  margin: .6em 1em 1em 1em !important; font-size: .75em; }
.nb-timeline-legend li::before { content: ""; display: inline-block; width: 8px; height: 8px; margin-right: .4em;
  border-radius: 50%; border: 2px solid #e8710a; vertical-align: -1px; }
.nb-timeline-legend .nb-legend-dot::before { background: #e8710a; }
.nb-timeline-legend .nb-legend-event::before { width: 6px; height: 6px; background: #fff; }
/* Light backgrounds carry their own dark text, so they stay readable in the dark theme. */
.nb-stance { font-size: .8em; padding: 0 .4em; border-radius: .3em; background: #eee; color: #1f1f1f; }
.nb-supports { background: #d8f5d0; }
.nb-contradicts { background: #fbd3d0; }
.nb-verdict { padding: .5em .8em; border-radius: .4em; margin-bottom: .8em; background: #f1f1f1; color: #1f1f1f; }
.nb-verdict b, .nb-verdict p { color: #1f1f1f !important; }  /* the dark theme colours these itself */
.nb-supported { background: #e3f6de; }
.nb-refuted { background: #fde2df; }
.nb-citation { margin: 0 0 1em 0; }
.nb-citation blockquote { margin: .3em 0 0 0; padding-left: .8em; border-left: 3px solid #ccc; }
.nb-citation mark { background: #fff2a8; color: #1f1f1f; padding: 0 .1em; }
.nb-nearest-note { font-style: italic; }
.nb-nearest blockquote { border-left: 3px dashed #999; opacity: .8; }
.nb-source a { text-decoration: underline; }
.nb-citation:target { outline: 2px solid #e8710a; outline-offset: 4px; border-radius: 2px; }
.nb-note:not(:has(p)) { display: none !important; }
.nb-note p { margin: 0; color: #b3261e; font-weight: 600; }
.dark .nb-note p { color: #ffb4ab; }
.nb-back { white-space: nowrap; }
/* The chat's label and clear button keep a strip above the conversation: scrolled, its lines
   would pass under them. Gradio's scroll-down arrow goes to the corner, off the text. */
.nb-chat .bubble-wrap { margin-top: 34px; }
.nb-chat .scroll-down-button-container { left: auto !important; right: 10px !important; transform: none !important; }
/* The footer holds one link ("Use via API"); Gradio still draws the "·" that would lead to the next. */
footer .divider { display: none !important; }
/* The ask button keeps its word whole in every language ("Запитати" at a phone's width). */
.nb-ask { min-width: fit-content !important; white-space: nowrap; padding-left: .9em !important;
  padding-right: .9em !important; }
/* Example buttons flow in rows, each as wide as its question, which wraps rather than being cut. */
.nb-examples { flex-direction: row !important; flex-wrap: wrap !important; gap: 6px !important;
  flex-grow: 0 !important; align-content: flex-start; align-items: flex-start; }
.nb-examples .nb-examples-label { flex: 1 1 100% !important; min-height: 0 !important; padding: 0 !important; }
.nb-examples .nb-examples-label p { margin: 0 !important; font-size: .9em; }
.nb-examples .nb-example { flex: 0 1 auto !important; width: auto !important; min-width: 0 !important;
  min-height: 0 !important; max-width: 100%; padding: 3px 8px !important; line-height: 1.3;
  white-space: normal !important; text-align: left; font-weight: normal; }
"""
# The embeddable view: no header or footer, tight margins, readable in a 360 x 560 px iframe.
EMBED_CSS = """
footer { display: none !important; }
.gradio-container { padding: 0 !important; min-width: 0 !important; }
.gradio-container .main.fillable { padding: 6px !important; }
/* The conversation, box and examples fill the frame; the cited passages follow below it. */
#nb-embed-main { height: calc(100vh - 12px); flex-wrap: nowrap; }
#nb-embed-main .nb-chat { flex: 1 1 auto; min-height: 120px; height: auto !important; }
.nb-embed-sources { font-size: .9em; padding-top: .5em; }
.nb-embed-sources:not(:has(.nb-citation)):not(:has(.nb-empty)) { display: none !important; }
"""
# The copy button writes the answer's Markdown; this swaps in the plain text its marker holds,
# through the clipboard API or, where there is none (plain http), the copy event.
COPY_SCRIPT = """<script>
(() => {
  const marker = /<!--nb-copy:([A-Za-z0-9+\\/=]*)-->/;
  const plain = text => {
    const found = marker.exec(text || "");
    if (!found) return null;
    return new TextDecoder().decode(Uint8Array.from(atob(found[1]), c => c.charCodeAt(0)));
  };
  const clipboard = navigator.clipboard;
  if (clipboard && !clipboard.nbPlain) {
    const write = clipboard.writeText.bind(clipboard);
    clipboard.writeText = text => write(plain(text) ?? text);
    clipboard.nbPlain = true;
  }
  document.addEventListener("copy", event => {
    const field = document.activeElement;
    const text = field && "value" in field ? field.value : String(document.getSelection());
    const swapped = plain(text);
    if (swapped !== null) { event.clipboardData.setData("text/plain", swapped); event.preventDefault(); }
  });
})();
</script>"""
# System fonts only: the page must render with the network unplugged.
FONTS = ["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]


def theme() -> gr.themes.Base:
    return gr.themes.Default(font=FONTS, font_mono=MONO_FONTS)


Example = tuple[gr.Button, str]


def _examples(texts: list[str], label: I18nData) -> list[Example]:
    """Example buttons, shown whole: Gradio's own examples cut a text at 60 characters ("Що
    Київські новини пише про «На Подолі відкрили відремонтова..."). _asked wires them."""
    if not texts:
        return []
    with gr.Column(elem_classes="nb-examples"):
        gr.Markdown(label, elem_classes="nb-examples-label")
        return [(gr.Button(text, size="sm", variant="secondary", elem_classes="nb-example"), text) for text in texts]


def _asked(examples: Sequence[Example], box: gr.Textbox) -> list[gr.events.Dependency]:
    """Each example's click puts its text in the box, in the page with no round trip ("<"
    escaped, so that a headline cannot close a tag); the caller chains what asking does."""
    return [
        button.click(None, None, box, js="() => " + json.dumps(text).replace("<", "\\u003c"))
        for button, text in examples
    ]


def example_questions(bot: Answering, documents: Path) -> list[str]:
    """Questions listed in the documents folder's .newsbot-examples, else ones made from headlines."""
    listed = _listed(documents / EXAMPLES_FILE)
    if listed:
        return listed
    newest = sorted(bot.index.documents.values(), key=lambda d: (d.date is not None, d.date), reverse=True)
    return [example_question(d) for d in newest[:3]]


def example_question(document: Document) -> str:
    """A question about an article, in its headline's language when that is Ukrainian or Russian."""
    language = foreign_language(document.title) if in_cyrillic(document.title) else None
    frame = EXAMPLE_FRAMES.get(LANGUAGE_LOCALES.get(language or "English", "en"), EXAMPLE_FRAMES["en"])
    return frame.format(source=document.source, title=document.title)


def example_claims(documents: Path) -> list[str]:
    """Claims listed in the documents folder's .newsbot-claims, if any."""
    return _listed(documents / CLAIMS_FILE)


def chat_message(answer: Answer) -> str:
    """The answer for the chat bubble: inert text with [n] linked to the source panel."""
    text = literal_markdown(answer.text)
    for citation in answer.citations:
        text = text.replace(f"\\[{citation.id}\\]", f"[[{citation.id}]](#nb-cite-{citation.id})")
    sources = " · ".join(f"[{c.id}] {literal_markdown(source_line(c, answer.locale))}" for c in answer.citations)
    shown = f"{text}\n\n<small>{sources}</small>" if sources else text
    return with_copy_text(shown, plain_text(answer))


def with_copy_text(markdown: str, plain: str) -> str:
    """A chat message whose copy button copies plain instead of its Markdown."""
    return f"{markdown}\n\n<!--nb-copy:{base64.b64encode(plain.encode()).decode()}-->"


def literal_markdown(text: str) -> str:
    """Text the chat's Markdown shows exactly as written: HTML escaped and Markdown's punctuation
    backslashed, so an article or a question can add no tag, link or image (no request leaves)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(text, quote=False))


def _plain(markdown: str) -> str:
    return html.unescape(_ESCAPED_PUNCTUATION.sub(r"\1", _COPY_MARKER.sub("", markdown)))


def page_words(bot: Answering) -> gr.I18n:
    """The pages' own words in every language they are written in, the header's with this
    index's counts; pass to gr.mount_gradio_app, and the browser's language picks."""
    return gr.I18n(**{locale: _page_words(bot, locale) for locale in LOCALES})


def _page_words(bot: Answering, locale: str) -> dict[str, str]:
    words = WORDS[locale] | {"header": _header(bot, locale)}
    for empty in ("sources_empty", "verdict_empty"):  # shown as the HTML panels' first content
        words[empty] = f'<p class="nb-empty">{html.escape(words[empty])}</p>'
    return words


_WORDS = gr.I18n(**{locale: WORDS[locale] for locale in LOCALES})  # the keys the pages use; page_words fills them


def build_ui(bot: Answering, documents: Path, feedback: FeedbackStore) -> gr.Blocks:
    """The page; its 'ask', 'answer', 'check' and 'check_json' endpoints serve gradio_client."""

    def answer(question: str) -> dict:
        """The same object as POST /api/ask."""
        return bot.ask(question).to_dict()

    def check_json(claim: str) -> dict:
        """The same object as POST /api/check."""
        return bot.check(claim).to_dict()

    with gr.Blocks(title="newsbot", analytics_enabled=False) as ui:
        gr.Markdown(_WORDS("header"))
        with gr.Tabs():
            with gr.Tab(_WORDS("chat")):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=300):
                        parts = _chat(bot, feedback, "chat", height=480)
                        examples = _examples(example_questions(bot, documents), _WORDS("examples"))
                    with gr.Column(scale=2, min_width=280):
                        gr.Markdown(_WORDS("sources"))
                        sources = gr.HTML(_WORDS("sources_empty"))
                _wire_chat(bot, parts, sources, examples=examples)
            with gr.Tab(_WORDS("fact_check")):
                _check_tab(bot, documents)
        gr.api(answer, api_name="answer")
        gr.api(check_json, api_name="check_json")
    return ui


def build_embed(bot: Answering, documents: Path, feedback: FeedbackStore) -> gr.Blocks:
    """The compact chat for an iframe: the conversation fills the frame, with the question box and
    a few examples under it; the cited passages follow below, with a link back up."""
    with gr.Blocks(title="newsbot", analytics_enabled=False, fill_width=True) as embed:
        with gr.Column(elem_id="nb-embed-main"):
            parts = _chat(bot, feedback, "embed")
            examples = _examples(example_questions(bot, documents)[:3], _WORDS("try"))
        sources = gr.HTML("", elem_classes="nb-embed-sources", padding=False)
        _wire_chat(bot, parts, sources, back_link="#nb-chat-embed", examples=examples)
    return embed


ChatParts = tuple[gr.Chatbot, gr.Textbox, gr.Button, gr.HTML]


def _chat(bot: Answering, feedback: FeedbackStore, page: str, **size) -> ChatParts:
    """The conversation with copy and thumbs up/down on each answer, the question box, and a
    note under it for a question that cannot be taken."""
    chat = gr.Chatbot(
        label=_WORDS("chat"),
        buttons=["copy"],
        feedback_options=("Like", "Dislike"),
        autoscroll=False,  # SHOW_ANSWER_START scrolls to the start of a new answer instead
        elem_id=f"nb-chat-{page}",
        elem_classes="nb-chat",
        **size,
    )
    with gr.Row(equal_height=True):
        box = gr.Textbox(
            label=_WORDS("question"),  # not shown; what a screen reader calls the box
            show_label=False,
            placeholder=_WORDS("ask_placeholder"),
            lines=1,
            max_lines=4,
            scale=5,
            min_width=160,
        )
        ask = gr.Button(_WORDS("ask"), variant="primary", scale=1, min_width=60, elem_classes="nb-ask")
    note = gr.HTML("", elem_classes="nb-note", padding=False)

    def remember(history: list[dict], data: gr.LikeData) -> None:
        index = data.index if isinstance(data.index, int) else data.index[0]
        question = _text(history[index - 1]) if index > 0 else ""
        feedback.record(question, _text(history[index]), data.liked is True or data.liked == "Like", page)

    chat.like(remember, chat, None, api_visibility="private")
    return chat, box, ask, note


# After an answer arrives, its first line is brought into view (not the end of a long answer).
SHOW_ANSWER_START = """() => {
  for (const chat of document.querySelectorAll(".nb-chat")) {
    const rows = chat.querySelectorAll(".message-row");
    if (!rows.length) continue;
    const last = rows[rows.length - 1];
    let box = last.parentElement;
    while (box && box !== chat && box.scrollHeight <= box.clientHeight + 1) box = box.parentElement;
    const label = 8;  // a little of the question before it stays in view
    const above = last.getBoundingClientRect().top - (box ? box.getBoundingClientRect().top : 0);
    if (box && box !== chat) box.scrollTop += above - label;
  }
}"""


def _wire_chat(
    bot: Answering,
    parts: ChatParts,
    sources: gr.HTML,
    back_link: str | None = None,
    examples: Sequence[Example] = (),
) -> None:
    """The box, the button and a click on an example ask the question."""
    chat, box, ask, note = parts

    def respond(message: str, history: list[dict], request: gr.Request) -> tuple:
        try:
            answer = bot.ask(message, _turns(history))
        except BadQuestion as exc:  # said under the box; the conversation and sources stay
            return message, history, gr.skip(), _problem(exc, request)
        asked = {"role": "user", "content": with_copy_text(literal_markdown(message), message)}
        reply = {"role": "assistant", "content": chat_message(answer)}
        return "", [*history, asked, reply], sources_html(answer, back_link), ""

    outputs = [box, chat, sources, note]
    box.submit(respond, [box, chat], outputs, api_name="ask").then(None, js=SHOW_ANSWER_START)
    ask.click(respond, [box, chat], outputs, api_visibility="private").then(None, js=SHOW_ANSWER_START)
    for filled in _asked(examples, box):
        filled.then(respond, [box, chat], outputs, api_visibility="private").then(None, js=SHOW_ANSWER_START)


def _check_tab(bot: Answering, documents: Path) -> None:
    def run_check(claim: str, request: gr.Request) -> str:
        try:
            return verdict_html(bot.check(claim))
        except BadQuestion as exc:
            return _problem(exc, request)

    claim = gr.Textbox(label=_WORDS("claim"), placeholder=_WORDS("claim_placeholder"), lines=2, max_lines=4)
    button = gr.Button(_WORDS("check"), variant="primary")
    examples = _examples(example_claims(documents), _WORDS("examples"))
    result = gr.HTML(_WORDS("verdict_empty"))
    claim.submit(run_check, claim, result, api_name="check")
    button.click(run_check, claim, result, api_visibility="private")
    for filled in _asked(examples, claim):
        filled.then(run_check, claim, result, api_visibility="private")


def _turns(history: list[dict]) -> list[Turn]:
    return [Turn(message.get("role", "user"), _text(message)) for message in history]


def _text(message: dict) -> str:
    """A chat message's text; Gradio may hold its content as a list of parts."""
    content = message.get("content")
    if not isinstance(content, str):
        content = " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in content or [])
    return _plain(content)


def _listed(path: Path) -> list[str]:
    if not path.is_file():
        return []
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line and not line.startswith("#")][:6]


def _problem(exc: BadQuestion, request: gr.Request | None) -> str:
    """Why the question or claim was not taken, in the page's language."""
    locale = browser_locale(request.headers.get("accept-language", "")) if request else "en"
    said = problem_in(locale, exc.reason, exc.facts) or f"{str(exc).capitalize()}."
    return f'<p class="nb-empty">{html.escape(said)}</p>'


def _header(bot: Answering, locale: str = "en") -> str:
    health, words = bot.health(), WORDS[locale]
    intro = words["intro"].format(
        articles=counted(health["documents"], "articles", locale),
        passages=counted(health["passages"], "passages", locale),
    )
    return f"## newsbot\n{intro} {languages_note(health.get('languages', ['English']), locale)}" + _skipped_note(
        bot.index.skipped, locale
    )


def languages_note(asked_in: Sequence[str], locale: str = "en") -> str:
    """Which languages questions and articles may be in: more than English only with a
    multilingual embedding model."""
    articles = ARTICLE_LANGUAGES if len(asked_in) > 1 else asked_in
    return WORDS[locale]["languages"].format(
        questions=languages(asked_in, locale), articles=languages(articles, locale)
    )


def _skipped_note(skipped: list[tuple[str, str]], locale: str, shown: int = 3) -> str:
    """ "Files skipped (2): scan.pdf (unsupported file type .pdf); …", or nothing."""
    if not skipped:
        return ""
    words = WORDS[locale]
    listed = "; ".join(f"{path} ({skip_reason_in(locale, reason)})" for path, reason in skipped[:shown])
    more = words["more"].format(count=len(skipped) - shown) if len(skipped) > shown else ""
    return "\n\n" + words["skipped"].format(count=len(skipped), listed=literal_markdown(listed), more=more)
