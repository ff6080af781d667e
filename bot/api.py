"""The HTTP API (/api/ask, /api/check, /api/health) with the Gradio chat mounted at /."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from bot.core import BadQuestion, Bot, Turn

MAX_HISTORY = 50


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: StrictStr


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: StrictStr = Field(
        description="The question, at most the configured length (2,000 characters by default)."
    )
    history: list[Message] = Field(
        default_factory=list, max_length=MAX_HISTORY, description="Earlier turns, oldest first."
    )


class CitationOut(BaseModel):
    id: int
    doc_id: str
    title: str
    source: str
    date: str | None
    url: str | None
    text: str
    start: int
    end: int
    score: float


class AskResponse(BaseModel):
    answer: str
    grounded: bool
    citations: list[CitationOut]


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    claim: StrictStr = Field(description="The claim to check (2,000 characters at most by default).")


class EvidenceOut(CitationOut):
    stance: Literal["supports", "contradicts", "related"]


class CheckResponse(BaseModel):
    verdict: Literal["supported", "refuted", "not_enough_info"]
    explanation: str
    evidence: list[EvidenceOut]


class Health(BaseModel):
    status: str
    documents: int
    passages: int


class ErrorOut(BaseModel):
    error: str


def create_app(bot: Bot, documents: Path) -> FastAPI:
    """The whole web surface: JSON API under /api, OpenAPI page at /docs, chat at /."""
    app = FastAPI(title="newsbot", summary="Cited answers from a folder of news articles.", version="0.1.0")
    _add_error_handlers(app)
    errors = {
        422: {"model": ErrorOut, "description": "Bad input"},
        400: {"model": ErrorOut, "description": "Invalid JSON"},
    }

    @app.post("/api/ask", response_model=AskResponse, responses=errors)
    def ask(request: AskRequest) -> dict:
        """Answer a question from the articles, citing the passages behind it."""
        history = [Turn(m.role, m.content) for m in request.history]
        return bot.ask(request.question, history).to_dict()

    @app.post("/api/check", response_model=CheckResponse, responses=errors)
    def check(request: CheckRequest) -> dict:
        """Check a claim against the articles: supported, refuted or not_enough_info, with evidence."""
        return bot.check(request.claim).to_dict()

    @app.get("/api/health", response_model=Health)
    def health() -> dict:
        """Liveness, and the size of the index being served."""
        return bot.health()

    import gradio as gr

    from bot.ui import CSS, build_ui, theme

    return gr.mount_gradio_app(app, build_ui(bot, documents), path="/", theme=theme(), css=CSS, footer_links=["api"])


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=_status_for(exc), content={"error": _describe(exc)})

    @app.exception_handler(BadQuestion)
    async def bad_question(request: Request, exc: BadQuestion) -> JSONResponse:
        return JSONResponse(status_code=422, content={"error": str(exc)})


def _status_for(exc: RequestValidationError) -> int:
    return 400 if any(error.get("type") == "json_invalid" for error in exc.errors()) else 422


def _describe(exc: RequestValidationError) -> str:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "body") or "body"
        if error.get("type") == "json_invalid":
            return "the request body is not valid JSON"
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(problems)
