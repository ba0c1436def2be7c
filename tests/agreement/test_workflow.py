"""The agreement workflow on a stored project: loading, assignments, saved audits and rounds, on both backends."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualcode.agreement import AgreementOptions, build_report
from qualcode.agreement import coefficients as C
from qualcode.agreement.workflow import load_inputs, rounds, run_audit
from qualcode.agreement.workflow_assign import assign, list_assignments, sample_plan
from qualcode.errors import InvalidInput, NotFound
from qualcode.store import codes as code_repo
from qualcode.store import coders as coder_repo
from qualcode.store import codings as coding_repo
from qualcode.store import documents as doc_repo
from qualcode.store import meta
from qualcode.store.orm import CodingRow
from tests.agreement.test_workflow_project import TURNS, apply_codings, build_project


@pytest.fixture
def project(db):
    build_project(db)
    return db


def values(report, name=C.ALPHA):
    return {c.path: c.coefficients[name].value for c in report.codes}


def test_report_from_store_equals_report_from_domain_values(project):
    report = run_audit(project, coders=["alex", "sam"], bootstrap_reps=50)
    with project.reading() as s:
        codings = coding_repo.all_codings(s)
        segments = doc_repo.all_segments(s)
        documents = doc_repo.list_all(s)
        codes = code_repo.list_all(s)
        coders = [coder_repo.find(s, "alex"), coder_repo.find(s, "sam")]
    expected = build_report(codings, segments, documents, codes, coders, AgreementOptions(bootstrap_reps=50))
    assert values(report) == values(expected)
    assert values(report, C.AC1) == values(expected, C.AC1)
    assert report.n_units == expected.n_units == 8  # two documents of four turns, both coders
    assert report.coders == ("alex", "sam")


def test_default_coders_are_everyone_with_codings_and_notes_say_how_assignments_were_taken(project):
    report = run_audit(project, bootstrap_reps=0)
    assert set(report.coders) == {"alex", "sam", "kim"}
    assert any("no assignments recorded for" in note for note in report.notes)
    assert "documents in which they made at least one coding" in report.options["assignments"]
    # kim coded only the third interview, alone: those units have one rating and are not compared
    assert report.n_units == 8


def test_assignments_make_unassigned_documents_missing(project):
    assign(project, ["alex", "sam"], documents=["Harbourside interview"])
    report = run_audit(project, coders=["alex", "sam"], bootstrap_reps=0)
    # sam's and alex's codings in the Upland interview are outside their assignment: missing, not compared
    assert report.n_units == 4
    assert report.n_documents == 1
    assert any("assignment table for alex, sam" in note for note in report.notes)
    public = next(c for c in report.codes if c.path == "community/public")
    assert public.applied_by == {"alex": 0, "sam": 1}


def test_coder_without_assignment_rows_falls_back_to_documents_coded(project):
    assign(project, ["alex"], documents=["Harbourside interview"])
    report = run_audit(project, coders=["alex", "sam"], bootstrap_reps=0)
    assert report.n_units == 4  # alex: Harbourside only; sam: both documents he coded
    assert any("no assignments recorded for sam" in note for note in report.notes)


def test_sampled_segments_are_the_units_both_coders_rate(project):
    plan = assign(project, ["alex", "sam"], sample_segments=3, seed=11,
                  documents=["Harbourside interview", "Upland interview"])
    again = sample_plan([(d, i) for d in (1, 2) for i in range(4)], 3, 11)
    assert plan.n_segments == 3
    assert sorted(len(v) for v in plan.documents.values()) == sorted(len(v) for v in again.values())
    report = run_audit(project, coders=["alex", "sam"], bootstrap_reps=0)
    assert report.n_units == 3
    with project.reading() as s:
        rows = [r for r in list_assignments(s) if r["coder"] == "alex"]
    assert sum(len(r["segments"]) for r in rows) == 3


def test_sample_plan_is_seeded_and_sized():
    population = [(d, i) for d in range(1, 6) for i in range(10)]
    assert sample_plan(population, 7, 3) == sample_plan(list(reversed(population)), 7, 3)
    with pytest.raises(InvalidInput, match="only 50"):
        sample_plan(population, 51, 3)


@given(st.sets(st.tuples(st.integers(1, 9), st.integers(0, 30)), min_size=1, max_size=60), st.data())
def test_sample_plan_draws_distinct_members_of_the_population(population, data):
    n = data.draw(st.integers(1, len(population)))
    seed = data.draw(st.integers(0, 2**31))
    plan = sample_plan(list(population), n, seed)
    drawn = [(d, i) for d, ix in plan.items() for i in ix]
    assert len(drawn) == len(set(drawn)) == n
    assert set(drawn) <= population
    assert all(ix == sorted(ix) for ix in plan.values())


def test_assign_needs_documents_or_a_sample(project):
    with pytest.raises(InvalidInput, match="--docs"):
        assign(project, ["alex", "sam"])
    with pytest.raises(NotFound):
        assign(project, ["alex"], documents=["No such interview"])


def test_saved_audits_line_up_by_codebook_version(project):
    run_audit(project, coders=["alex", "sam"], bootstrap_reps=0, save=True)
    with project.transaction() as s:
        meta.bump_codebook_version(s)
        version = meta.codebook_version(s)
    # after refining the codebook, alex now codes the Upland turn as sam did
    apply_codings(project, [("alex", "Upland interview", 3, "barriers"), ("sam", "Upland interview", 3, "community/public"),
                            ("alex", "Harbourside interview", 3, "community/public")])
    run_audit(project, coders=["alex", "sam"], bootstrap_reps=0, save=True)
    table = rounds(project)
    assert [r["codebook_version"] for r in table["rounds"]] == [version - 1, version]
    row = {r["path"]: r["values"] for r in table["codes"]}
    assert row["barriers"][1] > row["barriers"][0]
    assert table["rounds"][1]["median"] > table["rounds"][0]["median"]
    # a second audit under the same version replaces it in the default view, but every audit is kept
    run_audit(project, coders=["alex", "sam"], bootstrap_reps=0, save=True)
    assert len(rounds(project)["rounds"]) == 2
    assert len(rounds(project, every_audit=True)["rounds"]) == 3


def test_rounds_without_saved_audits_says_how_to_save(project):
    with pytest.raises(NotFound, match="--save"):
        rounds(project)


def test_unknown_coder_or_code_is_a_clear_error(project):
    with pytest.raises(NotFound):
        run_audit(project, coders=["alex", "nobody"])
    with pytest.raises(NotFound):
        run_audit(project, coders=["alex", "sam"], codes=["no/such/code"])
    with pytest.raises(InvalidInput, match="two or more coders"):
        run_audit(project, coders=["alex"])


def test_character_and_document_units_load_from_the_store(project):
    with project.reading() as s:
        inputs = load_inputs(s, unit="document", coders=["alex", "sam"])
    assert inputs.segments == []  # segments are read only for segment units
    assert len(inputs.documents) == len(TURNS)
    for unit in ("character", "document", "unitized"):
        report = run_audit(project, unit=unit, coders=["alex", "sam"], bootstrap_reps=0)
        assert str(report.unit) == unit
        assert report.sentence


def test_coding_columns_match_the_repository_and_empty_projects_load(db, project):
    from qualcode.agreement.workflow import coding_arrays, load_segments

    with project.reading() as s:
        fields = [(g.id, g.document_id, g.index, g.start, g.end, g.kind) for g in doc_repo.all_segments(s)]
        assert sorted((g.id, g.document_id, g.index, g.start, g.end, g.kind) for g in load_segments(s)) == sorted(fields)
        arrays = coding_arrays(s)
        expected = sorted((c.document_id, c.start, c.end, c.code_id, c.coder_id) for c in coding_repo.all_codings(s))
        sam = coder_repo.find(s, "sam").id
        only_sam = coding_arrays(s, [sam])
    got = sorted(zip(*(a.tolist() for a in (arrays.document, arrays.start, arrays.end, arrays.code, arrays.coder))))
    assert got == expected
    assert set(only_sam.coder.tolist()) == {sam}
    with project.transaction() as s:
        s.execute(CodingRow.__table__.delete())
    with project.reading() as s:
        assert len(coding_arrays(s)) == 0
