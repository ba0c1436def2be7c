"""Inter-coder agreement: units, coefficients, unitized alpha, reports, disagreements, adjudication."""

from qualcode.agreement.disagreements import Disagreement, consensus_codings, find_disagreements, render_disagreements
from qualcode.agreement.render import render_csv, render_html, render_markdown
from qualcode.agreement.report import AgreementOptions, build_report
from qualcode.agreement.results import AgreementReport, CodeAgreement, GroupAgreement, PairAgreement
from qualcode.agreement.units import UnitKind

__all__ = [
    "AgreementOptions",
    "AgreementReport",
    "CodeAgreement",
    "Disagreement",
    "GroupAgreement",
    "PairAgreement",
    "UnitKind",
    "build_report",
    "consensus_codings",
    "find_disagreements",
    "render_csv",
    "render_disagreements",
    "render_html",
    "render_markdown",
]
