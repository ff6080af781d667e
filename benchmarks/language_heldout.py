"""Write tests/data/language/heldout.json: the questions on the second half of XQuAD's 48
articles (English from XQuAD and SQuAD 2.0 dev, each once; German; Spanish), on which
tests/test_language.py checks the language detector. Its thresholds were chosen on the first
half. Data: CC BY-SA 4.0 (see tests/data/language/README.md).

--shortcut: choose, on the first half, when a question is plainly English without the model
(bot/language.py's ENGLISH_FUNCTION_WORDS and ENGLISH_SHARE)."""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
XQUAD, SQUAD = BENCHMARKS / "xquad", BENCHMARKS / "squad" / "dev-v2.0-reconstructed.json"
OUT = ROOT / "tests" / "data" / "language" / "heldout.json"


def questions(path: Path, titles: set[str]) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    return [q["question"] for a in data if a["title"] in titles for p in a["paragraphs"] for q in p["qas"]]


SHORTCUT_LEAK = 0.005  # at most this share of German or Spanish questions may be called English


def by_language(articles: set[str]) -> dict[str, list[str]]:
    english = list(dict.fromkeys(questions(XQUAD / "xquad.en.json", articles) + questions(SQUAD, articles)))
    return {
        "en": english,
        "de": questions(XQUAD / "xquad.de.json", articles),
        "es": questions(XQUAD / "xquad.es.json", articles),
    }


def choose_shortcut(sets: dict[str, list[str]]) -> tuple[int, float]:
    """The (function words, share) pair that decides the most English questions without the
    model while calling at most SHORTCUT_LEAK of the German and Spanish ones English."""
    sys.path.insert(0, str(ROOT))
    import bot.language as language

    def share(language_code: str, count: int, fraction: float) -> float:
        language.ENGLISH_FUNCTION_WORDS, language.ENGLISH_SHARE = count, fraction
        words = [language._without_names(language._WORD.findall(q)) for q in sets[language_code]]
        return sum(language.plainly_english(w) for w in words) / len(words)

    grid = [(c, f) for c in (2, 3, 4) for f in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5)]
    allowed = [k for k in grid if share("de", *k) <= SHORTCUT_LEAK and share("es", *k) <= SHORTCUT_LEAK]
    best = max(allowed, key=lambda k: share("en", *k))
    print({"chosen": best, "english_decided": round(share("en", *best), 3)})
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shortcut", action="store_true", help="choose the plainly-English shortcut instead")
    args = parser.parse_args()
    titles = [a["title"] for a in json.loads((XQUAD / "xquad.en.json").read_text(encoding="utf-8"))["data"]]
    if args.shortcut:
        choose_shortcut(by_language(set(titles[: len(titles) // 2])))
        return
    sets = by_language(set(titles[len(titles) // 2 :]))
    OUT.write_text(json.dumps(sets, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print({language: len(items) for language, items in sets.items()}, "->", OUT)


if __name__ == "__main__":
    main()
