"""What a question asks for: its answer type, its content words and the time it names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from embeddings import tokenize

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
# "may" is usually the verb; only the capitalised word is the month.
_MONTH_PATTERNS = [re.compile(r"\bMay\b") if m == "may" else re.compile(rf"\b{m}\b", re.I) for m in MONTHS]
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_QUESTION_TYPES = [
    ("when", re.compile(r"^\s*(when|what (date|day|time|year|month)|on which (date|day))\b|\bwhat time\b", re.I)),
    (
        "who",
        re.compile(
            r"^\s*(who|whom|whose)\b"
            r"|^\s*(which|what) (person|official|minister|spokes\w+|president|leader|negotiator|outlet|agency)\b",
            re.I,
        ),
    ),
    ("duration", re.compile(r"\bhow long\b|\bfor how (many|much)\b", re.I)),
    ("number", re.compile(r"\bhow (many|much|old|often)\b|\bwhat (number|percentage|share)\b", re.I)),
    ("where", re.compile(r"^\s*where\b|\bin (which|what) (city|country|place)\b", re.I)),
]
_FOCUS = re.compile(r"\bhow (?:many|much)\s+([\w-]+)", re.I)
# Words that only shape the question; they say nothing about where the answer is.
QUESTION_WORDS = frozenset(
    tokenize(
        "who whom whose what which when where why how many much long did does do is are was were "
        "will can could should has have had say said tell told according article articles report reported"
    )
)


@dataclass(frozen=True)
class Question:
    text: str
    kind: str | None
    terms: tuple[str, ...]
    years: tuple[int, ...]
    months: tuple[int, ...]
    focus: str | None = None  # the counted thing in "how many X"
    emphasis: tuple[str, ...] = ()  # a follow-up's own terms, weighed above those carried over


def analyse(text: str) -> Question:
    """Parse a question into answer type, content terms and named years/months."""
    kind = next((name for name, pattern in _QUESTION_TYPES if pattern.search(text)), None)
    terms = tuple(dict.fromkeys(t for t in tokenize(text) if t not in QUESTION_WORDS))
    years = tuple(int(m.group()) for m in _YEAR.finditer(text))
    months = tuple(i + 1 for i, name in enumerate(MONTHS) if _MONTH_PATTERNS[i].search(text))
    focus_match = _FOCUS.search(text)
    focus_word = next((g for g in focus_match.groups() if g), "") if focus_match else ""
    focus = next(iter(tokenize(focus_word)), None)
    if focus == "time":
        focus = None  # "how many times" is answered by "twice", with no noun beside it
    return Question(text, kind, terms, years, months, focus)
