"""Spreadsheets: the declared dimension is not trusted, and rows and columns are capped."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest

from qualcode.errors import ImportRefused
from qualcode.importers import parse_file, survey_table


def lying_workbook(extra_row: bytes = b"") -> bytes:
    """A small survey whose sheet claims A1:XFD1048576, optionally with one far-away row."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id", "answer"])
    for i in range(1, 4):
        sheet.append([i, f"a free text answer number {i} with several words"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)
                data = data.replace(b"</sheetData>", extra_row + b"</sheetData>")
            target.writestr(item, data)
    return out.getvalue()


def test_a_declared_million_rows_is_not_materialised(write):
    parsed = parse_file(write("s.xlsx", lying_workbook()))
    assert [d.participant_label for d in parsed.documents] == ["ID:1", "ID:2", "ID:3"]


def test_a_row_far_below_is_read_without_the_empty_rows_between(write):
    far = (b'<row r="1048576"><c r="A1048576"><v>77</v></c>'
           b'<c r="B1048576" t="inlineStr"><is><t>a late answer with several words</t></is></c></row>')
    parsed = parse_file(write("s.xlsx", lying_workbook(far)))
    assert [d.participant_label for d in parsed.documents] == ["ID:1", "ID:2", "ID:3", "ID:77"]
    assert parsed.documents[-1].segments[0].meta["row"] == 1048576


def test_a_cell_in_the_last_column_is_refused(write):
    wide = b'<row r="9"><c r="XFD9" t="inlineStr"><is><t>x</t></is></c></row>'
    with pytest.raises(ImportRefused, match=r"s\.xlsx: row 9: 16,384 columns; a survey can have at most 2,000"):
        parse_file(write("s.xlsx", lying_workbook(wide)))


def test_too_many_rows_are_refused(write, monkeypatch):
    monkeypatch.setattr(survey_table, "MAX_ROWS", 5)
    rows = "".join(f"{i},answer {i} with a few words in it\n" for i in range(10))
    with pytest.raises(ImportRefused, match=r"s\.csv: more than 5 rows"):
        parse_file(write("s.csv", "id,answer\n" + rows))
