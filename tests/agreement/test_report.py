"""build_report wires units to the reference libraries exactly, states its semantics and serialises."""

from __future__ import annotations

import json
from datetime import datetime
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings

from qualcode.agreement import coefficients as C
from qualcode.agreement.report import AgreementOptions, build_report, build_units
from qualcode.agreement.units import UnitKind, default_assignments
from qualcode.domain.models import Code, Coder
from qualcode.errors import InvalidInput
from tests.agreement.strategies import make_coding, make_documents, make_segments, studies


def _codes(ids):
    return [Code(id=i, guid=f"g{i}", name=f"code {i}", path=f"family/code {i}") for i in ids]


def _coders(ids):
    names = ["Asha", "Bram", "Carys", "Dov", "Edda"]
    return [Coder(id=k, name=names[k - 1]) for k in ids]


def _alpha_reference(values):
    import krippendorff

    data = np.where(values < 0, np.nan, values.astype(float)).T
    return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal", value_domain=[0, 1])


@settings(max_examples=40, deadline=None)
@given(studies())
def test_report_matches_libraries_on_random_studies_with_missing_coverage(study):
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    documents, segments, codings, code_ids, coder_ids, assignments = study
    for unit in (UnitKind.SEGMENT, UnitKind.DOCUMENT, UnitKind.CHARACTER):
        options = AgreementOptions(unit=unit, assignments=assignments, bootstrap_reps=20)
        try:
            report = build_report(codings, segments, documents, _codes(code_ids), _coders(coder_ids), options)
        except InvalidInput:
            assert unit is UnitKind.SEGMENT and not segments
            continue
        units = build_units(codings, segments, documents, code_ids, coder_ids, options)
        for index, code in enumerate(report.codes):
            values = units.values(index)
            values = np.repeat(values, units.weights, axis=0)  # characters, for character units
            alpha = code.coefficients[C.ALPHA]
            if alpha.defined:
                assert alpha.value == pytest.approx(_alpha_reference(values), abs=1e-6)
            else:
                assert alpha.reason
            fleiss = code.coefficients[C.FLEISS]
            complete = (values >= 0).all(axis=1)
            if fleiss.defined:
                table, _ = aggregate_raters(values[complete], n_cat=2)
                assert fleiss.value == pytest.approx(fleiss_kappa(table), abs=1e-6)
            for pair, (a, b) in zip(code.pairs, combinations(range(len(coder_ids)), 2)):
                if pair.kappa.defined:
                    both = (values[:, a] >= 0) & (values[:, b] >= 0)
                    expected = cohen_kappa_score(values[both, a], values[both, b], labels=[0, 1])
                    assert pair.kappa.value == pytest.approx(expected, abs=1e-6)
        json.dumps(report.to_dict())


def _two_coder_study():
    """Two coders, eight turns in two documents; code 100 mostly agreed, 101 never used, 102 on every turn."""
    documents = make_documents([80, 80])
    segments = make_segments(documents, [[20, 40, 60], [20, 40, 60]])
    codings, i = [], 0
    asha = [1, 1, 0, 0, 1, 0, 1, 0]
    bram = [1, 0, 0, 0, 1, 0, 1, 1]
    for u, seg in enumerate(segments):
        for coder, flags in ((1, asha), (2, bram)):
            i += 1
            codings.append(make_coding(i, seg.document_id, seg.start, seg.end, 102, coder))
            if flags[u]:
                i += 1
                codings.append(make_coding(i, seg.document_id, seg.start + 2, seg.end - 2, 100, coder))
    return documents, segments, codings, asha, bram


