"""What every importer returns, and the checks every file passes before parsing."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.domain import DocumentKind, SegmentKind
from qualcode.errors import ImportRefused
from qualcode.sanitise import clean_text, nul_offset

# A transcript line longer than this is almost certainly not a transcript (minified data, a dump).
MAX_LINE_CHARS = 1_000_000
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(slots=True)
class ParsedSegment:
    """[start, end) in code points of ParsedDocument.text."""

    start: int
    end: int
    kind: SegmentKind = SegmentKind.PARAGRAPH
    speaker: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ParsedDocument:
    title: str
    kind: DocumentKind
    text: str
    segments: list[ParsedSegment]
    source_name: str | None = None
    sha256: str | None = None
    date: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    # For survey documents: the respondent this document belongs to.
    participant_label: str | None = None


@dataclass(slots=True)
class ParsedParticipant:
    label: str
    role: str | None = None
    name: str | None = None
    aliases: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ParsedImport:
    documents: list[ParsedDocument]
    participants: list[ParsedParticipant] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path) -> bytes:
    """Read a file, refusing what cannot be a transcript before any parsing starts."""
    if not path.exists():
        raise ImportRefused(f"{path}: no such file")
    if path.is_dir():
        raise ImportRefused(f"{path}: is a folder, not a file")
    size = path.stat().st_size
    if size == 0:
        raise ImportRefused(f"{path.name}: the file is empty")
    if size > MAX_FILE_BYTES:
        raise ImportRefused(f"{path.name}: {size // (1024 * 1024)} MB is larger than the {MAX_FILE_BYTES // (1024 * 1024)} MB limit")
    return path.read_bytes()


def decode_text(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode to str with LF line endings and the import rule applied (qualcode.sanitise).

    Binary data, undecodable bytes and a NUL anywhere in the file are refused with one line.
    """
    if encoding:
        codec = encoding
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ImportRefused(f"{name}: cannot decode as {encoding}: {exc}") from None
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportRefused(f"{name}: has a UTF-16 byte-order mark but is not valid UTF-16") from None
    else:
        codec = "utf-8"
        nul = data.find(b"\x00")
        if nul >= 0:
            raise ImportRefused(f"{name}: holds a NUL byte at byte offset {nul}; looks like a binary file, not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRefused(
                f"{name}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "save it as UTF-8 or pass --encoding (e.g. cp1252)"
            ) from None
    offset = nul_offset(data, text, codec)
    if offset is not None:
        raise ImportRefused(f"{name}: holds a NUL byte at byte offset {offset}; looks like a binary file, not text")
    text = normalise_newlines(text)
    check_text(text, name)
    return clean_text(text, name)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def line_ending_of(data: bytes) -> str:
    """The original line-ending style, kept as metadata so offsets stay stable across platforms."""
    crlf = data.count(b"\r\n")
    cr = data.count(b"\r") - crlf
    lf = data.count(b"\n") - crlf
    present = [name for name, n in (("crlf", crlf), ("cr", cr), ("lf", lf)) if n]
    if not present:
        return "none"
    return present[0] if len(present) == 1 else "mixed"


# Control characters other than the whitespace ones (tab, newline, vertical tab, form feed, CR);
# a regex scan is ~20x faster than a loop.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def check_text(text: str, name: str) -> None:
    """Refuse text that is empty, control-character noise, or one enormous line."""
    if not text or text.isspace():  # not text.strip(): that copies the whole file once more
        raise ImportRefused(f"{name}: contains no text")
    controls = len(_CONTROL.findall(text, 0, 20000))
    if controls > 0.01 * min(len(text), 20000):
        raise ImportRefused(f"{name}: looks like a binary file, not text ({controls} control characters)")
    longest = longest_line(text)
    if longest > MAX_LINE_CHARS:
        raise ImportRefused(
            f"{name}: has a single line of {longest:,} characters; a transcript needs line breaks between turns"
        )


def longest_line(text: str) -> int:
    """Length of the longest line, found without splitting (a split copies the whole text once more)."""
    longest = start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            return max(longest, len(text) - start)
        longest = max(longest, end - start)
        start = end + 1


def title_from(path: Path) -> str:
    return path.stem


def trimmed_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
