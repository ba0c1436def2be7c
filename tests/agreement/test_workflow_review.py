"""Disagreement review and adjudication on a stored project: consensus codings, code notes, blind mode."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qualcode.agreement.workflow import CONSENSUS_CODER, run_audit
from qualcode.agreement.workflow_assign import reveal, set_blind
from qualcode.agreement.workflow_review import code_notes, locate, resolve, review, unit_ref
from qualcode.domain import Provenance
from qualcode.errors import InvalidInput, NotFound, PermissionDenied
from qualcode.store import codes as code_repo
from qualcode.store import coders as coder_repo
from qualcode.store import codings as coding_repo
from qualcode.store.codings import CodingFilter
from qualcode.store.orm import AuditRow
from tests.agreement.test_workflow_project import build_project


@pytest.fixture
def project(db):
    build_project(db)
    return db


def consensus_codings(db):
    with db.reading() as s:
        coder = coder_repo.find(s, CONSENSUS_CODER)
        return coding_repo.query(s, CodingFilter(coder_ids=[coder.id]))


def test_review_lists_each_disputed_unit_with_every_coders_codes_and_text(project):
    found = review(project, coders=["alex", "sam"])
    rows = found.to_dicts()
    # Harbourside turn 3 (public disputed) and Upland turn 3 (public and barriers disputed)
    assert len(rows) == 2
    upland = next(r for r in rows if r["document"] == "Upland interview")
    assert upland["codes_by_coder"] == {"alex": ["community/public"], "sam": ["barriers"]}
    assert sorted(upland["disputed"]) == ["barriers", "community/public"]
    assert upland["text"].startswith("People here think of the public")
    assert upland["unit_id"].startswith("S") and upland["resolution"] is None
    only = review(project, coders=["alex", "sam"], code="barriers")
    assert [unit_ref(i) for i in only.items] == [upland["unit_id"]]


def test_resolve_stores_consensus_codings_with_provenance_and_a_code_note(project):
    item = review(project, coders=["alex", "sam"], code="barriers").items[0]
    ref = unit_ref(item)
    result = resolve(project, ref, ["community/public"], note="Public means lay people as opposed to staff.")
    assert result.coders == {"alex": ["community/public"], "sam": ["barriers"]}
    stored = consensus_codings(project)
    assert [(c.start, c.end, c.provenance) for c in stored] == [(item.start, item.end, Provenance.CONSENSUS)]
    assert "alex: community/public" in stored[0].memo and "sam: barriers" in stored[0].memo
    with project.reading() as s:
        public = code_repo.resolve(s, "community/public")
        barriers = code_repo.resolve(s, "barriers")
        # the note goes on both disputed codes, for the next codebook revision
        assert [n["text"] for n in code_notes(s, public.id)] == ["Public means lay people as opposed to staff."]
        assert len(code_notes(s, barriers.id)) == 1
    # the decision is shown next to the unit from now on
    assert review(project, coders=["alex", "sam"], code="barriers").to_dicts()[0]["resolution"]["codes"] == [
        "community/public"]


def test_resolving_again_replaces_the_consensus_codes_of_that_unit(project):
    ref = unit_ref(review(project, coders=["alex", "sam"], code="barriers").items[0])
    resolve(project, ref, ["community/public"])
    second = resolve(project, ref, ["barriers", "community/public"])
    assert len(second.added) == 1 and second.removed == ()
    third = resolve(project, ref, [])
    assert len(third.removed) == 2
    assert consensus_codings(project) == []
    with project.reading() as s:
        logged = s.scalars(select(AuditRow).where(AuditRow.entity == "agreement_unit")).all()
    assert [row.after["codes"] for row in logged] == [["community/public"], ["barriers", "community/public"], []]


def test_consensus_coder_is_left_out_of_default_audits(project):
    ref = unit_ref(review(project, coders=["alex", "sam"]).items[0])
    resolve(project, ref, ["barriers"])
    report = run_audit(project, bootstrap_reps=0)
    assert CONSENSUS_CODER not in report.coders
    named = run_audit(project, coders=["alex", CONSENSUS_CODER], bootstrap_reps=0)
    assert named.coders == ("alex", CONSENSUS_CODER)


def test_unit_ids_name_segments_or_spans(project):
    with project.reading() as s:
        doc_id, start, end, segment = locate(s, "S2")
        assert segment == 2 and end > start
        assert locate(s, f"D{doc_id}:{start}-{end}") == (doc_id, start, end, None)
        with pytest.raises(NotFound):
            locate(s, "S9999")
        with pytest.raises(InvalidInput, match="outside"):
            locate(s, f"D{doc_id}:0-99999")
        with pytest.raises(InvalidInput, match="neither"):
            locate(s, "turn seven")


def test_blind_mode_hides_disagreements_until_reveal(project):
    set_blind(project, True)
    with pytest.raises(PermissionDenied, match="reveal"):
        review(project, coders=["alex", "sam"])
    with pytest.raises(PermissionDenied, match="reveal"):
        resolve(project, "S2", ["barriers"])
    # the aggregate report shows nobody's codes, so it stays available
    assert run_audit(project, coders=["alex", "sam"], bootstrap_reps=0).n_units == 8
    with pytest.raises(PermissionDenied, match="owner \\(alex\\)"):
        reveal(project, actor="sam")
    state = reveal(project, actor="alex")
    assert state == {"blind_mode": True, "revealed": True, "hidden": False}
    assert len(review(project, coders=["alex", "sam"]).items) == 2
    assert set_blind(project, True)["hidden"] is True  # a new blind round starts unrevealed


def test_note_without_a_code_to_attach_to_is_refused(project):
    # the first Harbourside turn: both coders agree, nothing disputed and no code chosen
    with pytest.raises(InvalidInput, match="--note-code"):
        resolve(project, "S2", [], note="nothing to say")


def test_code_notes_attach_to_named_codes(project):
    from qualcode.agreement.workflow_review import add_code_notes

    ids = add_code_notes(project, "S8", "Count lay views of 'public' here.", ["community/public"], author="alex")
    with project.reading() as s:
        notes = code_notes(s, code_repo.resolve(s, "community/public").id)
    assert [n["id"] for n in notes] == ids and notes[0]["title"] == "Adjudication note (S8)"
    with pytest.raises(InvalidInput, match="empty"):
        add_code_notes(project, "S8", "  ", ["barriers"])


def test_a_unit_the_coders_agree_on_is_not_resolved(project):
    from qualcode.errors import Conflict

    with project.reading() as s:
        before = len(coding_repo.query(s, CodingFilter()))
    with pytest.raises(Conflict, match="S2 is not a disputed unit"):
        resolve(project, "S2", ["barriers"])  # the first Harbourside turn: both coders agree
    with project.reading() as s:
        assert len(coding_repo.query(s, CodingFilter())) == before
    ref = unit_ref(review(project, coders=["alex", "sam"]).items[0])
    assert resolve(project, ref, ["barriers"]).codes == ("barriers",)