def test_worked_two_coder_example_and_undefined_codes():
    documents, segments, codings, asha, bram = _two_coder_study()
    when = datetime(2024, 5, 1, 12, 0)
    report = build_report(codings, segments, documents, _codes([100, 101, 102]), _coders([1, 2]),
                          AgreementOptions(codebook_version=3, timestamp=when, round_label="round 2"))
    used, unused, everywhere = report.codes
    assert used.coefficients[C.ALPHA].value == pytest.approx(_alpha_reference(np.array([asha, bram]).T), abs=1e-9)
    assert used.coefficients[C.PERCENT].value == pytest.approx(6 / 8)
    assert used.prevalence == pytest.approx(8 / 16)
    assert used.applied_by == {"Asha": 4, "Bram": 4}
    low, high = used.coefficients[C.ALPHA].ci_low, used.coefficients[C.ALPHA].ci_high
    assert low <= used.coefficients[C.ALPHA].value <= high
    for code in (unused, everywhere):
        for name in C.CHANCE_CORRECTED:
            assert code.coefficients[name].value is None
            assert "no variation" in code.coefficients[name].reason
    assert "no variation" in unused.pairs[0].kappa.reason
    assert report.n_units == 8 and report.n_documents == 2 and report.unit_label == "speaker turns"
    data = report.to_dict()
    assert data["codebook_version"] == 3 and data["timestamp"] == when.isoformat() and data["round"] == "round 2"
    assert json.loads(json.dumps(data))["codes"][1]["coefficients"][C.ALPHA]["value"] is None
    assert "Two coders (Asha, Bram) independently coded 8 speaker turns from 2 documents" in report.sentence
    assert "2 codes had no defined coefficient (code 101, code 102)" in report.sentence


def test_bootstrap_is_reproducible_and_seed_dependent():
    documents, segments, codings, _, _ = _two_coder_study()
    args = (codings, segments, documents, _codes([100]), _coders([1, 2]))
    first = build_report(*args, AgreementOptions(seed=5)).codes[0].coefficients[C.ALPHA]
    again = build_report(*args, AgreementOptions(seed=5)).codes[0].coefficients[C.ALPHA]
    other = build_report(*args, AgreementOptions(seed=6, bootstrap_reps=200)).codes[0].coefficients[C.ALPHA]
    assert (first.ci_low, first.ci_high) == (again.ci_low, again.ci_high)
    assert first.ci_reps > 900 and other.ci_reps <= 200
    assert (first.ci_low, first.ci_high) != (other.ci_low, other.ci_high)
    none = build_report(*args, AgreementOptions(bootstrap_reps=0)).codes[0].coefficients[C.ALPHA]
    assert none.ci_low is None and none.value == first.value


def test_unassigned_documents_are_missing_in_the_report():
    documents, segments, codings, asha, bram = _two_coder_study()
    # Bram was only assigned the first document: his codings in the second do not count, and his
    # ratings there are missing rather than "not applied"
    report = build_report(codings, segments, documents, _codes([100]), _coders([1, 2]),
                          AgreementOptions(assignments={1: {10, 11}, 2: {10}}))
    code = report.codes[0]
    assert code.n_units == 4
    assert code.coefficients[C.ALPHA].value == pytest.approx(
        _alpha_reference(np.array([asha, bram[:4] + [-1] * 4]).T), abs=1e-9)


def test_exclusive_group_is_one_nominal_variable():
    documents = make_documents([60])
    segments = make_segments(documents, [[10, 20, 30, 40, 50]])
    picks = {1: [100, 101, 100, None, 101, 100], 2: [100, 101, 101, 100, 101, (100, 101)]}
    codings, i = [], 0
    for coder, row in picks.items():
        for seg, pick in zip(segments, row):
            for code in ([] if pick is None else pick if isinstance(pick, tuple) else [pick]):
                i += 1
                codings.append(make_coding(i, 10, seg.start, seg.end, code, coder))
    report = build_report(codings, segments, documents, _codes([100, 101]), _coders([1, 2]),
                          AgreementOptions(groups={"stance": [100, 101]}))
    group = report.groups[0]
    assert group.violations == 1
    expected = _alpha_reference(np.array([[0, 1, 0, -1, 1, 0], [0, 1, 1, 0, 1, -1]]).T)
    assert group.coefficients[C.ALPHA].value == pytest.approx(expected, abs=1e-9)
    assert any("mutually exclusive" in s for s in report.semantics)
    with_none = build_report(codings, segments, documents, _codes([100, 101]), _coders([1, 2]),
                             AgreementOptions(groups={"stance": [100, 101]}, group_none_as_category=True))
    assert with_none.groups[0].n_units == 5  # unit 4 now has two values; unit 6 is still a violation
    with pytest.raises(InvalidInput, match="group"):
        build_report(codings, segments, documents, _codes([100, 101]), _coders([1, 2]),
                     AgreementOptions(groups={"bad": [100, 999]}))


