"""Plain-text transcripts: every speaker style, timestamps, line endings, BOM, paragraphs, refusals."""

from __future__ import annotations

import pytest

from qualcode.domain import DocumentKind, SegmentKind
from qualcode.errors import ImportRefused
from qualcode.importers import parse_file
from qualcode.importers.base import sha256_of
from tests.importers.checks import check_spans, turns_of

ALL_STYLES = """\
Interviewer: Thanks for joining. Could you tell me about your role?
P3: I lead the hospice's community team.
We cover three villages.

And the market town too.
Int: How did you first meet the framework?
R: Through a regional network meeting.
Margaret Ellison: I'd add that the commissioners shared it.
[00:12:31] Speaker 2: The language of ambition six puzzled us.
00:13:02 Speaker 2: What does "community" even mean here?
(00:12) P3: For us it is the villages.
"""


def test_every_speaker_style_becomes_a_turn(write):
    result = parse_file(write("interview_p3.txt", ALL_STYLES))
    check_spans(result)
    assert turns_of(result) == [
        ("Interviewer", "Thanks for joining. Could you tell me about your role?"),
        ("P3", "I lead the hospice's community team.\nWe cover three villages.\n\nAnd the market town too."),
        ("Int", "How did you first meet the framework?"),
        ("R", "Through a regional network meeting."),
        ("Margaret Ellison", "I'd add that the commissioners shared it."),
        ("Speaker 2", "The language of ambition six puzzled us."),
        ("Speaker 2", 'What does "community" even mean here?'),
        ("P3", "For us it is the villages."),
    ]
    segments = result.documents[0].segments
    assert [s.meta.get("timestamp") for s in segments[-3:]] == ["00:12:31", "00:13:02", "00:00:12"]
    assert all(s.kind == SegmentKind.TURN for s in segments)
    assert result.warnings == []


def test_document_reads_as_a_transcript_with_speaker_outside_the_span(write):
    document = parse_file(write("p3.txt", "P3: Hello there.\nInterviewer: Welcome.\n")).documents[0]
    assert document.text == "P3: Hello there.\n\nInterviewer: Welcome."
    first = document.segments[0]
    assert document.text[: first.start] == "P3: "
    assert "[" not in document.text


def test_document_metadata(write):
    raw = "P1: one\nP2: two\n".encode()
    path = write("2024-03-12 interview P1.txt", raw)
    document = parse_file(path).documents[0]
    assert document.title == "2024-03-12 interview P1"
    assert document.source_name == "2024-03-12 interview P1.txt"
    assert document.sha256 == sha256_of(raw)
    assert document.date == "2024-03-12"
    assert document.meta["line_endings"] == "lf"
    assert document.kind == DocumentKind.INTERVIEW


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("FG2 commissioners.txt", DocumentKind.FOCUS_GROUP),
        ("focus-group-managers.txt", DocumentKind.FOCUS_GROUP),
        ("workshop3_partnerships.txt", DocumentKind.WORKSHOP),
        ("Evidence café 1.txt", DocumentKind.EVIDENCE_CAFE),
        ("evidence_cafe_2.md", DocumentKind.EVIDENCE_CAFE),
        ("interview-07.txt", DocumentKind.INTERVIEW),
        ("fgh.txt", DocumentKind.INTERVIEW),
    ],
)
def test_kind_is_guessed_from_the_file_name(write, name, kind):
    assert parse_file(write(name, "P1: words\n")).documents[0].kind == kind


def test_explicit_kind_wins_and_unknown_kind_is_refused(write):
    path = write("focus group.txt", "P1: words\n")
    assert parse_file(path, kind=DocumentKind.WORKSHOP).documents[0].kind == DocumentKind.WORKSHOP
    assert parse_file(path, kind="evidence_cafe").documents[0].kind == DocumentKind.EVIDENCE_CAFE
    with pytest.raises(ImportRefused, match="unknown document kind"):
        parse_file(path, kind="podcast")


@pytest.mark.parametrize(
    ("raw", "endings"),
    [
        (b"P1: one\r\nP2: two\r\n", "crlf"),
        (b"P1: one\rP2: two\r", "cr"),
        (b"P1: one\r\nP2: two\nP1: three\r", "mixed"),
    ],
)
def test_line_endings_are_normalised_and_recorded(write, raw, endings):
    result = parse_file(write("t.txt", raw))
    check_spans(result)
    assert [w for _, w in turns_of(result)][:2] == ["one", "two"]
    assert result.documents[0].meta["line_endings"] == endings


