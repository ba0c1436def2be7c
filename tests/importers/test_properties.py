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
# Any printable text, emoji and other scripts included; control characters are what marks a binary file.
CHARS = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff") | st.sampled_from(" \t")
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
