"""Settings: command-line flags, then NEWSBOT_* environment variables, then defaults."""

from __future__ import annotations

import hashlib
import os
import re
import shlex
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, ValidationInfo, field_validator

ENV_PREFIX = "NEWSBOT_"
INDEXES = Path(".newsbot/indexes")
DEFAULT_MODEL = "all-MiniLM-L6-v2"  # embeddings.DEFAULT_MODEL, not imported here: a command starts quicker


def default_index_dir(documents: Path, model: str = DEFAULT_MODEL) -> Path:
    """.newsbot/indexes/<folder name>-<hash of its absolute path>[-<model>]: readable, distinct
    for two folders of the same name, and for another model than the default (switching models
    and back needs no rebuild, and a server on one is not sent the other's index)."""
    folder = documents.resolve()
    name = f"{folder.name or 'root'}-{hashlib.sha256(str(folder).encode()).hexdigest()[:10]}"
    if model != DEFAULT_MODEL:
        name += "-" + re.sub(r"[^\w.-]+", "_", model.strip("/\\")).strip("_")
    return INDEXES / name


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names it."""


class Settings(BaseModel):
    """Everything the bot can be configured with; see the README's settings table."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    documents: Path = Field(Path("documents"), description="folder of articles to index")
    model: str = Field(
        DEFAULT_MODEL, description="embedding model: a bundled or multilingual model's name, or a local folder"
    )
    index_dir: Path = Field(
        None,  # type: ignore[assignment]  # filled in per documents folder and model by _own_index
        validate_default=True,
        description="where the embedded index is kept (default: one per documents folder and model, under "
        ".newsbot/indexes)",
    )
    store: str = Field("embedded", description="'embedded' (on-disk index in index_dir) or a postgresql:// URL")
    top_k: int = Field(3, ge=1, le=10, description="most citations shown when the articles do not answer")
    host: str = Field("127.0.0.1", description="address `serve` listens on")
    port: int = Field(7860, ge=0, le=65535, description="port `serve` listens on (0: any free port)")
    workers: int = Field(
        None,  # type: ignore[assignment]  # one per core, filled in by _one_per_core
        validate_default=True,
        ge=1,
        description="processes that answer for `serve` (default: one per core; 1: the server process itself)",
    )
    max_question_chars: int = Field(2000, ge=10, description="longest question or claim accepted")
    cors_origins: tuple[str, ...] = Field((), description="origins whose pages may call /api/ (none: same origin)")
    api_token: SecretStr | None = Field(
        None, description="bearer token that /api/ask, /api/check and /api/feedback require"
    )
    ui_login: SecretStr | None = Field(None, description="'user:password' pairs, comma-separated, for the chat pages")
    rate_limit: str = Field("120/minute", description="questions and claims per client, e.g. '30/minute'; 'off'")
    max_request_bytes: int = Field(65536, ge=1024, description="largest request body accepted")
    llm: str = Field("none", description="'none' (extractive answers), 'openai-like' or 'ollama'")
    llm_base_url: str | None = Field(None, description="the LLM server's address, e.g. http://127.0.0.1:8080/v1")
    llm_model: str | None = Field(None, description="the model name the LLM server knows")
    llm_api_key: SecretStr | None = Field(None, description="key for the LLM server, if it wants one")

    @field_validator("index_dir", mode="before")
    @classmethod
    def _own_index(cls, value: object, info: ValidationInfo) -> object:
        """Each documents folder gets its own default index, and each model its own, so pointing
        at another folder never answers from the last one's."""
        if value is not None or "documents" not in info.data:
            return value
        return default_index_dir(info.data["documents"], info.data.get("model", DEFAULT_MODEL))

    @field_validator("workers", mode="before")
    @classmethod
    def _one_per_core(cls, value: object) -> object:
        return (os.cpu_count() or 1) if value is None else value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip().rstrip("/") for part in value.split(",") if part.strip())
        return value

    @field_validator("rate_limit")
    @classmethod
    def _known_rate(cls, value: str) -> str:
        from limits import parse

        if value.strip().lower() in ("off", "0", "none"):
            return "off"
        try:
            parse(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a rate such as '120/minute' or '10/second', nor 'off'") from None
        return value

    @field_validator("ui_login")
    @classmethod
    def _pairs(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not all(":" in pair.strip()[1:-1] for pair in value.get_secret_value().split(",")):
            raise ValueError("give 'user:password', or several separated by commas")
        return value

    def login_pairs(self) -> list[tuple[str, str]]:
        """The UI's (user, password) pairs; empty when the UI is open."""
        if self.ui_login is None:
            return []
        pairs = (pair.strip().split(":", 1) for pair in self.ui_login.get_secret_value().split(","))
        return [(user, password) for user, password in pairs]

    @field_validator("llm")
    @classmethod
    def _known_llm(cls, value: str) -> str:
        if value in ("none", "openai-like", "ollama"):
            return value
        raise ValueError(f"unknown LLM backend {value!r}; use 'none', 'openai-like' or 'ollama'")

    def llm_api_secret(self) -> str | None:
        return self.llm_api_key.get_secret_value() if self.llm_api_key else None

    @field_validator("store")
    @classmethod
    def _known_store(cls, value: str) -> str:
        if value == "embedded" or value.startswith(("postgresql://", "postgres://")):
            return value
        raise ValueError(f"unknown store {value!r}; use 'embedded' or a postgresql:// URL")

    @property
    def documents_named(self) -> bool:
        """Was the documents folder named (flag or variable), rather than left at its default?"""
        return "documents" in self.model_fields_set

    def index_options(self) -> str:
        """The options that name this index, as a command line would give them ("--index-dir …")."""
        named = [("--documents", self.documents, "documents"), ("--index-dir", self.index_dir, "index_dir")]
        return " ".join(
            f"{flag} {shlex.quote(str(value))}" for flag, value, field in named if field in self.model_fields_set
        )

    @property
    def database(self) -> str | None:
        """The PostgreSQL URL when the index lives in a database."""
        return None if self.store == "embedded" else self.store

    @classmethod
    def from_env(cls, environ: Mapping[str, str], **overrides: object) -> Settings:
        """Settings from NEWSBOT_* variables, with explicit overrides (flags) winning."""
        values: dict[str, object] = {
            name: environ[ENV_PREFIX + name.upper()]
            for name in cls.model_fields
            if environ.get(ENV_PREFIX + name.upper(), "") != ""
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            raise SettingsError(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "settings"
        problems.append(f"{name} (flag --{name.replace('_', '-')} or {ENV_PREFIX}{name.upper()}): {error['msg']}")
    return "invalid settings: " + "; ".join(problems)
