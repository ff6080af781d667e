"""Reading articles: front matter, inferred metadata, HTML, furniture removal, sentences."""

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import BUNDLED, PLANTED

from embeddings.chunking import make_passages
from embeddings.documents import SKIP_REASONS as SKIP_REASON_TEMPLATES
from embeddings.documents import SkippedFile, list_files, read_document, skip_reason
from embeddings.furniture import body_blocks

FURNITURE = re.compile(
    r"Support Us|Advertisement|Load Next Story|\bRELATED\b|RECENT NEWS|All News|Subscribe|Read more|"
    r"Original url|Photo:|PHOTO:|Menu|Укр|Patreon|https?://|Most read|\b\d\d:\d\d\n",
)


def read(folder: Path, name: str):
    return read_document(folder / name, folder)


def all_documents():
    return [read_document(p, folder) for folder in (BUNDLED, PLANTED) for p in list_files(folder)]


def test_front_matter_gives_metadata():
    doc = read(PLANTED, "harbour-accord.md")
    assert (doc.title, doc.source, doc.date) == (
        "Veltria and Osmark sign harbour accord in Port Elling",
        "Northern Ledger",
        dt.date(2031, 6, 4),
    )
    assert doc.url == "https://ledger.example/2031/06/04/harbour-accord"


def test_metadata_inferred_without_front_matter():
    doc = read(PLANTED, "glacier-survey.txt")
    assert doc.title == "Glacier survey finds Kessin ice field shrank by a fifth"
    assert doc.date == dt.date(2032, 3, 12)
    assert doc.url == "https://science.example/2032/03/12/kessin-ice-field-survey"
    assert doc.source == "science.example"


def test_wire_dateline_names_the_source():
    assert read(PLANTED, "wire-council.txt").source == "NORDWIRE"


def test_html_main_text_and_metadata():
    doc = read(PLANTED, "orchestra.html")
    assert doc.title == "Youth orchestra plans eight-city tour"
    assert doc.source == "Valley Courier"
    assert doc.date == dt.date(2024, 11, 2)
    assert doc.url == "https://courier.example/2024/11/02/orchestra-tour"
    body = " ".join(doc.text[s:e] for s, e in doc.body)
    assert "64 musicians" in body
    assert "hacked" not in body and "Council approves new park" not in body


@pytest.mark.parametrize("doc", all_documents(), ids=lambda d: d.doc_id)
def test_no_passage_contains_furniture(doc):
    for passage in make_passages(doc):
        assert not FURNITURE.search(passage.text), passage.text


@pytest.mark.parametrize("doc", all_documents(), ids=lambda d: d.doc_id)
def test_prose_lines_are_kept(doc):
    """Every line that is a full sentence of some length stays in the body (is not furniture)."""
    covered = [False] * len(doc.text)
    for start, end in doc.body:
        covered[start:end] = [True] * (end - start)
    for match in re.finditer(r"[^\n]+", doc.text):
        line = match.group().strip()
        if len(line.split()) >= 8 and re.search(r"[.!?][\"”’]?$", line) and not FURNITURE.search(line):
            assert covered[match.start() + len(match.group()) - len(match.group().lstrip())], line


def test_headline_lists_and_calls_to_action_are_dropped():
    text = (
        "Support Us\n\nMinisters agreed a new water treaty on Monday after long talks.\n\n"
        "Advertisement:\nRail strike ends after two days\nCity opens new library\n14:05\nMayor resigns over budget\n"
    )
    kept = [text[s:e] for s, e in body_blocks(text)]
    assert kept == ["Ministers agreed a new water treaty on Monday after long talks."]


def test_hard_wrapped_paragraph_is_one_block():
    line = "The delegations met for nine hours in the old palace and agreed to meet again in"
    text = f"{line}\n{line}\nthe spring, officials said.\n"
    assert len(body_blocks(text)) == 1


@pytest.mark.parametrize("doc", all_documents(), ids=lambda d: d.doc_id)
def test_passage_and_sentence_offsets_slice_the_text(doc):
    passages = make_passages(doc)
    assert passages
    for passage in passages:
        assert doc.text[passage.start : passage.end] == passage.text
        assert passage.sentences[0][0] == passage.start and passage.sentences[-1][1] == passage.end
        for start, end in passage.sentences:
            assert passage.start <= start < end <= passage.end
            assert doc.text[start:end].strip() == doc.text[start:end]


