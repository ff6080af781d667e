"""Write tests/data/language/heldout.json: the questions on the second half of XQuAD's 48
articles (English from XQuAD and SQuAD 2.0 dev, each once; German; Spanish), on which
tests/test_language.py checks the language detector. Its thresholds were chosen on the first
half. Data: CC BY-SA 4.0 (see tests/data/language/README.md)."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
XQUAD, SQUAD = BENCHMARKS / "xquad", BENCHMARKS / "squad" / "dev-v2.0-reconstructed.json"
OUT = ROOT / "tests" / "data" / "language" / "heldout.json"


def questions(path: Path, titles: set[str]) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    return [q["question"] for a in data if a["title"] in titles for p in a["paragraphs"] for q in p["qas"]]


def main() -> None:
    titles = [a["title"] for a in json.loads((XQUAD / "xquad.en.json").read_text(encoding="utf-8"))["data"]]
    held = set(titles[len(titles) // 2 :])
    english = list(dict.fromkeys(questions(XQUAD / "xquad.en.json", held) + questions(SQUAD, held)))
    sets = {
        "en": english,
        "de": questions(XQUAD / "xquad.de.json", held),
        "es": questions(XQUAD / "xquad.es.json", held),
    }
    OUT.write_text(json.dumps(sets, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print({language: len(items) for language, items in sets.items()}, "->", OUT)


if __name__ == "__main__":
    main()
