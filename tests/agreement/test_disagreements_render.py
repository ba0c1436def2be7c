"""Disagreements list disputed units with text; consensus codings; renderers carry every figure."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest

from qualcode.agreement import coefficients as C
from qualcode.agreement.disagreements import consensus_codings, find_disagreements
from qualcode.agreement.render import CSV_COLUMNS, render_csv, render_html, render_markdown
from qualcode.agreement.report import AgreementOptions, build_report
from qualcode.agreement.units import UnitKind
from qualcode.domain.models import Code, Coder, Document, DocumentKind, Provenance, Segment, SegmentKind
from qualcode.errors import InvalidInput
from tests.agreement.strategies import make_coding

TEXT = "We met at the Alder Street hub.|Funding ran out in spring.|Nobody knew who leads it.|"


def _study():
    """One invented focus-group transcript of three turns, coded by two coders."""
    doc = Document(id=7, title="Focus group (invented)", kind=DocumentKind.FOCUS_GROUP, text=TEXT)
    bounds = [0, 32, 59, 85]
    segments = [Segment(id=i + 1, document_id=7, index=i, start=a, end=b, kind=SegmentKind.TURN)
                for i, (a, b) in enumerate(zip(bounds, bounds[1:]))]
    codings = [
        make_coding(1, 7, 0, 31, 100, 1), make_coding(2, 7, 0, 31, 100, 2),  # both: site
        make_coding(3, 7, 32, 58, 101, 1),  # only Asha: resources barrier
        make_coding(4, 7, 59, 84, 102, 2), make_coding(5, 7, 59, 84, 101, 1),  # different codes
    ]
    codes = [Code(id=100, guid="a", name="site", path="community/site"),
             Code(id=101, guid="b", name="resources", path="barriers/resources"),
             Code(id=102, guid="c", name="leadership <lack>", path="barriers/leadership <lack>")]
    coders = [Coder(id=1, name="Asha"), Coder(id=2, name="Bram")]
    return codings, segments, [doc], codes, coders


def test_find_disagreements_lists_each_disputed_turn_with_text_and_codes():
    found = find_disagreements(*_study())
    assert [(d.start, d.end) for d in found] == [(32, 59), (59, 85)]
    second = found[1]
    assert second.text == "Nobody knew who leads it.|"
    assert second.codes_by_coder == {1: (101,), 2: (102,)}
    assert second.disputed == (101, 102)
    names = second.to_dict({101: "resources", 102: "leadership"}, {1: "Asha", 2: "Bram"})
    assert names["codes_by_coder"] == {"Asha": ["resources"], "Bram": ["leadership"]}
    json.dumps(names)


def test_disagreements_for_one_code_and_character_runs_merge():
    codings, segments, docs, codes, coders = _study()
    only = find_disagreements(codings, segments, docs, codes[1:2], coders)
    assert [(d.start, d.end) for d in only] == [(32, 59), (59, 85)]
    chars = find_disagreements(codings, segments, docs, codes, coders, AgreementOptions(unit=UnitKind.CHARACTER))
    # Asha's 32..58 run is one passage, not 26 separate characters
    assert (32, 58) in [(d.start, d.end) for d in chars]
    with pytest.raises(InvalidInput):
        find_disagreements(codings, segments, docs, codes, coders[:1])


def test_consensus_codings_are_pure_values_with_consensus_provenance():
    disputed = find_disagreements(*_study())[1]
    when = datetime(2024, 6, 1)
    made = consensus_codings(disputed, [102, 102, 101], consensus_coder_id=9, codebook_version=4, created=when)
    assert [(c.code_id, c.start, c.end, c.coder_id) for c in made] == [(102, 59, 85, 9), (101, 59, 85, 9)]
    assert all(c.provenance is Provenance.CONSENSUS and c.codebook_version == 4 and c.created == when for c in made)
    assert "coder 1" in made[0].memo
    assert consensus_codings(disputed, [], 9) == []
    with pytest.raises(InvalidInput):
        consensus_codings(disputed, [101], consensus_coder_id=1)


def _report():
    return build_report(*_study(), AgreementOptions(bootstrap_reps=50, codebook_version=2, groups={"g": [101, 102]}))


def test_markdown_has_method_sentence_tables_and_semantics():
    report = _report()
    text = render_markdown(report)
    assert report.sentence in text
    assert "| barriers/leadership <lack> | 3 |" in text
    assert "undefined (" in text or all(c.coefficients[C.ALPHA].defined for c in report.codes)
    assert "## Cohen's kappa per coder pair" in text and "Asha, Bram" in text
    assert "## Mutually exclusive code groups" in text
    assert "missing rating, not an absence" in text
    assert "**Codebook version:** 2" in text


def test_html_escapes_names_and_marks_undefined():
    html = render_html(_report())
    assert "leadership &lt;lack&gt;" in html and "leadership <lack>" not in html
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")


def test_csv_has_one_row_per_figure():
    report = _report()
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    code_rows = [r for r in rows if r["scope"] == "code"]
    assert len(code_rows) == len(report.codes) * len(C.ALL_OVERALL)
    assert len([r for r in rows if r["scope"] == "pair"]) == len(report.codes)
    assert {r["codebook_version"] for r in rows} == {"2"}
    site = next(r for r in code_rows if r["code"] == "site" and r["coefficient"] == C.ALPHA)
    assert float(site["value"]) == 1.0 and site["reason"] == ""


def test_render_disagreements_names_everyone_and_the_text():
    from qualcode.agreement.disagreements import render_disagreements

    found = find_disagreements(*_study())
    text = render_disagreements(found, {100: "site", 101: "resources", 102: "leadership"}, {1: "Asha", 2: "Bram"},
                                {7: "Focus group (invented)"})
    assert "# Disagreements (2)" in text
    assert "## Focus group (invented) [59:85] — disputed: resources, leadership" in text
    assert "> Nobody knew who leads it.|" in text
    assert "- Asha: resources" in text and "- Bram: leadership" in text and "- Bram: (none)" in text
    assert render_disagreements([], {}, {}).startswith("No disagreements")
