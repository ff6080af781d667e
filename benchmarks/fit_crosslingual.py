"""Fit the cross-language sentence scorer and its abstention (bot/models/crosslingual-<model>.json).

Data: XQuAD (../shared/benchmarks/xquad/, CC BY-SA 4.0), its German and Spanish questions over
the 240 English paragraphs, one document each. The split is by article: articles 0, 2, 4, …
(in file order) are fitted on, 1, 3, 5, … are kept for benchmarks/xquad.py. Each fitting
question is asked twice: as it is (a sentence of its paragraph that holds the English answer is
right), and with its paragraph's passages left out of the search, which leaves the rest of the
article, on the same topic, to be declined.

First, each language's offset from English is measured: the mean difference between the vectors
of the fitting articles' questions in that language and the same questions in English (German
and Spanish from XQuAD; Ukrainian and Russian from benchmarks/data/, translations of every
second of those questions). The bot takes it out of a question's vector before searching.

With --news-languages, news questions join the fit: benchmarks/data/wikinews_reader.jsonl's
questions in Ukrainian or Russian translation, on the Wikinews dev articles no eval set uses
(answerable ones, and near misses their article does not answer, to be declined), asked of an
index of the whole Wikinews folder. XQuAD's declined questions only lose their paragraph; a
news near miss is nearer its article than that. Measured and not adopted (BENCHMARKS.md, issue
17's eleventh step): the shipped model is fitted on XQuAD alone. With --news-story N, each news
question is asked of its article and the N articles nearest it only, a folder of alike stories
as the bundled one is (measured and not adopted either: the thirteenth step).

With multilingual-e5-small, the weight of its reader's margin on close calls (bot/crosslingual.py's
reread) is then chosen on the news questions in Ukrainian and Russian on the Wikinews dev articles
benchmarks/fit_reader.py holds out (the 2nd, 4th, ... of the dev list), asked of the whole
Wikinews folder: the reader was fitted on the others. XQuAD's German and Spanish questions are
no guide here (the reader was fitted on none in those languages, and reading them moved nothing).
The calibration is fitted after it, on XQuAD, with the best few reread.

    .venv/bin/python benchmarks/fit_crosslingual.py [--model multilingual-e5-small] [--languages de,es]
        [--shift-languages de,es,uk,ru] [--news-languages uk,ru] [--news-index DIR] [--news-story N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.fit_reader import by_written_id  # noqa: E402
from benchmarks.squad import write_corpus  # noqa: E402
from bot import crosslingual  # noqa: E402
from bot.config import default_index_dir  # noqa: E402
from bot.core import CANDIDATE_PASSAGES  # noqa: E402
from bot.language import foreign_language  # noqa: E402
from bot.ranking import _logit  # noqa: E402
from bot.reader import e5_reader  # noqa: E402
from embeddings import build_index, load_index, make_embedder, terms_similarity  # noqa: E402

SHARED = ROOT.parent / "shared" / "benchmarks" / "xquad"
NEWS = ROOT.parent / "shared" / "benchmarks" / "wikinews" / "articles"
EVAL_SETS = ("tests/eval/wikinews_cyrillic.jsonl", "tests/eval/wikinews_multilingual.jsonl")
TRANSLATIONS = ROOT / "benchmarks" / "data"
SPLIT = ROOT / "tests" / "eval" / "wikinews_split.json"
CANDIDATES = CANDIDATE_PASSAGES  # as many passages as the bot ranks (bot/core.py)
PASSAGE_TERMS_GRID = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
REREAD_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0)
# How close the two best sentences' logits must be for the reader to read the best few: chosen
# on the dev question sets, where wider gaps read more for little more (BENCHMARKS.md).
REREAD_GAP = 1.0
STORY_DEPTH = 12  # times CANDIDATES searched, for the passages of a few articles to be among them
LANGUAGE_NAMES = {"de": "German", "es": "Spanish", "uk": "Ukrainian", "ru": "Russian"}


@dataclass
class Asked:
    article: int | str
    answerable: bool  # False: the question's paragraph was left out, or it is a news near miss
    made: list
    rows: list[dict[str, float]]
    labels: list[int]
    question: object


def xquad_items(languages: list[str]) -> tuple[dict, list[dict]]:
    """The English XQuAD data, and each question in each language with its paragraph's doc id,
    article number and English answers. A language XQuAD does not have is read from its
    translations of the fitting articles' questions (benchmarks/data/xquad-<language>.jsonl)."""
    english = json.loads((SHARED / "xquad.en.json").read_text(encoding="utf-8"))
    items = []
    for language in languages:
        asked = _questions_in(language)
        for a, article in enumerate(english["data"]):
            for p, paragraph in enumerate(article["paragraphs"]):
                items += [
                    {
                        "question": asked[qa["id"]],
                        "language": language,
                        "doc": f"{a:02d}-{p:03d}",
                        "article": a,
                        "answers": [answer["text"] for answer in qa["answers"]],
                        "id": qa["id"],
                    }
                    for qa in paragraph["qas"]
                    if qa["id"] in asked
                ]
    return english, items


