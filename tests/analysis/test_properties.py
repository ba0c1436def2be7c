"""Properties of counts, tallies and co-occurrence over random codings (a Dataset built without a database)."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from qualcode.analysis.cooccurrence import measure
from qualcode.analysis.counts import codebook_counts, theme_counts
from qualcode.analysis.dataset import Dataset
from qualcode.analysis.tallies import tally
from qualcode.domain import Code, Coding, Document, DocumentKind, Participant, Segment, Valence

CODES = [
    Code(1, "g1", "barriers", "barriers"),
    Code(2, "g2", "a", "barriers/a", parent_id=1, valence=Valence.BARRIER),
    Code(3, "g3", "b", "barriers/b", parent_id=1, valence=Valence.BARRIER),
    Code(4, "g4", "c", "c"),
]
TEXT = "x" * 100
DOCS = {i: Document(i, f"d{i}", DocumentKind.INTERVIEW if i == 1 else DocumentKind.SURVEY, TEXT) for i in (1, 2)}
PEOPLE = {i: Participant(i, f"P{i}", role="r" if i % 2 else "s") for i in (1, 2, 3)}
SEGMENTS = {
    1: [Segment(1, 1, 0, 0, 40, participant_id=1), Segment(2, 1, 1, 40, 100, participant_id=2)],
    2: [Segment(3, 2, 0, 0, 100, participant_id=3)],
}

coding = st.builds(
    lambda doc, start, length, code, coder: (doc, start, min(100, start + length), code, coder),
    st.sampled_from([1, 2]), st.integers(0, 98), st.integers(1, 30), st.sampled_from([2, 3, 4]), st.sampled_from([1, 2]),
)


def dataset(rows) -> Dataset:
    codings = [Coding(i, d, s, e, c, coder, datetime(2024, 1, 1)) for i, (d, s, e, c, coder) in enumerate(rows, start=1)]
    return Dataset(DOCS, CODES, codings, PEOPLE, {1: "alex", 2: "sam"}, {k: list(v) for k, v in SEGMENTS.items()})


@given(st.lists(coding, max_size=40))
def test_counts_are_consistent(rows):
    ds = dataset(rows)
    counts = {c.path: c for c in codebook_counts(ds)}
    parent, a, b = counts["barriers"], counts["barriers/a"], counts["barriers/b"]
    assert parent.codings == a.codings + b.codings
    assert max(a.excerpts, b.excerpts) <= parent.excerpts <= a.excerpts + b.excerpts
    assert parent.excerpts <= parent.codings
    assert parent.participants <= len(PEOPLE) and parent.coders <= 2
    full = theme_counts(ds, 1)
    assert (full.excerpts, full.participants, full.documents) == (parent.excerpts, parent.participants, parent.documents)
    assert sum(k.excerpts for k in full.by_kind) == full.excerpts


@given(st.lists(coding, max_size=40))
def test_tally_groups_cover_every_excerpt(rows):
    ds = dataset(rows)
    result = tally(ds, "barriers", by="role")
    assert [r.excerpts for r in result.rows] == sorted((r.excerpts for r in result.rows), reverse=True)
    for row in result.rows:
        in_groups = sum(r.excerpts for g in result.groups for r in g.rows if r.path == row.path)
        assert in_groups >= row.excerpts  # an excerpt spanning two speakers counts in both roles


@given(st.lists(coding, max_size=40))
def test_cooccurrence_is_symmetric_and_bounded(rows):
    ds = dataset(rows)
    n12, n1, n2, jac, c = measure(ds, {2}, {4})
    m12, m1, m2, jac2, c2 = measure(ds, {4}, {2})
    assert (n12, n1, n2, jac, c) == (m12, m2, m1, jac2, c2)
    assert 0 <= jac <= 1 and 0 <= c <= 1
    assert n12 <= n1 * n2
