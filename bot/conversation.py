"""Follow-up questions: carry the entities, dates and topic of earlier turns into retrieval."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.question import QUESTION_WORDS
from embeddings import tokenize
from embeddings.keyword import stopwords

_REFERENCE = re.compile(r"\b(he|him|his|she|her|they|them|their|it|its|this|these|those)\b", re.I)
_ELLIPSIS = re.compile(r"^\s*(and|but|what about|how about|and what about|what of|same for)\b[\s,]*", re.I)
_REACTION = re.compile(r"\b(respond|responded|react|reacted|reply|replied|answer|answered)\b", re.I)
_TIME = re.compile(
    r"\b(in|at|during|on|for)?\s*((january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\s*)?(19|20)\d\d\b|\b(in|at|during)\s+(the\s+)?(january|february|march|april|june|"
    r"july|august|september|october|november|december)\b",
    re.I,
)
_NAME = re.compile(r"\b[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*")
SHORT_QUESTION_WORDS = 6


@dataclass(frozen=True)
class Turn:
    role: str
    content: str


def is_ellipsis(question: str) -> bool:
    """ "And where?", "What about July 2025?": a fragment that reuses the last question."""
    return bool(_ELLIPSIS.match(question))


def standalone(question: str, history: Sequence[Turn]) -> tuple[str, str | None]:
    """The question completed from earlier turns when it leans on them, and the earlier
    question it leans on; the question unchanged and None otherwise."""
    previous = [t.content for t in history if t.role == "user" and t.content.strip()]
    if not previous or not is_follow_up(question):
        return question, None
    last_question = previous[-1]
    replies = [t.content for t in history if t.role == "assistant"]
    fragment = _ELLIPSIS.sub("", question).strip()
    reply = _gist(replies[-1]) if replies else ""
    if _TIME.search(fragment):
        # "What about July 2025?" replaces the time the conversation was about.
        last_question, reply = _TIME.sub(" ", last_question), _TIME.sub(" ", reply)
    return " ".join([fragment, *_names(reply), reply, last_question]), previous[-1]


def is_follow_up(question: str) -> bool:
    """Does the question lean on the conversation (pronoun, ellipsis, or too little of its own)?"""
    if _REFERENCE.search(question) or _ELLIPSIS.match(question) or _REACTION.search(question):
        return True
    words = question.split()
    own_terms = [t for t in tokenize(question) if t not in QUESTION_WORDS]
    has_name = any(_NAME.fullmatch(w.strip("?,.!")) for w in words[1:])
    return len(own_terms) <= 1 or (len(words) <= SHORT_QUESTION_WORDS and not has_name)


def _gist(reply: str, max_words: int = 30) -> str:
    """The start of an earlier answer, without markers, markup and "X reported on D that"."""
    text = re.sub(r"\[\d+\]|<[^>]+>|\(#[^)]*\)", " ", reply)
    text = re.sub(r"^.{0,80}? reported(?: on [^,]{4,30}?)? that ", "", text.strip())
    return " ".join(text.split()[:max_words])


def _names(text: str) -> list[str]:
    """Proper names in an earlier answer ("Rustem Umierov"), minus attribution boilerplate."""
    found = []
    for match in _NAME.finditer(text):
        words = match.group().split()
        while words and words[0].lower() in stopwords():
            words.pop(0)  # "In Istanbul" -> "Istanbul"
        if words:
            found.append(" ".join(words))
    return list(dict.fromkeys(found))[:4]
