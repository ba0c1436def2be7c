"""Word (.docx) transcripts: paragraphs, speaker prefixes or bold speaker names, headings as breaks."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import Any

from qualcode.domain import DocumentKind
from qualcode.errors import ImportRefused
from qualcode.importers.base import (
    ParsedImport,
    check_text,
    normalise_newlines,
    read_bytes,
)
from qualcode.importers.speakers import (
    STRONG,
    SpeakerLine,
    Turn,
    classify_name,
    drop_preamble_names,
    fold_cue_headers,
    group_turns,
    match_speaker_line,
)
from qualcode.importers.transcript import no_speaker_warning, transcript_document

_HEADING_STYLES = ("heading", "title", "subtitle")


def parse(path: Path, *, kind: DocumentKind | str | None = None, **options: Any) -> ParsedImport:
    path = Path(path)
    raw = read_bytes(path)
    if not raw.startswith(b"PK\x03\x04"):
        raise ImportRefused(f"{path.name}: not a Word .docx file (it is not a zip package)")
    document = _open(raw, path.name)
    try:
        styles = _StyleCache()
        paragraphs = [_Para(p, styles) for p in document.paragraphs]
        table_count = len(document.tables)
    except (KeyError, ValueError, AttributeError, TypeError) as exc:
        raise ImportRefused(f"{path.name}: the Word document is damaged ({type(exc).__name__})") from None
    check_text("\n".join(p.text for p in paragraphs), path.name)
    warnings = [f"table {n} skipped: tables are not imported" for n in range(1, table_count + 1)]
    meta = {"format": "docx", "paragraphs": len(paragraphs)}
    document = transcript_document(path, raw, _turns(paragraphs), kind, meta)
    return ParsedImport([document], warnings=warnings + no_speaker_warning(document))


def _open(raw: bytes, name: str):
    import docx  # ~0.2 s with lxml; only when a .docx is imported
    from docx.opc.exceptions import OpcError
    from lxml.etree import LxmlError

    try:
        return docx.Document(io.BytesIO(raw))
    except (OpcError, zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError) as exc:
        raise ImportRefused(f"{name}: not a readable Word .docx file ({type(exc).__name__})") from None
    except (KeyError, ValueError, NotImplementedError, LxmlError, AttributeError, TypeError, OSError) as exc:
        # python-docx says ValueError for another Office file renamed .docx, KeyError for a missing part.
        detail = str(exc).split("\n")[0][:120] if isinstance(exc, ValueError) else type(exc).__name__
        raise ImportRefused(f"{name}: not a Word .docx document ({detail})") from None


class _StyleCache:
    """Style name and boldness per style id, looked up once per id.

    python-docx resolves `paragraph.style` and `run.style` by scanning every style in the document,
    on every call: that was ~1.7 ms per paragraph. The ids come from the XML (`pStyle`, `rStyle`).
    """

    def __init__(self) -> None:
        self.names: dict[str | None, str] = {}
        self.bold: dict[str | None, bool] = {}

    def paragraph_style(self, paragraph) -> str:
        style_id = paragraph._p.style  # private, but the public property is the slow scan
        if style_id not in self.names:
            style = paragraph.style
            self.names[style_id] = style.name.lower() if style is not None and style.name else ""
        return self.names[style_id]

    def run_bold(self, run) -> bool:
        if run.bold is not None:
            return bool(run.bold)
        style_id = run._r.style
        if style_id not in self.bold:
            self.bold[style_id] = run.style is not None and run.style.font.bold is True
        return self.bold[style_id]


class _Para:
    """The parts of a python-docx paragraph the importer needs, read once."""

    __slots__ = ("text", "heading", "speaker")

    def __init__(self, paragraph, styles: _StyleCache) -> None:
        self.text = normalise_newlines(paragraph.text)
        style = styles.paragraph_style(paragraph)
        self.heading = style.startswith(_HEADING_STYLES) and bool(self.text.strip())
        self.speaker = None if self.heading else (_bold_speaker(paragraph, self.text, styles) or match_speaker_line(self.text))


def _bold_speaker(paragraph, text: str, styles: _StyleCache) -> SpeakerLine | None:
    """A bold name at the start of a paragraph ("**Margaret Ellison** I think...") names the speaker."""
    bold = ""
    for run in paragraph.runs:
        if not styles.run_bold(run) and run.text.strip():
            break
        bold += run.text  # plain whitespace between bold runs belongs to the name
    if not bold.strip() or not text.startswith(bold):
        return None
    name = bold.strip().rstrip(":").strip()
    strength = classify_name(name)
    rest = text[len(bold) :]
    has_colon = bold.rstrip().endswith(":") or rest.lstrip().startswith(":")
    # A wholly bold paragraph without a colon is a heading unless it is a role or label ("Interviewer").
    if strength is None or not (has_colon or rest.strip() or strength == STRONG):
        return None
    skipped = len(rest) - len(rest.lstrip().removeprefix(":").lstrip())
    return SpeakerLine(" ".join(name.split()), len(bold) + skipped, None, STRONG)


def _turns(paragraphs: list[_Para]) -> list[Turn]:
    """Speaker turns when any paragraph names a speaker, else one paragraph per segment.

    A heading ends the current turn and becomes a paragraph of its own.
    """
    kept, cue_hits = fold_cue_headers([p.text for p in paragraphs])
    paragraphs = [paragraphs[i] for i in kept]
    detected = [cue or hit for cue, hit in zip(cue_hits, drop_preamble_names([p.speaker for p in paragraphs]), strict=True)]
    if not any(detected):
        return [Turn(None, p.text.strip()) for p in paragraphs if p.text.strip()]
    turns: list[Turn] = []
    block: list[int] = []

    def flush() -> None:
        lines = [paragraphs[i].text for i in block]
        turns.extend(group_turns(lines, [detected[i] for i in block], paragraph_per_line=True))
        block.clear()

    for index, paragraph in enumerate(paragraphs):
        if paragraph.heading:
            flush()
            turns.append(Turn(None, paragraph.text.strip()))
        else:
            block.append(index)
    flush()
    return turns
