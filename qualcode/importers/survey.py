"""Survey exports (.csv, .xlsx): respondents become participants, open answers become ANSWER segments.

One document per respondent (default) or per open question (per="question"). Documents of one file
share its bytes, so each carries sha256 = sha256(file hash + NUL + what it holds) to stay unique, and
the file's own hash in meta["file_sha256"].
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path
from typing import Any

from qualcode.domain import DocumentKind, SegmentKind
from qualcode.errors import ImportRefused
from qualcode.importers.base import (
    ParsedDocument,
    ParsedImport,
    ParsedParticipant,
    ParsedSegment,
    line_ending_of,
    read_bytes,
    sha256_of,
    trimmed_span,
)
from qualcode.importers.survey_table import Table, read_csv, read_xlsx
from qualcode.importers.transcript import TURN_SEPARATOR, resolve_kind

_ID_NAMES = {"id", "respondent", "respondentid", "responseid", "participant", "participantid", "caseid", "respid"}
_SPLIT_CHOICES = re.compile(r"[;,|]")


def parse(
    path: Path,
    *,
    kind: DocumentKind | str | None = None,
    encoding: str | None = None,
    id_column: str | None = None,
    attribute_columns: list[str] | None = None,
    open_columns: list[str] | None = None,
    per: str | None = None,
    **options: Any,
) -> ParsedImport:
    path = Path(path)
    raw = read_bytes(path)
    is_csv = path.suffix.lower() != ".xlsx"
    table = read_csv(raw, path.name, encoding) if is_csv else read_xlsx(raw, path.name)
    per = per or "respondent"
    if per not in ("respondent", "question"):
        raise ImportRefused(f"{path.name}: per must be 'respondent' or 'question', not '{per}'")
    id_index = _find(table, id_column, path.name) if id_column else _guess_id(table)
    opens, attributes = _split_columns(table, id_index, open_columns, attribute_columns, path.name)
    labels = _labels(table, id_index, path.name)
    warnings = list(table.warnings)
    if id_index is None:
        warnings.append(f"no ID column found; respondents are labelled R1..R{len(labels)} by row (set an ID column)")
    people = [
        ParsedParticipant(label, attributes={table.names[i]: cells[i].strip() for i in attributes if cells[i].strip()})
        for label, (_, cells) in zip(labels, table.rows, strict=True)
    ]
    base = {"format": "csv" if is_csv else "xlsx", "file_sha256": sha256_of(raw)}
    if is_csv:
        base["line_endings"] = line_ending_of(raw)
    document_kind = resolve_kind(path, kind, DocumentKind.SURVEY) if kind else DocumentKind.SURVEY
    build = _per_question if per == "question" else _per_respondent
    if not opens:
        shown = ", ".join(table.names[:12]) + (", ..." if len(table.names) > 12 else "")
        raise ImportRefused(
            f"{path.name}: no column holds free-text answers (columns: {shown}); "
            "a survey import needs at least one open-answer column"
        )
    documents = build(path, table, labels, opens, document_kind, base)
    if not documents:
        raise ImportRefused(f"{path.name}: every open-answer cell is empty; there is nothing to import")
    return ParsedImport(documents, people, warnings)


def _find(table: Table, wanted: str, name: str) -> int:
    for candidates in (table.names, table.questions):
        if wanted in candidates:
            return candidates.index(wanted)
    folded = wanted.casefold().strip()
    for candidates in (table.names, table.questions):
        for index, column in enumerate(candidates):
            if column.casefold() == folded:
                return index
    raise ImportRefused(f"{name}: no column named '{wanted}' (columns: {', '.join(table.names)})")


def _guess_id(table: Table) -> int | None:
    for index, column in enumerate(table.names):
        if re.sub(r"[^a-z]", "", column.lower()) in _ID_NAMES:
            return index
    return None


def _labels(table: Table, id_index: int | None, name: str) -> list[str]:
    """Participant labels: '729' -> 'ID:729'; labels such as 'ID:729' or 'R12' are kept as they are."""
    labels: list[str] = []
    first_row: dict[str, int] = {}
    for position, (number, cells) in enumerate(table.rows, 1):
        if id_index is None:
            labels.append(f"R{position}")
            continue
        value = " ".join(cells[id_index].split())
        if not value:
            raise ImportRefused(f"{name}: row {number}: the ID column '{table.names[id_index]}' is empty")
        label = f"ID:{value}" if value.isdigit() else value
        if label in first_row:
            raise ImportRefused(f"{name}: row {number}: duplicate ID '{value}' (first seen in row {first_row[label]})")
        first_row[label] = number
        labels.append(label)
    return labels


def _split_columns(
    table: Table, id_index: int | None, open_columns: list[str] | None, attribute_columns: list[str] | None, name: str
) -> tuple[list[int], list[int]]:
    """Open-answer and attribute column indexes: as given, else guessed from what the cells hold."""
    rest = [i for i in range(len(table.names)) if i != id_index]
    # The ID column is the label; naming it among the answers or attributes would only repeat it.
    opens = [i for c in open_columns if (i := _find(table, c, name)) != id_index] if open_columns is not None else None
    attributes = (
        [i for c in attribute_columns if (i := _find(table, c, name)) != id_index] if attribute_columns is not None else None
    )
    if opens is None and attributes is None:
        opens = [i for i in rest if _looks_open([cells[i] for _, cells in table.rows])]
    if opens is None:
        opens = [i for i in rest if i not in attributes]
    if attributes is None:
        attributes = [i for i in rest if i not in opens]
    return opens, attributes


def _looks_open(cells: list[str]) -> bool:
    """Free text: long answers, or many different answers written as phrases; not numbers or choice lists."""
    values = [c.strip() for c in cells if c.strip()]
    if not values or all(_is_number(v) for v in values):
        return False
    median = statistics.median(len(v) for v in values)
    if _is_choice_list(values):
        return False
    distinct = len(set(values)) / len(values)
    if median > 40:
        # Long but repeated values are choice labels or consent statements, not free text.
        return len(values) < 4 or distinct >= 0.5
    with_space = sum(" " in v for v in values) / len(values)
    return len(values) >= 2 and distinct >= 0.6 and with_space >= 0.5 and median >= 12


def _is_number(value: str) -> bool:
    try:
        float(value.replace(",", ""))
    except ValueError:
        return False
    return True


def _is_choice_list(values: list[str]) -> bool:
    """Multi-select answers ("Education; Leadership") reuse a few options across many respondents."""
    tokens = [t.strip() for v in values for t in _SPLIT_CHOICES.split(v) if t.strip()]
    distinct = len(set(tokens))
    return len(values) >= 3 and len(tokens) > len(values) and distinct <= 20 and len(tokens) >= 2 * distinct


def _per_respondent(path, table, labels, opens, kind, base) -> list[ParsedDocument]:
    documents = []
    for label, (number, cells) in zip(labels, table.rows, strict=True):
        blocks = [(table.questions[i], cells[i]) for i in opens if cells[i].strip()]
        if not blocks:
            continue
        text, segments = _assemble([(f"{question}\n", answer, label, question) for question, answer in blocks])
        for segment in segments:
            segment.meta["row"] = number
        documents.append(
            ParsedDocument(
                title=respondent_title(path.stem, label),
                kind=kind,
                text=text,
                segments=segments,
                source_name=path.name,
                sha256=_part_hash(base, f"respondent:{label}"),
                meta={**base, "row": number, "respondent": label},
                participant_label=label,
            )
        )
    return documents


def _per_question(path, table, labels, opens, kind, base) -> list[ParsedDocument]:
    documents = []
    texts = [table.questions[i] for i in opens]
    for index in opens:
        question = table.questions[index]
        # Titles must be unique in a project; two columns can carry the same question text.
        title = question if texts.count(question) == 1 else f"{question} ({table.names[index]})"
        answers = [(label, number, cells[index]) for label, (number, cells) in zip(labels, table.rows, strict=True)]
        answers = [a for a in answers if a[2].strip()]
        if not answers:
            continue
        text, segments = _assemble([(f"{label}: ", answer, label, question) for label, _, answer in answers])
        for segment, (_, number, _) in zip(segments, answers, strict=True):
            segment.meta["row"] = number
        documents.append(
            ParsedDocument(
                title=title,
                kind=kind,
                text=text,
                segments=segments,
                source_name=path.name,
                sha256=_part_hash(base, f"question:{table.names[index]}"),
                meta={**base, "question": question, "column": table.names[index]},
            )
        )
    return documents


def _part_hash(base: dict[str, Any], part: str) -> str:
    """Stable and unique per document of one file; hashing the digest keeps 5,000 respondents cheap."""
    return sha256_of(f"{base['file_sha256']}\0{part}".encode())


def _assemble(blocks: list[tuple[str, str, str, str]]) -> tuple[str, list[ParsedSegment]]:
    """(prefix, answer, speaker, question) blocks -> text with one ANSWER span per answer."""
    parts: list[str] = []
    segments = []
    length = 0
    for prefix, answer, speaker, question in blocks:
        lead = (TURN_SEPARATOR if parts else "") + prefix
        parts += [lead, answer]
        length += len(lead)
        start, end = trimmed_span(answer, 0, len(answer))
        segments.append(ParsedSegment(length + start, length + end, SegmentKind.ANSWER, speaker, {"question": question}))
        length += len(answer)
    return "".join(parts), segments


def respondent_title(stem: str, label: str) -> str:
    """'Survey staff R01', but 'survey R01' for survey.csv: a file already named a survey is not named twice."""
    return f"{stem} {label}" if "survey" in stem.lower() else f"Survey {stem} {label}"
