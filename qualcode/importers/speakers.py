"""Recognise speaker prefixes ("P3:", "[00:12:31] Speaker 2:", "Margaret Ellison:") and group lines into turns."""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import chain
from dataclasses import dataclass, field

# A timestamp as transcription tools write it: 12:31, 00:12:31, 0:12:31.500, 00:12:31,500.
_TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"

_SPEAKER_LINE = re.compile(
    rf"""^[ \t]*
    (?:[\[(]?(?P<ts1>{_TS})[\])]?[ \t]*(?:[-–][ \t]*)?)?      # leading timestamp, maybe bracketed
    (?:\*\*)?
    (?P<name>ID:\d{{1,9}}|[^:\n*\[\]()]{{1,60}}?)
    (?:\*\*)?
    [ \t]*(?:[\[(](?P<ts2>{_TS})[\])][ \t]*)?                 # or a bracketed timestamp after the name
    (?:\*\*)?:(?:\*\*)?
    (?:[ \t]+(?P<rest>.*?)|[ \t]*)$""",
    re.VERBOSE,
)
# Teams' Word export opens each cue with "0:0:3.120 --> 0:0:7.480" and puts the speaker on the next line.
_CUE_TS = r"\d{1,2}:\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?"
_CUE_TIMING = re.compile(rf"^[ \t]*(?P<start>{_CUE_TS})[ \t]*-->[ \t]*(?P<end>{_CUE_TS})[ \t]*$")
# Otter-style exports put "Speaker 1  0:03" alone on a line and the words below it.
_NAME_THEN_TIME = re.compile(rf"^[ \t]*(?P<name>[^:\n]{{1,60}}?)[ \t]+(?P<ts>{_TS})[ \t]*$")

_ROLE_WORDS = {
    "interviewer", "interviewee", "int", "iv", "i", "r", "q", "a", "p", "f", "m",
    "facilitator", "moderator", "researcher", "respondent", "participant", "chair", "host",
    "speaker", "unknown speaker", "note taker", "notetaker", "co-facilitator", "observer",
}  # fmt: skip
_NUMBERED_ROLE = re.compile(
    r"^(?:speaker|participant|respondent|interviewer|interviewee|person|facilitator|moderator|guest|"
    r"member|researcher|voice|attendee)[ _-]?\d{1,3}$",
    re.IGNORECASE,
)
# P3, P07, FG2-P4, R12, "P 3"; a space only after one or two letters so "NHS 111" is not a label.
_LABEL_CODE = re.compile(r"^(?:(?:[A-Z]{1,4}\d{1,4}[-_])?[A-Z]{1,4}[-_]?\d{1,4}[A-Za-z]?|[A-Z]{1,2} \d{1,4}|ID:\d{1,9})$")
_PARTICLES = {"van", "von", "de", "da", "del", "der", "den", "di", "du", "la", "le", "bin", "al", "ter", "ten", "dos"}
# Capitalised words that open headings and notes far more often than they name a person.
_NOT_NAMES = set(
    """note notes nb ps re fw fwd from to cc sent subject date time day place location venue setting site
    title transcript transcription transcriber recording audio video file filename length duration
    interview session group workshop meeting focus present attendees participants apologies absent agenda
    minutes topic theme themes code codes quote quotes comment comments feedback response reply answer
    answers question questions prompt probe summary background context aim aims objective objectives
    purpose method methods findings conclusion conclusions recommendation recommendations result results
    action actions outcome outcomes decision decisions next then also but and because yes no okay ok well
    so now here there this that these those it what why how when where who which please thanks total
    overall example examples eg ie definition description instructions important warning caution tip
    step part section chapter page figure table appendix edit edited source link url email tel phone
    mobile address website keywords tags status version author reference ref update key keyword
    translation translated language consent id name names role category type however
    further additional other others see copyright""".split()
)

STRONG = "strong"
WEAK = "weak"


@dataclass(slots=True)
class SpeakerLine:
    """A line that opens a turn: who speaks, when, and where in the line their words begin."""

    speaker: str
    words_start: int
    timestamp: str | None = None
    strength: str = STRONG
    end_timestamp: str | None = None  # set when the line came from a caption cue


@dataclass(slots=True)
class Turn:
    """One speaker's words (or a paragraph when speaker is None) with the metadata its segment keeps."""

    speaker: str | None
    words: str
    meta: dict = field(default_factory=dict)


