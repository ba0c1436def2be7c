"""Speaker-line detection: which prefixes open a turn and which are ordinary sentences."""

from __future__ import annotations

import pytest

from qualcode.importers.speakers import STRONG, WEAK, detect_speakers, format_timestamp, match_speaker_line


@pytest.mark.parametrize(
    ("line", "speaker", "timestamp", "words"),
    [
        ("P3: hello", "P3", None, "hello"),
        ("P07: hello", "P07", None, "hello"),
        ("FG2-P4: hello", "FG2-P4", None, "hello"),
        ("P 3: hello", "P 3", None, "hello"),
        ("Interviewer: yes", "Interviewer", None, "yes"),
        ("Int: ok", "Int", None, "ok"),
        ("R: fine", "R", None, "fine"),
        ("Margaret Ellison: I think so", "Margaret Ellison", None, "I think so"),
        ("Mary-Jane O'Neill: yes", "Mary-Jane O'Neill", None, "yes"),
        ("Dr. Jane van der Berg: hi", "Dr. Jane van der Berg", None, "hi"),
        ("[00:12:31] Speaker 2: hi", "Speaker 2", "00:12:31", "hi"),
        ("00:12:31 Speaker 2: hi", "Speaker 2", "00:12:31", "hi"),
        ("(00:12) P3: so", "P3", "00:00:12", "so"),
        ("P3 [01:02:03.250]: later", "P3", "01:02:03", "later"),
        ("**P3:** bold markdown", "P3", None, "bold markdown"),
        ("ID:729: an answer", "ID:729", None, "an answer"),
        ("Speaker 1  0:03", "Speaker 1", "00:00:03", ""),
        ("Renée Dubois: ça va", "Renée Dubois", None, "ça va"),
    ],
)
def test_speaker_prefixes(line, speaker, timestamp, words):
    hit = match_speaker_line(line)
    assert hit is not None
    assert (hit.speaker, hit.timestamp, line[hit.words_start :]) == (speaker, timestamp, words)


@pytest.mark.parametrize(
    "line",
    [
        "Note: the recording started late.",
        "Date: 12 March",
        "The thing is: we never had the time.",
        "So I said: no.",
        "One Two Three Four Five: too many words",
        "http://example.org/page",
        "Meeting at 10:30 today",
        "ID:729 said nothing",
        "P3:no space after the colon",
        "and then: lowercase",
        "Ward 7: numbers in a name",
        "NHS 111: a phone line, not a person",
        "",
    ],
)
def test_sentences_are_not_speakers(line):
    assert match_speaker_line(line) is None


def test_roles_and_labels_are_strong_names_are_weak():
    assert match_speaker_line("P3: x").strength == STRONG
    assert match_speaker_line("Margaret Ellison: x").strength == WEAK
    assert match_speaker_line("[00:00:01] Margaret Ellison: x").strength == STRONG


def test_a_one_off_name_before_recurring_speakers_is_a_preamble():
    lines = ["Draft Summary Ahead: see below", "Anna: hi", "Ben: hi", "Anna: bye"]
    assert [h.speaker if h else None for h in detect_speakers(lines)] == [None, "Anna", "Ben", "Anna"]


def test_names_each_speaking_once_are_all_kept():
    lines = ["Anna: hi", "Ben: hi", "Carl: bye"]
    assert [h.speaker for h in detect_speakers(lines)] == ["Anna", "Ben", "Carl"]


@pytest.mark.parametrize(
    ("raw", "formatted"),
    [("12:31", "00:12:31"), ("0:12:31.500", "00:12:31"), ("01:02:03,999", "01:02:03"), ("5:07", "00:05:07")],
)
def test_timestamps_share_one_style(raw, formatted):
    assert format_timestamp(raw) == formatted
