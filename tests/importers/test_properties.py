"""Property tests: random transcripts keep exact spans; random bytes never escape as a library error."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from qualcode.errors import ImportRefused
from qualcode.importers import parse_file
from qualcode.importers.base import ParsedImport, normalise_newlines
from qualcode.importers.speakers import match_speaker_line
from tests.importers.checks import check_spans

SPEAKERS = st.sampled_from(["P3", "P07", "Interviewer", "Int", "R", "Speaker 2", "Facilitator", "ID:729"])
TIMESTAMPS = st.sampled_from(["", "[00:12:31] ", "00:01:02 ", "(00:12) "])
NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])
# Any printable text, emoji and other scripts included; control characters are what marks a binary file,
# and U+FFFE/U+FFFF become a space under the import rule (tests/importers/test_text_rule.py).
CHARS = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff\ufffe\uffff") | st.sampled_from(" \t")
LINE = st.text(CHARS, min_size=0, max_size=40)


@st.composite
def turn_texts(draw):
    lines = draw(st.lists(LINE, min_size=1, max_size=4))
    joiners = draw(st.lists(NEWLINES, min_size=len(lines), max_size=len(lines)))
    assume(lines[0].strip())
    # A continuation line that itself looks like a speaker line would start a new turn by design.
    assume(all(match_speaker_line(line) is None for line in lines[1:]))
    assume(match_speaker_line("P1: " + lines[0]) is not None)
    text = "".join(line + sep for line, sep in zip(lines, joiners))
    return text.rstrip("\r\n")


def expected_words(turn: str) -> str:
    return "\n".join(line.rstrip() for line in normalise_newlines(turn).split("\n")).strip()


def parse_bytes(name: str, data: bytes, **options) -> ParsedImport:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return parse_file(path, **options)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(st.lists(st.tuples(TIMESTAMPS, SPEAKERS, turn_texts(), NEWLINES), min_size=1, max_size=6))
def test_random_transcripts_keep_exact_turn_spans(turns):
    raw = "".join(f"{ts}{speaker}: {words}{sep}" for ts, speaker, words, sep in turns)
    result = parse_bytes("random.txt", raw.encode("utf-8"))
    check_spans(result)
    document = result.documents[0]
    assert [(s.speaker, document.text[s.start : s.end]) for s in document.segments] == [
        (speaker, expected_words(words)) for _, speaker, words, _ in turns
    ]


SUFFIXES = [".txt", ".md", ".vtt", ".srt", ".csv", ".docx", ".xlsx"]
# Prefixes that get random bytes past each format's first check and into the parser proper.
PREFIXES = [b"", b"WEBVTT\n\n", b"1\n00:00:01,000 --> 00:00:02,000\n", b"id,answer\n", b"PK\x03\x04"]


def parse_or_refuse(name: str, data: bytes) -> None:
    try:
        result = parse_bytes(name, data)
    except ImportRefused as exc:
        assert name in str(exc) and "\n" not in str(exc)
        return
    assert isinstance(result, ParsedImport)
    check_spans(result)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SUFFIXES), st.sampled_from(PREFIXES), st.binary(max_size=400))
def test_random_bytes_are_parsed_or_refused(suffix, prefix, data):
    parse_or_refuse("random" + suffix, prefix + data)


CUE_LINE = st.one_of(
    st.sampled_from(["00:00:01.000 --> 00:00:02.000", "00:01,000 --> 00:02,500", "<v Anna Price>", "</v>", "", "NOTE x", "P3: "]),
    st.text(CHARS, max_size=30),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([".vtt", ".srt", ".txt", ".csv"]), st.sampled_from(["WEBVTT\n\n", ""]), st.lists(CUE_LINE, max_size=20))
def test_random_caption_like_text_is_parsed_or_refused(suffix, header, lines):
    parse_or_refuse("random" + suffix, (header + "\n".join(lines)).encode("utf-8"))


def _docx_bytes() -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph().add_run("Margaret Ellison:").bold = True
    document.add_paragraph("P3: a reply")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx_bytes() -> bytes:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ResponseId", "Setting", "What helped?"])
    sheet.append([729, "Hospice", "Sharing examples of practice with the other teams in our area."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


REAL_FILES = {".docx": _docx_bytes(), ".xlsx": _xlsx_bytes()}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(REAL_FILES)), st.data())
def test_damaged_office_files_are_parsed_or_refused(suffix, data):
    """Flip bytes of a real .docx / .xlsx, or cut it short: still a result or a refusal, never a crash."""
    raw = bytearray(REAL_FILES[suffix])
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(raw) - 1), st.integers(0, 255)), max_size=8))
    for position, value in flips:
        raw[position] = value
    cut = data.draw(st.integers(1, len(raw)))
    parse_or_refuse("damaged" + suffix, bytes(raw[:cut]))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(REAL_FILES)), st.data())
def test_office_files_with_a_broken_part_are_parsed_or_refused(suffix, data):
    """Rezip a real package with one XML part cut, dropped or scrambled: past the zip layer, into the XML."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(REAL_FILES[suffix]))
    names = source.namelist()
    victim = data.draw(st.sampled_from(names))
    how = data.draw(st.sampled_from(["cut", "drop", "scramble", "replace"]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            part = bytearray(source.read(name))
            if name == victim:
                if how == "drop":
                    continue
                if how == "cut":
                    part = part[: data.draw(st.integers(0, len(part)))]
                elif how == "replace":
                    part = bytearray(b"<?xml version='1.0'?><unexpected/>")
                elif part:
                    for _ in range(data.draw(st.integers(1, 5))):
                        part[data.draw(st.integers(0, len(part) - 1))] = data.draw(st.sampled_from(b'<>/"= ax0\xff'))
            archive.writestr(name, bytes(part))
    parse_or_refuse("broken" + suffix, buffer.getvalue())


CUE_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff\ufffe\uffff<>&-")
VOICES = st.sampled_from(["Margaret Ellison", "Tomasz Wrenfield", "P3", "Interviewer"])


@st.composite
def cue_payloads(draw):
    lines = draw(st.lists(st.text(CUE_CHARS, min_size=1, max_size=30).filter(str.strip), min_size=1, max_size=3))
    assume(all(match_speaker_line(" ".join(line.split())) is None for line in lines[1:]))
    return lines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(st.lists(st.tuples(VOICES, cue_payloads()), min_size=1, max_size=8), NEWLINES)
def test_random_teams_captions_merge_each_speaker_run(cues, newline):
    blocks = ["WEBVTT", ""]
    for second, (voice, lines) in enumerate(cues):
        blocks += [f"00:00:{second:02d}.000 --> 00:00:{second:02d}.900", f"<v {voice}>" + "\n".join(lines) + "</v>", ""]
    result = parse_bytes("teams.vtt", newline.join(blocks).encode("utf-8"))
    check_spans(result)
    expected: list[tuple[str, str]] = []
    for voice, lines in cues:
        words = " ".join(" ".join(lines).split())
        if expected and expected[-1][0] == voice:
            expected[-1] = (voice, expected[-1][1] + " " + words)
        else:
            expected.append((voice, words))
    document = result.documents[0]
    assert [(s.speaker, document.text[s.start : s.end]) for s in document.segments] == expected
