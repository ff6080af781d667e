"""The fitted reader: shipped with the package, loaded offline, pointing at the asked-for span."""

import json
from pathlib import Path

import pytest

from bot.reader import adapter_path, bundled_reader

SENTENCE = (
    "The Marrow Street library, designed by the architect Ilse Varnholt, reopened on 4 March 2031 "
    "after a renovation that cost 12 million euros."
)


@pytest.fixture(scope="module")
def reader():
    found = bundled_reader()
    assert found is not None, "the reader's fit ships with the package"
    return found


@pytest.mark.parametrize(
    ("question", "span"),
    [
        ("Who designed the Marrow Street library?", "Ilse Varnholt"),
        ("When did the Marrow Street library reopen?", "4 March 2031"),
        ("How much did the renovation of the library cost?", "12 million euros"),
    ],
)
def test_reader_points_at_the_asked_for_span(reader, question, span):
    read = reader.read(question, SENTENCE)
    assert span in read.text and len(read.text.split()) <= len(span.split()) + 3
    assert SENTENCE[read.start : read.end] == read.text, "offsets slice the sentence back"


def test_reader_is_surer_of_an_answering_sentence_than_of_a_near_miss(reader):
    question = "Who designed the Marrow Street library?"
    near_miss = "The Marrow Street library reopened on 4 March 2031 after a long renovation."
    assert reader.read(question, SENTENCE).margin > reader.read(question, near_miss).margin


def test_the_fit_records_its_public_data_and_split(reader):
    fitted = reader.fitted
    assert fitted["train_articles"] == [1, 12] and fitted["choice_articles"] == [13, 18]
    assert "SQuAD 2.0" in fitted["data"] and fitted["script"] == "benchmarks/fit_reader.py"
    assert adapter_path().stat().st_size < 5_000_000, "only the adapters ship, not a second model"
    json.dumps(fitted)


def test_questions_written_for_fitting_come_from_dev_articles_only():
    """The Wikinews test half is for measurement: nothing the reader or scorer fits on may come
    from its articles, and every written sentence and answer is quoted as the article has it."""
    root = Path(__file__).resolve().parent.parent
    dev = set(json.loads((root / "tests/eval/wikinews_split.json").read_text(encoding="utf-8"))["dev"])
    rows = [json.loads(line) for line in (root / "benchmarks/data/wikinews_reader.jsonl").open(encoding="utf-8")]
    assert rows and {row["article"] for row in rows} <= dev
    assert all(row["answer"] is None or row["answer"] in row["sentence"] for row in rows)
    assert sum(row["answer"] is None for row in rows) >= len(rows) // 3, "near misses are taught too"


def test_translated_fitting_questions_keep_to_articles_no_eval_set_uses():
    """benchmarks/fit_crosslingual.py's news questions: each translation is of a written
    question, in the language its file names, and none is on an article an eval set measures."""
    import sys

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from benchmarks.fit_crosslingual import EVAL_SETS, news_items
    from bot.language import foreign_language

    items = news_items(["uk", "ru"])
    files = [root / f"benchmarks/data/wikinews_reader-{code}.jsonl" for code in ("uk", "ru")]
    assert len(items) == sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files) >= 700
    lines = [line for name in EVAL_SETS for line in (root / name).read_text(encoding="utf-8").splitlines()]
    measured = {doc for line in lines for doc in json.loads(line).get("gold") or []}
    assert measured and not {item["doc"] for item in items} & measured
    names = {"uk": "Ukrainian", "ru": "Russian"}
    recognised = sum(foreign_language(item["question"]) == names[item["language"]] for item in items)
    assert recognised >= 0.95 * len(items)
    assert sum(not item["answers"] for item in items) >= len(items) // 3, "the near misses are kept"


def test_reader_runs_without_torch(tmp_path):
    """Reading a sentence must not import torch: `newsbot ask` answers without loading it."""
    import subprocess
    import sys

    code = (
        "import sys; from bot.reader import bundled_reader; "
        f"r = bundled_reader().read('Who designed the library?', {SENTENCE!r}); "
        "assert 'Varnholt' in r.text, r; assert 'torch' not in sys.modules, 'torch was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path)


def test_the_readers_fast_gelu_stays_within_its_documented_bound():
    import numpy as np

    from embeddings.query_encoder import _gelu, _tanh_gelu

    x = np.linspace(-8, 8, 4001, dtype=np.float32)
    assert np.abs(_tanh_gelu(x) - _gelu(x)).max() < 5e-4
    assert _tanh_gelu(x).dtype == np.float32, "stays in float32, like the weights"


@pytest.mark.parametrize(
    ("span", "kept"),
    [
        ('"inconsistent', "inconsistent"),
        ("(NSDC", "NSDC"),
        ("Secretary (NSDC)", "Secretary (NSDC)"),
        ("“untrue", "untrue"),
    ],
)
def test_a_short_answer_loses_a_quotation_mark_or_bracket_it_does_not_close(span, kept):
    from bot.short_answer import _without_stray_marks

    assert _without_stray_marks(span) == kept


@pytest.mark.parametrize(
    ("question", "span", "kept"),
    [
        ("When is the cup final?", "22 years", False),
        ("When is the cup final?", "17 May", True),
        ("When did they meet?", "on Friday", True),
        ("How many people came?", "a record", False),
        ("How many people came?", "18,450", True),
        ("Who refereed the match?", "the referee", False),
        ("Who refereed the match?", "Paul Tierney", True),
        ("Why did the profit fall?", "9%", False),
        ("Why did the profit fall?", "as bookings from tour groups slowed", True),
    ],
)
def test_a_short_answer_is_a_thing_of_the_kind_asked_for(question, span, kept):
    from bot.question import analyse
    from bot.short_answer import _of_the_asked_kind

    assert _of_the_asked_kind(analyse(question), span) is kept
