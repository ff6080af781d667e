"""Follow-up questions: carry the entities, dates and topic of earlier turns into retrieval."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.lexicon import MONTHS, NAME
from bot.question import QUESTION_WORDS
from bot.results import NOT_FOUND
from embeddings import stopwords, tokenize

_REFERENCE = re.compile(r"\b(he|him|his|she|her|they|them|their|it|its|this|these|those)\b", re.I)
_ELLIPSIS = re.compile(
    r"^\s*(and what about|and how about|what about|how about|and|but|what of|same for)\b[\s,]*", re.I
)
_REACTION = re.compile(r"\b(respond|responded|react|reacted|reply|replied|answer|answered)\b", re.I)
_TIME = re.compile(
    r"\b(in|at|during|on|for)?\s*((january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\s*)?(19|20)\d\d\b|\b(in|at|during|of|by|since|until)\s+(the\s+)?(january|february|march|april|june|"
    r"july|august|september|october|november|december)\b",
    re.I,
)
SHORT_QUESTION_WORDS = 6
_MARKUP = re.compile(r"\[\d+\]|<[^>]+>|\(#[^)]*\)")  # an answer's [n] markers, tags and #links
_PREPOSITION_BEFORE = re.compile(r"\b(in|at|from|for|to|on|by|with|near|of)\s+(the\s+)?$", re.I)


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
    if not previous or not is_follow_up(question, " ".join(t.content for t in history)):
        return question, None
    last_question = previous[-1]
    # A reply that found nothing says nothing about the topic.
    replies = [t.content for t in history if t.role == "assistant" and not t.content.startswith(NOT_FOUND)]
    fragment = _ELLIPSIS.sub("", question).strip()
    new_time, new_names = bool(_TIME.search(fragment)), _new_names(fragment, last_question)
    if is_ellipsis(question) and (new_time or new_names):
        # "And in 2022?", "What about Spain?": the last question with that part replaced; the
        # last answer speaks of the other time or entity, so it is left out.
        if new_time:
            last_question = _TIME.sub(" ", last_question)
        if new_names:
            last_question = _without_names(last_question, _in_slot(fragment))
        return " ".join([fragment, last_question]), previous[-1]
    reply = gist(replies[-1]) if replies else ""
    return " ".join([fragment, *_names(reply), reply, last_question]), previous[-1]


def _new_names(fragment: str, last_question: str) -> list[str]:
    """Names in a follow-up fragment that the last question did not have (months are times)."""
    asked = set(tokenize(last_question))
    names = [m.group() for m in NAME.finditer(fragment)]
    return [
        n for n in names if not set(n.lower().split()) <= set(MONTHS) and not set(tokenize(n)) <= asked | stopwords()
    ]


def _without_names(question: str, prepositional: bool) -> str:
    """The question without the names a new one replaces: those after a preposition ("from
    Nevada") for "And in Iowa?", the others ("did Joe Biden win") for "What about Sanders?".
    Months stay; they are times."""

    def replaced(match: re.Match) -> str:
        if match.start() == 0 or match.group().split()[0].lower() in MONTHS:
            return match.group()
        after_preposition = bool(_PREPOSITION_BEFORE.search(question[: match.start()]))
        return " " if after_preposition == prepositional else match.group()

    return NAME.sub(replaced, question)


def _in_slot(fragment: str) -> bool:
    """Does a follow-up fragment name its thing after a preposition ("in Iowa")?"""
    return bool(re.match(r"^(in|at|from|for|to|on|by|with|near)\b", fragment, re.I))


def is_follow_up(question: str, context: str = "") -> bool:
    """Does the question lean on the conversation (pronoun, ellipsis, or too little of its own)?
    A name the conversation (context) already has is not the question's own: "Which justice
    wrote the Court's opinion?" after a question about the Supreme Court leans on it."""
    if points_back(question):
        return True
    words = question.split()
    own_terms = [t for t in tokenize(question) if t not in QUESTION_WORDS]
    known = set(tokenize(context))
    names = [w for w in (w.strip("?,.!") for w in words[1:]) if NAME.fullmatch(w)]
    has_name = any(not set(tokenize(name)) <= known for name in names)
    return len(own_terms) <= 1 or (len(words) <= SHORT_QUESTION_WORDS and not has_name)


def points_back(question: str) -> bool:
    """A pronoun, an ellipsis ("And where?") or a reaction ("How did Moscow respond?"): the
    question cannot be read without the turns before it."""
    return bool(_REFERENCE.search(question) or _ELLIPSIS.match(question) or _REACTION.search(question))


def repeats(answer: str, reply: str) -> bool:
    """Does answer say again, word for word, what an earlier reply said (its markers, links and
    markup aside)?"""
    said, again = _words_of(reply), _words_of(answer)
    return bool(again) and f" {again} " in f" {said} "


def _words_of(text: str) -> str:
    return " ".join(re.findall(r"\w+", _MARKUP.sub(" ", text).lower()))


def gist(reply: str, max_words: int = 30) -> str:
    """The start of an earlier answer, without markers, markup and "X reported on D that"."""
    text = _MARKUP.sub(" ", reply)
    text = re.sub(r"^.{0,80}? reported(?: on [^,]{4,30}?)? that ", "", text.strip())
    return " ".join(text.split()[:max_words])


def _names(text: str) -> list[str]:
    """Proper names in an earlier answer ("Rustem Umierov"), minus attribution boilerplate."""
    found = []
    for match in NAME.finditer(text):
        words = match.group().split()
        while words and words[0].lower() in stopwords():
            words.pop(0)  # "In Istanbul" -> "Istanbul"
        if words:
            found.append(" ".join(words))
    return list(dict.fromkeys(found))[:4]
