"""Run the web app with uvicorn on a pre-bound socket, so port 0 reports the real port."""

from __future__ import annotations

import socket
import threading
import time

import click

from bot.config import Settings
from bot.core import Bot

OPEN_CHAT_WARNING = (
    "Warning: NEWSBOT_API_TOKEN guards /api/ask, /api/check and /api/feedback only; the chat at / and /embed "
    "and their Gradio API still answer anyone. Set NEWSBOT_UI_LOGIN to guard them too."
)


def run_server(bot: Bot, settings: Settings) -> None:
    import uvicorn

    from bot.api import create_app

    app = create_app(bot, settings)
    sock = _bind(settings.host, settings.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    if settings.api_token and not settings.ui_login:
        click.echo(OPEN_CHAT_WARNING, err=True)
    click.echo(f"newsbot is serving at http://{shown}:{port}/  (API docs at /docs; Ctrl+C to stop)", err=True)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    threading.Thread(target=_load_model_once_serving, args=(server, bot), daemon=True).start()
    server.run(sockets=[sock])


def _load_model_once_serving(server, bot: Bot) -> None:
    """Questions are embedded by the quick numpy encoder at first; the full model is faster per
    question, so it is loaded once the server is answering, not before."""
    while not server.started:
        time.sleep(0.2)
    bot.embedder.warm_up_in_background()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock
