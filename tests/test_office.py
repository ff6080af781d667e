"""PDF and Word files made here with planted facts, read into the index: paragraphs kept, words
broken at line ends joined, running headers, footers and page numbers left out, offsets that
slice back; scanned, encrypted and broken files skipped with their reason."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from conftest import assert_offsets_valid

from bot.core import Bot
from embeddings import build_index, load_index

pytest.importorskip("fpdf")

FILLER = (
    "The council's transport committee met on {day} morning to review the ferry timetable, "
    "the state of the quays and the budget for the coming year, as it does every spring. "
)
HEADER = "Harbour Gazette - Weekly edition"


def make_pdf(path, pages: list[str], title: str | None = None, header: str | None = HEADER) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.set_creation_date(dt.datetime(2031, 6, 2, tzinfo=dt.UTC))
    pdf.set_font("helvetica", size=11)
    for number, text in enumerate(pages, start=1):
        pdf.add_page()
        if header:
            pdf.cell(0, 8, header, new_x="LMARGIN", new_y="NEXT")
        for paragraph in text.split("\n\n"):
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        pdf.set_y(-15)
        pdf.cell(0, 8, f"Page {number} of {len(pages)}", align="C")
    pdf.output(str(path))


def make_docx(path, paragraphs: list[str], title: str) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.created = dt.datetime(2031, 7, 9)
    document.sections[0].header.paragraphs[0].text = "Internal - do not forward"
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))


@pytest.fixture()
def office_folder(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    make_pdf(
        folder / "ferry.pdf",
        [
            "Source: Harbour Gazette\n\n"
            + FILLER.format(day="Monday") * 3
            + "\n\nThe night ferry between Port Elling and Carrow will start on 14 March.",
            FILLER.format(day="Tuesday") * 2 + "\n\nTickets for the night ferry will cost 6 euros, the operator said.",
            FILLER.format(day="Friday")
            + "\n\nThe quay at Carrow will be rebuilt by the engineering firm Osterdal-Vane.",
        ],
        title="Night ferry to start in March",
    )
    make_docx(
        folder / "museum.docx",
        [
            "Source: Coast Courier",
            "The maritime museum of Port Elling reopened on Saturday after a renovation.",
            FILLER.format(day="Thursday"),
            "The renovation cost 2.4 million euros.",
        ],
        title="Maritime museum reopens",
    )
    return folder


def test_pdf_and_word_files_are_read_with_their_properties(office_folder, tmp_path, embedder):
    report = build_index(office_folder, tmp_path / "index", embedder=embedder)
    assert report.skipped == [] and report.documents == 2
    documents = load_index(tmp_path / "index").documents
    ferry, museum = documents["ferry"], documents["museum"]
    assert (ferry.title, ferry.date) == ("Night ferry to start in March", dt.date(2031, 6, 2))
    assert (museum.title, museum.date) == ("Maritime museum reopens", dt.date(2031, 7, 9))
    assert (ferry.source, museum.source) == ("Harbour Gazette", "Coast Courier"), "from the first lines"
    assert HEADER not in ferry.text and "Page 2 of 3" not in ferry.text, "running header and page numbers"
    assert "Internal - do not forward" not in museum.text, "a Word header is not body text"
    assert "start on 14 March." in ferry.text and "\n\n" in ferry.text, "paragraphs kept"
    assert "6 euros" in ferry.text and "  " not in ferry.text.replace("\n\n", "")


def test_a_word_broken_at_a_line_end_is_joined():
    from embeddings.office import _paragraphs

    lines = ["The delegations agreed to continue the nego-", "tiations in Istanbul next week with the", "US side."]
    joined = "The delegations agreed to continue the negotiations in Istanbul next week with the US side."
    assert _paragraphs(lines) == joined


def test_planted_facts_in_pdf_and_word_are_answered_and_cited(office_folder, tmp_path, embedder):
    build_index(office_folder, tmp_path / "index", embedder=embedder)
    bot = Bot(load_index(tmp_path / "index"), embedder)
    for question, fact, doc in (
        ("How much will tickets for the night ferry cost?", "6 euros", "ferry"),
        ("Which firm will rebuild the quay at Carrow?", "Osterdal-Vane", "ferry"),
        ("How much did the museum renovation cost?", "2.4 million euros", "museum"),
    ):
        answer = bot.ask(question)
        assert answer.grounded and fact in answer.text, question
        assert answer.citations[0].hit.document.doc_id == doc
        assert_offsets_valid(answer.to_dict(), bot.index.documents)


def test_scanned_encrypted_and_broken_files_are_skipped_with_their_reason(office_folder, tmp_path, embedder, caplog):
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    scanned = FPDF()
    scanned.add_page()
    scanned.rect(20, 20, 120, 160, style="F")  # an image of a page: no text layer
    scanned.output(str(office_folder / "scan.pdf"))
    writer = PdfWriter(clone_from=PdfReader(office_folder / "ferry.pdf"))
    writer.encrypt("s3cret")
    writer.write(office_folder / "locked.pdf")
    (office_folder / "broken.pdf").write_bytes(b"%PDF-1.7\nnot really a pdf")
    (office_folder / "broken.docx").write_bytes(b"PK not really a zip")

    report = build_index(office_folder, tmp_path / "index", embedder=embedder)

    reasons = dict(report.skipped)
    assert reasons["scan.pdf"] == "no text layer (scanned?)"
    assert reasons["locked.pdf"] == "encrypted PDF (needs a password)"
    assert reasons["broken.pdf"].startswith("unreadable PDF")
    assert reasons["broken.docx"] == "unreadable Word file (not a .docx package: damaged, or another format renamed)"
    assert set(load_index(tmp_path / "index").documents) == {"ferry", "museum"}, "the rest is indexed"
    # Each is reported once, with its reason: pypdf's own warnings about them are not printed too.
    assert not [r for r in caplog.records if r.name.startswith("pypdf") and r.levelno >= logging.WARNING]


def test_a_pdf_line_broken_with_a_hyphen_reads_as_one_word(tmp_path):
    from fpdf import FPDF

    from embeddings.office import pdf_text

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    pdf.add_page()
    for line in ("The two delegations agreed on Friday to continue the nego-", "tiations in Istanbul next week."):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "talks.pdf"))
    text, _ = pdf_text(tmp_path / "talks.pdf")
    assert "continue the negotiations in Istanbul next week." in text
