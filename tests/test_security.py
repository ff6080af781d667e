"""With an API token and a UI login set, no route of the served app (FastAPI's or Gradio's, at /
and /embed) answers a question or a claim without credentials; with a token alone, serve warns
that the chat stays open."""

import json
import re

import httpx
import pytest
from conftest import BUNDLED, Server, server_env
from starlette.routing import Mount

from bot.api import create_app
from bot.config import Settings

QUESTION = "How long did the first meeting last?"
CLAIM = "The first meeting lasted two hours."
LOCKED = {"NEWSBOT_API_TOKEN": "s3cret", "NEWSBOT_UI_LOGIN": "ann:pw1", "NEWSBOT_RATE_LIMIT": "off"}
PROBE_SECONDS = 2.0  # event streams never end; what they send in this time is what is checked

pytestmark = pytest.mark.slow


def app_routes(app) -> list[tuple[str, str]]:
    """(method, path template) of every route, through mounted and included routers."""

    def walk(routes, prefix: str):
        for route in routes:
            if isinstance(route, Mount):
                yield from walk(route.routes, prefix + route.path)
            elif hasattr(route, "original_router"):  # a router included by Gradio
                yield from walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif hasattr(route, "methods"):
                for method in sorted(route.methods or ()):
                    if method != "HEAD":
                        yield method, prefix + route.path
            else:
                yield "WEBSOCKET", prefix + route.path

    return sorted(set(walk(app.routes, "")))


def urls_for(template: str, api_names: list[str]) -> list[str]:
    """The template with each path parameter filled: an API name where one fits, else a token."""
    names = api_names if "{api_name}" in template or "{fn_name}" in template else ["x"]
    return [re.sub(r"\{[^}]+\}", name, template) for name in names]


def probe(client: httpx.Client, method: str, url: str) -> tuple[int, str]:
    """Status and body of a request that asks QUESTION (or checks CLAIM) the way the route
    expects; a Gradio call's result stream is followed too."""
    status, received = _send(client, method, url, _body(url) if method == "POST" else None)
    if method == "POST" and "/call/" in url and status == 200:
        event = json.loads(received).get("event_id")
        received += _send(client, "GET", f"{url}/{event}", None)[1]
    return status, received


def _body(url: str) -> dict:
    if "gradio_api" not in url:
        return {"question": QUESTION, "claim": CLAIM}
    if "queue/join" in url:
        return {"data": [QUESTION, []], "fn_index": 0, "session_hash": "probe"}
    return {"data": [QUESTION]}


def _send(client: httpx.Client, method: str, url: str, body: dict | None) -> tuple[int, str]:
    status, received = 0, ""
    try:
        with client.stream(method, url, json=body, timeout=PROBE_SECONDS) as reply:
            status = reply.status_code
            for chunk in reply.iter_text():
                received += chunk
    except httpx.TransportError:  # a stream that never ends, or is cut off
        pass
    return status, received


@pytest.fixture(scope="module")
def locked_server(bundled_index_dir, tmp_path_factory):
    server = Server(server_env(bundled_index_dir, **LOCKED), tmp_path_factory.mktemp("locked"))
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def test_no_route_answers_without_credentials(locked_server, bundled_bot, bundled_index_dir):
    settings = Settings(documents=BUNDLED, index_dir=bundled_index_dir, api_token="s3cret", ui_login="ann:pw1")
    routes = app_routes(create_app(bundled_bot, settings))
    api_names = ["answer", "check_json", "ask", "check", "predict"]
    answers = (bundled_bot.ask(QUESTION), bundled_bot.check(CLAIM))
    evidence = {c.hit.document.text[s:e] for r in answers for c in _cited(r) for s, e in c.highlights}
    assert evidence and all(len(s) > 20 for s in evidence), "answered with credentials, citing sentences"
    probed = []
    with httpx.Client(base_url=locked_server.url) as client:
        for method, template in routes:
            if method == "WEBSOCKET":
                continue
            for url in urls_for(template, api_names):
                status, text = probe(client, method, url)
                probed.append((method, url, status))
                leaked = [sentence for sentence in evidence if sentence in text]
                assert not leaked, f"{method} {url} ({status}) answered without credentials: {leaked[0]}"
    asking = [(u, s) for m, u, s in probed if m == "POST" and re.search(r"/(api/(ask|check)|call/|run/|queue/join)", u)]
    assert len(asking) >= 10 and all(status == 401 for _, status in asking), [a for a in asking if a[1] != 401]


def test_the_same_request_answers_with_credentials(locked_server):
    reply = httpx.post(
        f"{locked_server.url}/api/ask",
        json={"question": QUESTION},
        headers={"authorization": "Bearer s3cret"},
        timeout=60,
    )
    assert reply.status_code == 200 and reply.json()["grounded"]
    with httpx.Client(base_url=locked_server.url) as client:
        assert client.post("/login", data={"username": "ann", "password": "pw1"}).status_code == 200
        assert client.post("/gradio_api/call/answer", json={"data": [QUESTION]}).status_code == 200


def test_a_token_without_a_login_warns_at_start(bundled_index_dir, tmp_path):
    server = Server(server_env(bundled_index_dir, NEWSBOT_API_TOKEN="s3cret"), tmp_path)
    try:
        server.wait_ready()
        warnings = [line for line in server.log.read_text().splitlines() if line.startswith("Warning:")]
        assert len(warnings) == 1 and "NEWSBOT_UI_LOGIN" in warnings[0] and "Gradio API" in warnings[0]
    finally:
        server.stop()
    quiet = Server(server_env(bundled_index_dir, **LOCKED), tmp_path)
    try:
        quiet.wait_ready()
        assert "Warning:" not in quiet.log.read_text()
    finally:
        quiet.stop()


def _cited(result):
    return getattr(result, "citations", None) or [e.citation for e in result.evidence]
