"""REFI-QDA test fixtures: small projects built through the API, the shared validator and samples."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qualcode.coding import CodingService
from qualcode.domain import DocumentKind, MemoTarget, SegmentKind
from qualcode.importers.base import ParsedDocument, ParsedParticipant, ParsedSegment
from qualcode.store import memos as memo_repo
from qualcode.store import sets as set_repo
from qualcode.store import coders, codes, documents, participants


def paragraphs_document(title: str, text: str, kind=DocumentKind.INTERVIEW, date: str | None = None) -> ParsedDocument:
    segments, at = [], 0
    for block in text.split("\n\n"):
        if block.strip():
            segments.append(ParsedSegment(at, at + len(block), SegmentKind.PARAGRAPH))
        at += len(block) + 2
    return ParsedDocument(title=title, kind=kind, text=text, segments=segments, source_name=f"{title}.txt",
                          sha256=title, date=date)


def build_small_project(db) -> dict:
    """Two transcripts (one with an emoji and accents), a code tree, two coders, memos, a set."""
    text_a = "Interviewer: How did the framework help?\n\nMarta Quill: It gave us a shared language 😀 for care.\n\nInterviewer: And community?"
    text_b = "Óscar Brindle: Our café meets weekly; volunteers run it.\n\nIt is hard to measure progress."
    with db.transaction() as s:
        p1 = participants.upsert(s, ParsedParticipant(label="P01", role="service manager", name="Marta Quill",
                                                      attributes={"region": "North Fenwick", "setting": "hospice"}))
        p2 = participants.upsert(s, ParsedParticipant(label="P02", attributes={"region": "Lower Amble"}))
        documents.add_parsed(s, paragraphs_document("interview-01", text_a, date="2024-03-05"), [None, p1, None])
        documents.add_parsed(s, paragraphs_document("cafe-notes", text_b, DocumentKind.EVIDENCE_CAFE), [p2, p2])
        codes.add(s, "community", fields={"description": "What community means", "colour": "#aa00ff"})
        codes.add(s, "site", parent="community", fields={"description": "A place", "keywords": ["café", "church"],
                                                           "inclusion": "towns\nand streets", "valence": "none"})
        codes.add(s, "barriers", fields={"valence": "barrier", "examples": ["hard to measure"]})
    alex, sam = CodingService(db, "alex"), CodingService(db, "sam")
    start = text_a.index("shared language")
    c1 = alex.apply("interview-01", start, start + len("shared language 😀"), "community", memo="key phrase")
    sam.apply("interview-01", start, start + len("shared language 😀"), "community")
    alex.apply("interview-01", start, start + len("shared language 😀"), "community/site")
    b = text_b.index("hard to measure")
    sam.apply("cafe-notes", b, b + len("hard to measure progress"), "barriers")
    alex.apply("cafe-notes", 0, text_b.index("\n"), "community/site")
    with db.transaction() as s:
        doc = documents.resolve(s, "cafe-notes")
        code = codes.resolve(s, "community")
        coder = coders.find(s, "alex").id
        memo_repo.add(s, target=MemoTarget.DOCUMENT, target_id=doc.id, text="Run by volunteers.", title="cafe",
                      coder_id=coder, created=None, guid="0b5a3c1e-7d2f-4e8a-9c6b-1a2b3c4d5e6f", coder="alex")
        memo_repo.add(s, target=MemoTarget.CODE, target_id=code.id, text="Four meanings.", title=None,
                      coder_id=None, created=None, guid="1c6b4d2f-8e3a-4f9b-8d7c-2b3c4d5e6f70", coder="alex")
        memo_repo.add(s, target=MemoTarget.PROJECT, target_id=None, text="Stage one.", title="project",
                      coder_id=coder, created=None, guid="2d7c5e3a-9f4b-4a0c-9e8d-3c4d5e6f7081", coder="alex")
        memo_repo.add(s, target=MemoTarget.CODING, target_id=c1.id, text="Check with P01.", title=None,
                      coder_id=coder, created=None, guid="3e8d6f4b-a05c-4b1d-8f9e-4d5e6f708192", coder="alex")
        set_repo.add(s, guid="4f9e7a5c-b16d-4c2e-9a0f-5e6f708192a3", name="Stage one",
                     description="first round", members=[("document", doc.id), ("code", code.id)], coder="alex")
    return {"text_a": text_a, "text_b": text_b}


# The validator and the standard's two XSDs ship in tests/fixtures, so the checks run on a fresh clone.
REFI_TOOLS = Path(__file__).resolve().parents[1] / "fixtures"


def run_validator(tools_dir: Path, path: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run refi-qda/validate.py found under tools_dir (REFI_TOOLS, or ../shared for its own copy)."""
    return subprocess.run([sys.executable, str(tools_dir / "refi-qda" / "validate.py"), str(path), *extra],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def refi_tools() -> Path:
    return REFI_TOOLS


@pytest.fixture
def small_project(sqlite_db):
    build_small_project(sqlite_db)
    return sqlite_db