def test_unitized_report_uses_shared_documents_and_states_it():
    documents, segments, codings, _, _ = _two_coder_study()
    report = build_report(codings, segments, documents, _codes([100, 101]), _coders([1, 2]),
                          AgreementOptions(unit=UnitKind.UNITIZED))
    assert report.primary == C.UNITIZED
    assert report.codes[0].coefficients[C.UNITIZED].defined
    assert report.codes[1].coefficients[C.UNITIZED].value is None
    assert report.n_units == 160 and report.n_documents == 2
    assert any("continuum" in note for note in report.notes)
    assert "unitized alpha" in report.sentence


def test_bad_input_raises_one_line_errors():
    documents, segments, codings, _, _ = _two_coder_study()
    with pytest.raises(InvalidInput, match="two coders"):
        build_report(codings, segments, documents, _codes([100]), _coders([1]))
    with pytest.raises(InvalidInput, match="min_overlap"):
        build_report(codings, segments, documents, _codes([100]), _coders([1, 2]), AgreementOptions(min_overlap=2))
    with pytest.raises(InvalidInput, match="segments"):
        build_report(codings, [], documents, _codes([100]), _coders([1, 2]))
    assert default_assignments(codings) == {1: {10, 11}, 2: {10, 11}}


def test_bootstrap_percentiles_match_numpy():
    from qualcode.agreement.bootstrap import _percentile_rows

    rng = np.random.default_rng(3)
    values = rng.normal(size=(6, 57))
    values[2, ::3] = np.nan
    values[4] = np.nan
    defined = np.isfinite(values).sum(axis=1)
    for q in (2.5, 50, 97.5):
        got = _percentile_rows(values, defined, q)
        for row in (0, 1, 2, 3, 5):
            assert got[row] == pytest.approx(np.percentile(values[row][np.isfinite(values[row])], q), abs=1e-12)


def test_more_bad_input_is_refused_with_a_message():
    documents, segments, codings, _, _ = _two_coder_study()
    with pytest.raises(InvalidInput, match="only once"):
        build_report(codings, segments, documents, _codes([100, 100]), _coders([1, 2]))
    with pytest.raises(InvalidInput, match="unitized"):
        build_report(codings, segments, documents, _codes([100, 102]), _coders([1, 2]),
                     AgreementOptions(unit="unitized", groups={"g": [100, 102]}))
    with pytest.raises(InvalidInput, match="unknown unit"):
        build_report(codings, segments, documents, _codes([100]), _coders([1, 2]), AgreementOptions(unit="word"))
    report = build_report(codings, segments, documents, _codes([100]), _coders([1, 2]), AgreementOptions(unit="document"))
    assert report.unit is UnitKind.DOCUMENT


@settings(max_examples=40, deadline=None)
@given(studies())
def test_unitized_report_equals_the_definition_on_random_studies(study):
    from qualcode.agreement.unitized import unitized_direct

    documents, segments, codings, code_ids, coder_ids, assignments = study
    report = build_report(codings, segments, documents, _codes(code_ids), _coders(coder_ids),
                          AgreementOptions(unit=UnitKind.UNITIZED, assignments=assignments))
    shared = sorted(set.intersection(*(assignments[k] for k in coder_ids)))
    docs = [d for d in sorted(documents, key=lambda d: d.id) if d.id in shared]
    spans = {c: [[[(x.start, x.end) for x in codings if x.code_id == c and x.coder_id == k and x.document_id == d.id]
                  for d in docs] for k in coder_ids] for c in code_ids}
    if not docs:
        assert all(code.primary.value is None for code in report.codes)
        return
    results, overall = unitized_direct(spans, [len(d.text) for d in docs])
    for code in report.codes:
        expected = results[code.code_id].alpha
        if code.primary.defined:
            assert code.primary.value == pytest.approx(expected, abs=1e-9)
    if overall is not None:
        assert report.overall[C.UNITIZED].value == pytest.approx(overall, abs=1e-9)


