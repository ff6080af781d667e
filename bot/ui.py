"""The Gradio pages: the chat (with cited, highlighted passages on a timeline, and a fact-check
tab) at /, and a compact chat for an iframe at /embed."""

from __future__ import annotations

import html
import re
from pathlib import Path

import gradio as gr

from bot.citations import source_line, sources_html, verdict_html
from bot.conversation import Turn
from bot.core import BadQuestion, Bot
from bot.feedback import FeedbackStore
from bot.lexicon import plural
from bot.results import Answer

EXAMPLES_FILE = ".newsbot-examples"
CLAIMS_FILE = ".newsbot-claims"
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>])")
_ESCAPED_PUNCTUATION = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")
CSS = """
.nb-timeline { position: relative; height: 2.6em; margin: .4em 1em 1.2em 1em; border-bottom: 2px solid #999; }
.nb-timeline .nb-dot { position: absolute; bottom: -7px; width: 12px; height: 12px; margin-left: -6px;
  border-radius: 50%; background: #e8710a; }
.nb-timeline .nb-dot i { position: absolute; bottom: 16px; left: 6px; white-space: nowrap;
  font-style: normal; font-size: .75em; }
.nb-timeline .nb-start i { transform: translateX(-12px); }
.nb-timeline .nb-mid i { transform: translateX(-50%); }
.nb-timeline .nb-end i { transform: translateX(-100%); }
.nb-timeline .nb-event { position: absolute; bottom: -5px; width: 8px; height: 8px; margin-left: -4px;
  border-radius: 50%; border: 2px solid #e8710a; background: #fff; }
/* Light backgrounds carry their own dark text, so they stay readable in the dark theme. */
.nb-stance { font-size: .8em; padding: 0 .4em; border-radius: .3em; background: #eee; color: #1f1f1f; }
.nb-supports { background: #d8f5d0; }
.nb-contradicts { background: #fbd3d0; }
.nb-verdict { padding: .5em .8em; border-radius: .4em; margin-bottom: .8em; background: #f1f1f1; color: #1f1f1f; }
.nb-supported { background: #e3f6de; }
.nb-refuted { background: #fde2df; }
.nb-citation { margin: 0 0 1em 0; }
.nb-citation blockquote { margin: .3em 0 0 0; padding-left: .8em; border-left: 3px solid #ccc; }
.nb-citation mark { background: #fff2a8; color: #1f1f1f; padding: 0 .1em; }
.nb-source a { text-decoration: underline; }
.nb-citation:target { outline: 2px solid #e8710a; outline-offset: 4px; border-radius: 2px; }
"""
# The embeddable view: no header or footer, tight margins, readable in a 360 x 560 px iframe.
EMBED_CSS = """
footer { display: none !important; }
.gradio-container { padding: 0 !important; min-width: 0 !important; }
.gradio-container .main.fillable { padding: 6px !important; }
.nb-embed-sources { max-height: 40vh; overflow-y: auto; font-size: .9em; }
"""
# System fonts only: the page must render with the network unplugged.
FONTS = ["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]


def theme() -> gr.themes.Base:
    return gr.themes.Default(font=FONTS, font_mono=MONO_FONTS)


def example_questions(bot: Bot, documents: Path) -> list[str]:
    """Questions listed in the documents folder's .newsbot-examples, else ones made from headlines."""
    listed = _listed(documents / EXAMPLES_FILE)
    if listed:
        return listed
    newest = sorted(bot.index.documents.values(), key=lambda d: (d.date is not None, d.date), reverse=True)
    return [f"What does {d.source} report about “{d.title}”?" for d in newest[:3]]


def example_claims(documents: Path) -> list[str]:
    """Claims listed in the documents folder's .newsbot-claims, if any."""
    return _listed(documents / CLAIMS_FILE)


def chat_message(answer: Answer) -> str:
    """The answer for the chat bubble: inert text with [n] linked to the source panel."""
    text = literal_markdown(answer.text)
    for citation in answer.citations:
        text = text.replace(f"\\[{citation.id}\\]", f"[[{citation.id}]](#nb-cite-{citation.id})")
    sources = " · ".join(f"[{c.id}] {literal_markdown(source_line(c))}" for c in answer.citations)
    return f"{text}\n\n<small>{sources}</small>" if sources else text


def literal_markdown(text: str) -> str:
    """Text the chat's Markdown shows exactly as written: HTML escaped and Markdown's punctuation
    backslashed, so an article or a question can add no tag, link or image (no request leaves)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(text, quote=False))


def _plain(markdown: str) -> str:
    return html.unescape(_ESCAPED_PUNCTUATION.sub(r"\1", markdown))


def build_ui(bot: Bot, documents: Path, feedback: FeedbackStore) -> gr.Blocks:
    """The page; its 'ask', 'answer', 'check' and 'check_json' endpoints serve gradio_client."""

    def answer(question: str) -> dict:
        """The same object as POST /api/ask."""
        return bot.ask(question).to_dict()

    def check_json(claim: str) -> dict:
        """The same object as POST /api/check."""
        return bot.check(claim).to_dict()

    with gr.Blocks(title="newsbot", analytics_enabled=False) as ui:
        gr.Markdown(_header(bot))
        with gr.Tabs():
            with gr.Tab("Chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=300):
                        parts = _chat(bot, feedback, "chat", height=480)
                        gr.Examples(example_questions(bot, documents), inputs=parts[1], label="Examples")
                    with gr.Column(scale=2, min_width=280):
                        gr.Markdown("### Sources")
                        sources = gr.HTML(SOURCES_PLACEHOLDER)
                _wire_chat(bot, parts, sources)
            with gr.Tab("Fact check"):
                _check_tab(bot, documents)
        gr.api(answer, api_name="answer")
        gr.api(check_json, api_name="check_json")
    return ui


def build_embed(bot: Bot, documents: Path, feedback: FeedbackStore) -> gr.Blocks:
    """The compact chat for an iframe: chat, question box, and the cited passages below."""
    with gr.Blocks(title="newsbot", analytics_enabled=False, fill_width=True) as embed:
        parts = _chat(bot, feedback, "embed", height=300)
        gr.Examples(example_questions(bot, documents)[:3], inputs=parts[1], label="Try")
        sources = gr.HTML(SOURCES_PLACEHOLDER, elem_classes="nb-embed-sources")
        _wire_chat(bot, parts, sources)
    return embed


SOURCES_PLACEHOLDER = '<p class="nb-empty">Cited passages appear here, the cited sentences highlighted.</p>'


def _chat(bot: Bot, feedback: FeedbackStore, page: str, height: int) -> tuple[gr.Chatbot, gr.Textbox, gr.Button]:
    """The conversation with copy and thumbs up/down on each answer, and the question box."""
    chat = gr.Chatbot(label="Chat", height=height, buttons=["copy"], feedback_options=("Like", "Dislike"))
    with gr.Row(equal_height=True):
        box = gr.Textbox(
            show_label=False, placeholder="Ask about the articles…", lines=1, max_lines=4, scale=5, min_width=160
        )
        ask = gr.Button("Ask", variant="primary", scale=1, min_width=60)

    def remember(history: list[dict], data: gr.LikeData) -> None:
        index = data.index if isinstance(data.index, int) else data.index[0]
        question = _text(history[index - 1]) if index > 0 else ""
        feedback.record(question, _text(history[index]), data.liked is True or data.liked == "Like", page)

    chat.like(remember, chat, None, api_name=False)
    return chat, box, ask


def _wire_chat(bot: Bot, parts: tuple[gr.Chatbot, gr.Textbox, gr.Button], sources: gr.HTML) -> None:
    chat, box, ask = parts

    def respond(message: str, history: list[dict]) -> tuple[str, list[dict], str]:
        try:
            answer = bot.ask(message, _turns(history))
        except BadQuestion as exc:
            return message, history, _problem(exc)
        asked = {"role": "user", "content": literal_markdown(message)}
        reply = {"role": "assistant", "content": chat_message(answer)}
        return "", [*history, asked, reply], sources_html(answer)

    box.submit(respond, [box, chat], [box, chat, sources], api_name="ask")
    ask.click(respond, [box, chat], [box, chat, sources], api_name=False)


def _check_tab(bot: Bot, documents: Path) -> None:
    def run_check(claim: str) -> str:
        try:
            return verdict_html(bot.check(claim))
        except BadQuestion as exc:
            return _problem(exc)

    claim = gr.Textbox(label="Claim", placeholder="A statement to check against the articles…", lines=2, max_lines=4)
    button = gr.Button("Check", variant="primary")
    examples = example_claims(documents)
    if examples:
        gr.Examples(examples, inputs=claim, label="Examples")
    result = gr.HTML('<p class="nb-empty">The verdict and its evidence appear here.</p>')
    claim.submit(run_check, claim, result, api_name="check")
    button.click(run_check, claim, result, api_name=False)


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


def _problem(exc: Exception) -> str:
    return f'<p class="nb-empty">{html.escape(str(exc).capitalize())}.</p>'


def _header(bot: Bot) -> str:
    health = bot.health()
    return (
        "## newsbot\n"
        f"Answers from {plural(health['documents'], 'news article')} ({plural(health['passages'], 'passage')}). "
        "Every statement cites its source; the cited sentence is highlighted. "
        "The timeline shows when each cited article was published."
    )
