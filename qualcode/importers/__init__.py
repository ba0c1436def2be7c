"""Importers by file suffix: each turns a file into a ParsedImport without touching the store."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from qualcode.errors import ImportRefused
from qualcode.importers.base import ParsedDocument, ParsedImport, ParsedParticipant, ParsedSegment

# suffix -> module; each module provides parse(path: Path, **options) -> ParsedImport.
# Modules load lazily so importing a .txt never pays for python-docx or openpyxl.
IMPORTERS: dict[str, str] = {
    ".txt": "qualcode.importers.text",
    ".md": "qualcode.importers.text",
    ".docx": "qualcode.importers.word",
    ".vtt": "qualcode.importers.vtt",
    ".srt": "qualcode.importers.srt",
    ".csv": "qualcode.importers.survey",
    ".xlsx": "qualcode.importers.survey",
}


def parse_file(path: Path, **options: Any) -> ParsedImport:
    """Parse one file with the importer for its suffix; options unknown to it are ignored."""
    path = Path(path)
    module_name = IMPORTERS.get(path.suffix.lower())
    if module_name is None:
        known = ", ".join(sorted(IMPORTERS))
        raise ImportRefused(f"{path.name}: cannot import '{path.suffix or 'no suffix'}' files (known: {known})")
    module = importlib.import_module(module_name)
    return module.parse(path, **options)


__all__ = ["IMPORTERS", "ParsedDocument", "ParsedImport", "ParsedParticipant", "ParsedSegment", "parse_file"]
