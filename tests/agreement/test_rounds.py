"""Stored rounds compare side by side after a JSON round trip."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from qualcode.agreement import coefficients as C
from qualcode.agreement.report import AgreementOptions, build_report
from qualcode.agreement.rounds import render_rounds_markdown, rounds_table
from qualcode.errors import InvalidInput
from tests.agreement.test_report import _codes, _coders, _two_coder_study


def test_two_rounds_side_by_side():
    documents, segments, codings, _, _ = _two_coder_study()
    first = build_report(codings, segments, documents, _codes([100, 101]), _coders([1, 2]),
                         AgreementOptions(codebook_version=1, round_label="pilot", timestamp=datetime(2024, 3, 1)))
    # in round two Bram drops his extra coding on the last turn
    revised = [c for c in codings if not (c.coder_id == 2 and c.code_id == 100 and c.document_id == 11
                                          and c.start >= 60)]
    second = build_report(revised, segments, documents, _codes([100]), _coders([1, 2]),
                          AgreementOptions(codebook_version=2, round_label="round 2", timestamp=datetime(2024, 4, 1)))
    stored = [json.loads(json.dumps(r.to_dict())) for r in (second, first)]  # any order
    table = rounds_table(stored)
    assert table["coefficient"] == C.ALPHA
    assert [c["round"] for c in table["rounds"]] == ["pilot", "round 2"]
    by_path = {row["path"]: row["values"] for row in table["codes"]}
    assert by_path["family/code 100"] == [first.codes[0].coefficients[C.ALPHA].value,
                                          second.codes[0].coefficients[C.ALPHA].value]
    assert by_path["family/code 100"][1] > by_path["family/code 100"][0]
    assert by_path["family/code 101"] == [None, None]
    text = render_rounds_markdown(table)
    assert "pilot (codebook v1)" in text and "round 2 (codebook v2)" in text and "| family/code 101 | — | — |" in text


def test_rounds_refuse_foreign_or_empty_input():
    with pytest.raises(InvalidInput):
        rounds_table([])
    with pytest.raises(InvalidInput, match="schema"):
        rounds_table([{"timestamp": "2024"}])
