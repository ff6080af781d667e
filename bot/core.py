"""The Bot: holds the index and model, and answers questions. Every interface calls this."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Protocol

import numpy as np

from bot import crosslingual
from bot.answer import compose, unmentioned_names
from bot.config import Settings, default_index_dir
from bot.conversation import Turn, gist, is_ellipsis, points_back, repeats, standalone
from bot.crosscheck import check_across
from bot.factcheck import check
from bot.language import foreign_language, not_read
from bot.question import QUESTION_WORDS, Question, analyse, standalone_part
from bot.ranking import time_fit_of
from bot.results import NOT_FOUND, Answer, Verdict
from embeddings import (
    Hit,
    SearchableIndex,
    Store,
    TextEmbedder,
    build,
    check_documents_folder,
    check_model,
    check_recorded_model,
    make_embedder,
    open_store,
    search,
    tokenize,
    unit_vector,
)

log = logging.getLogger(__name__)
CANDIDATE_PASSAGES = 8
# A follow-up leans on the last question and reply; the few turns before say whom "he" may be.
CONTEXT_TURNS = 8
TURN_LENGTH = 2  # times the longest question: an answer quotes a few sentences
TIME_PREFERENCE = 0.3
FOLLOW_UP_SHARE = 0.8  # a follow-up is answered from the articles that match it this nearly as well as the best
RELOAD_CHECK_SECONDS = 1.0


@dataclass(frozen=True)
class Retrieval:
    text: str  # the question as asked, cleaned
    question: Question  # what it asks, read with the conversation
    hits: list[Hit]
    index: SearchableIndex
    query_vector: np.ndarray


class Answering(Protocol):
    """What the faces (API, chat pages) use of a Bot: in process, or a pool of worker processes
    (bot/pool.py)."""

    @property
    def index(self) -> SearchableIndex: ...

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer: ...

    def check(self, claim: str) -> Verdict: ...

    def health(self) -> dict: ...


class BadQuestion(ValueError):
    """A question the bot cannot take (empty, too long); the message says why, and reason and
    facts say it for a page to word in its own language."""

    def __init__(self, message: str, reason: str = "", **facts: object) -> None:
        super().__init__(message)
        self.reason, self.facts = reason, facts


class Bot:
    """Answers questions from one index with one embedding model."""

    def __init__(
        self,
        index: SearchableIndex,
        embedder: TextEmbedder,
        top_k: int = 3,
        max_question_chars: int = 2000,
        max_sentences: int = 3,
        follow: Store | None = None,
        llm=None,
    ) -> None:
        """follow: the store the index came from, to switch to each version a build publishes
        there later."""
        check_model(index, embedder)
        self._index = index
        self.embedder = embedder
        self.top_k = top_k
        self.max_question_chars = max_question_chars
        self.max_sentences = max_sentences
        self._follow = follow
        self.llm = llm  # a llama-index LLM for generative answers; None: extractive only
        self._next_check = time.monotonic() + RELOAD_CHECK_SECONDS
        self._reloading = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, quick_start: bool = False, progress: bool = False) -> Bot:
        """The bot the settings describe: its store's index (built from settings.documents first
        if there is none, or it was built by another pipeline version), its embedding model and
        its LLM. An index built from another folder (IndexOfAnotherFolder) or with another
        embedding model (ModelMismatch, until `newsbot index` rebuilds it) is refused.
        A database's index is answered from whichever folder it was built from when no folder was
        named: servers sharing a database need not have the folder."""
        from bot.generate import get_llm

        llm = get_llm(settings.llm, settings.llm_base_url, settings.llm_model, settings.llm_api_secret())
        embedder = make_embedder(settings.model, quick_start=quick_start)
        store = open_store(settings)
        manifest = store.manifest()
        built_with = manifest.get("model") if manifest else None
        check_recorded_model(built_with, embedder.model_id, store.where, settings.index_options())
        any_folder = settings.database is not None and not settings.documents_named
        if not (any_folder and store.is_current(settings.model)):
            _build_if_needed(settings, store, embedder, progress)
        limits = {"top_k": settings.top_k, "max_question_chars": settings.max_question_chars}
        return cls(store.load(), embedder, **limits, follow=store, llm=llm)

    @property
    def index(self) -> SearchableIndex:
        """The index questions are answered from: the one loaded, until a newer published
        version has been loaded in the background; then that one, for questions asked after."""
        now = time.monotonic()
        if self._follow and now >= self._next_check and not self._reloading.locked():
            self._next_check = now + RELOAD_CHECK_SECONDS
            threading.Thread(target=self._load_newer, name="load-new-index", daemon=True).start()
        return self._index

    def _load_newer(self) -> None:
        follow = self._follow
        if follow is None:
            return
        with self._reloading:
            try:
                live = follow.version()
                if live is not None and live != str(self._index.version):
                    newer = follow.load()
                    check_model(newer, self.embedder)
                    self._index = newer
                    log.info("now answering from index version %s", live)
            except Exception as exc:  # keep answering from the version already loaded
                log.warning("could not load the new index version (%s); answering from the previous one", exc)

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """A cited answer to question, read in the light of the conversation so far."""
        language = foreign_language(self.validate(question))
        history = self.recent(history)
        if language:
            return self._ask_in(language, question, history)
        if not history and crosslingual.names_nothing(question):
            # "Who?", "Why?": nothing to look up, and no earlier turn to lean on.
            return Answer(f"{NOT_FOUND} {crosslingual.NOTHING_ASKED['en']}", grounded=False)
        found = self.retrieve(question, history)
        answer = self._answer(found, question, history)
        replies = [t.content for t in history if t.role == "assistant"]
        if answer.grounded and replies and not points_back(question) and repeats(answer.text, replies[-1]):
            # It only looked like a follow-up (short, naming no one new: "What is the population
            # of Istanbul?"): leaning on the last turn gave the last answer again.
            found = self.retrieve(question)
            answer = self._answer(found, question, ())
        return answer if self.llm is None else self._generated(found, answer)

    def _generated(self, found: Retrieval, answer: Answer) -> Answer:
        from bot.generate import generate

        try:
            return generate(self.llm, found.text, found.hits, answer, found.index, self.embedder, self.max_sentences)[0]
        except Exception as exc:  # the LLM server is down or misbehaves: the quoted answer stands
            log.warning("the LLM failed (%s); answering with quoted sentences", exc)
            return answer

    def _answer(self, found: Retrieval, question: str, history: Sequence[Turn]) -> Answer:
        answer = compose(
            found.question,
            found.hits,
            found.index,
            found.query_vector,
            self.top_k,
            self.max_sentences,
            search_part=lambda part: self._search_part(part, found),
        )
        if not answer.grounded and unmentioned_names(found.question, found.index):
            return answer  # no article in any language mentions what it asks about
        return self._in_other_articles(question, history, answer)

    def warm_up(self) -> None:
        """Load what the first questions would otherwise wait for: the embedding model's faster
        form (in the background) and the readers its answers use."""
        from bot.reader import bundled_reader

        self.embedder.warm_up_in_background()
        model = crosslingual.cross_model(self.embedder.model_id)
        for reader in (bundled_reader(), crosslingual.multilingual_reader(model) if model else None):
            if reader is not None:
                reader.load()

    def readable_languages(self) -> tuple[str, ...]:
        """The languages questions may be in with this bot's embedding model."""
        return readable_languages(self.embedder.model_id)

    def _cross_model_for(self, language: str) -> crosslingual.CrossModel | None:
        """The fitted cross-language model, when the embedding model has one and newsbot frames
        answers in language."""
        model = crosslingual.cross_model(self.embedder.model_id)
        return model if language in crosslingual.LOCALES else None

    def _ask_in(self, language: str, question: str, history: Sequence[Turn]) -> Answer:
        """A question in another language than English: answered across languages when the
        embedding model is multilingual and the language one newsbot frames answers in."""
        model = self._cross_model_for(language)
        if model is None:
            return Answer(not_read(language, self.readable_languages()), grounded=False)
        if not history and crosslingual.names_nothing(question):
            locale = crosslingual.LOCALES[language]
            declined = f"{crosslingual.FRAMINGS[locale][1]} {crosslingual.NOTHING_ASKED[locale]}"
            return Answer(declined, grounded=False, locale=locale)
        return self._across(language, self.validate(question), history, model)

    def _across(
        self,
        language: str,
        text: str,
        history: Sequence[Turn],
        model: crosslingual.CrossModel,
        cyrillic_only: bool = False,
    ) -> Answer:
        asked, hits, vectors = self._across_hits(language, text, history, cyrillic_only)

        def search_part(part: Question) -> tuple[list[Hit], crosslingual.QuestionVectors]:
            return self._search_part_across(language, part, text, hits, model, cyrillic_only)

        return crosslingual.compose(asked, language, hits, self.index, vectors, model, self.top_k, search_part)

    def _search_part_across(
        self,
        language: str,
        part: Question,
        whole: str,
        hits: list[Hit],
        model: crosslingual.CrossModel,
        cyrillic_only: bool,
    ) -> tuple[list[Hit], crosslingual.QuestionVectors]:
        """Passages for one part of a two-part question in another language, searched by its own
        words, beside those found for the whole question. Its vector leans to the whole question's,
        as a follow-up's to its conversation: a second part often points back ("… и что Путин сказал
        о возможности такого соглашения?")."""
        index = self.index
        vectors = crosslingual.question_vectors(self.embedder, part.text, language, model, index, whole)
        own = crosslingual.search_across(index, vectors, part.text, CANDIDATE_PASSAGES * 2, model.passage_terms)
        if cyrillic_only:
            own = [hit for hit in own if crosslingual.in_cyrillic(hit.passage.text)]
        own = _prefer_named_time(part, own)
        seen = {hit.passage.key for hit in own}
        return own + [hit for hit in hits if hit.passage.key not in seen], vectors

    def _across_hits(self, language: str, text: str, history: Sequence[Turn], cyrillic_only: bool = False) -> tuple:
        """What a question in language asks, the passages that may answer it, and its vectors."""
        index = self.index
        model = crosslingual.cross_model(self.embedder.model_id)
        conversation = " ".join(t.content for t in history)
        # A new question in a conversation is asked as it stands; a follow-up leans on the last turns.
        leans = bool(history) and crosslingual.leans_on_conversation(text, language, conversation)
        context = " ".join(t.content for t in history[-2:]) if leans else ""
        asked_before = next((t.content for t in reversed(history) if t.role == "user"), "") if leans else ""
        vectors = crosslingual.question_vectors(self.embedder, text, language, model, index, context)
        asked = crosslingual.analyse_foreign(text, language, context, asked_before)
        weight = model.passage_terms if model else 0.0
        hits = crosslingual.search_across(index, vectors, f"{text} {context}", CANDIDATE_PASSAGES * 2, weight)
        if cyrillic_only:
            hits = [hit for hit in hits if crosslingual.in_cyrillic(hit.passage.text)]
        return asked, _prefer_named_time(asked, hits), vectors

    def passages_for(self, question: str, history: Sequence[Turn] = ()) -> list[Hit]:
        """The passages ask answers a question from, best first (for benchmarks)."""
        text = self.validate(question)
        history = self.recent(history)
        language = foreign_language(text)
        if language and crosslingual.cross_model(self.embedder.model_id) and language in crosslingual.LOCALES:
            return self._across_hits(language, text, history)[1]
        return self.retrieve(question, history).hits

    def _in_other_articles(self, question: str, history: Sequence[Turn], answer: Answer) -> Answer:
        """An English question the English articles do not answer, asked of the Ukrainian and
        Russian ones (when the model reads them). Declined there too, the nearest passages are
        the English ones, if any: an index of only Cyrillic articles lists its own."""
        model = crosslingual.cross_model(self.embedder.model_id)
        if answer.grounded or model is None or not crosslingual.has_cyrillic(self.index):
            return answer
        across = self._across("English", self.validate(question), history, model, cyrillic_only=True)
        return across if across.grounded or not answer.citations else answer

    def retrieve(self, question: str, history: Sequence[Turn] = ()) -> Retrieval:
        """The question read in context, and the passages that may answer it."""
        text = self.validate(question)
        query, leaned_on = standalone(text, history)
        index = self.index
        query_vector = self.embedder.embed_query(query)
        replies = [t.content for t in history if t.role == "assistant" and not t.content.startswith(NOT_FOUND)]
        question_info = _analysed(text, query, leaned_on, replies[-1] if replies else "")
        hits = search(index, query, query_vector, k=CANDIDATE_PASSAGES * 2)
        if crosslingual.has_cyrillic(index):
            # The English pipeline needs the question's words in the text: the Ukrainian and
            # Russian articles are left to the cross-language path (_in_other_articles).
            hits = [hit for hit in hits if not crosslingual.in_cyrillic(hit.passage.text)]
        hits = _prefer_named_time(question_info, hits)
        if leaned_on is not None:
            # A follow-up stays with what the conversation is about: a sentence that matches its
            # few words ("How old was he?") in a passage far from that is about someone else.
            hits = _near_the_topic(text, hits)
            # Sentences are judged against the follow-up itself as much as against its context.
            query_vector = unit_vector(query_vector + self.embedder.embed_query(text))
        return Retrieval(text, question_info, hits, index, query_vector)

    def _search_part(self, part: Question, found: Retrieval) -> tuple[list[Hit], np.ndarray]:
        """Passages for one part of a two-part question, searched by its own words when it has
        enough of them, beside those found for the whole question."""
        if not standalone_part(part):
            return found.hits, found.query_vector
        vector = self.embedder.embed_query(part.text)
        own = search(found.index, part.text, vector, k=CANDIDATE_PASSAGES)
        seen = {hit.passage.key for hit in own}
        return own + [hit for hit in found.hits if hit.passage.key not in seen], vector

    def check(self, claim: str) -> Verdict:
        """Verdict on a claim (supported, refuted, not_enough_info) with stance-labelled evidence."""
        text = self.validate(claim, what="claim")
        language = foreign_language(text)
        if language:
            return self._check_in(language, text)
        index = self.index
        query_vector = self.embedder.embed_query(text)
        hits = _prefer_named_time(analyse(text), search(index, text, query_vector, k=CANDIDATE_PASSAGES * 2))
        return check(text, hits, index, query_vector, self.top_k)

    def _check_in(self, language: str, claim: str) -> Verdict:
        """A claim in another language than English: checked across languages when the
        embedding model is multilingual and the language one newsbot reads."""
        model = self._cross_model_for(language)
        if model is None:
            return Verdict("not_enough_info", not_read(language, self.readable_languages(), "claim"), evidence=())
        _, hits, vectors = self._across_hits(language, claim, ())
        return check_across(claim, language, hits, self.index, vectors, model, self.top_k)

    def health(self) -> dict:
        index = self.index
        documents, passages = len(index.documents), len(index.passages)
        return {
            "status": "ok",
            "documents": documents,
            "passages": passages,
            "languages": list(self.readable_languages()),
        }

    def recent(self, history: Sequence[Turn]) -> list[Turn]:
        """The turns a follow-up is read against, each cut to a length an answer fits in: a
        client may send any history, and reading a long one would hold a worker for seconds."""
        longest = TURN_LENGTH * self.max_question_chars
        return [Turn(turn.role, turn.content[:longest]) for turn in history[-CONTEXT_TURNS:]]

    def validate(self, text: object, what: str = "question") -> str:
        return validated(text, what, self.max_question_chars)


