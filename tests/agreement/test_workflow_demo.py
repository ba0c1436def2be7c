"""The demo project: alex and sam double-coded part of the corpus, so the audit gives defined kappas for common codes."""

from __future__ import annotations

import pytest

from qualcode.agreement import coefficients as C
from qualcode.agreement.workflow import run_audit
from qualcode.agreement.workflow_review import review
from qualcode.demo import build_demo
from qualcode.store import Database


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    built = build_demo(tmp_path_factory.mktemp("demo") / "demo.db")
    db = Database(f"sqlite:///{built.path}")
    yield db
    db.dispose()


def test_demo_report_has_defined_kappas_for_common_codes(demo):
    report = run_audit(demo, coders=["alex", "sam"], bootstrap_reps=100)
    assert report.coders == ("alex", "sam")
    assert report.n_documents == 19
    common = [c for c in report.codes if min(c.applied_by.values()) >= 3]
    assert len(common) >= 5
    for code in common:
        for name in (C.ALPHA, C.FLEISS, C.AC1):
            figure = code.coefficients[name]
            assert figure.defined, (code.path, name, figure.reason)
            assert -1 <= figure.value <= 1
            assert figure.ci_low is not None and figure.ci_low <= figure.value <= figure.ci_high
        assert len(code.pairs) == 1 and code.pairs[0].kappa.defined
    assert "Two coders (alex, sam)" in report.sentence and "19 documents" in report.sentence


def test_demo_disagreements_show_both_coders_and_the_text(demo):
    found = review(demo, coders=["alex", "sam"])
    assert found.items
    for item in found.items[:20]:
        assert item.text.strip()
        assert set(found.coder_names[k] for k in item.codes_by_coder) <= {"alex", "sam"}
        assert item.disputed
