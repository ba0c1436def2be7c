"""Theme counts, co-occurrence and barrier/facilitator tallies on the hand-counted fixture project."""

from __future__ import annotations

import pytest

from qualcode.analysis.cooccurrence import cooccurring, measure
from qualcode.analysis.counts import codebook_counts, theme_counts
from qualcode.analysis.tallies import construct_matrix, tally
from qualcode.errors import InvalidInput, NotFound


def by_value(breakdowns):
    return {b.value: (b.excerpts, b.participants) for b in breakdowns}


def test_leaf_theme_counts(ds):
    code = ds.resolve_code("leadership")
    counts = theme_counts(ds, code.id)
    assert (counts.codings, counts.excerpts, counts.documents, counts.participants, counts.coders) == (4, 3, 3, 3, 2)
    assert by_value(counts.by_kind) == {"interview": (1, 1), "focus_group": (1, 1), "survey": (1, 1)}
    assert by_value(counts.by_attribute["role"]) == {
        "(not given)": (1, 1), "commissioner": (0, 0), "manager": (1, 1), "nurse": (1, 1)}
    assert by_value(counts.by_attribute["region"]) == {"North": (2, 2), "South": (1, 1)}


def test_parent_theme_includes_descendants(ds):
    counts = theme_counts(ds, ds.resolve_code("barriers").id)
    assert (counts.codings, counts.excerpts, counts.documents, counts.participants, counts.coders) == (7, 6, 4, 4, 2)
    paths = [c.path for c in codebook_counts(ds)]
    assert paths[:3] == ["barriers", "barriers/leadership", "barriers/turnover"]
    assert {c.path: c.excerpts for c in codebook_counts(ds)}["community"] == 2


def test_survey_answer_belongs_to_its_respondent(ds):
    counts = theme_counts(ds, ds.resolve_code("turnover").id, attributes=["ambition"])
    assert by_value(counts.by_attribute["ambition"]) == {"(not given)": (2, 2), "A1": (0, 0), "A4": (1, 1)}


def test_cooccurrence_counts_jaccard_and_c(ds):
    leadership = ds.subtree(ds.resolve_code("leadership").id)
    site = ds.subtree(ds.resolve_code("site").id)
    n12, n1, n2, jac, c = measure(ds, leadership, site)
    assert (n12, n1, n2) == (1, 3, 2)
    assert c == pytest.approx(1 / 4)
    assert jac == pytest.approx(1 / 4)
    found = {r.path: r for r in cooccurring(ds, ds.resolve_code("barriers").id)}
    assert set(found) == {"community/site"}
    assert (found["community/site"].count, found["community/site"].c_coefficient) == (2, pytest.approx(2 / 6))


def test_barrier_tally_overall_ranked(ds):
    result = tally(ds, "barriers")
    assert [(r.path, r.excerpts, r.participants) for r in result.rows] == [
        ("barriers/leadership", 3, 3), ("barriers/turnover", 3, 3)]
    assert (result.excerpts, result.participants) == (6, 4)


def test_tally_by_kind_and_by_cooccurring_code(ds):
    by_kind = {g.value: g for g in tally(ds, "barrier", by="kind").groups}
    assert list(by_kind) == ["interview", "focus_group", "survey"]
    fg = by_kind["focus_group"]
    assert [(r.name, r.excerpts, r.participants) for r in fg.rows] == [("turnover", 2, 2), ("leadership", 1, 1)]
    assert (fg.excerpts, fg.participants) == (3, 2)
    by_code = {g.value: g for g in tally(ds, "barriers", by="code:community").groups}
    assert list(by_code) == ["site"]
    assert [(r.name, r.excerpts) for r in by_code["site"].rows] == [("leadership", 1), ("turnover", 1)]
    assert (by_code["site"].excerpts, by_code["site"].participants) == (2, 1)


def test_tally_quotes_prefer_coders_marks(ds):
    result = tally(ds, "facilitators", quotes=2)
    (row,) = result.rows
    assert row.quotes[0].candidate and row.quotes[0].attribution == "P01"
    assert row.quotes[0].text == "Our local champion kept the group meeting."


def test_construct_by_case_matrix(ds):
    matrix = construct_matrix(ds, "participant")
    assert matrix.columns == ("ID:101", "ID:102", "P01", "P02", "P03")
    cells = dict(zip(matrix.rows, matrix.cells))
    assert cells["barriers/leadership"] == (1, 0, 1, 1, 0)
    assert cells["barriers/turnover"] == (0, 1, 1, 1, 0)
    assert cells["facilitators/champions"] == (0, 0, 1, 0, 0)
    assert construct_matrix(ds, "setting", "barriers").columns == ("ICB", "community", "hospice")


def test_bad_groupings_are_one_line_errors(ds):
    with pytest.raises(NotFound):
        tally(ds, "barriers", by="shoe size")
    with pytest.raises(InvalidInput):
        tally(ds, "barriers", by="code:leadership")
    with pytest.raises(InvalidInput):
        tally(ds, "obstacles")


def test_bulk_load_matches_the_repositories(fixture_project, ds):
    from qualcode.store import codings, documents

    with fixture_project.db.reading() as s:
        assert ds.codings == codings.all_codings(s)
        expected = documents.all_segments(s)
    loaded = sorted((seg for segs in ds.segments.values() for seg in segs), key=lambda g: (g.document_id, g.index))
    assert loaded == expected


def test_same_counts_on_every_backend(db):
    from qualcode.analysis import load
    from tests.analysis.conftest import build_fixture

    build_fixture(db)
    with db.reading() as s:
        loaded = load(s)
    counts = theme_counts(loaded, loaded.resolve_code("barriers").id)
    assert (counts.codings, counts.excerpts, counts.documents, counts.participants, counts.coders) == (7, 6, 4, 4, 2)
    assert [r.path for r in tally(loaded, "barriers").rows] == ["barriers/leadership", "barriers/turnover"]