def readable_languages(model_id: str) -> tuple[str, ...]:
    """The languages questions and claims may be in with an embedding model."""
    if crosslingual.cross_model(model_id) is None:
        return ("English",)
    return tuple(crosslingual.LOCALES)


def unreadable(text: str, model_id: str, what: str = "question") -> str | None:
    """What newsbot says to a question or claim in a language it cannot read with this model,
    said before any index is opened (building one for a question it will refuse wastes minutes
    on a large folder); None when it can read it."""
    language = foreign_language(text)
    readable = readable_languages(model_id)
    if not language or language in readable:
        return None
    return not_read(language, readable, what)


def validated(text: object, what: str, max_chars: int) -> str:
    """The question or claim, printable and trimmed; BadQuestion says why one cannot be taken."""
    if not isinstance(text, str):
        raise BadQuestion(f"the {what} must be a string")
    cleaned = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t").strip()
    if not cleaned:
        raise BadQuestion(f"the {what} is empty", f"{what}_empty")
    if not any(ch.isalnum() for ch in cleaned):  # "?", "🙂🙂": nothing to search by
        raise BadQuestion(f"the {what} has no words, only punctuation or symbols", f"{what}_no_words")
    if len(cleaned) > max_chars:
        message = f"the {what} is too long ({len(cleaned)} characters; the limit is {max_chars})"
        raise BadQuestion(message, f"{what}_too_long", length=len(cleaned), limit=max_chars)
    return cleaned


