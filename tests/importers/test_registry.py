"""Every registered importer accepts the callers' full option set and ignores options it does not know."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest

from qualcode.importers import IMPORTERS, parse_file
from qualcode.importers.base import ParsedImport


def sample(suffix: str) -> bytes:
    if suffix == ".docx":
        buffer = io.BytesIO()
        document = docx.Document()
        document.add_paragraph("P1: Hello from the parish hall.")
        document.save(buffer)
        return buffer.getvalue()
    if suffix == ".xlsx":
        buffer = io.BytesIO()
        workbook = openpyxl.Workbook()
        workbook.active.append(["id", "Comment"])
        workbook.active.append([1, "The volunteers made the difference for families in the village."])
        workbook.save(buffer)
        return buffer.getvalue()
    text = {
        ".vtt": "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna Price>Hello from the parish hall.</v>\n",
        ".srt": "1\n00:00:01,000 --> 00:00:02,000\nAnna Price: Hello from the parish hall.\n",
        ".csv": "id,Comment\n1,The volunteers made the difference for families in the village.\n",
    }.get(suffix, "P1: Hello from the parish hall.\n")
    return text.encode()


@pytest.mark.parametrize("suffix", sorted(IMPORTERS))
def test_every_importer_takes_all_options_and_ignores_unknown_ones(tmp_path, suffix):
    path = tmp_path / f"sample{suffix}"
    path.write_bytes(sample(suffix))
    options = dict(kind=None, encoding=None, id_column=None, attribute_columns=None, open_columns=None, per=None)
    result = parse_file(path, **options, coder="ana", future_option=True)
    assert isinstance(result, ParsedImport)
    document = result.documents[0]
    assert document.source_name == path.name
    words = [document.text[s.start : s.end] for s in document.segments]
    assert any("parish hall" in w or "volunteers" in w for w in words)
