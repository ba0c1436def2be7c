"""The text an exported file actually holds, read back from its bytes (docx and xlsx through their libraries)."""

from __future__ import annotations

import json
from pathlib import Path


def exported_text(path: Path, fmt: str) -> str:
    """Every human-readable string of a written file, one piece per line, for the final scan."""
    path = Path(path)
    if fmt == "docx":
        return "\n".join(_docx(path))
    if fmt == "xlsx":
        return "\n".join(_xlsx(path))
    raw = path.read_bytes().decode("utf-8")
    if fmt == "json":
        return "\n".join(_strings(json.loads(raw)))
    if fmt == "html":
        return _html(raw)
    return raw


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _html(raw: str) -> str:
    from lxml import html  # deferred: only when an HTML file is scanned

    root = html.document_fromstring(raw)
    for element in root.xpath("//style|//script"):
        element.drop_tree()
    pieces = [t for t in root.itertext()]
    pieces += [v for element in root.iter() if isinstance(element.tag, str)
               for name, v in element.attrib.items() if name in ("title", "alt", "aria-label")]
    return " ".join(pieces)


def _docx(path: Path) -> list[str]:
    import docx  # deferred: python-docx only when a Word file is scanned

    document = docx.Document(str(path))
    core = document.core_properties
    pieces = [core.title or "", core.subject or "", core.author or "", core.keywords or "", core.comments or "",
              core.category or "", core.last_modified_by or ""]
    pieces += [p.text for p in document.paragraphs]
    for table in document.tables:
        pieces += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        for part in (section.header, section.footer):
            pieces += [p.text for p in part.paragraphs]
    return pieces


def _xlsx(path: Path) -> list[str]:
    import openpyxl  # deferred: only when a workbook is scanned

    import io

    # From bytes: openpyxl refuses a file whose name does not end .xlsx (the temporary ".part").
    workbook = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
    props = workbook.properties
    pieces = [props.title or "", props.subject or "", props.creator or "", props.description or "",
              props.keywords or "", *workbook.sheetnames]
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            pieces += [str(v) for v in row if v is not None]
    workbook.close()
    return pieces
