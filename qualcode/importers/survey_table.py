"""Read a survey export (CSV or the first sheet of an XLSX) into header names and rows of strings."""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from qualcode.errors import ImportRefused
from qualcode.importers.base import decode_text, normalise_newlines

_DELIMITERS = ",;\t|"
MAX_ROWS = 200_000
MAX_COLUMNS = 2_000


@dataclass(slots=True)
class Table:
    """Column names, the question text shown for each column, and (row number, cells) per respondent."""

    names: list[str]
    questions: list[str]
    rows: list[tuple[int, list[str]]]
    warnings: list[str] = field(default_factory=list)


def read_csv(raw: bytes, name: str, encoding: str | None) -> Table:
    text = decode_text(raw, name, encoding)
    delimiter = guess_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        # Rows are numbered as a spreadsheet shows them (header = row 1), not by physical line.
        records = _bounded(enumerate(reader, 1), name)
    except csv.Error as exc:
        raise ImportRefused(f"{name}: line {reader.line_num}: cannot read the CSV ({exc})") from None
    return _table(records, name)


def guess_delimiter(text: str) -> str:
    """The sniffed delimiter when the header line agrees, else the candidate the header uses most."""
    header = next((line for line in text.split("\n") if line.strip()), "")
    try:
        sniffed = csv.Sniffer().sniff(text[:65536], delimiters=_DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed and sniffed in header:
        return sniffed
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_xlsx(raw: bytes, name: str) -> Table:
    import openpyxl  # ~0.3 s; only when a workbook is imported
    from lxml.etree import LxmlError
    from openpyxl.utils.exceptions import InvalidFileException

    damaged = (
        InvalidFileException, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError,
        AttributeError, IndexError, OSError, ParseError, LxmlError,
        NotImplementedError,  # zipfile: a member claiming an unknown zip version or compression
    )  # fmt: skip
    try:
        with warnings.catch_warnings():
            # openpyxl warns on stderr about styles and data validation it drops; none matter here.
            warnings.simplefilter("ignore", UserWarning)
            workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except damaged as exc:
        raise ImportRefused(f"{name}: not a readable Excel workbook ({type(exc).__name__})") from None
    try:
        if not workbook.worksheets:
            raise ImportRefused(f"{name}: the workbook has no sheets")
        sheet = workbook.worksheets[0]
        # The declared dimension (<dimension ref="A1:XFD1048576"/>) is whatever the file says: openpyxl
        # would pad every row to it, so forget it and take each row as long as its last real cell.
        sheet.reset_dimensions()
        rows = ((number, row) for number, row in enumerate(sheet.iter_rows(values_only=True), 1) if row)
        records = _bounded(rows, name)
    except damaged as exc:
        raise ImportRefused(f"{name}: the workbook is damaged ({type(exc).__name__})") from None
    finally:
        workbook.close()
    return _table(records, name)


def _bounded(rows, name: str) -> list[tuple[int, list[str]]]:
    """Non-empty rows as text cells, refusing a sheet wider or longer than any survey export."""
    records = []
    for number, row in rows:
        if len(row) > MAX_COLUMNS:
            raise ImportRefused(f"{name}: row {number}: {len(row):,} columns; a survey can have at most {MAX_COLUMNS:,}")
        cells = [_cell(v) for v in row]
        if any(c.strip() for c in cells):
            if len(records) >= MAX_ROWS:
                raise ImportRefused(f"{name}: more than {MAX_ROWS:,} rows; split the export into smaller files")
            records.append((number, cells))
    return records


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return normalise_newlines(str(value))


def _is_import_id_row(cells: list[str]) -> bool:
    """Qualtrics' third header row: '{"ImportId":"QID1"}' in every filled cell."""
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(c.lstrip().startswith('{"ImportId"') for c in filled)


def _table(records: list[tuple[int, list[str]]], name: str) -> Table:
    records = [(number, cells) for number, cells in records if any(c.strip() for c in cells)]
    if not records:
        raise ImportRefused(f"{name}: has no rows")
    _, header = records[0]
    names = _unique([" ".join(h.split()) or f"column {i}" for i, h in enumerate(header, 1)])
    questions = list(names)
    body = records[1:]
    # Qualtrics exports carry question texts in row 2 and import ids in row 3.
    if len(body) >= 2 and _is_import_id_row(body[1][1]):
        texts = body[0][1]
        questions = [" ".join(texts[i].split()) if i < len(texts) and texts[i].strip() else n for i, n in enumerate(names)]
        body = body[2:]
    if not body:
        raise ImportRefused(f"{name}: has a header row but no rows of answers")
    warnings = []
    rows = []
    for number, cells in body:
        if len(cells) > len(names) and any(c.strip() for c in cells[len(names) :]):
            warnings.append(f"row {number}: {len(cells) - len(names)} cells beyond the header were ignored")
        rows.append((number, (cells + [""] * len(names))[: len(names)]))
    return Table(names, questions, rows, warnings)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
