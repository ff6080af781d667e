"""What a question asks for: its answer type, its content words and the time it names."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.lexicon import MONTHS
from embeddings import tokenize

# "may" is usually the verb; only the capitalised word is the month.
_MONTH_PATTERNS = [re.compile(r"\bMay\b") if m == "may" else re.compile(rf"\b{m}\b", re.I) for m in MONTHS]
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_QUESTION_TYPES = [
    (
        "when",
        re.compile(
            r"^\s*(when|((on|at|by|in|since|until|from) )?(what|which) (date|day|time|year|month))\b|\bwhat time\b",
            re.I,
        ),
    ),
    (
        "who",
        re.compile(
            r"^\s*(who|whom|whose)\b"
            r"|^\s*(which|what) (person|official|minister|spokes\w+|president|leader|negotiator|outlet|agency|"
            r"country|nation|city|team|club|company|firm|party|organi[sz]ation|group|newspaper)\b",
            re.I,
        ),
    ),
    ("duration", re.compile(r"\bhow long\b|\bfor how (many|much)\b", re.I)),
    ("number", re.compile(r"\bhow (many|much|old|often)\b|\bwhat (number|percentage|share)\b", re.I)),
    ("where", re.compile(r"^\s*where\b|\bin (which|what) (city|country|place)\b", re.I)),
]
_YEAR_ASKED = re.compile(r"\b(what|which) year\b", re.I)
_FOCUS = re.compile(r"\bhow (?:many|much)\s+([\w-]+)", re.I)
# Words that only shape the question; they say nothing about where the answer is.
QUESTION_WORDS = frozenset(
    tokenize(
        "who whom whose what which when where why how many much long did does do is are was were "
        "will can could should has have had say said tell told according article articles report reported"
    )
)


# "Which country hosted it, and how many leaders came?": a second question joined by "and".
SECOND_PART = re.compile(
    r"(?:,\s*|\s+)and\s+(?=(?:(?:in|on|at|to|from|by|for|with|of)\s+)?(?:who|whom|what|when|where|which|why|how)\b)",
    re.I,
)


_WHICH = re.compile(
    r"^\s*((in|to|at|from|on|for|by|of|with) )?(which|what) "
    r"(?!(is|are|was|were|did|do|does|has|have|had|will|would|can|could|should|happen\w*|caus\w*)\b)[a-z]",
    re.I,
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
    said: frozenset[str] = frozenset()  # a follow-up: the terms of the answer it follows
    named_before: frozenset[str] = frozenset()  # a follow-up: the names of the turns before it ("he")
    locale: str = "en"  # the language it is asked in


def asks_which(text: str) -> bool:
    """ "Which bridge …?", "To what hospital …?": asks to pick out a named thing."""
    return bool(_WHICH.search(text))


STANDALONE_TERMS = 3  # a part of a question with this many content words of its own stands alone


def question_parts(question: Question) -> list[Question]:
    """The question, or its parts when it asks two things, each with its own answer type. A part
    with enough words of its own is searched and judged by them and the times it names; a short
    one ("and how many came?") keeps the whole question's terms and times, since it names its
    topic only in the other part."""
    texts = part_texts(question.text)
    if len(texts) < 2:
        return [question]
    parts = []
    for text in texts:
        own = analyse(text + "?")
        if standalone_part(own):
            parts.append(replace(own, emphasis=question.emphasis, said=question.said))
        else:
            parts.append(replace(question, text=own.text, kind=own.kind, focus=own.focus))
    return parts


def part_texts(text: str) -> list[str]:
    """A question's parts as written ("Which country hosted it", "how many leaders came")."""
    return [t.strip(" ,?") for t in SECOND_PART.split(text) if t.strip(" ,?")]


def standalone_part(part: Question) -> bool:
    return len(part.terms) >= STANDALONE_TERMS


# "When deaths passed 100,000, how many cases were there?": the question is the main clause.
_LEADING_CLAUSE = re.compile(
    r"^\s*(?:when|while|after|before|as|once|since|if)\b[^?]*?,\s*(?=(?:who|whom|what|which|when|where|how)\b)", re.I
)


def analyse(text: str) -> Question:
    """Parse a question into answer type, content terms and named years/months."""
    asked = _LEADING_CLAUSE.sub("", text, count=1)
    kind = next((name for name, pattern in _QUESTION_TYPES if pattern.search(asked)), None)
    terms = tuple(dict.fromkeys(t for t in tokenize(text) if t not in QUESTION_WORDS))
    years = tuple(int(m.group()) for m in _YEAR.finditer(text))
    months = tuple(i + 1 for i, name in enumerate(MONTHS) if _MONTH_PATTERNS[i].search(text))
    focus_match = _FOCUS.search(asked)
    focus_word = next((g for g in focus_match.groups() if g), "") if focus_match else ""
    focus = next(iter(tokenize(focus_word)), None)
    if focus == "time":
        focus = None  # "how many times" is answered by "twice", with no noun beside it
    if kind == "when" and _YEAR_ASKED.search(asked):
        focus = "year"
    return Question(text, kind, terms, years, months, focus)