def _build_if_needed(settings: Settings, store: Store, embedder: TextEmbedder, progress: bool) -> None:
    check_documents_folder(settings.documents)
    if store.is_current(settings.model, settings.documents):
        return
    if store.manifest() is None:
        say_other_models_indexed(settings)
    log.info("building the index from %s", settings.documents)
    report = build(settings.documents, store, settings.model, embedder, progress)
    for path, reason in report.skipped:
        log.warning("skipped %s: %s", path, reason)


def say_other_models_indexed(settings: Settings) -> None:
    """Warn when a folder's first default index for this model is built beside one built with
    another: each model has its own, so a forgotten NEWSBOT_MODEL would quietly build a second."""
    if settings.database is not None or "index_dir" in settings.model_fields_set:
        return
    default = default_index_dir(settings.documents)
    for path in sorted(default.parent.glob(default.name + "*")):
        built_with = (open_store(settings.model_copy(update={"index_dir": path})).manifest() or {}).get("model")
        if built_with and built_with != settings.model:
            advice = f"set NEWSBOT_MODEL={built_with} or give --model {built_with} to answer from that one"
            log.warning(
                "building a new index of %s with %s; the folder has one built with %s already (%s)",
                settings.documents,
                settings.model,
                built_with,
                advice,
            )


def _analysed(text: str, query: str, leaned_on: str | None, last_reply: str) -> Question:
    """What is asked: the kind and focus from the question itself, terms from the full query."""
    own = analyse(text)
    if leaned_on is None:
        return own
    kind = own.kind or (analyse(leaned_on).kind if is_ellipsis(text) else None)
    said = frozenset(tokenize(gist(last_reply)))
    return replace(analyse(query), kind=kind, focus=own.focus, emphasis=own.terms, said=said)


