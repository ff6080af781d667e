"""Command line: newsbot index | ask | serve."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bot.config import Settings, SettingsError


def _settings_options(command: Callable) -> Callable:
    options = [
        click.option(
            "--documents", type=click.Path(path_type=Path), help="Folder of articles [NEWSBOT_DOCUMENTS; documents]"
        ),
        click.option(
            "--index-dir",
            type=click.Path(path_type=Path),
            help="Index folder [NEWSBOT_INDEX_DIR; one per documents folder and model under .newsbot/indexes]",
        ),
        click.option(
            "--model",
            help="Embedding model: all-MiniLM-L6-v2, multilingual-e5-small, use-multilingual-v3 or a local "
            "folder [NEWSBOT_MODEL; all-MiniLM-L6-v2]",
        ),
        click.option("--store", help="'embedded' or a postgresql:// URL [NEWSBOT_STORE; embedded]"),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def load_settings(**flags: Any) -> Settings:
    try:
        return Settings.from_env(os.environ, **flags)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None


@click.group()
@click.version_option(package_name="newsbot")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens, for debugging.")
def cli(verbose: bool) -> None:
    """Answer questions about a folder of news articles, citing the sentences behind every answer."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


@cli.command()
@_settings_options
def index(**flags: Any) -> None:
    """Build or update the index: only new or changed files are embedded, deleted ones dropped;
    a progress bar, then a summary, and each file that could not be read with the reason."""
    _update_index(load_settings(**flags))


def _update_index(settings: Settings) -> None:
    """Build or update the index of settings.documents and print its summary and skipped files."""
    from bot.lexicon import plural
    from embeddings import DatabaseUnavailable, IndexOfAnotherFolder, NothingToIndex, build_index

    _warn_of_another_model(settings)
    try:
        report = build_index(
            settings.documents, settings.index_dir, settings.model, progress=True, database=settings.database
        )
    except (NothingToIndex, IndexOfAnotherFolder, DatabaseUnavailable, ImportError) as exc:
        raise click.ClickException(str(exc)) from None
    where = "the database" if settings.database else settings.index_dir
    skipped = f"; {plural(len(report.skipped), 'file')} skipped" if report.skipped else ""
    click.echo(
        f"Indexed {plural(report.documents, 'document')} from {settings.documents}, "
        f"{plural(report.passages, 'passage')} ({report.embedded_documents} embedded, "
        f"{report.reused_documents} unchanged, {report.removed_documents} removed) in {where}{skipped}"
    )
    for path, reason in report.skipped:
        click.echo(f"Skipped {path}: {reason}", err=True)


def _warn_of_another_model(settings: Settings) -> None:
    """Rebuilding an index with another model than it was built with is said, not done silently:
    a forgotten NEWSBOT_MODEL would otherwise turn a multilingual index into an English one."""
    from embeddings import DatabaseUnavailable, open_store

    try:
        manifest = open_store(settings).manifest()
    except DatabaseUnavailable:
        return  # build_index says so
    if manifest is None:
        from bot.core import say_other_models_indexed

        say_other_models_indexed(settings)
    built_with = manifest.get("model") if manifest else None
    if built_with and built_with != settings.model:
        click.echo(
            f"Rebuilding the index with {settings.model}; it was built with {built_with} "
            f"(give --model {built_with} or set NEWSBOT_MODEL to keep that model)",
            err=True,
        )


@cli.command()
@click.argument("urls", nargs=-1)
@click.option("--refresh", is_flag=True, help="Read every feed added before again; only new items are fetched.")
@_settings_options
def add(urls: tuple[str, ...], refresh: bool, **flags: Any) -> None:
    """Fetch each URL (an article page, or an RSS or Atom feed's items) into the documents folder
    as Markdown with front matter, each article once (same address or same text); then update
    the index. The only command that goes online: http(s) only, 15 s timeout, 5 MB limit, a
    one-line reason per failed URL, the rest still added."""
    from embeddings import add_urls, refresh_feeds

    if not urls and not refresh:
        raise click.UsageError("give one or more URLs, or --refresh to re-read the feeds added before")
    settings = load_settings(**flags)
    report = add_urls(list(urls), settings.documents, progress=True)
    if refresh:
        again = refresh_feeds(settings.documents, progress=True)
        report.added += again.added
        report.known += again.known
        report.failed += again.failed
    click.echo(report.summary())
    if report.added:
        _update_index(settings)
    if report.failed and not report.added and not report.known:
        sys.exit(1)


@cli.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON object.")
@_settings_options
def ask(question: str | None, as_json: bool, **flags: Any) -> None:
    """Answer QUESTION from the articles, with citations. Without QUESTION, start a conversation
    in which follow-ups ("And where?", "What did he say?") build on earlier turns. QUESTION is in
    English, or with --model multilingual-e5-small also in Ukrainian, Russian, German or Spanish."""
    from bot.core import unreadable, validated
    from bot.results import Answer

    settings = load_settings(**flags)
    if question is not None:  # refused before the index is opened: its problems are another matter
        _refused_as_usage_error(validated, question, "question", settings.max_question_chars)
        if (said := unreadable(question, settings.model)) is not None:
            click.echo(_render_answer(Answer(said, grounded=False), as_json))
            return
    bot = _open_bot(settings, quick_start=True)
    if question is not None:
        answer = _refused_as_usage_error(bot.ask, question)
        click.echo(_render_answer(answer, as_json))
        return
    _converse(bot, as_json)


