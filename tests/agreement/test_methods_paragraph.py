"""The methods paragraph: a coefficient that rounds to zero reads 0.00, and each undefined code is named once."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from qualcode.agreement import coefficients as C
from qualcode.agreement.render import fmt_value
from qualcode.agreement.report import AgreementOptions, build_report
from qualcode.agreement.sentence import fixed, methods_sentence
from tests.agreement.test_report import _codes, _coders, _two_coder_study


def _report():
    documents, segments, codings, _, _ = _two_coder_study()
    return build_report(codings, segments, documents, _codes([100, 101, 102]), _coders([1, 2]),
                        AgreementOptions(timestamp=datetime(2024, 5, 1), bootstrap_reps=0))


def test_a_slightly_negative_alpha_prints_without_a_minus_and_undefined_codes_once():
    report = _report()
    used, unused, everywhere = report.codes
    alpha = replace(used.coefficients[C.ALPHA], value=-0.0004)
    low = replace(used, coefficients={**used.coefficients, C.ALPHA: alpha})
    high = replace(used, code_id=103, name="code 103", path="code 103",
                   coefficients={**used.coefficients, C.ALPHA: replace(alpha, value=1.0)})
    # two parents with a child of the same name, and a code listed twice
    twin = replace(everywhere, code_id=104, path="other/code 102")
    report = replace(report, codes=(low, high, unused, everywhere, twin, unused))
    sentence = methods_sentence(report)
    assert "(range 0.00 to 1.00)" in sentence and "-0.00" not in sentence
    assert "3 codes had no defined coefficient (code 101, family/code 102, other/code 102)" in sentence
    assert fmt_value(alpha) == "0.000"


@given(st.floats(-2, 2, allow_nan=False), st.integers(0, 4))
def test_fixed_never_prints_minus_zero_and_keeps_real_negatives(value, places):
    text = fixed(value, places)
    assert float(text) == float(f"{value:.{places}f}")
    assert text.startswith("-") == (float(text) < 0)
