"""Every CSV and XLSX export neutralises cells a spreadsheet would run as a formula (= + - @)."""

from __future__ import annotations

import csv
import io

import pytest

from qualcode.coding import CodingService
from qualcode.domain import DocumentKind, SegmentKind
from qualcode.importers.base import ParsedDocument, ParsedParticipant, ParsedSegment
from qualcode.store import codes as code_repo
from qualcode.store import documents as doc_repo
from qualcode.store import participants as participant_repo

DANGEROUS = ("=", "+", "-", "@")
# Turns that open with formula characters; each is long enough to be quoted on its own.
HOSTILE_TURNS = [
    "=HYPERLINK(\"http://example.invalid\",\"click\") we met the community team at the hall every week.",
    "+cmd|' /C calc'!A0 the volunteers said funding was the hardest part of the whole year.",
    "-2+3 people came to the listening sessions and the church hall was full again.",
    "@SUM(A1:A9) leadership changed twice and trust in the board took a long time to return.",
]
HOSTILE_CODES = ["=formula code", "+plus code", "-minus code", "@at code"]


def is_inert(value: object) -> bool:
    """Text must not open with a formula character; a plain number (e.g. -0.25) is inert."""
    if not isinstance(value, str) or not value.startswith(DANGEROUS + ("\t", "\r")):
        return True
    try:
        float(value)
        return True
    except ValueError:
        return False


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.fixture
def hostile_project(sqlite_db):
    """Four participants, four documents and four codes, every user-typed text starting with = + - @."""
    with sqlite_db.transaction() as session:
        for i, mark in enumerate(DANGEROUS, 1):
            participant_repo.upsert(session, ParsedParticipant(
                label=f"P{i}", role=f"{mark}role", name=f"Tamsin Orwell{i}",
                attributes={"region": f"{mark}Northmoor", "setting": f"{mark}hospice"},
            ))
        for name in HOSTILE_CODES:
            code_repo.add(session, name, bump_version=False, fields={"description": f"{name[0]}description"})
        session.flush()
        labels = {p.label: p.id for p in participant_repo.list_all(session)}
        for d in range(4):
            turns = [f"{HOSTILE_TURNS[(d + t) % 4]}" for t in range(4)]
            text, segments, at = [], [], 0
            for t, turn in enumerate(turns):
                segments.append(ParsedSegment(at, at + len(turn), SegmentKind.TURN, speaker=f"P{t + 1}"))
                text.append(turn)
                at += len(turn) + 2
            parsed = ParsedDocument(f"{DANGEROUS[d]}interview {d}", DocumentKind.INTERVIEW, "\n\n".join(text), segments,
                                    sha256=f"hostile-{d}")
            doc_repo.add_parsed(session, parsed, [labels[f"P{t + 1}"] for t in range(4)])
    for coder in ("=alex", "@sam"):
        service = CodingService(sqlite_db, coder)
        with sqlite_db.reading() as session:
            docs = doc_repo.list_all(session)
        for doc in docs:
            with sqlite_db.reading() as session:
                segments = doc_repo.segments(session, doc.id)
            for k, seg in enumerate(segments):
                code = HOSTILE_CODES[(k + (coder == "@sam")) % 4]
                service.apply(doc.id, seg.start, seg.end, code, memo=f"=memo {k}", candidate_quote=True)
    return sqlite_db


def test_codings_csv_export_is_inert(hostile_project, tmp_path):
    from qualcode.codings_io import export_csv

    out = tmp_path / "codings.csv"
    assert export_csv(hostile_project, out) == 32
    cells = csv_cells(out.read_text(encoding="utf-8"))
    assert any(c.startswith("'=") for c in cells)  # the hostile text really went through
    assert [c for c in cells if not is_inert(c)] == []


def test_report_workbook_is_inert(hostile_project, tmp_path):
    from openpyxl import load_workbook

    from qualcode.analysis.dataset import load
    from qualcode.reports import write_report

    with hostile_project.reading() as session:
        dataset = load(session)
    out = write_report(dataset, tmp_path / "report.xlsx", "xlsx").path  # written once the final scan passes
    workbook = load_workbook(out)
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert any(str(c.value).startswith("'") for c in cells)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []  # no cell is stored as a formula
    assert [(c.parent.title, c.coordinate, c.value) for c in cells if not is_inert(c.value)] == []


def test_agreement_csv_is_inert(hostile_project):
    from qualcode.agreement import render_csv
    from qualcode.agreement.workflow import run_audit

    report = run_audit(hostile_project, bootstrap_reps=20, seed=1)
    cells = csv_cells(render_csv(report))
    assert any(c.startswith("'") for c in cells)  # code and coder names are in the figures
    assert [c for c in cells if not is_inert(c)] == []


def test_quote_bank_csv_is_inert(hostile_project, tmp_path):
    from qualcode.quotes.build import build_bank
    from qualcode.quotes.export import export_bank
    from qualcode.quotes.model import BankSettings

    build_bank(hostile_project, BankSettings(codes=tuple(HOSTILE_CODES), use_ner=False, k=1, attributes=("region",)))
    out = tmp_path / "quotes.csv"
    export_bank(hostile_project, "csv", out)
    cells = csv_cells(out.read_text(encoding="utf-8"))
    assert len(cells) > 8  # a header and at least one quote
    assert any(c.startswith("'") for c in cells)
    assert [c for c in cells if not is_inert(c)] == []
