"""The Gradio chat: answers with [n] markers beside the cited passages, highlighted."""

from __future__ import annotations

import html
from pathlib import Path

import gradio as gr

from bot.answer import Answer
from bot.citations import source_line, sources_html
from bot.core import BadQuestion, Bot

EXAMPLES_FILE = ".newsbot-examples"
CSS = """
.nb-citation { margin: 0 0 1em 0; }
.nb-citation blockquote { margin: .3em 0 0 0; padding-left: .8em; border-left: 3px solid #ccc; }
.nb-citation mark { background: #fff2a8; color: inherit; padding: 0 .1em; }
.nb-source a { text-decoration: underline; }
"""
# System fonts only: the page must render with the network unplugged.
FONTS = ["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]


def theme() -> gr.themes.Base:
    return gr.themes.Default(font=FONTS, font_mono=MONO_FONTS)


def example_questions(bot: Bot, documents: Path) -> list[str]:
    """Questions listed in the documents folder's .newsbot-examples, else ones made from headlines."""
    path = documents / EXAMPLES_FILE
    if path.is_file():
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        return [line for line in lines if line and not line.startswith("#")][:6]
    newest = sorted(bot.index.documents.values(), key=lambda d: (d.date is not None, d.date), reverse=True)
    return [f"What does {d.source} report about “{d.title}”?" for d in newest[:3]]


def chat_message(answer: Answer) -> str:
    """The answer for the chat bubble: escaped text with [n] linked to the source panel."""
    text = html.escape(answer.text)
    for citation in answer.citations:
        text = text.replace(f"[{citation.id}]", f"[[{citation.id}]](#nb-cite-{citation.id})")
    sources = " · ".join(f"[{c.id}] {html.escape(source_line(c))}" for c in answer.citations)
    return f"{text}\n\n<small>{sources}</small>" if sources else text


def build_ui(bot: Bot, documents: Path) -> gr.Blocks:
    """The chat page; its 'ask' endpoint is also what gradio_client calls."""

    def respond(message: str, history: list[dict]) -> tuple[str, list[dict], str]:
        try:
            answer = bot.ask(message)
        except BadQuestion as exc:
            return message, history, f'<p class="nb-empty">{html.escape(str(exc).capitalize())}.</p>'
        history = [
            *history,
            {"role": "user", "content": message},
            {"role": "assistant", "content": chat_message(answer)},
        ]
        return "", history, sources_html(answer)

    def answer_json(question: str) -> dict:
        """The same object as POST /api/ask."""
        return bot.ask(question).to_dict()

    with gr.Blocks(title="newsbot", analytics_enabled=False) as ui:
        gr.Markdown(_header(bot))
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=300):
                chat = gr.Chatbot(label="Chat", height=480, buttons=["copy"], feedback_options=None)
                box = gr.Textbox(label="Question", placeholder="Ask about the articles…", lines=1, max_lines=4)
                ask = gr.Button("Ask", variant="primary")
                gr.Examples(example_questions(bot, documents), inputs=box, label="Examples")
            with gr.Column(scale=2, min_width=280):
                gr.Markdown("### Sources")
                sources = gr.HTML(
                    '<p class="nb-empty">Cited passages appear here, the cited sentences highlighted.</p>'
                )
        for trigger in (box.submit, ask.click):
            trigger(respond, [box, chat], [box, chat, sources], api_name="ask" if trigger == box.submit else False)
        gr.api(answer_json, api_name="answer")
    return ui


def _header(bot: Bot) -> str:
    health = bot.health()
    return (
        "## newsbot\n"
        f"Answers from {health['documents']} news articles ({health['passages']} passages). "
        "Every statement cites its source; the cited sentence is highlighted."
    )
