"""A workbook whose sheet declares XML entities is refused: openpyxl parses through defusedxml."""

from __future__ import annotations

import io
import zipfile

import pytest

from qualcode.errors import ImportRefused
from qualcode.importers.survey_table import read_xlsx

# Each level multiplies the text tenfold: expanded, three levels already turn one word into 1,000.
ENTITIES = (
    '<!DOCTYPE sheet [<!ENTITY w "word"><!ENTITY w2 "&w;&w;&w;&w;&w;&w;&w;&w;&w;&w;">'
    '<!ENTITY w3 "&w2;&w2;&w2;&w2;&w2;&w2;&w2;&w2;&w2;&w2;">]>'
)


def _workbook(answer: str) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["id", "answer"])
    book.active.append(["R1", answer])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_entities(raw: bytes, marker: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                declaration, body = text.split("?>", 1) if text.startswith("<?xml") else ("", text)
                declaration += "?>" if declaration else ""
                data = (declaration + ENTITIES + body.replace(marker, "&w3;", 1)).encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()


def test_a_plain_workbook_reads():
    table = read_xlsx(_workbook("We meet at Wrenfield Library."), "plain.xlsx")
    assert table.rows[0][1] == ["R1", "We meet at Wrenfield Library."]


def test_entity_declarations_in_a_sheet_are_refused_not_expanded():
    bomb = _with_entities(_workbook("We meet at Wrenfield Library."), "Wrenfield")
    with pytest.raises(ImportRefused, match="not a readable Excel workbook"):
        read_xlsx(bomb, "bomb.xlsx")
