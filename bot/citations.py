"""Render citations: the passage with its cited sentences highlighted, outlet, date and link."""

from __future__ import annotations

import datetime as dt
import html
import textwrap
from collections.abc import Sequence

import click
from babel.dates import format_date

from bot.results import Answer, Citation, Verdict
from embeddings import resolve_dates


def passage_pieces(citation: Citation, marked: bool = True) -> list[tuple[str, bool]]:
    """The passage as (text, highlighted) pieces, whitespace collapsed for display; without the
    article's headline it opens with, which the source line above shows, unless it is cited
    (else it runs into the first sentence: "… graduation party Early Saturday morning"). Not
    marked (the nearest passages of a declined question), nothing is highlighted and the
    headline is left out however it was ranked."""
    passage = citation.hit.passage
    highlights = citation.highlights if marked else ()
    pieces: list[tuple[str, bool]] = []
    cursor = passage.start + _uncited_headline(citation, highlights)
    for start, end in highlights:
        pieces.append((passage.text[cursor - passage.start : start - passage.start], False))
        pieces.append((passage.text[start - passage.start : end - passage.start], True))
        cursor = end
    pieces.append((passage.text[cursor - passage.start :], False))
    return [(" ".join(text.split()), marked) for text, marked in pieces if text.strip()]


def _uncited_headline(citation: Citation, highlights: Sequence[tuple[int, int]]) -> int:
    """How many characters the passage's opening headline takes, when it is not cited; else 0."""
    passage, headline = citation.hit.passage, " ".join(citation.hit.document.title.split())
    if passage.seq != 0 or not headline or not passage.text.startswith(headline):
        return 0
    if any(start < passage.start + len(headline) for start, _ in highlights):
        return 0
    return len(headline)


def written_date(day: dt.date, locale: str = "en", short: bool = False) -> str:
    """A day as the locale writes it: "28 March 2022", "28 березня 2022 р."; short: "28 Mar 2022",
    "28 бер. 2022 р."."""
    if locale == "en":
        return format_date(day, "d MMM y" if short else "d MMMM y", locale="en")
    return format_date(day, "medium" if short else "long", locale=locale)


def source_line(citation: Citation, locale: str = "en") -> str:
    """ "TASS, 28 March 2022", the date in the language of the words around it ("28 березня 2022 р.")."""
    document = citation.hit.document
    if document.date is None:
        return f"{document.source}, {UNDATED.get(locale, UNDATED['en'])}"
    return f"{document.source}, {written_date(document.date, locale)}"