def test_byte_order_mark_is_dropped(write):
    result = parse_file(write("bom.txt", b"\xef\xbb\xbfP1: caf\xc3\xa9 talk\n"))
    assert turns_of(result) == [("P1", "café talk")]


def test_cp1252_needs_the_encoding_option(write):
    path = write("legacy.txt", "P1: caf\u00e9 \u2013 tea\n", encoding="cp1252")
    with pytest.raises(ImportRefused, match="legacy.txt: not valid UTF-8"):
        parse_file(path)
    assert turns_of(parse_file(path, encoding="cp1252")) == [("P1", "café – tea")]


def test_text_without_speakers_becomes_paragraphs(write):
    result = parse_file(write("notes.md", "# Field notes\n\nFirst visit to the hospice.\nRainy day.\n\n\nSecond visit.\n"))
    check_spans(result)
    assert turns_of(result) == [(None, "# Field notes"), (None, "First visit to the hospice.\nRainy day."), (None, "Second visit.")]
    assert {s.kind for s in result.documents[0].segments} == {SegmentKind.PARAGRAPH}
    assert result.warnings == ["no speaker turns found; imported as 3 paragraphs"]


def test_note_and_sentences_with_colons_are_not_speakers(write):
    text = (
        "Note: the recording started late.\n"
        "Interviewer: What stood out?\n"
        "P4: The thing is: we never had the time.\n"
        "So what I mean is this: leadership matters.\n"
        "Interviewer: Thank you.\n"
        "P4: Pleasure.\n"
    )
    result = parse_file(write("p4.txt", text))
    check_spans(result)
    turns = turns_of(result)
    assert turns[0] == (None, "Note: the recording started late.")
    assert turns[2] == ("P4", "The thing is: we never had the time.\nSo what I mean is this: leadership matters.")
    assert [s for s, _ in turns] == [None, "Interviewer", "P4", "Interviewer", "P4"]


def test_heading_once_before_recurring_speakers_stays_a_paragraph(write):
    text = "Community Conversations Workshop: Notes From Session Two\nAnna Price: Hello.\nBen Okafor: Hi.\nAnna Price: Shall we start?\n"
    turns = turns_of(parse_file(write("w.txt", text)))
    assert turns[0] == (None, "Community Conversations Workshop: Notes From Session Two")
    assert [s for s, _ in turns[1:]] == ["Anna Price", "Ben Okafor", "Anna Price"]


def test_speaker_alone_on_a_line_takes_the_following_lines(write):
    text = "Interviewer:\nHow long have you worked here?\n\nSpeaker 1  0:03\nAbout ten years.\n"
    result = parse_file(write("otter.txt", text))
    assert turns_of(result) == [("Interviewer", "How long have you worked here?"), ("Speaker 1", "About ten years.")]
    assert result.documents[0].segments[1].meta["timestamp"] == "00:00:03"


def test_empty_turns_are_dropped(write):
    assert turns_of(parse_file(write("t.txt", "P1:\nP2: only words\nP3:   \n"))) == [("P2", "only words")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n\t\n", "no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"P1: caf\xe9\n", "not valid UTF-8"),
        (b"x" * (10 * 1024 * 1024), "single line"),
    ],
)
def test_bad_input_is_refused_with_one_line_naming_the_file(write, content, message):
    with pytest.raises(ImportRefused, match=message) as info:
        parse_file(write("bad.txt", content))
    text = str(info.value)
    assert "bad.txt" in text and "\n" not in text


def test_missing_file_and_unknown_suffix_are_refused(tmp_path, write):
    with pytest.raises(ImportRefused, match="no such file"):
        parse_file(tmp_path / "missing.txt")
    with pytest.raises(ImportRefused, match="cannot import '.pdf'"):
        parse_file(write("x.pdf", b"%PDF"))


def test_cue_timing_lines_before_a_name_are_folded_into_the_turn(write):
    text = "0:0:1.0 --> 0:0:2.5\nAnna Price\nHello.\n0:0:2.5 --> 0:0:4.0\nBen Okafor\nHi Anna.\n0:0:5.0 --> 0:0:6.0\nno name follows\n"
    result = parse_file(write("cues.txt", text))
    check_spans(result)
    assert turns_of(result) == [("Anna Price", "Hello."), ("Ben Okafor", "Hi Anna.\n0:0:5.0 --> 0:0:6.0\nno name follows")]
    assert result.documents[0].segments[1].meta == {"timestamp": "00:00:02", "end_timestamp": "00:00:04"}