def _converse(bot, as_json: bool) -> None:
    from bot.conversation import Turn
    from bot.core import BadQuestion

    history: list[Turn] = []
    click.echo("Ask about the articles; an empty line or Ctrl+D ends the conversation.", err=True)
    while True:
        try:
            question = click.prompt(">", prompt_suffix=" ", default="", show_default=False, err=True)
        except (EOFError, click.Abort):
            break
        if not question.strip():
            break
        try:
            answer = bot.ask(question, history)
        except BadQuestion as exc:
            click.echo(f"Error: {exc}", err=True)
            continue
        click.echo(_render_answer(answer, as_json) + "\n")
        history += [Turn("user", question), Turn("assistant", answer.text)]


def _render_answer(answer, as_json: bool) -> str:
    if as_json:
        return json.dumps(answer.to_dict(), ensure_ascii=False, indent=2)
    from bot.citations import format_terminal

    return format_terminal(answer, color=sys.stdout.isatty())


def _refused_as_usage_error(method: Callable[..., Any], *args: Any) -> Any:
    """method(*args); a question or claim the bot refuses (empty, too long) is a usage error
    instead: the bot's reason as the message, exit code 2, no traceback."""
    from bot.core import BadQuestion

    try:
        return method(*args)
    except BadQuestion as exc:
        raise click.UsageError(str(exc)) from None


@cli.command()
@click.argument("claim")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON object.")
@_settings_options
def check(claim: str, as_json: bool, **flags: Any) -> None:
    """Check CLAIM against the articles: a verdict (supported, refuted or not_enough_info) with an
    explanation and the evidence, each passage marked supports, contradicts or related. CLAIM is
    in English, or with --model multilingual-e5-small also in Ukrainian, Russian, German or
    Spanish."""
    from bot.core import unreadable, validated
    from bot.results import Verdict

    settings = load_settings(**flags)
    _refused_as_usage_error(validated, claim, "claim", settings.max_question_chars)
    said = unreadable(claim, settings.model, "claim")
    if said is not None:
        verdict = Verdict("not_enough_info", said, evidence=())
    else:
        verdict = _refused_as_usage_error(_open_bot(settings, quick_start=True).check, claim)
    if as_json:
        click.echo(json.dumps(verdict.to_dict(), ensure_ascii=False, indent=2))
        return
    from bot.citations import format_verdict

    click.echo(format_verdict(verdict, color=sys.stdout.isatty()))


@cli.command()
@click.option("--host", help="Address to listen on [NEWSBOT_HOST; 127.0.0.1]")
@click.option("--port", type=int, help="Port; 0 picks a free one [NEWSBOT_PORT; 7860]")
@click.option(
    "--workers",
    type=int,
    help="Processes that answer; 1: the server's own [NEWSBOT_WORKERS; one per core]",
)
@_settings_options
def serve(**flags: Any) -> None:
    """Serve the web chat at /, the embeddable chat at /embed and the API at /api/."""
    from bot.server import run_server

    settings = load_settings(**flags)
    # Ctrl+C is how a served chat is meant to stop: no "Aborted!", exit 0, and the same message
    # whether uvicorn raises the Ctrl+C again once stopped or returns without it.
    with contextlib.suppress(KeyboardInterrupt):
        run_server(_open_bot(settings, quick_start=True), settings)
    click.echo("newsbot stopped.", err=True)


@cli.command("eval")
@click.option(
    "--questions",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=Path("tests/eval/questions.jsonl"),
    show_default=True,
    help="JSON-lines question set.",
)
@click.option("--split", type=click.Choice(["all", "dev", "test"]), default="all", show_default=True)
@click.option("--no-naive", is_flag=True, help="Skip the naive llama-index pipeline.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@_settings_options
def evaluate(questions: Path, split: str, no_naive: bool, as_json: bool, **flags: Any) -> None:
    """Measure answer quality on a question set, beside the naive llama-index pipeline."""
    from bot import evaluate as ev

    settings = load_settings(**flags)
    bot = _open_bot(settings)
    pipelines = {"newsbot": lambda item: ev.run_bot(bot, item)}
    checkers = {"newsbot": lambda item: ev.run_check(bot, item)}
    if not no_naive:
        from bot.naive import NaivePipeline
        from embeddings import DEFAULT_MODEL, MULTILINGUAL_MODELS

        # The naive pipeline is llama-index with a sentence-transformers model: the multilingual
        # models are not one, so it keeps the default beside them.
        multilingual = settings.model in MULTILINGUAL_MODELS
        naive = NaivePipeline(settings.documents, DEFAULT_MODEL if multilingual else settings.model)
        pipelines["naive"] = lambda item: ev.run_naive(naive, item)
    report = ev.evaluate(ev.load_questions(questions, split), pipelines, checkers, split)
    click.echo(json.dumps(report.__dict__, indent=2) if as_json else ev.format_report(report))


def _open_bot(settings: Settings, quick_start: bool = False):
    from bot.core import Bot
    from bot.generate import LLMUnavailable
    from embeddings import DatabaseUnavailable, IndexOfAnotherFolder, ModelMismatch, ModelNotFound, NothingToIndex

    try:
        return Bot.from_settings(settings, quick_start=quick_start, progress=True)
    except (
        NothingToIndex,
        IndexOfAnotherFolder,
        ModelMismatch,
        ModelNotFound,
        DatabaseUnavailable,
        LLMUnavailable,
        ImportError,
    ) as exc:
        raise click.ClickException(str(exc)) from None


def main() -> None:
    cli(prog_name="newsbot")
