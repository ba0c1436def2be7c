"""The analyses on the demo project, checked against counts taken straight from the corpus files."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
import yaml

from qualcode.demo import DEMO_CORPUS, build_demo
from qualcode.errors import QualcodeError


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from qualcode.analysis import load
    from qualcode.store import Database

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    try:
        build = build_demo(path)
    except QualcodeError as exc:  # the corpus or its loaders are still being finished by others
        pytest.skip(f"the demo project does not build yet: {exc}")
    db = Database(f"sqlite:///{path}")
    with db.reading() as s:
        ds = load(s)
    db.dispose()
    return build, ds


def corpus_codings():
    with (DEMO_CORPUS / "codings.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_codings_per_top_level_theme_match_the_csv(demo):
    build, ds = demo
    assert not build.unanchored
    expected = Counter(row["code"].split("/")[0] for row in corpus_codings())
    from qualcode.analysis.counts import codebook_counts

    found = {c.path: c.codings for c in codebook_counts(ds) if "/" not in c.path}
    assert {k: v for k, v in found.items() if v} == dict(expected)
    assert sorted(ds.coders.values()) == ["alex", "sam"]


def _csv_span(ds, row) -> tuple[int, int, int]:
    doc = next(d for d in ds.documents.values() if d.title == row["document"])
    at = -1
    for _ in range(int(row["occurrence"] or 1)):
        at = doc.text.index(row["quote"], at + 1)
    return doc.id, at, at + len(row["quote"])


def _overlap_groups(spans: set[tuple[int, int, int]]) -> int:
    """Connected groups of spans sharing a character (union-find over every pair: an oracle, not a sweep)."""
    spans = sorted(spans)
    parent = list(range(len(spans)))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i, (d1, s1, e1) in enumerate(spans):
        for j, (d2, s2, e2) in enumerate(spans[:i]):
            if d1 == d2 and s1 < e2 and s2 < e1:
                parent[root(i)] = root(j)
    return len({root(i) for i in range(len(spans))})


def test_barrier_tally_matches_distinct_passages_in_the_csv(demo):
    _, ds = demo
    from qualcode.analysis.tallies import tally

    result = tally(ds, "barriers", quotes=1)
    rows = [r for r in corpus_codings() if r["code"].startswith("barriers/")]
    spans = {code: {_csv_span(ds, r) for r in rows if r["code"] == code} for code in {r["code"] for r in rows}}
    per_code = {code: _overlap_groups(found) for code, found in spans.items()}
    assert {r.path: r.excerpts for r in result.rows if r.excerpts} == per_code
    # the demo has passages two coders coded with different edges: they count once
    assert any(n < len(spans[code]) for code, n in per_code.items())
    alex = tally(ds, "barriers", coder="alex")
    per_alex = {code: _overlap_groups({_csv_span(ds, r) for r in rows if r["code"] == code and r["coder"] == "alex"})
                for code in spans}
    assert {r.path: r.excerpts for r in alex.rows if r.excerpts} == {c: n for c, n in per_alex.items() if n}
    assert [r.excerpts for r in result.rows] == sorted((r.excerpts for r in result.rows), reverse=True)
    assert all(q.attribution != "Study participant" for r in result.rows for q in r.quotes)


def test_survey_crosstab_counts_respondents(demo):
    _, ds = demo
    from qualcode.analysis.crosstab import crosstab

    with (DEMO_CORPUS / "mapping-survey.csv").open(newline="", encoding="utf-8") as handle:
        answers = [r for r in csv.DictReader(handle) if r["Primary ambition"].strip() and r["Care setting"].strip()]
    result = crosstab(ds, "attr:Primary ambition", "attr:Care setting")
    assert result.unit == "participants" and result.total == len(answers)
    expected = Counter((r["Primary ambition"].strip(), r["Care setting"].strip()) for r in answers)
    cells = {(row, col): result.counts[i][j] for i, row in enumerate(result.rows) for j, col in enumerate(result.columns)}
    assert {k: v for k, v in cells.items() if v} == dict(expected)


def test_demo_report_is_deterministic_and_names_free(demo, tmp_path):
    _, ds = demo
    from qualcode.reports import build_report, render_to

    first = render_to(build_report(ds), tmp_path / "a.md", "md").read_bytes()
    assert first == render_to(build_report(ds), tmp_path / "b.md", "md").read_bytes()
    text = first.decode()
    people = yaml.safe_load((DEMO_CORPUS / "participants.yaml").read_text())["participants"]
    for person in people:
        assert person["name"] not in text, person["label"]
    assert "## Saturation" in text and "interview" in text
