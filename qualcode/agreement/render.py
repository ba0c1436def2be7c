"""Render an agreement report as Markdown, HTML or CSV, each ready for a methods section or appendix."""

from __future__ import annotations

import csv
import html
import io

from qualcode.agreement import coefficients as C
from qualcode.agreement.results import AgreementReport
from qualcode.agreement.sentence import fixed
from qualcode.exports.cells import safe_cell

CSV_COLUMNS = (
    "scope", "code", "path", "coder_a", "coder_b", "coefficient", "value", "ci_low", "ci_high", "n_units",
    "prevalence", "reason", "unit", "codebook_version", "round", "timestamp",
)


def fmt_value(coefficient: C.Coefficient, row_n: int | None = None) -> str:
    """'0.71 [0.62, 0.79]', or 'undefined (reason)'; its own n is added when it differs from the row's."""
    if not coefficient.defined:
        return f"undefined ({coefficient.reason})"
    text = fixed(coefficient.value, 3)
    if coefficient.ci_low is not None:
        text += f" [{fixed(coefficient.ci_low, 3)}, {fixed(coefficient.ci_high, 3)}]"
    if row_n is not None and coefficient.n_units != row_n:
        text += f" (n = {coefficient.n_units})"
    return text


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _columns(report: AgreementReport) -> list[str]:
    return [report.primary] if report.primary == C.UNITIZED else [C.ALPHA, C.FLEISS, C.AC1, C.BP, C.PERCENT]


def _method_lines(report: AgreementReport) -> list[tuple[str, str]]:
    opts = report.options
    lines = [
        ("Unit", f"{report.unit} ({report.unit_label})"),
        ("Coders", f"{', '.join(report.coders)} ({len(report.coders)})"),
        ("Units rated by two or more coders",
         f"{report.n_units} from {report.n_documents} document{'' if report.n_documents == 1 else 's'}"),
        ("Coefficients", ", ".join(C.LABELS[name] for name in _columns(report))
         + ("" if report.primary == C.UNITIZED else f"; {C.LABELS[C.COHEN]} per coder pair")),
    ]
    if report.unit == "segment":
        share = opts.get("min_overlap", 0.0)
        lines.append(("Code applied to a unit when", "any coding overlaps it" if not share
                      else f"one coding covers at least {share:.0%} of it"))
    if opts.get("bootstrap_reps"):
        lines.append(("Confidence intervals", f"{opts['confidence']:.0%} percentile bootstrap, {opts['bootstrap_reps']} "
                      f"resamples of units, seed {opts['seed']}"))
    lines.append(("Assignments", str(opts.get("assignments"))))
    if report.codebook_version is not None:
        lines.append(("Codebook version", str(report.codebook_version)))
    if report.round_label:
        lines.append(("Round", report.round_label))
    lines.append(("Computed", report.timestamp.isoformat(timespec="seconds")))
    return lines