def test_exclusive_group_on_character_units_matches_per_character_alpha():
    documents = make_documents([30])
    segments = make_segments(documents, [[10, 20]])
    codings = [make_coding(1, 10, 0, 12, 100, 1), make_coding(2, 10, 0, 10, 100, 2),
               make_coding(3, 10, 12, 30, 101, 1), make_coding(4, 10, 10, 25, 101, 2)]
    report = build_report(codings, segments, documents, _codes([100, 101]), _coders([1, 2]),
                          AgreementOptions(unit="character", groups={"g": [100, 101]}))
    first = [0] * 12 + [1] * 18
    second = [0] * 10 + [1] * 15 + [-1] * 5
    expected = _alpha_reference(np.array([first, second]).T)
    assert report.groups[0].coefficients[C.ALPHA].value == pytest.approx(expected, abs=1e-9)
    assert report.groups[0].n_units == 25


def test_segment_assignments_sample_within_a_document():
    documents, segments, codings, asha, bram = _two_coder_study()
    # Bram was given only turns 1, 2, 5 and 6 (segment ids); his other turns are missing, not absent
    report = build_report(codings, segments, documents, _codes([100]), _coders([1, 2]),
                          AgreementOptions(segment_assignments={1: {s.id for s in segments}, 2: {1, 2, 5, 6}}))
    sampled = [b if i in (0, 1, 4, 5) else -1 for i, b in enumerate(bram)]
    assert report.codes[0].n_units == 4
    assert report.codes[0].coefficients[C.ALPHA].value == pytest.approx(
        _alpha_reference(np.array([asha, sampled]).T), abs=1e-9)
    assert report.options["assignments"] == "segments given"
    with pytest.raises(InvalidInput, match="segment units"):
        build_report(codings, segments, documents, _codes([100]), _coders([1, 2]),
                     AgreementOptions(unit="document", segment_assignments={1: {1}}))


@settings(max_examples=15, deadline=None)
@given(studies())
def test_library_point_estimates_equal_the_default_ones(study):
    documents, segments, codings, code_ids, coder_ids, assignments = study
    for unit in (UnitKind.DOCUMENT, UnitKind.CHARACTER):
        fast = build_report(codings, segments, documents, _codes(code_ids), _coders(coder_ids),
                            AgreementOptions(unit=unit, assignments=assignments, bootstrap_reps=0))
        slow = build_report(codings, segments, documents, _codes(code_ids), _coders(coder_ids),
                            AgreementOptions(unit=unit, assignments=assignments, bootstrap_reps=0, libraries=True))
        for a, b in zip(fast.codes, slow.codes):
            for name in C.ALL_OVERALL:
                x, y = a.coefficients[name], b.coefficients[name]
                assert (x.value is None) == (y.value is None)
                if x.value is not None:
                    assert x.value == pytest.approx(y.value, abs=1e-9)
            for p, q in zip(a.pairs, b.pairs):
                if p.kappa.value is not None:
                    assert p.kappa.value == pytest.approx(q.kappa.value, abs=1e-9)


def test_column_arrays_give_the_same_report_as_coding_values():
    from qualcode.agreement.units import raw_arrays

    documents, segments, codings, _, _ = _two_coder_study()
    for unit in UnitKind:
        options = AgreementOptions(unit=unit, timestamp=datetime(2024, 1, 1))
        values = build_report(codings, segments, documents, _codes([100, 102]), _coders([1, 2]), options)
        arrays = build_report(raw_arrays(codings), segments, documents, _codes([100, 102]), _coders([1, 2]), options)
        assert values.to_dict() == arrays.to_dict()