def _questions_in(language: str) -> dict[str, str]:
    """XQuAD's questions in a language, by id."""
    translated = TRANSLATIONS / f"xquad-{language}.jsonl"
    if translated.is_file():
        rows = [json.loads(line) for line in translated.read_text(encoding="utf-8").splitlines()]
        return {row["id"]: row["question"] for row in rows}
    data = json.loads((SHARED / f"xquad.{language}.json").read_text(encoding="utf-8"))
    return {qa["id"]: qa["question"] for a in data["data"] for p in a["paragraphs"] for qa in p["qas"]}


def news_items(languages: list[str]) -> list[dict]:
    """The Wikinews reader questions in each language's translation, with their article and
    English answer (none for a near miss)."""
    written = [json.loads(line) for line in (TRANSLATIONS / "wikinews_reader.jsonl").read_text("utf-8").splitlines()]
    by_id = by_written_id(written)
    items = []
    for language in languages:
        for line in (TRANSLATIONS / f"wikinews_reader-{language}.jsonl").read_text("utf-8").splitlines():
            translated = json.loads(line)
            row = by_id[translated["id"]]
            items.append(
                {
                    "question": translated["question"],
                    "language": language,
                    "doc": row["article"],
                    "article": row["article"],
                    "answers": [row["answer"]] if row["answer"] else [],
                    "id": translated["id"],
                }
            )
    kept = _unused_by_eval_sets({item["doc"] for item in items})
    return [item for item in items if item["doc"] in kept]


def _unused_by_eval_sets(articles: set[str]) -> set[str]:
    used = set()
    for name in EVAL_SETS:
        for line in (ROOT / name).read_text("utf-8").splitlines():
            used |= set(json.loads(line).get("gold") or [])
    return articles - used


def news_index(folder: Path, model: str, embedder):
    """The Wikinews folder's index: folder if given, else the bot's default one for it, built
    if it is not there yet."""
    folder = folder or ROOT / default_index_dir(NEWS, model)
    if not (folder / "CURRENT").is_file():
        build_index(NEWS, folder, model, embedder=embedder, progress=True)
    return load_index(folder)


def nearest_articles(index, count: int) -> dict[str, set[str]]:
    """Each article with the count articles nearest it (by the mean of its passages' vectors): a
    folder of a few alike stories, as a folder on one story told by several outlets."""
    vectors: dict[str, list[np.ndarray]] = {}
    for row, passage in enumerate(index.passages):
        vectors.setdefault(passage.doc_id, []).append(index.vector(row))
    ids = sorted(vectors)
    means = np.array([np.mean(vectors[doc], axis=0) for doc in ids])
    means /= np.linalg.norm(means, axis=1, keepdims=True)
    return {doc: {ids[j] for j in np.argsort(-(means @ means[i]))[: count + 1]} for i, doc in enumerate(ids)}


def ask_news(index, embedder, news: list[dict], shifted: crosslingual.CrossModel, story: int) -> list[Asked]:
    """The news questions asked of the whole folder, or with story, of their article and the
    story articles nearest it."""
    near = nearest_articles(index, story) if story else {}
    return [
        ask(index, embedder, item, True, shifted, near.get(item["doc"]))
        for item in tqdm(news, desc="Asking news", unit="question")
    ]


def first_passage_share(asked: list[Asked]) -> float:
    """Of the questions with a right sentence among their candidates, the share with one in the
    first passage."""
    found = [a for a in asked if any(a.labels)]
    first = [a for a in found if any(label and row["passage_gap"] == 0 for label, row in _labelled(a))]
    return round(len(first) / max(1, len(found)), 3)


def _labelled(asked: Asked) -> list[tuple[int, dict[str, float]]]:
    return list(zip(asked.labels, asked.rows, strict=True))


def _news_fitted(news: list[dict], languages: str, story: int, asked: list[Asked]) -> dict:
    if not news:
        return {}
    articles = len({item["doc"] for item in news})
    folder = f"each over its article and the {story} nearest" if story else "over the whole folder"
    return {
        "news": f"{len(news)} Wikinews reader questions ({languages}) on {articles} dev articles no eval set uses",
        "news_asked": folder,
        "news_right_in_first_passage": first_passage_share(asked),
    }