def render_markdown(report: AgreementReport) -> str:
    columns = _columns(report)
    out = ["# Inter-coder agreement", "", "## Method", ""]
    out += [f"- **{label}:** {value}" for label, value in _method_lines(report)]
    out += ["", "## For the methods section", "", f"> {report.sentence}", "", "## Agreement per code", ""]
    out.append("| Code | n | Prevalence | " + " | ".join(C.LABELS[c] for c in columns) + " |")
    out.append("|---|---:|---:|" + "---|" * len(columns))
    for code in report.codes:
        cells = [code.path or code.name, str(code.n_units), _pct(code.prevalence)]
        cells += [fmt_value(code.coefficients[c], code.n_units) for c in columns]
        out.append("| " + " | ".join(_md(cell) for cell in cells) + " |")
    pairs = [(code, pair) for code in report.codes for pair in code.pairs]
    if pairs:
        out += ["", "## Cohen's kappa per coder pair", "", "| Code | Coders | n | Cohen's kappa |", "|---|---|---:|---|"]
        for code, pair in pairs:
            out.append(f"| {_md(code.path or code.name)} | {_md(pair.coder_a)}, {_md(pair.coder_b)} | "
                       f"{pair.kappa.n_units} | {_md(fmt_value(pair.kappa))} |")
    out += ["", "## All codes pooled", "", "| Coefficient | Value | n |", "|---|---|---:|"]
    for name, coefficient in report.overall.items():
        out.append(f"| {C.LABELS[name]} | {_md(fmt_value(coefficient))} | {coefficient.n_units} |")
    if report.groups:
        out += ["", "## Mutually exclusive code groups", "",
                "| Group | Codes | n | Violations | " + " | ".join(C.LABELS[c] for c in columns) + " |",
                "|---|---|---:|---:|" + "---|" * len(columns)]
        for group in report.groups:
            cells = [group.name, ", ".join(group.codes), str(group.n_units), str(group.violations)]
            cells += [fmt_value(group.coefficients[c], group.n_units) for c in columns]
            out.append("| " + " | ".join(_md(cell) for cell in cells) + " |")
    out += ["", "## How to read this report", ""] + [f"- {line}" for line in report.semantics]
    if report.notes:
        out += ["", "## Notes", ""] + [f"- {line}" for line in report.notes]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_html(report: AgreementReport) -> str:
    e = html.escape
    columns = _columns(report)
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8"><title>Inter-coder agreement</title>',
        "<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #bbb;padding:.3rem .6rem;"
        "text-align:left}td.num{text-align:right}.undefined{color:#8a4b00}blockquote{border-left:4px solid #ccc;"
        "margin:0;padding:.5rem 1rem}</style></head><body>",
        "<h1>Inter-coder agreement</h1>", "<h2>Method</h2>", "<dl>",
    ]
    for label, value in _method_lines(report):
        parts.append(f"<dt>{e(label)}</dt><dd>{e(value)}</dd>")
    parts += ["</dl>", "<h2>For the methods section</h2>", f"<blockquote>{e(report.sentence)}</blockquote>",
              "<h2>Agreement per code</h2>", "<table><thead><tr><th>Code</th><th>n</th><th>Prevalence</th>"
              + "".join(f"<th>{e(C.LABELS[c])}</th>" for c in columns) + "</tr></thead><tbody>"]
    for code in report.codes:
        parts.append(f"<tr><td>{e(code.path or code.name)}</td><td class=num>{code.n_units}</td>"
                     f"<td class=num>{_pct(code.prevalence)}</td>"
                     + "".join(_html_cell(code.coefficients[c], code.n_units) for c in columns) + "</tr>")
    parts.append("</tbody></table>")
    pairs = [(code, pair) for code in report.codes for pair in code.pairs]
    if pairs:
        parts.append("<h2>Cohen's kappa per coder pair</h2><table><thead><tr><th>Code</th><th>Coders</th><th>n</th>"
                     "<th>Cohen's kappa</th></tr></thead><tbody>")
        for code, pair in pairs:
            parts.append(f"<tr><td>{e(code.path or code.name)}</td><td>{e(pair.coder_a)}, {e(pair.coder_b)}</td>"
                         f"<td class=num>{pair.kappa.n_units}</td>{_html_cell(pair.kappa)}</tr>")
        parts.append("</tbody></table>")
    parts.append("<h2>All codes pooled</h2><table><thead><tr><th>Coefficient</th><th>Value</th><th>n</th></tr></thead><tbody>")
    for name, coefficient in report.overall.items():
        parts.append(f"<tr><td>{e(C.LABELS[name])}</td>{_html_cell(coefficient)}<td class=num>{coefficient.n_units}</td></tr>")
    parts.append("</tbody></table>")
    if report.groups:
        parts.append("<h2>Mutually exclusive code groups</h2><table><thead><tr><th>Group</th><th>Codes</th><th>n</th>"
                     "<th>Violations</th>" + "".join(f"<th>{e(C.LABELS[c])}</th>" for c in columns) + "</tr></thead><tbody>")
        for group in report.groups:
            parts.append(f"<tr><td>{e(group.name)}</td><td>{e(', '.join(group.codes))}</td><td class=num>{group.n_units}"
                         f"</td><td class=num>{group.violations}</td>"
                         + "".join(_html_cell(group.coefficients[c], group.n_units) for c in columns) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("<h2>How to read this report</h2><ul>" + "".join(f"<li>{e(s)}</li>" for s in report.semantics) + "</ul>")
    if report.notes:
        parts.append("<h2>Notes</h2><ul>" + "".join(f"<li>{e(s)}</li>" for s in report.notes) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_cell(coefficient: C.Coefficient, row_n: int | None = None) -> str:
    css = "" if coefficient.defined else ' class="undefined"'
    return f"<td{css}>{html.escape(fmt_value(coefficient, row_n))}</td>"


def render_csv(report: AgreementReport) -> str:
    """One row per figure (code x coefficient, pair, pooled, group), with its interval, n and reason."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    common = {"unit": str(report.unit), "codebook_version": report.codebook_version, "round": report.round_label,
              "timestamp": report.timestamp.isoformat()}

    def row(scope, coefficient, **extra):
        cells = {**common, "scope": scope, "coefficient": coefficient.name, "value": coefficient.value,
                 "ci_low": coefficient.ci_low, "ci_high": coefficient.ci_high, "n_units": coefficient.n_units,
                 "reason": coefficient.reason, **extra}
        # code names and coder names are user text: a leading = + - @ must not run as a spreadsheet formula
        writer.writerow({key: safe_cell(value) for key, value in cells.items()})

    for code in report.codes:
        for coefficient in code.coefficients.values():
            row("code", coefficient, code=code.name, path=code.path, prevalence=code.prevalence)
        for pair in code.pairs:
            row("pair", pair.kappa, code=code.name, path=code.path, coder_a=pair.coder_a, coder_b=pair.coder_b,
                prevalence=code.prevalence)
    for coefficient in report.overall.values():
        row("overall", coefficient)
    for group in report.groups:
        for coefficient in group.coefficients.values():
            row("group", coefficient, code=group.name, path=" | ".join(group.codes))
    return buffer.getvalue()
