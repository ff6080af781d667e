"""The parts behind their interfaces: stores and embedders picked by name, the bot built from
settings, and an index refused when questions would be embedded by another model."""

import shutil
import time

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import Settings
from bot.core import Bot
from bot.generate import PROMPT
from embeddings import ModelMismatch, build_index, load_index, make_embedder, open_store, resolve_model_path
from embeddings.disk import DiskStore
from embeddings.pgstore import PgStore


def test_the_store_is_picked_by_its_name_in_the_settings(tmp_path):
    embedded = open_store(Settings(documents=tmp_path, index_dir=tmp_path / "index"))
    assert isinstance(embedded, DiskStore) and embedded.index_dir == tmp_path / "index"
    database = open_store(Settings(documents=tmp_path, store="postgresql://newsbot@127.0.0.1:1/news"))
    assert isinstance(database, PgStore) and database.where == "the database"
    assert embedded.version() is None and embedded.manifest() is None


def test_an_unknown_embedding_model_is_a_clear_error():
    with pytest.raises(Exception, match="not bundled and is not a local model folder"):
        make_embedder("no-such-model")


@pytest.fixture(scope="module")
def local_model_copy(tmp_path_factory):
    """The bundled model's files in a folder of their own: the same weights, another model id."""
    folder = tmp_path_factory.mktemp("model") / "minilm-copy"
    shutil.copytree(resolve_model_path("all-MiniLM-L6-v2"), folder)
    return folder


def test_the_model_id_is_stored_with_the_index_and_a_mismatch_is_refused(planted_index_dir, local_model_copy):
    index = load_index(planted_index_dir)
    assert index.model_name == "all-MiniLM-L6-v2"
    other = make_embedder(str(local_model_copy), quick_start=True)
    assert other.model_id == str(local_model_copy)
    with pytest.raises(ModelMismatch, match=r"newsbot index --model .*minilm-copy") as refused:
        Bot(index, other)
    assert "NEWSBOT_MODEL=all-MiniLM-L6-v2" in str(refused.value) and "--model all-MiniLM-L6-v2" in str(refused.value)


def test_a_new_version_built_with_another_model_is_not_answered_from(
    planted_copy, tmp_path, embedder, local_model_copy
):
    """A serving bot keeps the version it has when the one published next needs another model."""
    index_dir = tmp_path / "index"
    build_index(planted_copy, index_dir, embedder=embedder)
    bot = Bot(load_index(index_dir), embedder, follow=DiskStore(index_dir))
    before = bot.index.version
    build_index(planted_copy, index_dir, str(local_model_copy), make_embedder(str(local_model_copy), True))
    for _ in range(30):
        time.sleep(0.2)
        assert bot.index.version == before and bot.index.model_name == "all-MiniLM-L6-v2"
    assert DiskStore(index_dir).version() != before, "the other model's version was published"


def test_asking_with_another_model_is_refused_and_index_rebuilds(planted_copy, tmp_path, embedder, local_model_copy):
    index_dir = tmp_path / "index"
    build_index(planted_copy, index_dir, embedder=embedder)
    flags = ["--documents", str(planted_copy), "--index-dir", str(index_dir), "--model", str(local_model_copy)]
    refused = CliRunner().invoke(cli, ["ask", *flags, "Where does the orchestra tour open?"])
    rebuild = f"newsbot index --model {local_model_copy} --documents {planted_copy} --index-dir {index_dir}"
    assert refused.exit_code == 1 and rebuild in " ".join(refused.output.split())
    assert "Traceback" not in refused.output
    assert load_index(index_dir).model_name == "all-MiniLM-L6-v2", "nothing was rebuilt"
    rebuilt = CliRunner().invoke(cli, ["index", *flags])
    assert rebuilt.exit_code == 0
    assert "it was built with all-MiniLM-L6-v2 (give --model all-MiniLM-L6-v2" in rebuilt.output  # said, not silent
    answered = CliRunner().invoke(cli, ["ask", *flags, "Where does the orchestra tour open?"])
    assert answered.exit_code == 0, answered.output
    assert load_index(index_dir).model_name == str(local_model_copy)


def test_the_bot_is_built_from_settings_with_its_llm(planted_copy, tmp_path):
    settings = Settings(
        documents=planted_copy,
        index_dir=tmp_path / "index",
        llm="openai-like",
        llm_model="gemma",
        llm_base_url="http://127.0.0.1:9/v1",
        top_k=2,
    )
    bot = Bot.from_settings(settings, quick_start=True)
    assert type(bot.llm).__name__ == "OpenAILike" and bot.llm.model == "gemma"
    assert bot.top_k == 2 and len(bot.index.documents) == 6
    assert Bot.from_settings(settings.model_copy(update={"llm": "none"}), quick_start=True).llm is None


def test_the_generation_prompt_is_read_from_its_file():
    assert "{passages}" in PROMPT and "{question}" in PROMPT and PROMPT.endswith("Answer:")
