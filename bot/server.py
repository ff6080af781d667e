"""Run the web app with uvicorn on a pre-bound socket, so port 0 reports the real port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

import click

from bot.config import Settings
from bot.core import Bot

OPEN_CHAT_WARNING = (
    "Warning: NEWSBOT_API_TOKEN guards /api/ask, /api/check and /api/feedback only; the chat at / and /embed "
    "and their Gradio API still answer anyone. Set NEWSBOT_UI_LOGIN to guard them too."
)


def run_server(bot: Bot, settings: Settings) -> None:
    """Serve the web app; with more than one worker, answers come from a pool of processes."""
    from bot.api import create_app

    if settings.workers == 1:
        _serve(create_app(bot, settings), settings, warm_up=bot.warm_up)
        return
    from bot.pool import PooledBot, WorkersUnavailable

    answering = PooledBot(bot, settings)  # the workers start while the pages are built
    try:
        app = create_app(answering, settings)
        answering.wait_started()
        _refuse_when_no_worker_answers(app)
        # uvicorn re-raises SIGTERM once it has stopped, which ends this process before the
        # finally clause runs; its shutdown event comes first.
        app.router.add_event_handler("shutdown", answering.close)
        _serve(app, settings, warm_up=None)
    except WorkersUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        answering.close()


def _serve(app, settings: Settings, warm_up: Callable[[], None] | None) -> None:
    import uvicorn

    sock = _bind(settings.host, settings.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    if settings.api_token and not settings.ui_login:
        click.echo(OPEN_CHAT_WARNING, err=True)
    click.echo(f"newsbot is serving at http://{shown}:{port}/  (API docs at /docs; Ctrl+C to stop)", err=True)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    if warm_up is not None:
        threading.Thread(target=_load_model_once_serving, args=(server, warm_up), daemon=True).start()
    server.run(sockets=[sock])


def _refuse_when_no_worker_answers(app) -> None:
    from fastapi.responses import JSONResponse

    from bot.pool import WorkersUnavailable

    async def unavailable(request, exc: WorkersUnavailable) -> JSONResponse:
        return JSONResponse(status_code=503, content={"error": str(exc)}, headers={"retry-after": "5"})

    app.add_exception_handler(WorkersUnavailable, unavailable)


def _load_model_once_serving(server, warm_up: Callable[[], None]) -> None:
    """Questions are embedded by the quick numpy encoder at first; the full model is faster per
    question, so it is loaded once the server is answering, not before; so are the readers,
    which the first answers would otherwise wait for."""
    while not server.started:
        time.sleep(0.2)
    warm_up()


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
