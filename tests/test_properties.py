"""Invariants for any input (hypothesis): offsets slice back to the text, furniture removal keeps
every reporting sentence with a quote or a number, answers cite only passages in the index."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import BadQuestion
from embeddings import furniture
from embeddings.chunking import make_passages
from embeddings.documents import Document

WORDS = ["talks", "ceasefire", "Istanbul", "ministers", "the", "delegation", "said", "prisoners", "on", "Friday"]
SUBJECTS = ["The minister", "Officials", "Support for the deal", "Share prices", "Watch crews", "Ms Okafor", "Kyiv"]
FURNITURE = ["Advertisement", "Share this article", "Read more: talks resume", "Photo: Reuters", "Subscribe", "Menu"]
# Derandomized: the same examples every run, so CI is reproducible; raise max_examples to explore.
PROPERTIES = settings(
    max_examples=80, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def document(text: str, title: str = "A headline for the article") -> Document:
    return Document("doc", title, "Wire", None, None, text, furniture.body_blocks(text, title))


any_text = st.lists(
    st.one_of(st.text(max_size=60), st.sampled_from(WORDS), st.sampled_from(["\n", "\n\n", ". ", '"', "  "])),
    max_size=40,
).map("".join)


@PROPERTIES
@given(any_text)
def test_passage_and_sentence_offsets_slice_back_to_their_text(text):
    doc = document(text)
    for passage in make_passages(doc):
        assert doc.text[passage.start : passage.end] == passage.text
        for start, end in passage.sentences:
            assert passage.start <= start < end <= passage.end


reporting_sentence = st.one_of(
    st.builds(
        lambda who, n, unit: f"{who} said {n} {unit} were agreed in the first round of talks.",
        st.sampled_from(SUBJECTS),
        st.integers(0, 10**6),
        st.sampled_from(["prisoners", "points", "hours", "percent"]),
    ),
    st.builds(
        lambda who, words: f'{who} told reporters: "{" ".join(words)}."',
        st.sampled_from(SUBJECTS),
        st.lists(st.sampled_from(WORDS), min_size=3, max_size=12),
    ),
)
article = st.lists(
    st.one_of(reporting_sentence.map(lambda s: (s, True)), st.sampled_from(FURNITURE).map(lambda s: (s, False))),
    min_size=1,
    max_size=12,
)


@PROPERTIES
@given(article, st.sampled_from([" ", "\n", "\n\n"]))
def test_furniture_removal_keeps_every_sentence_with_a_quote_or_number(pieces, separator):
    # Page furniture sits on a line of its own; the body's sentences run on or break anywhere.
    text = "".join(piece + separator if reporting else f"\n{piece}\n" for piece, reporting in pieces)
    doc = document(text)
    kept = " ".join(doc.text[s:e] for p in make_passages(doc) for s, e in p.sentences)
    for piece, reporting in pieces:
        if reporting and re.search(r'\d|"', piece):
            assert piece in kept, piece


@PROPERTIES
@given(st.one_of(st.text(max_size=300), st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)))
def test_answers_cite_only_passages_in_the_index(planted_bot, question):
    try:
        answer = planted_bot.ask(question)
    except BadQuestion:
        return
    passages = {(p.doc_id, p.start, p.end) for p in planted_bot.index.passages}
    for citation in answer.citations:
        passage = citation.hit.passage
        assert (passage.doc_id, passage.start, passage.end) in passages
        assert planted_bot.index.documents[passage.doc_id].text[passage.start : passage.end] == passage.text
