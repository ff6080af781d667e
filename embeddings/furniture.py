"""Find the article body in page text: drop menus, ads, calls to action and headline lists.

The rules look at the shape of lines (length, punctuation, runs of headline-like lines),
never at the wording of particular sites, so a new article is cleaned the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TERMINAL = (".", "!", "?", '"', "”", "’", "'", "…", ")", "]", ":", ";")
_CALL_TO_ACTION = re.compile(
    r"^(support|subscribe|donate|follow|join|sign up|sign in|log in|download|share|"
    r"read more|read also|see also|related|load|skip to|back to|click|tap|watch|listen|"
    # The same in Ukrainian and Russian.
    r"підтримайте|підпишіться|підписуйтесь|поділитися|читайте також|дивіться також|"
    r"поддержите|подпишитесь|подписывайтесь|поделиться|читайте также|смотрите также)\b",
    re.IGNORECASE,
)
_NAVIGATION = re.compile(
    r"^(advertisement|advert|sponsored|related( articles?| stories| news)?|recent news|"
    r"latest news|all news|more news|top stories|most read|trending|all sections|menu|"
    r"original url|source url|tags?|comments?|newsletter|"
    r"реклама|новини|усі новини|всі новини|останні новини|теги|коментарі|"
    r"новости|все новости|последние новости|комментарии)\s*:?\s*$",
    re.IGNORECASE,
)
_LEAD_IN = re.compile(
    r"^(related article|related story|read also|read more|see also|also read|advertisement|"
    r"читайте також|читайте также|реклама)\s*:",
    re.IGNORECASE,
)
_CREDIT = re.compile(r"\b(photo|image|picture|video|credit|фото|відео|видео)s?\s*:\s*\S", re.IGNORECASE)
_URL = re.compile(r"^\s*((https?://|www\.)\S+\s*)+$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*$")
_DATE_WORDS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|am|pm|utc|gmt|updated|published|"
    r"(?:січ|лют|берез|квіт|трав|черв|лип|серп|верес|жовт|листопад|груд|январ|феврал|март|апрел|ма[йя]|"
    r"июн|июл|август|сентябр|октябр|ноябр|декабр)\w*|оновлено|опубліковано|обновлено|опубликовано"
)
_DATE_TOKEN = re.compile(rf"\b({_DATE_WORDS})\b|\d+", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_NUMBER_OR_QUOTE = re.compile(r"\d|[\"“”«»]")
HEADLINE_RUN = 3
HEADLINE_MAX_WORDS = 25
SHORT_LINE_WORDS = 5
CTA_MAX_WORDS = 8
CREDIT_MAX_WORDS = 40


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


def body_blocks(text: str, title: str | None = None) -> list[tuple[int, int]]:
    """Character spans of the article body, one per logical paragraph or line. The first line
    that is the headline is kept (a headline is citable); its repeats are page chrome."""
    spans: list[tuple[int, int]] = []
    repeated = _repeated_headings(text, title)
    headline = " ".join((title or "").split())
    for paragraph in _logical_paragraphs(text):
        keep = _keep_flags(paragraph, repeated)
        for line, ok in zip(paragraph, keep, strict=True):
            if not ok and headline and " ".join(line.text.lstrip("#").split()) == headline:
                ok, headline = True, ""
            if ok:
                spans.append((line.start, line.end))
    return spans


def infer_title(text: str, max_lines: int = 15) -> str | None:
    """The first line near the top that reads like a headline, if any."""
    paragraphs = _logical_paragraphs(text)
    lines = [(line, ok) for p in paragraphs for line, ok in zip(p, _keep_flags(p, set()), strict=True)]
    for line, ok in lines[:max_lines]:
        candidate = line.text.lstrip("#").strip()
        if ok and looks_like_title(candidate):
            return candidate
    return None


def _keep_flags(paragraph: list[Line], repeated: set[str]) -> list[bool]:
    keep = [not _is_furniture_line(line.text) and line.text not in repeated for line in paragraph]
    _drop_url_continuations(paragraph, keep)
    _drop_headline_runs(paragraph, keep)
    return keep


def is_furniture_sentence(sentence: str) -> bool:
    """True for a sentence that is page furniture rather than reporting."""
    stripped = sentence.strip()
    return bool(_LEAD_IN.match(stripped)) or _is_furniture_line(stripped)


def looks_like_title(line: str) -> bool:
    """A headline: a few words, not a sentence, not page furniture."""
    words = _word_count(line)
    return 3 <= words <= 25 and not _SENTENCE_END.search(line) and not _is_furniture_line(line)


def _logical_paragraphs(text: str) -> list[list[Line]]:
    """Paragraphs as lists of lines; a paragraph hard-wrapped to one width becomes one line, and
    a line that breaks mid-sentence joins the next when that one goes on in lower case or digits."""
    logical: list[list[Line]] = []
    for paragraph in _paragraphs(text):
        if _is_hard_wrapped(paragraph):
            start, end = paragraph[0].start, paragraph[-1].end
            logical.append([Line(start, end, text[start:end])])
        else:
            logical.append(_join_broken_lines(text, paragraph))
    return logical


def _join_broken_lines(text: str, paragraph: list[Line]) -> list[Line]:
    joined: list[Line] = []
    for line in paragraph:
        previous = joined[-1] if joined else None
        if previous and _continues(previous.text, line.text):
            joined[-1] = Line(previous.start, line.end, text[previous.start : line.end])
        else:
            joined.append(line)
    return joined


def _repeated_headings(text: str, title: str | None) -> set[str]:
    """Lines that are not sentences and occur twice, or repeat the title: page chrome."""
    counts: dict[str, int] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.endswith(TERMINAL):
            counts[line] = counts.get(line, 0) + 1
    repeated = {line for line, n in counts.items() if n > 1}
    if title:
        repeated.add(title.strip())
    return repeated


def _paragraphs(text: str) -> list[list[Line]]:
    paragraphs: list[list[Line]] = [[]]
    for match in re.finditer(r"[^\n]*\n|[^\n]+$", text):
        raw = match.group().rstrip("\n")
        if not raw.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        lead = len(raw) - len(raw.lstrip())
        start, end = match.start() + lead, match.start() + len(raw.rstrip())
        paragraphs[-1].append(Line(start, end, text[start:end]))
    return [p for p in paragraphs if p]


def _continues(previous: str, line: str) -> bool:
    """A sentence broken across two lines (not a label and its value, not a URL)."""
    if _SENTENCE_END.search(previous) or previous.endswith(":") or _URL.search(previous) or _URL.match(line):
        return False
    return bool(re.match(r"[a-z0-9]", line)) and not line.startswith(("http", "www."))


def _is_hard_wrapped(paragraph: list[Line]) -> bool:
    # Text wrapped at a fixed width has all lines but the last of nearly the same length,
    # and most of them break mid-sentence.
    if len(paragraph) < 2:
        return False
    widths = [len(line.text) for line in paragraph[:-1]]
    width = max(widths)
    mid_sentence = sum(not _SENTENCE_END.search(line.text) for line in paragraph[:-1])
    return (
        width >= 60
        and min(widths) >= 0.8 * width
        and len(paragraph[-1].text) <= width * 1.05
        and mid_sentence * 2 >= len(widths)
    )


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _is_furniture_line(text: str) -> bool:
    words = _word_count(text)
    if words == 0 or text.startswith("#") or _URL.match(text) or _NAVIGATION.match(text) or _LEAD_IN.match(text):
        return True
    if _reports(text, words):
        return False
    if words <= CTA_MAX_WORDS and _CALL_TO_ACTION.match(text):
        return True
    if words <= CREDIT_MAX_WORDS and _CREDIT.search(text):
        return True
    if not text.endswith(TERMINAL) and words < SHORT_LINE_WORDS:
        return True
    return _is_dateline(text)


def _reports(text: str, words: int) -> bool:
    """A whole sentence holding a number or a quotation is reporting, whatever its first word
    ("Share prices fell 3%.", "Watch crews said: \"…\"."), never a button or a credit."""
    return words >= SHORT_LINE_WORDS and text.endswith(TERMINAL) and bool(_NUMBER_OR_QUOTE.search(text))


def _is_dateline(text: str) -> bool:
    """A line that is only a date or time, perhaps with a byline name."""
    if text.endswith(TERMINAL) or not _DATE_TOKEN.search(text):
        return False
    rest = _DATE_TOKEN.sub(" ", text)
    return _word_count(rest) <= 3 and any(ch.isdigit() for ch in text)


def _drop_url_continuations(lines: list[Line], keep: list[bool]) -> None:
    # A URL wrapped onto the next line leaves a spaceless fragment behind it.
    for i in range(1, len(lines)):
        if _URL.match(lines[i - 1].text) and " " not in lines[i].text:
            keep[i] = False


def _drop_headline_runs(lines: list[Line], keep: list[bool]) -> None:
    """Drop runs of lines in one paragraph that read like headlines (lists of other stories)."""
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _headline_like(lines[j], keep[j]):
            j += 1
        if j - i >= HEADLINE_RUN:
            for k in range(i, j):
                keep[k] = False
        i = max(j, i + 1)


def _headline_like(line: Line, kept: bool) -> bool:
    short = _word_count(line.text) <= HEADLINE_MAX_WORDS
    return not kept or (short and not line.text.rstrip().endswith(TERMINAL))
