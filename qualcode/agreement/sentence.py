"""Plain-language parts of a report: the semantics it rests on, unit names, the methods-section sentence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from qualcode.agreement import coefficients as C
from qualcode.agreement.units import UnitKind
from qualcode.domain.models import Segment, SegmentKind

if TYPE_CHECKING:
    from qualcode.agreement.results import AgreementReport

SEMANTICS = (
    "Each code is audited as a binary variable per unit: applied or not applied by each coder.",
    "A unit in a document a coder was not assigned is a missing rating, not an absence of the code; "
    "by default a coder was assigned the documents in which they made at least one coding.",
    "Coefficients need units rated by two or more coders; Fleiss' kappa uses only units every selected "
    "coder rated, and Cohen's kappa for a pair only units both rated.",
    "A coefficient is undefined, never 0 or 1, when it cannot be computed: for example when nobody used "
    "the code, or every coder applied it to every unit; the report gives the reason.",
    "Confidence intervals are percentile bootstrap intervals: units are resampled with replacement, "
    "with a fixed seed so the same data give the same interval.",
    "The overall figures pool every code-by-unit decision; they carry no interval because decisions on "
    "one unit are not independent.",
)

_SEGMENT_NAMES = {
    SegmentKind.TURN: ("speaker turn", "speaker turns"),
    SegmentKind.PARAGRAPH: ("paragraph", "paragraphs"),
    SegmentKind.ANSWER: ("survey answer", "survey answers"),
}

_NUMBERS = ["No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"]


def unit_label(unit: UnitKind, segments: Sequence[Segment]) -> str:
    """Plural name of the units: 'speaker turns' when every segment is a turn, and so on."""
    if unit is UnitKind.SEGMENT:
        kinds = {s.kind for s in segments}
        return _SEGMENT_NAMES[kinds.pop()][1] if len(kinds) == 1 else "segments"
    if unit is UnitKind.DOCUMENT:
        return "documents"
    return "characters"


def _count_word(n: int) -> str:
    return _NUMBERS[n] if n < len(_NUMBERS) else str(n)


def _fmt(value: float | None) -> str:
    return "undefined" if value is None else fixed(value, 2)


def fixed(value: float, places: int) -> str:
    """`value` to `places` decimals, never with a minus sign on zero ("-0.00" reads as a negative result)."""
    text = f"{value:.{places}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def methods_sentence(report: AgreementReport) -> str:
    """A paragraph ready for a methods section; every number in it comes from the report."""
    coders = f"{_count_word(len(report.coders))} coders ({', '.join(report.coders)})"
    docs = f"{report.n_documents} document{'s' if report.n_documents != 1 else ''}"
    label = C.LABELS[report.primary]
    each = "the one code" if len(report.codes) == 1 else f"each of {len(report.codes)} codes"
    if report.unit is UnitKind.UNITIZED:
        first = (f"{coders} independently marked coded spans in {report.n_units} characters of text from {docs}; "
                 f"agreement on the spans of {each} was assessed with {label} "
                 "(Krippendorff 2004).")
    else:
        what = docs if report.unit is UnitKind.DOCUMENT else f"{report.n_units} {report.unit_label} from {docs}"
        first = (f"{coders} independently coded {what}; agreement on whether {each} applied was assessed "
                 f"with {label}")
        if report.unit is UnitKind.SEGMENT:
            share = report.options.get("min_overlap", 0.0)
            rule = "any coding of it overlapped the unit" if not share else f"one coding covered at least {share:.0%} of it"
            first += f", counting a code as applied when {rule}"
        reps = report.options.get("bootstrap_reps", 0)
        if reps:
            first += (f", with {report.options['confidence']:.0%} confidence intervals from {reps} bootstrap "
                      f"resamples of units (seed {report.options['seed']})")
        first += "."
    summary = report.summary()
    parts = [first]
    if summary["n_defined"]:
        name = "u-alpha" if report.unit is UnitKind.UNITIZED else "alpha"
        codes = "code" if summary["n_defined"] == 1 else "codes"
        parts.append(f"Median {name} across the {summary['n_defined']} {codes} with a defined coefficient was "
                     f"{_fmt(summary['median'])} (range {_fmt(summary['min'])} to {_fmt(summary['max'])}).")
    if summary["undefined"]:
        many = len(summary["undefined"]) != 1
        parts.append(f"{len(summary['undefined'])} code{'s' if many else ''} had no defined coefficient "
                     f"({', '.join(summary['undefined'])}); see the table for the reason.")
    pooled = report.overall.get(C.PERCENT)
    if pooled is not None and pooled.defined:
        parts.append(f"Over all code decisions, percent agreement was {pooled.value:.1%}.")
    parts.append("Units a coder was not assigned were treated as missing.")
    return " ".join(parts)
