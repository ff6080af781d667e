"""The short answer: the name, date, place, number or thing a question asks for, taken as
written from the sentence that answers it by the fitted reader (bot/reader.py)."""

from __future__ import annotations

import re

from bot.lexicon import RELATIVE_TIME
from bot.question import Question
from bot.ranking import ANSWER_TYPES
from bot.reader import Read, bundled_reader
from embeddings import stopwords, tokenize

MAX_WORDS = 8
_YES_NO = re.compile(r"^\s*(is|are|was|were|did|does|do|has|have|had|will|would|can|could|should)\b", re.I)


def short_answer(question: Question, sentence: str, read: Read | None = None) -> str | None:
    """The thing asked for, as written in sentence, or None when the question asks yes or no,
    the reader finds no span of at most MAX_WORDS words, or the span only repeats the question.
    read: the reader's reading of this sentence for this question, when already done."""
    reader = bundled_reader()
    if reader is None or _YES_NO.match(question.text):
        return None
    answer = _without_stray_marks((read or reader.read(question.text, sentence)).text.strip(" ,;:"))
    if not 0 < len(answer.split()) <= MAX_WORDS or _already_asked(question, answer):
        return None
    return answer if _of_the_asked_kind(question, answer) else None


def _of_the_asked_kind(question: Question, answer: str) -> bool:
    """Is the span a thing of the kind asked for? "22 years" is no answer to "When …?", nor a
    lower-case phrase to "Who …?"."""
    if question.kind == "when":
        return bool(ANSWER_TYPES["when"].search(answer) or RELATIVE_TIME.search(answer))
    if question.kind in ("number", "duration"):
        return bool(ANSWER_TYPES["number"].search(answer))
    if question.kind == "who":
        return any(c.isupper() for c in answer)
    if _WHY.match(question.text):
        return bool(_WORD.search(answer))  # a reason has words: "9%" is no answer to "Why …?"
    return True


_WHY = re.compile(r"^\W*why\b", re.I)
_WORD = re.compile(r"\b[a-z]{4,}\b")


def _without_stray_marks(text: str) -> str:
    """The span without a quotation mark or bracket it opens or closes but does not match
    (the reader's span may start at the quote: '"inconsistent')."""
    for opening, closing in _PAIRED:
        unmatched = text.count(opening) % 2 if opening == closing else text.count(opening) != text.count(closing)
        if unmatched:
            text = text.strip(opening + closing + " ")
    return text


_PAIRED = (('"', '"'), ("“", "”"), ("«", "»"), ("(", ")"), ("[", "]"))


def _already_asked(question: Question, text: str) -> bool:
    words = [t for t in tokenize(text) if t not in stopwords()]
    asked = set(tokenize(question.text))
    return bool(words) and all(w in asked for w in words)
