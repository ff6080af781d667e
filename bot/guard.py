"""Limits in front of the whole web app: request size, a per-client rate, and the API token.
A plain ASGI middleware, so a body that arrives in chunks is counted as it comes."""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The API routes a token protects; /api/health stays open for monitors (it reveals only counts).
PROTECTED = ("/api/ask", "/api/check", "/api/feedback")


class Guard:
    """Answers 413 for bodies over max_bytes, 429 when a client sends more POSTs (questions,
    claims, chat events) than the rate allows, and 401 on protected API routes without the token."""

    def __init__(self, app: ASGIApp, max_bytes: int, rate: str, token: str | None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.rate = None if rate == "off" else parse(rate)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = self._refusal(scope)
        if problem:
            await _reply(send, *problem)
            return
        await self._pass_counting(scope, receive, send)

    def _refusal(self, scope: Scope) -> tuple[int, str, dict[str, str]] | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if self.token and scope["path"].rstrip("/") in PROTECTED and not self._authorised(headers):
            return (
                401,
                "this API needs a bearer token: send 'Authorization: Bearer <token>'",
                {"www-authenticate": "Bearer"},
            )
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            return 413, f"the request body is larger than {self.max_bytes} bytes", {}
        if scope["method"] == "POST" and self.rate and not self.limiter.hit(self.rate, _client(scope)):
            return 429, f"too many requests from this client (limit {self.rate}); wait a moment", {"retry-after": "10"}
        return None

    def _authorised(self, headers: dict[str, str]) -> bool:
        scheme, _, given = headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), (self.token or "").encode())

    async def _pass_counting(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, counting its body; past the limit, answer 413 and tell the app
        the client has gone, so whatever it answers then is dropped."""
        received = 0
        state = {"started": False, "refused": False}

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes and not state["started"]:
                state["refused"] = state["started"] = True
                await _reply(send, 413, f"the request body is larger than {self.max_bytes} bytes", {})
                return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            if state["refused"]:
                return
            state["started"] = state["started"] or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counting_receive, tracking_send)


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


async def _reply(send: Send, status: int, error: str, headers: dict[str, str]) -> None:
    body = json.dumps({"error": error}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