def _fitting(items: list[dict]) -> list[dict]:
    return [i for i in items if i["article"] % 2 == 0]


def indexed(english: dict, model: str, folder: Path):
    (folder / "docs").mkdir()
    write_corpus(english, folder / "docs")
    embedder = make_embedder(model, quick_start=True)
    build_index(folder / "docs", folder / "index", model, embedder=embedder, progress=True)
    return load_index(folder / "index"), embedder


def ask(index, embedder, item: dict, answerable: bool, shifted: crosslingual.CrossModel, within=None) -> Asked:
    question, hits, vectors = searched(index, embedder, item, answerable, shifted, within)
    made, rows = crosslingual.candidate_rows(question, hits, index, vectors)
    labels = [int(_holds(hit, spans, item)) for hit, spans in made]
    return Asked(item["article"], answerable and bool(item["answers"]), made, rows, labels, question)


def searched(index, embedder, item: dict, answerable: bool, model: crosslingual.CrossModel, within=None) -> tuple:
    """The question as analysed, the passages found for it (less its paragraph's when it is to be
    declined; only those of the articles within, if given), and its vectors."""
    language = LANGUAGE_NAMES[item["language"]]
    question = crosslingual.analyse_foreign(item["question"], language)
    vectors = crosslingual.question_vectors(embedder, item["question"], language, model, index)
    deep = CANDIDATES * (3 if within is None else STORY_DEPTH)
    hits = crosslingual.search_across(index, vectors, item["question"], deep, model.passage_terms)
    if within is not None:
        hits = [h for h in hits if h.document.doc_id in within]
    if not answerable:
        hits = [h for h in hits if h.document.doc_id != item["doc"]]
    return question, hits[:CANDIDATES], vectors


def _holds(hit, spans, item: dict) -> bool:
    if hit.document.doc_id != item["doc"]:
        return False
    text = " ".join(hit.document.text[s:e] for s, e in spans).lower()
    return any(answer.lower() in text for answer in item["answers"])


def language_shifts(embedder, english: dict, items: list[dict]) -> dict[str, np.ndarray]:
    """Per language, the mean of its questions' vectors less those of the same questions in
    English: the part of a vector that says which language a question is in."""
    english_questions = {qa["id"]: qa["question"] for a in english["data"] for p in a["paragraphs"] for qa in p["qas"]}
    shifts = {}
    for code in sorted({item["language"] for item in items}):
        pairs = [(item["question"], english_questions[item["id"]]) for item in items if item["language"] == code]
        offsets = [embedder.embed_query(asked) - embedder.embed_query(english) for asked, english in pairs]
        shifts[LANGUAGE_NAMES[code]] = np.mean(offsets, axis=0)
    return shifts


def fit_passage_terms(index, embedder, items: list[dict], model: crosslingual.CrossModel) -> tuple[float, dict]:
    """The weight of a passage's latent terms beside its search score (bot/crosslingual.py's
    by_terms) that most often puts the question's own paragraph first."""
    found = []
    for item in tqdm(items, desc="Weighing passage terms", unit="question"):
        _, hits, vectors = searched(index, embedder, item, True, model)
        terms = [terms_similarity(index.sentence_terms_of(hit.row), vectors.terms) for hit in hits]
        found.append(
            (
                np.array([hit.score for hit in hits]),
                np.array(terms),
                [hit.document.doc_id == item["doc"] for hit in hits],
            )
        )

    def first_right(weight: float) -> float:
        return float(
            np.mean(
                [right[int(np.argmax(score + weight * terms))] if right else False for score, terms, right in found]
            )
        )

    best = max(PASSAGE_TERMS_GRID, key=first_right)
    return best, {
        "paragraph_first_by_search": round(first_right(0.0), 3),
        "paragraph_first": round(first_right(best), 3),
    }


def fit_scorer(asked: list[Asked]) -> tuple[dict[str, float], float]:
    x = np.array([[row[f] for f in crosslingual.FEATURES] for a in asked if a.answerable for row in a.rows])
    y = np.array([label for a in asked if a.answerable for label in a.labels])
    coefficients, intercept = _standardised_fit(x, y)
    return dict(zip(crosslingual.FEATURES, map(float, coefficients), strict=True)), intercept


class CachedReader:
    """The multilingual reader, each (question, sentence) read once however often the fit asks."""

    def __init__(self, reader) -> None:
        self._reader, self._read = reader, {}

    def read(self, question: str, sentence: str):
        if (question, sentence) not in self._read:
            self._read[question, sentence] = self._reader.read(question, sentence)
        return self._read[question, sentence]


