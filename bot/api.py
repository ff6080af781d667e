"""The web surface: the JSON API under /api, the chat at /, the embeddable chat at /embed."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

from bot.config import Settings
from bot.core import Answering, BadQuestion, Turn
from bot.feedback import FILE_NAME, MAX_TEXT, FeedbackStore
from bot.guard import Guard
from bot.results import AskResponse, CheckResponse
from bot.ui_words import browser_locale, problem_in

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


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    claim: StrictStr = Field(description="The claim to check (2,000 characters at most by default).")


class Health(BaseModel):
    status: str
    documents: int
    passages: int
    languages: list[str] = Field(description="the languages questions may be asked in, with this embedding model")


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: StrictStr = Field(max_length=MAX_TEXT, description="The question that was asked.")
    answer: StrictStr = Field(max_length=MAX_TEXT, description="The answer given.")
    helpful: StrictBool = Field(description="Thumbs up (true) or down (false).")


class FeedbackOut(BaseModel):
    status: Literal["recorded"]


class ErrorOut(BaseModel):
    error: str


def create_app(bot: Answering, settings: Settings) -> FastAPI:
    """The whole web surface: JSON API under /api, OpenAPI page at /docs, chat at / and /embed."""
    app = FastAPI(title="newsbot", summary="Cited answers from a folder of news articles.", version="0.1.0")
    _add_error_handlers(app)
    feedback = FeedbackStore(settings.index_dir / FILE_NAME)
    errors: dict[int | str, dict[str, Any]] = {
        422: {"model": ErrorOut, "description": "Bad input"},
        400: {"model": ErrorOut, "description": "Invalid JSON"},
        401: {"model": ErrorOut, "description": "Missing or wrong bearer token (when one is set)"},
        413: {"model": ErrorOut, "description": "Request body too large"},
        429: {"model": ErrorOut, "description": "Too many requests from this client"},
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

    @app.post("/api/feedback", response_model=FeedbackOut, status_code=201, responses=errors)
    def give_feedback(request: FeedbackRequest) -> dict:
        """Record whether an answer helped (kept in feedback.sqlite3 in the index folder)."""
        feedback.record(request.question, request.answer, request.helpful, page="api")
        return {"status": "recorded"}

    @app.get("/api/health", response_model=Health)
    def health() -> dict:
        """Liveness, and the size of the index being served."""
        return bot.health()

    @app.get("/embed", include_in_schema=False)
    def embed_without_slash() -> RedirectResponse:
        return RedirectResponse("embed/")  # relative, so it also works behind a path prefix

    _add_unknown_api_route(app)
    _add_guards(app, settings)
    return _mount_pages(app, bot, settings, feedback)


def _add_unknown_api_route(app: FastAPI) -> None:
    """Under /api, a path or method the API does not have is told in the API's error shape (the
    chat mounted at / would otherwise answer with its own 404)."""
    known = {route.path: sorted(route.methods or ()) for route in app.routes if isinstance(route, APIRoute)}

    @app.api_route("/api/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    def unknown(request: Request) -> JSONResponse:
        path = request.url.path
        if path in known:
            allowed = ", ".join(known[path])
            return JSONResponse(status_code=405, content={"error": f"{path} takes {allowed}, not {request.method}"})
        paths = ", ".join(sorted(p for p in known if p.startswith("/api/")))  # not the chat's pages
        return JSONResponse(status_code=404, content={"error": f"no such API path: {path} (the API has {paths})"})


def _add_guards(app: FastAPI, settings: Settings) -> None:
    token = settings.api_token.get_secret_value() if settings.api_token else None
    app.add_middleware(Guard, max_bytes=settings.max_request_bytes, rate=settings.rate_limit, token=token)
    if settings.cors_origins:  # added last, so it wraps the guard and refusals carry CORS headers
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )


def _mount_pages(app: FastAPI, bot: Answering, settings: Settings, feedback: FeedbackStore) -> FastAPI:
    import gradio as gr

    from bot.ui import COPY_SCRIPT, CSS, EMBED_CSS, build_embed, build_ui, page_words, theme

    login = {"auth": settings.login_pairs() or None, "auth_message": "Sign in to ask about the articles."}
    words = page_words(bot)
    # /embed first: the page at / would otherwise catch its requests.
    gr.mount_gradio_app(
        app,
        build_embed(bot, settings.documents, feedback),
        path="/embed",
        theme=theme(),
        css=CSS + EMBED_CSS,
        head=COPY_SCRIPT,
        footer_links=[],
        i18n=words,
        **login,
    )
    chat = build_ui(bot, settings.documents, feedback)
    return gr.mount_gradio_app(
        app, chat, path="/", theme=theme(), css=CSS, head=COPY_SCRIPT, footer_links=["api"], i18n=words, **login
    )


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=_status_for(exc), content={"error": _describe(exc)})

    @app.exception_handler(BadQuestion)
    async def bad_question(request: Request, exc: BadQuestion) -> JSONResponse:
        # A client that asks for another language (Accept-Language, as a browser sends) is told in it.
        locale = browser_locale(request.headers.get("accept-language", ""))
        worded = problem_in(locale, exc.reason, exc.facts)
        language = {"Content-Language": locale if worded else "en"}
        return JSONResponse(status_code=422, content={"error": worded or str(exc)}, headers=language)


def _status_for(exc: RequestValidationError) -> int:
    return 400 if any(error.get("type") == "json_invalid" for error in exc.errors()) else 422


def _describe(exc: RequestValidationError) -> str:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "body") or "body"
        if error.get("type") == "json_invalid":
            return "the request body is not valid JSON"
        if where == "body" and error.get("type") == "model_attributes_type":
            return "the request body must be a JSON object, sent with Content-Type: application/json"
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(problems)