def format_timestamp(value: str) -> str:
    """'12:31' -> '00:12:31', '0:12:31.500' -> '00:12:31': one style for every importer."""
    value = value.strip().replace(",", ".").split(".")[0]
    parts = [int(p) for p in value.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    hours, minutes, seconds = parts[-3:]
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def classify_name(name: str) -> str | None:
    """STRONG for roles and labels, WEAK for person-like names, None for anything else."""
    name = " ".join(name.split())
    if not name or len(name) > 60:
        return None
    lowered = name.lower()
    if lowered in _ROLE_WORDS or _NUMBERED_ROLE.match(name) or _LABEL_CODE.match(name):
        return STRONG
    tokens = name.split(" ")
    capitalised = [t for t in tokens if t not in _PARTICLES]
    if len(capitalised) > 4 or len(tokens) > 6 or tokens[0].lower().rstrip(".") in _NOT_NAMES:
        return None
    for position, token in enumerate(tokens):
        if position and token in _PARTICLES:
            continue
        if not token[0].isupper() or not all(ch.isalpha() or ch in "'’.-" for ch in token):
            return None
    if tokens[-1] in _PARTICLES:
        return None
    return WEAK


def match_speaker_line(line: str) -> SpeakerLine | None:
    """The speaker prefix of one line, or None when the line continues a turn."""
    # Match without the indentation: leading blanks that the patterns could also give to the name
    # make the regex backtrack cubically on long indented lines (a 200 KB file took 75 s).
    stripped = line.lstrip(" \t")
    indent = len(line) - len(stripped)
    found = _match_unindented(stripped)
    if found is not None:
        found.words_start += indent
    return found


def _match_unindented(line: str) -> SpeakerLine | None:
    if ":" in line:
        match = _SPEAKER_LINE.match(line)
        if match:
            strength = classify_name(match.group("name"))
            if strength:
                timestamp = match.group("ts1") or match.group("ts2")
                if timestamp:
                    strength = STRONG
                rest_start = match.start("rest") if match.group("rest") is not None else len(line)
                return SpeakerLine(
                    " ".join(match.group("name").split()),
                    rest_start,
                    format_timestamp(timestamp) if timestamp else None,
                    strength,
                )
    match = _NAME_THEN_TIME.match(line)
    if match and classify_name(match.group("name")):
        return SpeakerLine(" ".join(match.group("name").split()), len(line), format_timestamp(match.group("ts")))
    return None


def _cue_speaker(line: str) -> str | None:
    """A line holding only a name, as Teams writes it: "Margaret Ellison", "Ellison, Margaret (Guest)"."""
    name = " ".join(line.split())
    bare = re.sub(r"\s*\([^()]*\)$", "", name)
    if bare.count(",") == 1:
        last, first = (part.strip() for part in bare.split(","))
        bare = f"{first} {last}"
    return name if bare and classify_name(bare) else None


def iter_lines(text: str) -> Iterator[str]:
    """The lines of text.split("\n"), one at a time: a list of a long file's lines costs twice the file."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def fold_cues(lines: Iterable[str]) -> Iterator[tuple[int, str, SpeakerLine | None]]:
    """(index, line, cue speaker or None) for each line kept.

    A cue timing line that precedes a speaker name is dropped and the name line becomes a timed
    speaker line, as Teams' Word export writes them.
    """
    remaining = iter(lines)
    index = 0
    line = next(remaining, None)
    while line is not None:
        following = next(remaining, None)
        timing = _CUE_TIMING.match(line)
        speaker = _cue_speaker(following) if timing and following is not None else None
        if timing and speaker and following is not None:
            start, end = (format_timestamp(timing.group(g)) for g in ("start", "end"))
            yield index + 1, following, SpeakerLine(speaker, len(following), start, STRONG, end)
            index += 2
            line = next(remaining, None)
        else:
            yield index, line, None
            index += 1
            line = following


def fold_cue_headers(lines: list[str]) -> tuple[list[int], list[SpeakerLine | None]]:
    """The indexes of the lines kept by fold_cues and, for each kept line, its cue speaker or None."""
    kept: list[int] = []
    hits: list[SpeakerLine | None] = []
    for index, _line, hit in fold_cues(lines):
        kept.append(index)
        hits.append(hit)
    return kept, hits


def text_turns(text: str) -> Iterator[Turn]:
    """The turns of a plain-text transcript (or its paragraphs when no line names a speaker).

    Two passes over the lines, each generated from the text, so a long file is never held as a
    list of lines: the first finds the speaker lines, the second groups the lines into turns.
    """
    cues = False
    found: dict[int, SpeakerLine] = {}
    for position, (_index, line, cue) in enumerate(fold_cues(iter_lines(text))):
        cues = cues or cue is not None
        if (hit := match_speaker_line(line)) is not None:
            found[position] = hit
    found = without_preamble_names(found)
    if not (cues or found):
        return paragraphs(line for _index, line, _cue in fold_cues(iter_lines(text)))

    def pairs() -> Iterator[tuple[str, SpeakerLine | None]]:
        for position, (_index, line, cue) in enumerate(fold_cues(iter_lines(text))):
            hit = found.pop(position, None)  # popped: each speaker line is let go once read
            yield line, cue or hit

    return group_turn_pairs(pairs())


def detect_speakers(lines: list[str]) -> list[SpeakerLine | None]:
    """Speaker prefixes of every line, dropping person-like names that are really a heading or a note.

    A weak (person-like) name seen once, before any other speaker, in a file whose speakers recur is
    a preamble such as "Transcript Of Session Two: ..." rather than someone speaking.
    """
    return drop_preamble_names([match_speaker_line(line) for line in lines])


def drop_preamble_names(found: list[SpeakerLine | None]) -> list[SpeakerLine | None]:
    kept = without_preamble_names({i: hit for i, hit in enumerate(found) if hit is not None})
    return [kept.get(i) for i in range(len(found))]


def without_preamble_names(found: dict[int, SpeakerLine]) -> dict[int, SpeakerLine]:
    """Speaker lines by line position, less the weak names that open the file only once."""
    counts = Counter(hit.speaker for hit in found.values())
    recurring = any(n > 1 for n in counts.values())
    kept = dict(found)
    for index, hit in found.items():
        if hit.strength == WEAK and counts[hit.speaker] == 1 and recurring:
            del kept[index]
            continue
        break  # only lines before the first accepted speaker can be a preamble
    return kept


def group_turns(
    lines: Iterable[str], detected: Iterable[SpeakerLine | None], *, paragraph_per_line: bool = False
) -> Iterator[Turn]:
    """group_turn_pairs over lines and the speaker line each opens (None for a continuation)."""
    return group_turn_pairs(zip(lines, detected, strict=True), paragraph_per_line=paragraph_per_line)


def group_turn_pairs(
    pairs: Iterable[tuple[str, SpeakerLine | None]], *, paragraph_per_line: bool = False
) -> Iterator[Turn]:
    """Lines -> turns, yielded as each closes: a speaker line opens a turn, every other line continues it.

    Lines before the first speaker become speakerless paragraphs: split on blank lines, or one per
    line when each line is already a paragraph (Word documents). Yielding rather than returning a
    list lets a long transcript's turns be written out and freed one by one.
    """
    preamble: list[str] | None = []
    current: Turn | None = None
    body: list[str] = []
    for line, hit in pairs:
        if hit is not None and hit.end_timestamp and current is not None and current.speaker == hit.speaker:
            # Consecutive caption cues of one speaker make one turn, as in WebVTT files.
            current.meta["end_timestamp"] = hit.end_timestamp
            if line[hit.words_start :].strip():
                body.append(line[hit.words_start :].rstrip())
        elif hit is not None:
            if preamble is not None:
                yield from _preamble_turns(preamble, paragraph_per_line)
                preamble = None
            if current is not None and (words := "\n".join(body).strip()):
                current.words = words
                yield current
            meta = {"timestamp": hit.timestamp} if hit.timestamp else {}
            if hit.end_timestamp:
                meta["end_timestamp"] = hit.end_timestamp
            # Interned: a transcript repeats a handful of speakers over thousands of turns.
            current = Turn(sys.intern(hit.speaker), "", meta)
            body = [line[hit.words_start :].rstrip()]
        elif preamble is not None:
            preamble.append(line)
        else:
            body.append(line.rstrip())
    if preamble is not None:
        yield from _preamble_turns(preamble, paragraph_per_line)
    if current is not None and (words := "\n".join(body).strip()):
        current.words = words
        yield current


def _preamble_turns(lines: list[str], paragraph_per_line: bool) -> Iterator[Turn]:
    if paragraph_per_line:
        return (Turn(None, line.strip()) for line in lines if line.strip())
    return paragraphs(lines)


def paragraphs(lines: Iterable[str]) -> Iterator[Turn]:
    """Blank-line separated blocks of lines as speakerless turns."""
    block: list[str] = []
    for line in chain(lines, [""]):
        if line.strip():
            block.append(line.rstrip())
        elif block:
            yield Turn(None, "\n".join(block).strip())
            block = []