def _near_the_topic(follow_up: str, hits: list[Hit]) -> list[Hit]:
    """The passages of the articles that match a follow-up (with its context) nearly as well as
    the best one does, when that article has something of the follow-up's own words ("old" in
    "How old was he?"); a follow-up whose words it lacks ("How many musicians?") may be a new
    topic, and keeps every passage."""
    own = {t for t in tokenize(follow_up) if t not in QUESTION_WORDS}
    if not hits or not own & _words_of(hits[0].document.text):
        return hits
    best: dict[str, float] = {}
    for hit in hits:
        best[hit.document.doc_id] = max(best.get(hit.document.doc_id, 0.0), hit.score)
    top = max(best.values())
    return [h for h in hits if best[h.document.doc_id] >= FOLLOW_UP_SHARE * top]


@lru_cache(maxsize=256)
def _words_of(text: str) -> frozenset[str]:
    """An article's words, kept: a conversation's follow-ups keep asking about the same one."""
    return frozenset(tokenize(text))


def _prefer_named_time(question: Question, hits: list[Hit]) -> list[Hit]:
    """When the question names a time ("in May 2025"), passages from that time come first."""
    if question.years or question.months:
        hits = sorted(hits, key=lambda h: -(h.score + TIME_PREFERENCE * time_fit_of(question, h)))
    return hits[:CANDIDATE_PASSAGES]