def test_bad_files_are_skipped_with_a_reason(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (tmp_path / "report.pptx").write_bytes(b"%PDF-1.4")
    reasons = {}
    for path in tmp_path.iterdir():
        with pytest.raises(SkippedFile) as info:
            read_document(path, tmp_path)
        reasons[path.name] = str(info.value)
    assert reasons == {
        "empty.txt": "empty file",
        "binary.txt": "binary file, not text",
        "report.pptx": "unsupported file type .pptx",
    }


def test_a_recorded_skip_is_read_back_as_its_reason_and_worded_in_each_page_language(tmp_path):
    from bot.ui_words import skip_reason_in

    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "report.pptx").write_bytes(b"%PDF-1.4")
    for path in tmp_path.iterdir():
        with pytest.raises(SkippedFile) as info:
            read_document(path, tmp_path)
        facts = {name: str(value) for name, value in info.value.facts.items()}
        assert skip_reason(str(info.value)) == (info.value.reason, facts)
    assert skip_reason_in("uk", "unsupported file type .pptx") == "непідтримуваний тип файлу .pptx"
    assert skip_reason_in("de", "file too large (60 MB; limit 50 MB)") == "Datei zu groß (60 MB; höchstens 50 MB)"
    assert skip_reason_in("en", "empty file") == "empty file"
    assert skip_reason_in("ru", "a reason of another version") == "a reason of another version"  # as recorded


def test_every_skip_reason_is_worded_in_every_page_language_with_its_fields():
    from string import Formatter

    from bot.ui_words import LOCALES, SKIP_REASONS

    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in Formatter().parse(template) if name}

    for locale in set(LOCALES) - {"en"}:
        worded = SKIP_REASONS[locale]
        assert set(worded) == set(SKIP_REASON_TEMPLATES), locale
        for reason, template in SKIP_REASON_TEMPLATES.items():
            assert fields(worded[reason]) == fields(template), (locale, reason)


def test_latin1_file_is_decoded(tmp_path):
    text = "Café owners in Málaga said the new tax would cost them 3,000 euros a year, the council reported.\n"
    (tmp_path / "latin.txt").write_bytes(text.encode("latin-1"))
    doc = read_document(tmp_path / "latin.txt", tmp_path)
    assert "Málaga" in doc.text


HEADER_EXPORT = """\
Title: Harbour pilots end strike in Port Elling
Source: Northern Ledger
URL: https://ledger.example/2031/07/02/pilots-strike
Date: 2 July 2031
Author: Mira Tollan

Harbour pilots in Port Elling ended a nine-day strike on Tuesday after the port authority agreed to hire 14 more pilots.
Ships queued outside the harbour for most of the week.
"""


def test_plain_text_header_block_is_metadata_not_text(tmp_path):
    (tmp_path / "pilots.txt").write_text(HEADER_EXPORT, encoding="utf-8")
    doc = read(tmp_path, "pilots.txt")
    assert (doc.title, doc.source, doc.date) == (
        "Harbour pilots end strike in Port Elling",
        "Northern Ledger",
        dt.date(2031, 7, 2),
    )
    assert doc.url == "https://ledger.example/2031/07/02/pilots-strike"
    sentences = [s for p in make_passages(doc) for s in p.sentence_texts(doc.text)]
    assert not any(re.match(r"(Title|Source|URL|Date|Author):", s) for s in sentences)
    assert "ledger.example" not in doc.text and "Mira Tollan" not in doc.text
    # The headline is a sentence of its own, so it can be found and cited.
    assert sentences[0] == "Harbour pilots end strike in Port Elling"
    assert sentences[1].startswith("Harbour pilots in Port Elling ended a nine-day strike")


@pytest.mark.parametrize(
    "header",
    [
        "HEADLINE: Harbour pilots end strike\nOUTLET: Northern Ledger\nLINK: https://ledger.example/p\n"
        "PUBLISHED: 2031-07-02\nBY: Mira Tollan\n\n",
        "headline: Harbour pilots end strike\npublisher: Northern Ledger\nlink: https://ledger.example/p\n"
        "published: 2031-07-02\n",  # no blank line before the body
    ],
)
def test_header_keys_in_any_case_and_synonyms(tmp_path, header):
    body = "Harbour pilots ended a nine-day strike on Tuesday after the port agreed to hire 14 more pilots.\n"
    (tmp_path / "a.txt").write_text(header + body, encoding="utf-8")
    doc = read(tmp_path, "a.txt")
    assert (doc.title, doc.source, doc.date, doc.url) == (
        "Harbour pilots end strike",
        "Northern Ledger",
        dt.date(2031, 7, 2),
        "https://ledger.example/p",
    )
    assert "Mira Tollan" not in doc.text and "Northern Ledger" not in doc.text


def test_a_labelled_first_sentence_is_not_a_header(tmp_path):
    text = "Details: the pilots ended their strike on Tuesday after nine days of talks with the port.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    assert "Details: the pilots" in read(tmp_path, "a.txt").text


def test_headline_outside_the_body_is_citable():
    doc = read(PLANTED, "harbour-accord.md")
    first = make_passages(doc)[0]
    assert first.sentence_texts(doc.text)[0] == doc.title