def ranked_as_bot(a: Asked, model: crosslingual.CrossModel, reader) -> tuple[list, dict]:
    """The question's sentences in the bot's order (scored, ordered, the best few reread), and
    whether each is right, by (hit, spans)."""
    scores = model.scores(a.rows)
    scored = [crosslingual.Scored(h, s, float(p), r) for (h, s), p, r in zip(a.made, scores, a.rows, strict=True)]
    label = {(id(c.hit), c.spans): right for c, right in zip(scored, a.labels, strict=True)}
    ranked = crosslingual.ordered(a.question, sorted(scored, key=lambda c: -c.score))
    language = _language_of(a)
    ranked = crosslingual.ordered(a.question, crosslingual.reread(a.question.text, language, ranked, reader, model))
    return ranked, label


def reader_held_out(items: list[dict]) -> list[dict]:
    """The news questions on the dev articles benchmarks/fit_reader.py only measures on (the 2nd,
    4th, 6th ... of the Wikinews dev list), whose answers the reader never saw."""
    position = {doc: i for i, doc in enumerate(json.loads(SPLIT.read_text(encoding="utf-8"))["dev"])}
    return [item for item in items if position[item["doc"]] % 2 == 1]


def _language_of(a: Asked) -> str:
    return next(name for name, locale in crosslingual.LOCALES.items() if locale == a.question.locale)


def fit_reread(asked: list[Asked], model: crosslingual.CrossModel, reader) -> tuple[float, dict]:
    """The weight of the reader's margin, on close calls, that most often puts a right sentence first."""
    answerable = [a for a in asked if a.answerable and a.rows]

    def rereading(weight: float) -> crosslingual.CrossModel:
        return replace(model, reread_gap=REREAD_GAP, reread_weights=dict.fromkeys(crosslingual.LOCALES, weight))

    for a in tqdm(answerable, desc="Reading close calls", unit="question"):
        ranked_as_bot(a, rereading(1.0), reader)  # each close call read once

    def first_right(weight: float) -> float:
        firsts = []
        for a in answerable:
            ranked, label = ranked_as_bot(a, rereading(weight), reader)
            firsts.append(label[id(ranked[0].hit), ranked[0].spans])
        return float(np.mean(firsts))

    best = max(REREAD_GRID, key=first_right)
    return best, {"right_first_unread": round(first_right(0.0), 3), "right_first_reread": round(first_right(best), 3)}


def fit_rereading(args, asked: list[Asked], scorer, embedder, reader) -> tuple[crosslingual.CrossModel, dict]:
    """The reader's weight for Ukrainian and Russian questions, from the news questions the
    reader was not fitted on; for German and Spanish ones, from XQuAD's fitting questions."""
    held_out = reader_held_out(news_items(["uk", "ru"]))
    index = news_index(args.news_index, args.model, embedder)
    news_weight, news = fit_reread(ask_news(index, embedder, held_out, scorer, 0), scorer, reader)
    xquad_weight, xquad = fit_reread(asked, scorer, reader)
    weights = {"Ukrainian": news_weight, "Russian": news_weight, "German": xquad_weight, "Spanish": xquad_weight}
    figures = {
        "reread_news": f"{len(held_out)} Wikinews reader questions (uk,ru) the reader was not fitted on",
        **{f"news_{name}": value for name, value in news.items()},
        **{f"xquad_{name}": value for name, value in xquad.items()},
    }
    rereading = {name: weight for name, weight in weights.items() if weight}
    return replace(scorer, reread_gap=REREAD_GAP if rereading else 0.0, reread_weights=rereading), figures


def best_rows(asked: list[Asked], model: crosslingual.CrossModel, reader=None) -> tuple[np.ndarray, np.ndarray]:
    """Each question's best sentence after the bot's ordering: its calibration features, and
    whether an answer from it is right (never, for a question whose paragraph was left out)."""
    x, y = [], []
    for a in asked:
        if not a.rows:
            continue
        ranked, label = ranked_as_bot(a, model, reader)
        best = ranked[0]
        values = crosslingual.calibration_values(best, crosslingual.runner_up(ranked, a.question))
        typed_ok = a.question.kind is None or best.features["typed"]
        x.append([_logit(best.score)] + [values[f] for f in crosslingual.CALIBRATION_FEATURES] + [float(typed_ok)])
        y.append(label[id(best.hit), best.spans] and typed_ok)
    return np.array(x), np.array(y, dtype=int)


