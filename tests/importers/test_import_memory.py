"""A long text transcript is parsed line by line: bounded memory, and the same turns as splitting it whole."""

from __future__ import annotations

import random
import tracemalloc

from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.importers.speakers import detect_speakers, fold_cue_headers, group_turns, paragraphs, text_turns
from qualcode.importers.text import parse

WORDS = "we the hospice volunteers staff talk about funding time records care church".split()
LINES = [
    "P1: we talk about funding",
    "Interviewer: and then?",
    "",
    "   ",
    "00:00:01.000 --> 00:00:02.000",
    "Orla Brennick",
    "Tamsin Vey: yes, the hall",
    "Note: the recorder stopped",
    "just words here",
    "[00:12:31] Speaker 2: ok",
    "Ben  0:03",
    "Transcript Of Session Two: notes",
    "\t",
    "Carl: z",
]


def reference_turns(text: str) -> list[tuple]:
    """The turns as found by splitting the whole text into a list of lines first."""
    lines = text.split("\n")
    kept, cues = fold_cue_headers(lines)
    lines = [lines[i] for i in kept]
    detected = [cue or hit for cue, hit in zip(cues, detect_speakers(lines), strict=True)]
    turns = group_turns(lines, detected) if any(detected) else paragraphs(lines)
    return [(t.speaker, t.words, t.meta) for t in turns]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(LINES), st.text(max_size=30)), max_size=25))
def test_line_by_line_turns_equal_whole_text_turns(lines):
    text = "\n".join(lines)
    assert [(t.speaker, t.words, t.meta) for t in text_turns(text)] == reference_turns(text)


def _transcript(path, megabytes: float, speakers: bool):
    rng = random.Random(7)
    parts, size, turn = [], 0, 0
    while size < megabytes * 2**20:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60)))
        line = (f"{'Interviewer' if turn % 2 == 0 else f'P{turn % 5 + 1}'}: " if speakers else "") + words + "\n\n"
        parts.append(line)
        size += len(line)
        turn += 1
    path.write_text("".join(parts), encoding="utf-8")
    return path


def _python_peak_over_file(path) -> float:
    tracemalloc.start()
    try:
        document = parse(path).documents[0]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert document.segments  # the file was really parsed
    return peak / path.stat().st_size


def test_parsing_a_transcript_holds_at_most_three_and_a_third_copies(tmp_path):
    # Splitting the text into a list of lines, then turns, then joining peaked at 3.7x the file.
    assert _python_peak_over_file(_transcript(tmp_path / "talk.txt", 1.5, speakers=True)) < 3.3


def test_parsing_speakerless_text_holds_at_most_three_and_a_third_copies(tmp_path):
    assert _python_peak_over_file(_transcript(tmp_path / "notes.txt", 1.5, speakers=False)) < 3.3
