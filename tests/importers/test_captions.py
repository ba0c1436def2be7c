"""WebVTT (Teams and Zoom exports) and SRT transcripts: speakers, merged cues, timestamps, refusals."""

from __future__ import annotations

import pytest

from qualcode.domain import DocumentKind, SegmentKind
from qualcode.errors import ImportRefused
from qualcode.importers import parse_file
from qualcode.importers.base import sha256_of
from tests.importers.checks import check_spans, turns_of

TEAMS = """\
WEBVTT

8a7b2c1d-1f2e-4c5d-9a8b-7c6d5e4f3a2b/12-0
00:00:03.120 --> 00:00:07.480
<v Margaret Ellison>Thanks everyone for coming along today,</v>

8a7b2c1d-1f2e-4c5d-9a8b-7c6d5e4f3a2b/12-1
00:00:07.480 --> 00:00:10.000
<v Margaret Ellison>let's start with introductions.</v>

8a7b2c1d-1f2e-4c5d-9a8b-7c6d5e4f3a2b/13-0
00:12:31.000 --> 00:12:35.250
<v Tomasz Wrenfield>I manage the day hospice &amp; the
community team in Larkhill.</v>

NOTE this block is a comment and carries no words

8a7b2c1d-1f2e-4c5d-9a8b-7c6d5e4f3a2b/14-0
00:12:36.000 --> 00:12:40.000
<v Margaret Ellison>Lovely, thank you.</v>
"""

ZOOM = """\
WEBVTT

1
00:00:01.000 --> 00:00:04.000
Priya Lindqvist: Can everyone hear me?

2
00:00:04.500 --> 00:00:06.000
Priya Lindqvist: Great, let's begin.

3
00:00:06.500 --> 00:00:09.000
Owen Marsh: Yes, loud and clear.

4
00:00:09.000 --> 00:00:11.000
and the slides are visible too.
"""


def test_teams_voice_tags_give_speakers_and_merge_consecutive_cues(write):
    raw = TEAMS.encode()
    result = parse_file(write("FG1 service managers.vtt", raw))
    check_spans(result)
    document = result.documents[0]
    assert turns_of(result) == [
        ("Margaret Ellison", "Thanks everyone for coming along today, let's start with introductions."),
        ("Tomasz Wrenfield", "I manage the day hospice & the community team in Larkhill."),
        ("Margaret Ellison", "Lovely, thank you."),
    ]
    first, second, _ = document.segments
    assert (first.meta["timestamp"], first.meta["end_timestamp"]) == ("00:00:03", "00:00:10")
    assert (second.meta["timestamp"], second.meta["end_timestamp"]) == ("00:12:31", "00:12:35")
    assert first.kind == SegmentKind.TURN
    assert document.kind == DocumentKind.FOCUS_GROUP
    assert document.sha256 == sha256_of(raw)
    assert document.text.startswith("Margaret Ellison: Thanks everyone")
    assert "8a7b2c1d" not in document.text and "-->" not in document.text and "NOTE" not in document.text


def test_zoom_name_prefixes_and_speakerless_cue_continues_the_turn(write):
    result = parse_file(write("interview.vtt", ZOOM))
    check_spans(result)
    assert turns_of(result) == [
        ("Priya Lindqvist", "Can everyone hear me? Great, let's begin."),
        ("Owen Marsh", "Yes, loud and clear. and the slides are visible too."),
    ]
    assert result.documents[0].kind == DocumentKind.INTERVIEW
    assert result.documents[0].meta["cues"] == 4


def test_two_voices_in_one_cue_become_two_turns(write):
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Anna Price>Ready?</v>\n<v Ben Okafor>Yes.</v>\n"
    assert turns_of(parse_file(write("x.vtt", vtt))) == [("Anna Price", "Ready?"), ("Ben Okafor", "Yes.")]


def test_captions_without_speakers_become_paragraphs_split_at_pauses(write):
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfirst words\n\n00:00:02.100 --> 00:00:03.000\nstill talking\n\n"
        "00:00:09.000 --> 00:00:10.000\nafter a pause\n"
    )
    result = parse_file(write("auto.vtt", vtt))
    assert turns_of(result) == [(None, "first words still talking"), (None, "after a pause")]
    assert {s.kind for s in result.documents[0].segments} == {SegmentKind.PARAGRAPH}


def test_crlf_vtt_with_bom(write):
    raw = b"\xef\xbb\xbf" + ZOOM.replace("\n", "\r\n").encode()
    result = parse_file(write("cafe.vtt", raw))
    assert result.documents[0].meta["line_endings"] == "crlf"
    assert result.documents[0].kind == DocumentKind.EVIDENCE_CAFE
    assert turns_of(result)[0] == ("Priya Lindqvist", "Can everyone hear me? Great, let's begin.")


SRT = """\
1
00:00:01,000 --> 00:00:03,500
Interviewer: How did the framework
reach your team?

2
00:00:03,600 --> 00:00:05,000
Interviewer: In your own words.

3
00:01:10,000 --> 00:01:14,000
P3: Through our <i>local</i> network,

4
00:01:14,000 --> 00:01:16,000
mostly by email.
"""


def test_srt_speakers_merge_and_keep_timestamps(write):
    result = parse_file(write("p3.srt", SRT))
    check_spans(result)
    assert turns_of(result) == [
        ("Interviewer", "How did the framework reach your team? In your own words."),
        ("P3", "Through our local network, mostly by email."),
    ]
    p3 = result.documents[0].segments[1]
    assert (p3.meta["timestamp"], p3.meta["end_timestamp"]) == ("00:01:10", "00:01:16")
    assert result.documents[0].meta["format"] == "srt"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plain.vtt", "Just some words\nwith no header\n", "not a WebVTT file"),
        ("srtish.vtt", SRT, "not a WebVTT file"),
        ("header_only.vtt", "WEBVTT\n\n", "no cues"),
        ("bad_time.vtt", "WEBVTT\n\n00:00:xx.000 --> 00:00:02.000\nhello\n", "no cues"),
        ("empty_words.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna></v>\n", "no text"),
        ("binary.vtt", b"WEBVTT\x00\x01\x02\x03\x04" * 50, "binary"),
        ("prose.srt", "Dear team,\nplease find the notes.\n", "not an SRT file"),
        ("garbage.srt", "x --> y\n", "no readable subtitle"),
        ("latin1.srt", "1\n00:00:01,000 --> 00:00:02,000\nRenée: oui\n".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_bad_captions_are_refused(write, name, content, message):
    with pytest.raises(ImportRefused, match=message) as info:
        parse_file(write(name, content))
    assert name in str(info.value)
