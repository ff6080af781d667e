"""The PostgreSQL + pgvector store against a real server (the pgserver wheel's PostgreSQL)."""

from __future__ import annotations

import shutil
import time

import httpx
import numpy as np
import pytest
from conftest import PLANTED, UK_RU, Server, planted_questions, server_env

from bot.core import Bot
from embeddings import build_index, load_index
from embeddings.pgstore import PgStore

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    pgserver = pytest.importorskip("pgserver")
    server = pgserver.get_server(tmp_path_factory.mktemp("pgdata"), cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


@pytest.fixture(scope="module")
def planted_db(database, embedder, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pg-articles") / "articles"
    shutil.copytree(PLANTED, folder)
    build_index(folder, tmp_path_factory.mktemp("unused"), embedder=embedder, database=database)
    return database, folder


def test_schema_has_hnsw_and_full_text_indexes(planted_db):
    database, _ = planted_db
    version = PgStore(database).manifest()["version"]
    indexes = PgStore(database).execute(
        "SELECT indexdef FROM pg_indexes WHERE tablename = :table", {"table": f"data_newsbot_v{version}"}
    )
    definitions = " ".join(row[0] for row in indexes).lower()
    assert "using hnsw" in definitions and "vector_cosine_ops" in definitions
    assert "using gin" in definitions and "text_search_tsv" in definitions


def test_same_answers_as_the_embedded_store(planted_db, planted_bot, embedder):
    database, _ = planted_db
    pg_bot = Bot(load_index(None, database), embedder)
    for item in planted_questions():
        embedded, pg = planted_bot.ask(item["question"]), pg_bot.ask(item["question"])
        assert pg.grounded == embedded.grounded, item["question"]
        assert all(fact in pg.text for fact in item.get("facts", [])), (item["question"], pg.text)
        assert _first_doc(pg) == _first_doc(embedded), item["question"]


def _first_doc(answer) -> str | None:
    return answer.citations[0].hit.document.doc_id if answer.citations else None


def test_rebuild_embeds_only_changed_files(planted_db, embedder, tmp_path):
    database, folder = planted_db
    unchanged = build_index(folder, tmp_path, embedder=embedder, database=database)
    assert not unchanged.changed and unchanged.reused_documents == unchanged.documents
    (folder / "note.md").write_text("---\ntitle: Quay note\n---\nThe Quay Council meets on 2 May to vote.\n")
    try:
        changed = build_index(folder, tmp_path, embedder=embedder, database=database)
        assert changed.embedded_documents == 1 and changed.reused_documents == unchanged.documents
    finally:
        (folder / "note.md").unlink()
        build_index(folder, tmp_path, embedder=embedder, database=database)


def test_two_servers_share_the_database_and_see_updates(planted_db, embedder, tmp_path):
    database, folder = planted_db
    env = server_env(tmp_path / "unused-index", folder, NEWSBOT_STORE=database)
    del env["NEWSBOT_DOCUMENTS"]  # a server that names no folder answers from the database's index
    servers = [Server(env, tmp_path), Server(env, tmp_path)]
    question = {"question": "When does the Lantern Ferry Company start its night service?"}
    try:
        for server in servers:
            server.wait_ready()
        before = [httpx.post(f"{s.url}/api/ask", json=question, timeout=30).json() for s in servers]
        assert not any(answer["grounded"] for answer in before)
        (folder / "ferry.md").write_text(
            "---\ntitle: Night ferry\nsource: Harbour Gazette\ndate: 2031-02-01\n---\n"
            "The Lantern Ferry Company will start its night service on 14 March.\n"
        )
        build_index(folder, tmp_path, embedder=embedder, database=database)
        # Each server loads the new version in the background, answering from the old one meanwhile.
        after = [_first_grounded(s.url, question) for s in servers]
        assert all(answer["grounded"] and "14 March" in answer["answer"] for answer in after)
    finally:
        for server in servers:
            server.stop()
        (folder / "ferry.md").unlink(missing_ok=True)
        build_index(folder, tmp_path, embedder=embedder, database=database)


def _first_grounded(url: str, question: dict, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        answer = httpx.post(f"{url}/api/ask", json=question, timeout=30).json()
        if answer["grounded"] or time.monotonic() > deadline:
            return answer
        time.sleep(0.3)


def test_unreachable_database_is_a_clear_error(tmp_path):
    from click.testing import CliRunner

    from bot.cli import cli

    result = CliRunner().invoke(cli, ["ask", "Who?", "--store", "postgresql://nobody@127.0.0.1:1/none"])
    assert result.exit_code == 1
    assert "cannot use the database" in result.output and "Traceback" not in result.output


def test_a_database_built_from_another_folder_is_refused(planted_db, tmp_path):
    from click.testing import CliRunner

    from bot.cli import cli

    database, folder = planted_db
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "note.md").write_text("The museum reopened on Monday.\n")
    for command in (["ask", "When did the museum reopen?"], ["index"]):
        result = CliRunner().invoke(cli, [*command, "--store", database, "--documents", str(tmp_path / "other")])
        assert result.exit_code == 1, result.output
        assert f"the index in the database was built from {folder.resolve()}" in result.output
    assert "note" not in load_index(tmp_path, database).documents


def test_latent_terms_are_stored_and_reused_as_the_embedded_store_keeps_them(database, tmp_path_factory):
    """A model with a sparse head (multilingual-e5-small) in its own database: the terms of every
    passage's sentences come back as the embedded store keeps them, and again after a rebuild
    that reuses the stored files."""
    from embeddings import make_embedder

    pgserver = pytest.importorskip("pgserver")
    server = pgserver.get_server(tmp_path_factory.mktemp("pgdata-e5"), cleanup_mode="stop")
    embedder = make_embedder("multilingual-e5-small")
    folder = tmp_path_factory.mktemp("e5-articles")
    for path in sorted(UK_RU.iterdir())[:2]:
        shutil.copy(path, folder / path.name)
    try:
        disk = tmp_path_factory.mktemp("e5-disk")
        build_index(folder, disk, "multilingual-e5-small", embedder=embedder)
        build_index(folder, disk, "multilingual-e5-small", embedder=embedder, database=server.get_uri())
        (folder / "note.md").write_text("---\ntitle: Нотатка\n---\nРада збереться 2 травня.\n", encoding="utf-8")
        report = build_index(folder, disk, "multilingual-e5-small", embedder=embedder, database=server.get_uri())
        assert report.reused_documents == 2
        (folder / "note.md").unlink()
        build_index(folder, disk, "multilingual-e5-small", embedder=embedder, database=server.get_uri())
        embedded, pg = load_index(disk), load_index(None, server.get_uri())
        assert len(pg.passages) == len(embedded.passages)
        for row in range(len(embedded.passages)):
            assert pg.passages[row].text == embedded.passages[row].text
            assert embedded.sentence_terms_of(row).shape[1] > 0
            assert np.array_equal(pg.sentence_terms_of(row), embedded.sentence_terms_of(row))
    finally:
        server.cleanup()
