"""Suggestion test projects: the default codebook and the labelled fixture excerpts in a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "suggest" / "excerpts.yaml"
CODEBOOK = REPO / "codebooks" / "ambitions-framework.yaml"


def fixture_excerpts() -> list[dict]:
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))["excerpts"]


def add_document(db, title: str, paragraphs: list[str]) -> int:
    """A plain-text document whose segments are exactly `paragraphs`."""
    from qualcode.domain import DocumentKind, SegmentKind
    from qualcode.importers.base import ParsedDocument, ParsedSegment
    from qualcode.store import documents

    text, segments = "", []
    for paragraph in paragraphs:
        start = len(text)
        text += paragraph
        segments.append(ParsedSegment(start=start, end=len(text), kind=SegmentKind.PARAGRAPH))
        text += "\n\n"
    parsed = ParsedDocument(title=title, kind=DocumentKind.INTERVIEW, text=text, segments=segments)
    with db.transaction() as session:
        return documents.add_parsed(session, parsed, [None] * len(segments))


def build_fixture_project(db, coder: str = "ana", coded_fraction: float = 0.5) -> dict:
    """Codebook + two documents from the fixture: 'coded' (gold codes applied by `coder`) and 'uncoded'."""
    from qualcode.codebook.loader import load_codebook
    from qualcode.codebook.operations import import_spec
    from qualcode.coding import CodingService
    from qualcode.store import documents

    with db.transaction() as session:
        import_spec(session, load_codebook(CODEBOOK))
    items = fixture_excerpts()
    # Every other excerpt is coded, so each code family shows up on both sides.
    coded = [e for i, e in enumerate(items) if i % 2 == 0][: int(len(items) * coded_fraction) + 1]
    uncoded = [e for e in items if e not in coded]
    coded_id = add_document(db, "coded", [e["text"] for e in coded])
    uncoded_id = add_document(db, "uncoded", [e["text"] for e in uncoded])
    service = CodingService(db, coder)
    with db.reading() as session:
        segments = documents.segments(session, coded_id)
    for segment, item in zip(segments, coded, strict=True):
        for code in item["codes"]:
            service.apply(coded_id, segment.start, segment.end, code)
    return {"coded": coded_id, "uncoded": uncoded_id, "coded_items": coded, "uncoded_items": uncoded}


@pytest.fixture(scope="module")
def fixture_project(tmp_path_factory):
    """A coded project on a SQLite file, built once per test module (codebook loading costs seconds)."""
    from qualcode.store import Database

    path = tmp_path_factory.mktemp("suggest") / "project.db"
    db = Database(f"sqlite:///{path}", create=True)
    info = build_fixture_project(db)
    info["url"] = f"sqlite:///{path}"
    info["path"] = path
    yield db, info
    db.dispose()


@pytest.fixture(scope="module")
def fixture_codes():
    """(profiles of the codebook's leaf codes, gold-labelled excerpts), without any database."""
    from qualcode.codebook.loader import load_codebook
    from qualcode.nlp.suggest.protocol import CodeProfile, Excerpt

    spec = load_codebook(CODEBOOK)
    ids, codes = {}, []
    for i, (path, node) in enumerate(spec.walk()):
        ids[path] = i
        if not node.children:
            codes.append(CodeProfile(i, path, node.name, node.description, node.inclusion, tuple(node.examples), tuple(node.keywords)))
    excerpts = [
        Excerpt(e["text"], frozenset(ids[c] for c in e["codes"]), document_id=1, segment_index=i)
        for i, e in enumerate(fixture_excerpts())
    ]
    return codes, excerpts, ids