def calibrate(asked: list[Asked], model: crosslingual.CrossModel, reader=None) -> tuple[dict[str, float], float, dict]:
    x, y = best_rows(asked, model, reader)
    keep = x[:, -1] == 1  # an untyped best is declined before the calibration is asked
    coefficients, intercept = _standardised_fit(x[keep, :-1], y[keep])
    names = ("score", *crosslingual.CALIBRATION_FEATURES)
    calibration = dict(zip(names, map(float, coefficients), strict=True)) | {"intercept": intercept}
    probability = 1.0 / (1.0 + np.exp(-(x[keep, :-1] @ coefficients + intercept)))
    threshold = max(np.unique(probability), key=lambda t: _balanced(probability >= t, y[keep]))
    return calibration, float(threshold), {"balanced_accuracy": round(_balanced(probability >= threshold, y[keep]), 3)}


def _standardised_fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """A logistic regression on the features scaled to unit variance, so that the penalty
    weighs them alike (a gap of 0.02 in similarity is as telling as a share of 1), returned as
    coefficients of the features as they are."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    fitted = LogisticRegression(C=1.0, max_iter=2000).fit(scaler.transform(x), y)
    coefficients = fitted.coef_[0] / scaler.scale_
    return coefficients, float(fitted.intercept_[0] - coefficients @ scaler.mean_)


def _balanced(answered: np.ndarray, right: np.ndarray) -> float:
    return float((answered[right == 1].mean() + (~answered[right == 0]).mean()) / 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="multilingual-e5-small")
    parser.add_argument("--languages", default="de,es", help="whose questions are fitted on")
    parser.add_argument("--shift-languages", default="de,es,uk,ru", help="whose offset from English is taken out")
    parser.add_argument("--news-languages", default="", help="whose Wikinews questions join the fit (uk,ru)")
    parser.add_argument("--news-index", type=Path, help="an index of the Wikinews folder built with --model")
    parser.add_argument("--news-story", type=int, default=0, help="ask news questions of their article and N nearest")
    parser.add_argument("--no-reader", action="store_true", help="leave the multilingual reader out of the fit")
    args = parser.parse_args()
    english, items = xquad_items(args.languages.split(","))
    fitting = _fitting(items)
    news = news_items([code for code in args.news_languages.split(",") if code])
    with tempfile.TemporaryDirectory() as folder:
        index, embedder = indexed(english, args.model, Path(folder))
        shifts = language_shifts(embedder, english, _fitting(xquad_items(args.shift_languages.split(","))[1]))
        shifted = crosslingual.CrossModel(args.model, {}, 0.0, {}, 0.0, shifts)
        passage_terms, searching = fit_passage_terms(index, embedder, fitting, shifted)
        shifted = replace(shifted, passage_terms=passage_terms)
        asked = [ask(index, embedder, item, answerable, shifted) for item in fitting for answerable in (True, False)]
    searching["right_in_first_passage"] = first_passage_share([a for a in asked if a.answerable])
    news_asked = []
    if news:
        index = news_index(args.news_index, args.model, embedder)
        news_asked = ask_news(index, embedder, news, shifted, args.news_story)
    asked += news_asked
    weights, intercept = fit_scorer(asked)
    scorer = replace(shifted, weights=weights, intercept=intercept)
    reader, rereading = None, {}
    if not args.no_reader and (shipped := e5_reader() if args.model == "multilingual-e5-small" else None):
        reader = CachedReader(shipped)
        scorer, rereading = fit_rereading(args, asked, scorer, embedder, reader)
    calibration, threshold, figures = calibrate(asked, scorer, reader)
    recognised = sum(foreign_language(i["question"]) == LANGUAGE_NAMES[i["language"]] for i in fitting) / len(fitting)
    out = {
        "model": args.model,
        "weights": weights,
        "intercept": intercept,
        "calibration": calibration,
        "threshold": threshold,
        "shifts": {language: [round(float(v), 6) for v in shift] for language, shift in shifts.items()},
        "passage_terms": passage_terms,
        "reread": {"gap": scorer.reread_gap, "weights": scorer.reread_weights},
        "fitted": {
            "data": f"XQuAD {args.languages} questions over the English paragraphs",
            "articles": "even-numbered XQuAD articles (0, 2, ... in file order); odd ones are held out",
            "questions": len(fitting),
            "shifts": f"{args.shift_languages}: fitting articles' questions less the same in English",
            "language_recognised": round(recognised, 3),
            **searching,
            **rereading,
            **figures,
        }
        | _news_fitted(news, args.news_languages, args.news_story, news_asked),
    }
    path = ROOT / "bot" / "models" / f"crosslingual-{args.model}.json"
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out["fitted"], indent=1))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
