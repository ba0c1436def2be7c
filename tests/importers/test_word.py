"""Word transcripts built with python-docx: bold speakers, prefixes, headings, tables, headers, refusals."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest

from qualcode.domain import DocumentKind, SegmentKind
from qualcode.errors import ImportRefused
from qualcode.importers import parse_file
from qualcode.importers.base import sha256_of
from tests.importers.checks import check_spans, turns_of


def add_turn(document, speaker: str, words: str):
    paragraph = document.add_paragraph()
    paragraph.add_run(speaker).bold = True
    paragraph.add_run(words)
    return paragraph


@pytest.fixture
def workshop_docx(tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Confidential: do not circulate"
    document.add_heading("Workshop 2: strategy and self-assessment", level=1)
    document.add_paragraph("Recorded online; names are invented.")
    add_turn(document, "Facilitator:", " Welcome, everyone.")
    add_turn(document, "Hannah Brightwell", " Thanks. I chair our local partnership.")
    document.add_paragraph("We meet every month.")
    document.add_paragraph("")
    document.add_paragraph("Mostly online now.")
    document.add_paragraph("P3: Plain prefixes work too.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Speaker"
    table.cell(0, 1).text = "Words in a table"
    document.add_heading("Break-out room", level=2)
    add_turn(document, "Interviewer", "")
    document.add_paragraph("What would help you most?")
    path = tmp_path / "workshop2.docx"
    document.save(path)
    return path


def test_bold_speakers_prefixes_headings_and_tables(workshop_docx):
    result = parse_file(workshop_docx)
    check_spans(result)
    assert turns_of(result) == [
        (None, "Workshop 2: strategy and self-assessment"),
        (None, "Recorded online; names are invented."),
        ("Facilitator", "Welcome, everyone."),
        ("Hannah Brightwell", "Thanks. I chair our local partnership.\nWe meet every month.\n\nMostly online now."),
        ("P3", "Plain prefixes work too."),
        (None, "Break-out room"),
        ("Interviewer", "What would help you most?"),
    ]
    document = result.documents[0]
    assert result.warnings == ["table 1 skipped: tables are not imported"]
    assert "Confidential" not in document.text and "Words in a table" not in document.text
    assert document.kind == DocumentKind.WORKSHOP
    assert document.sha256 == sha256_of(workshop_docx.read_bytes())
    assert document.title == "workshop2" and document.source_name == "workshop2.docx"
    assert document.text.count("Hannah Brightwell: Thanks.") == 1
    kinds = [s.kind for s in document.segments]
    assert kinds[0] == SegmentKind.PARAGRAPH and kinds[2] == SegmentKind.TURN


def test_bold_heading_without_colon_is_not_a_speaker(tmp_path):
    document = docx.Document()
    document.add_paragraph().add_run("Community Engagement").bold = True
    document.add_paragraph("P1: We work with the parish.")
    document.add_paragraph("P2: And the school.")
    path = tmp_path / "fg.docx"
    document.save(path)
    assert turns_of(parse_file(path)) == [
        (None, "Community Engagement"),
        ("P1", "We work with the parish."),
        ("P2", "And the school."),
    ]


def test_document_without_speakers_gives_one_segment_per_paragraph(tmp_path):
    document = docx.Document()
    for text in ["First reflection.", "", "Second reflection, with a line\nbreak.", "Third."]:
        document.add_paragraph(text)
    path = tmp_path / "memo.docx"
    document.save(path)
    result = parse_file(path)
    check_spans(result)
    assert turns_of(result) == [(None, "First reflection."), (None, "Second reflection, with a line\nbreak."), (None, "Third.")]


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "id"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def valid_docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("P1: hello")
    document.save(buffer)
    return buffer.getvalue()


def with_part(data: bytes, part: str, content: bytes) -> bytes:
    """A copy of a docx package with one part replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return zip_bytes({name: (content if name == part else source.read(name)) for name in source.namelist()})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"P1: this is plain text saved as .docx", "not a zip package"),
        (zip_bytes({"notes.txt": b"hello"}), "not a readable Word|not a Word"),
        (xlsx_bytes(), "not a Word .docx document"),
        (valid_docx_bytes()[:700], "not a readable Word|not a Word"),
        (with_part(valid_docx_bytes(), "word/document.xml", b"<w:document><broken"), "not a Word|damaged"),
        (b"PK\x03\x04" + b"\x00" * 200, "not a readable Word|not a Word"),
    ],
    ids=["text", "zip-of-other", "xlsx", "truncated", "broken-xml", "zip-header-only"],
)
def test_bad_docx_is_refused(write, content, message):
    with pytest.raises(ImportRefused, match=message) as info:
        parse_file(write("bad.docx", content))
    assert "bad.docx" in str(info.value)


def test_empty_docx_is_refused(tmp_path):
    path = tmp_path / "blank.docx"
    docx.Document().save(path)
    with pytest.raises(ImportRefused, match="blank.docx: contains no text"):
        parse_file(path)


def test_teams_word_export_with_cue_headers(tmp_path):
    document = docx.Document()
    for line in [
        "Community workshop transcript",
        "0:0:3.120 --> 0:0:7.480",
        "Ellison, Margaret",
        "Thanks everyone for coming along today,",
        "0:0:7.480 --> 0:0:10.0",
        "Ellison, Margaret",
        "let's start with introductions.",
        "0:12:31.0 --> 0:12:35.250",
        "Tomasz Wrenfield (Guest)",
        "I manage the day hospice.",
    ]:
        document.add_paragraph(line)
    path = tmp_path / "teams export.docx"
    document.save(path)
    result = parse_file(path)
    check_spans(result)
    assert turns_of(result) == [
        (None, "Community workshop transcript"),
        ("Ellison, Margaret", "Thanks everyone for coming along today,\nlet's start with introductions."),
        ("Tomasz Wrenfield (Guest)", "I manage the day hospice."),
    ]
    margaret = result.documents[0].segments[1]
    assert (margaret.meta["timestamp"], margaret.meta["end_timestamp"]) == ("00:00:03", "00:00:10")
    assert "-->" not in result.documents[0].text


def test_bold_name_after_leading_space_and_split_over_runs(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run(" ")
    paragraph.add_run("Margaret").bold = True
    paragraph.add_run(" ")
    paragraph.add_run("Ellison").bold = True
    paragraph.add_run(": we started with the ")
    paragraph.add_run("community").bold = True
    paragraph.add_run(" ambition.")
    document.add_paragraph("P2: So did we.")
    path = tmp_path / "runs.docx"
    document.save(path)
    assert turns_of(parse_file(path)) == [("Margaret Ellison", "we started with the community ambition."), ("P2", "So did we.")]