def format_terminal(answer: Answer, color: bool = False) -> str:
    """Plain-text answer with numbered sources; cited sentences in bold on a terminal."""
    lines = [textwrap.fill(answer.text, 100), ""]
    for citation in answer.citations:
        document = citation.hit.document
        lines.append(f"[{citation.id}] {source_line(citation, answer.locale)} — {document.title}")
        if document.url:
            lines.append(f"    {document.url}")
        pieces = passage_pieces(citation, marked=answer.grounded)
        body = " ".join(click.style(text, bold=True) if marked and color else text for text, marked in pieces)
        lines.extend(textwrap.wrap(body, 96, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(lines).rstrip()


def format_verdict(verdict: Verdict, color: bool = False) -> str:
    """A verdict for the terminal: label, explanation, each evidence passage with its stance."""
    words = verdict_words(verdict)
    label = words[verdict.label].upper()
    lines = [click.style(label, bold=True) if color else label, textwrap.fill(verdict.explanation, 100), ""]
    for item in verdict.evidence:
        citation, stance = item.citation, words[item.stance]
        lines.append(
            f"[{citation.id}] {stance} — {source_line(citation, verdict.locale)} — {citation.hit.document.title}"
        )
        body = " ".join(click.style(t, bold=True) if m and color else t for t, m in passage_pieces(citation))
        lines.extend(textwrap.wrap(body, 96, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(lines).rstrip()


# The pages' words around an answer or verdict, in its language (bot/crosslingual.py's LOCALES).
NEAREST_NOTE = {
    "en": "Nearest passages — they do not answer the question.",
    "uk": "Найближчі уривки — вони не відповідають на запитання.",
    "ru": "Ближайшие отрывки — они не отвечают на вопрос.",
    "de": "Die nächsten Passagen — sie beantworten die Frage nicht.",
    "es": "Los pasajes más cercanos — no responden a la pregunta.",
}
# A verdict's label and its passages' stances (their keys differ), in the verdict's language.
SPOKEN_OF = {
    "en": "spoken of",
    "uk": "про цей день ідеться",
    "ru": "об этом дне идёт речь",
    "de": "davon ist die Rede",
    "es": "se habla de ese día",
}
TIMELINE_LABEL = {
    "en": "When the cited articles appeared",
    "uk": "Коли вийшли процитовані статті",
    "ru": "Когда вышли процитированные статьи",
    "de": "Wann die zitierten Artikel erschienen",
    "es": "Cuándo se publicaron los artículos citados",
}
UNDATED = {"en": "undated", "uk": "без дати", "ru": "без даты", "de": "undatiert", "es": "sin fecha"}
VERDICT_WORDS = {
    "en": {"supported": "supported", "refuted": "refuted", "not_enough_info": "not enough info"}
    | {"supports": "supports", "contradicts": "contradicts", "related": "related"},
    "uk": {"supported": "підтверджено", "refuted": "спростовано", "not_enough_info": "недостатньо даних"}
    | {"supports": "підтверджує", "contradicts": "суперечить", "related": "стосується"},
    "ru": {"supported": "подтверждено", "refuted": "опровергнуто", "not_enough_info": "недостаточно данных"}
    | {"supports": "подтверждает", "contradicts": "противоречит", "related": "относится"},
    "de": {"supported": "bestätigt", "refuted": "widerlegt", "not_enough_info": "nicht genug Angaben"}
    | {"supports": "bestätigt", "contradicts": "widerspricht", "related": "verwandt"},
    "es": {"supported": "confirmado", "refuted": "refutado", "not_enough_info": "información insuficiente"}
    | {"supports": "confirma", "contradicts": "contradice", "related": "relacionado"},
}


def verdict_words(verdict: Verdict) -> dict[str, str]:
    return VERDICT_WORDS.get(verdict.locale, VERDICT_WORDS["en"])


def sources_html(answer: Answer, back_to: str | None = None) -> str:
    """The citations as safe HTML, on a timeline: every piece of article text is escaped. When
    the bot abstains, the nearest passages are shown as such, with nothing highlighted.
    back_to: the conversation's anchor, linked from each passage (for pages where the sources
    sit below the conversation)."""
    if not answer.citations:
        return '<p class="nb-empty">No sources for this answer.</p>'
    back = f' · <a class="nb-back" href="{html.escape(back_to)}">↑ back to the answer</a>' if back_to else ""
    if not answer.grounded:
        nearest = "\n".join(_citation_html(c, nearest=True, back=back, locale=answer.locale) for c in answer.citations)
        note = NEAREST_NOTE.get(answer.locale, NEAREST_NOTE["en"])
        return f'<p class="nb-nearest-note">{note}</p>{nearest}'
    cited = "\n".join(_citation_html(c, back=back, locale=answer.locale) for c in answer.citations)
    return timeline_html(answer.citations, answer.locale) + cited


def plain_text(answer: Answer) -> str:
    """The answer as plain text with its [n] markers, then each source on a line:
    "[1] TASS, 28 March 2022 — title — url"."""
    lines = [answer.text]
    if answer.citations:
        lines.append("")
    for citation in answer.citations:
        document = citation.hit.document
        parts = [f"[{citation.id}] {source_line(citation, answer.locale)}", document.title, document.url]
        lines.append(" — ".join(part for part in parts if part))
    return "\n".join(lines)


def verdict_html(verdict: Verdict) -> str:
    """A fact-check verdict as safe HTML: label, explanation, evidence with stances, timeline."""
    citations = [e.citation for e in verdict.evidence]
    words = verdict_words(verdict)
    stances = {e.citation.id: e.stance for e in verdict.evidence}
    label = html.escape(words[verdict.label])
    head = f'<div class="nb-verdict nb-{verdict.label}"><b>{label}</b><p>{html.escape(verdict.explanation)}</p></div>'
    body = "\n".join(_citation_html(c, stances[c.id], words=words, locale=verdict.locale) for c in citations)
    return head + timeline_html(citations, verdict.locale) + body


def timeline_html(citations: Sequence[Citation], locale: str = "en") -> str:
    """The cited articles on a line by publication date, with the days their cited sentences
    speak of, so a reader sees at once whether the sources come from one time or several."""
    by_day: dict[dt.date, list[Citation]] = {}
    events: dict[dt.date, list[int]] = {}
    for citation in citations:
        if citation.hit.document.date:
            by_day.setdefault(citation.hit.document.date, []).append(citation)
        for day in _event_dates(citation):
            events.setdefault(day, []).append(citation.id)
    events = {day: ids for day, ids in events.items() if day not in by_day}
    days = [*by_day, *events]
    if not days:
        return ""
    first, last = min(days), max(days)

    def left(day: dt.date) -> float:
        return 4 + 92 * (day - first).days / (last - first).days if last > first else 50

    spoken_of = SPOKEN_OF.get(locale, SPOKEN_OF["en"])
    marks, legend = [], []
    for day, ids in sorted(events.items()):
        where = " ".join(f"[{i}]" for i in dict.fromkeys(ids))
        label = html.escape(f"{written_date(day, locale, short=True)} · {spoken_of} {where}")
        marks.append(f'<span class="nb-event" style="left:{left(day):.1f}%" title="{label}"></span>')
        legend.append((day, f'<li class="nb-legend-event">{label}</li>'))
    for day, cited in sorted(by_day.items()):
        names = ", ".join(dict.fromkeys(f"[{c.id}] {c.hit.document.source}" for c in cited))
        label = html.escape(f"{names} · {written_date(day, locale, short=True)}")
        marks.append(f'<span class="nb-dot" style="left:{left(day):.1f}%" title="{label}"></span>')
        legend.append((day, f'<li class="nb-legend-dot">{label}</li>'))
    # Labels sit in a legend below the line, in date order, so close dates never overlap; each
    # starts with the mark it explains.
    items = "".join(item for _, item in sorted(legend, key=lambda pair: pair[0]))
    described = TIMELINE_LABEL.get(locale, TIMELINE_LABEL["en"])
    line = f'<div class="nb-timeline" role="img" aria-label="{described}">{"".join(marks)}</div>'
    return f'<div class="nb-when">{line}<ol class="nb-timeline-legend">{items}</ol></div>'


def _event_dates(citation: Citation) -> list[dt.date]:
    """Days the cited sentences speak of ("on Friday"), other than the publication day."""
    document = citation.hit.document
    days = [day for s, e in citation.highlights for _, day in resolve_dates(document.text[s:e], document.date)]
    return [day for day in days if day != document.date]


def _citation_html(
    citation: Citation,
    stance: str | None = None,
    nearest: bool = False,
    back: str = "",
    words: dict[str, str] | None = None,
    locale: str = "en",
) -> str:
    document = citation.hit.document
    body = " ".join(
        f"<mark>{html.escape(t)}</mark>" if marked else html.escape(t)
        for t, marked in passage_pieces(citation, marked=not nearest)
    )
    title = html.escape(document.title)
    link = (
        f'<a href="{html.escape(document.url, quote=True)}" target="_blank" rel="noopener noreferrer">{title} ↗</a>'
        if document.url and document.url.startswith(("http://", "https://"))
        else f"<span>{title}</span>"
    )
    shown = (words or {}).get(stance or "", stance)
    badge = f' <span class="nb-stance nb-{stance}">{shown}</span>' if stance else ""
    kind = "nb-citation nb-nearest" if nearest else "nb-citation"
    heading = f"<b>[{citation.id}] {html.escape(source_line(citation, locale))}</b>{badge} · {link}{back}"
    return (
        f'<div class="{kind}" id="nb-cite-{citation.id}">'
        f'<div class="nb-source">{heading}</div>'
        f"<blockquote>{body}</blockquote></div>"
    )
