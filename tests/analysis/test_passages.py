"""Passages: overlapping codings of one code count once, in tallies, summaries and by coder."""

from __future__ import annotations

import json
from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from qualcode.analysis.counts import theme_counts
from qualcode.analysis.dataset import Dataset, Excerpt
from qualcode.analysis.passages import coded_passages, merge_overlapping
from qualcode.analysis.tallies import tally
from qualcode.domain import Code, Coding, Document, DocumentKind, Participant, Segment, Valence

TEXT = "We lacked time for the volunteers. Nobody owned the ambitions. Staff left in spring."
CODES = [Code(1, "g1", "barriers", "barriers"), Code(2, "g2", "time", "barriers/time", parent_id=1, valence=Valence.BARRIER)]


def _coding(i, start, end, coder, code=2, doc=1):
    return Coding(i, doc, start, end, code, coder, datetime(2024, 1, 1))


def _dataset(codings) -> Dataset:
    return Dataset({1: Document(1, "int-01", DocumentKind.INTERVIEW, TEXT)}, CODES, codings,
                   {1: Participant(1, "P01", role="manager")}, {1: "alex", 2: "sam"},
                   {1: [Segment(1, 1, 0, 0, len(TEXT), participant_id=1)]})


def test_two_coders_with_different_edges_make_one_passage():
    # alex codes "lacked time for the volunteers", sam "We lacked time": one passage, not two
    ds = _dataset([_coding(1, 3, 33, 1), _coding(2, 0, 14, 2), _coding(3, 63, 83, 1)])
    result = tally(ds, "barriers")
    assert [(r.path, r.excerpts, r.participants) for r in result.rows] == [("barriers/time", 2, 1)]
    assert theme_counts(ds, 2).excerpts == 2 and theme_counts(ds, 2).codings == 3
    assert [r.excerpts for r in tally(ds, "barriers", coder="sam").rows] == [1]
    assert tally(ds, "barriers", coder="SAM").coder == "sam"
    per = tally(ds, "barriers", per_coder=True)
    assert per.coders == ("alex", "sam") and per.rows[0].by_coder == (("alex", 2), ("sam", 1))


@st.composite
def spans(draw):
    found = {}
    for i, (doc, start, length) in enumerate(draw(st.lists(
            st.tuples(st.sampled_from([1, 2]), st.integers(0, 60), st.integers(1, 20)), max_size=30)), start=1):
        found.setdefault(Excerpt(doc, start, start + length), []).append(_coding(i, start, start + length, 1, doc=doc))
    return found


@given(spans())
def test_merged_passages_cover_every_span_once_and_never_overlap(found):
    merged = merge_overlapping(found)
    passages = list(merged)
    for a, b in zip(passages, passages[1:]):
        assert a.document_id < b.document_id or a.end <= b.start  # document order, no overlap left
    for excerpt, codings in found.items():
        holders = [p for p in passages if p.document_id == excerpt.document_id and p.start <= excerpt.start
                   and excerpt.end <= p.end]
        assert len(holders) == 1 and all(c in merged[holders[0]] for c in codings)
    assert sum(len(v) for v in merged.values()) == sum(len(v) for v in found.values())
    for passage in passages:  # each passage is exactly the hull of what it holds
        inside = [e for e in found if e.document_id == passage.document_id and passage.start <= e.start < passage.end]
        assert min(e.start for e in inside) == passage.start and max(e.end for e in inside) == passage.end


def test_touching_spans_and_different_codes_stay_apart():
    touching = merge_overlapping({Excerpt(1, 0, 5): ["a"], Excerpt(1, 5, 9): ["b"]})
    assert list(touching) == [Excerpt(1, 0, 5), Excerpt(1, 5, 9)]
    both = coded_passages([_coding(1, 0, 10, 1, code=2), _coding(2, 5, 15, 2, code=3), _coding(3, 8, 20, 2, code=2)])
    assert [(p, [c.id for c in cs]) for p, cs in both] == [(Excerpt(1, 0, 20), [1, 3]), (Excerpt(1, 5, 15), [2])]


def test_tally_cli_coder_and_per_coder(tmp_path):
    from qualcode.cli import app
    from qualcode.coding import CodingService
    from qualcode.store import Database, codes, documents

    from tests.analysis.conftest import parsed

    url = f"sqlite:///{tmp_path / 'study.db'}"
    db = Database(url, create=True)
    with db.transaction() as s:
        documents.add_parsed(s, parsed("int-01", DocumentKind.INTERVIEW, None, [("P01", TEXT)]), [None])
        codes.add(s, "barriers")
        codes.add(s, "time", parent="barriers", fields={"valence": "barrier"})
    for coder, (start, end) in (("alex", (8, 38)), ("sam", (5, 19))):
        CodingService(db, coder).apply("int-01", start, end, "barriers/time")
    db.dispose()
    run = CliRunner().invoke
    rows = json.loads(run(app, ["--db", url, "tally", "barriers", "--json"]).output)[0]["rows"]
    assert [(r["path"], r["excerpts"]) for r in rows] == [("barriers/time", 1)]
    out = run(app, ["--db", url, "tally", "barriers", "--per-coder"]).output
    assert "alex" in out and "sam" in out
    mine = json.loads(run(app, ["--db", url, "tally", "barriers", "--coder", "sam", "--json"]).output)[0]
    assert mine["coder"] == "sam" and mine["rows"][0]["excerpts"] == 1
    missing = run(app, ["--db", url, "tally", "--coder", "kim"])
    assert missing.exit_code == 1 and "no coder 'kim'" in missing.output
