"""Sentence splitting that keeps character offsets into the document text."""

from __future__ import annotations

import re

import blingfire

from embeddings.furniture import is_furniture_sentence

_REFERENCE_START = re.compile(
    r"^[\"“'‘(]?(he|she|they|it|this|that|these|those|his|her|their|its|such|the same|both|"
    r"the (two|three|minister|spokesman|president|official|officials|delegation|sides))\b",
    re.IGNORECASE,
)
MIN_SENTENCE_WORDS = 4
MAX_QUOTE_WORDS = 70
_WORD = re.compile(r"\w+")


def split_sentences(text: str, blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans inside the given blocks; a sentence never crosses a block boundary."""
    spans: list[tuple[int, int]] = []
    for start, end in blocks:
        spans.extend(_block_sentences(text, start, end))
    return [(s, e) for s, e in spans if not is_furniture_sentence(text[s:e])]


def starts_with_reference(sentence: str) -> bool:
    """True when a sentence leans on the one before ("They discussed …", "That deal …")."""
    return bool(_REFERENCE_START.match(sentence.lstrip("•·-–— ")))


def _block_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    block = text[start:end]
    _, offsets = blingfire.text_to_sentences_and_offsets(block)
    spans = _join_initials(text, [_trim(text, start + s, start + e) for s, e in offsets])
    return _join_open_quotes(text, _merge_fragments(text, [s for s in spans if s[1] > s[0]]))


_INITIAL_END = re.compile(r"(?<![^\W\d_])[^\W\d_]\.$")


def _join_initials(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A break after an initial ("М. Подоляк", which blingfire splits in Cyrillic) is no
    sentence end: the two parts are one sentence."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        previous = text[joined[-1][0] : joined[-1][1]] if joined else ""
        if previous and _INITIAL_END.search(previous) and previous[-2].isupper():
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _merge_fragments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop datelines ("MOSCOW, March 28. /TASS/."); join other fragments too short to be
    sentences to the next sentence."""
    merged: list[tuple[int, int]] = []
    pending: int | None = None
    for start, end in spans:
        if pending is None and _is_dateline(text[start:end]):
            continue
        start = start if pending is None else pending
        if _is_fragment(text[start:end]):
            pending = start
            continue
        pending = None
        merged.append((start, end))
    if pending is not None and merged:
        merged[-1] = (merged[-1][0], spans[-1][1])
    elif pending is not None:
        merged.append((pending, spans[-1][1]))
    return merged


def _join_open_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep a quotation that runs over several sentences in one span, up to a length limit."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if (
            joined
            and _quote_open(text[joined[-1][0] : joined[-1][1]])
            and _words(text[joined[-1][0] : end]) <= MAX_QUOTE_WORDS
        ):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _quote_open(sentence: str) -> bool:
    return (
        sentence.count('"') % 2 == 1
        or sentence.count("“") > sentence.count("”")
        or sentence.count("«") > sentence.count("»")
    )


def _is_fragment(text: str) -> bool:
    return _words(text) < MIN_SENTENCE_WORDS


def _is_dateline(text: str) -> bool:
    """No lower-case word at all, in any alphabet: a dateline or label, not reporting."""
    return not any(word[0].islower() for word in _WORD.findall(text))


def _words(text: str) -> int:
    return len(_WORD.findall(text))
