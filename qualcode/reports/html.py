"""The project report as one self-contained HTML page with inline SVG charts."""

from __future__ import annotations

from html import escape

from qualcode.analysis.quotes import Quote
from qualcode.analysis.summary import ThemeSummary
from qualcode.analysis.tallies import Tally
from qualcode.reports.markdown import test_line
from qualcode.reports.model import Report
from qualcode.reports.svg import PALETTE, bar_chart, line_chart

STYLE = """
body { font-family: sans-serif; max-width: 60rem; margin: 2rem auto; line-height: 1.4; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; }
blockquote { border-left: 4px solid #2f6690; margin: 0.5rem 0; padding: 0.2rem 0.8rem; background: #f5f7fa; }
.attribution { color: #555; font-size: 0.9em; }
.note { color: #555; }
"""


def _table(headers: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="n">{v}</td>' if isinstance(v, (int, float)) else f"<td>{escape(str(v))}</td>" for v in row
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _quote(q: Quote) -> str:
    pick = " · coder's pick" if q.candidate else ""
    return (
        f"<blockquote>{escape(q.text)}<div class=\"attribution\">{escape(q.attribution)}; "
        f"{escape(q.document_title)}, characters {q.start}-{q.end}{pick}</div></blockquote>"
    )


def _theme(s: ThemeSummary) -> list[str]:
    c = s.counts
    out = [f"<h3>{escape(s.path)}</h3>"]
    if s.description:
        out.append(f"<p>{escape(s.description)}</p>")
    out.append(
        f"<p>{c.excerpts} excerpts ({c.codings} codings) in {c.documents} documents from {c.participants} "
        f"participants, coded by {c.coders} coder(s).</p>"
    )
    kinds = [(b.value, b.excerpts) for b in c.by_kind]
    if any(v for _, v in kinds):
        out.append(bar_chart(kinds, f"{s.path}: excerpts by document kind"))
    for key, rows in c.by_attribute.items():
        out.append(_table([key, "excerpts", "participants"], [[b.value, b.excerpts, b.participants] for b in rows]))
    if s.language and s.language.terms:
        terms = ", ".join(f"{t.term} (z={t.z:.1f})" for t in s.language.terms)
        out.append(f"<p><strong>Distinctive terms:</strong> {escape(terms)}</p>")
        if s.language.phrases:
            out.append(f"<p><strong>Phrases:</strong> {escape(', '.join(t.term for t in s.language.phrases))}</p>")
    out += [_quote(q) for q in s.quotes]
    if s.cooccurring:
        out.append(_table(["co-occurring code", "overlaps", "Jaccard", "c-coefficient"],
                          [[o.path, o.count, f"{o.jaccard:.2f}", f"{o.c_coefficient:.2f}"] for o in s.cooccurring]))
    out += [f"<p class=\"note\">Memo: {escape(m.text)}</p>" for m in s.memos]
    return out


def _tally(t: Tally, colour: str) -> list[str]:
    out = [f"<h3>{escape(t.valence.capitalize())}s</h3>",
           f"<p>{t.excerpts} excerpts from {t.participants} participants.</p>",
           bar_chart([(r.path, r.excerpts) for r in t.rows], f"{t.valence}s: excerpts per code", colour=colour),
           _table(["rank", "code", "excerpts", "participants", "documents"],
                  [[i, r.path, r.excerpts, r.participants, r.documents] for i, r in enumerate(t.rows, start=1)])]
    for r in t.rows:
        if r.quotes:
            out.append(f"<h4>{escape(r.path)}</h4>")
            out += [_quote(q) for q in r.quotes]
    return out


def render(report: Report) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(report.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(report.title)}</h1>",
        *(f'<p class="note">{escape(n)}</p>' for n in report.notes),
        "<h2>Overview</h2>",
        _table(["", ""], [list(p) for p in report.overview]),
        _table(["document kind", "documents"], [list(k) for k in report.kinds]),
        "<h2>Codebook</h2>",
        _table(["code", "valence", "definition", "excerpts", "codings", "documents", "participants"],
               [[r.path, "" if r.valence == "none" else r.valence, r.description, r.excerpts, r.codings, r.documents,
                 r.participants] for r in report.codebook]),
        "<h2>Themes</h2>",
    ]
    for theme in report.themes:
        out += _theme(theme)
    out.append("<h2>Barriers and facilitators</h2>")
    for i, t in enumerate(report.tallies):
        out += _tally(t, PALETTE[1 + i])
    for t in report.tallies_by_kind:
        kinds = [g.value for g in t.groups]
        cells = {(g.value, r.path): r.excerpts for g in t.groups for r in g.rows}
        out.append(f"<h4>{escape(t.valence.capitalize())}s by document kind (excerpts)</h4>")
        out.append(_table(["code", *kinds], [[r.path, *(cells.get((k, r.path), 0) for k in kinds)] for r in t.rows]))
    if report.matrix and report.matrix.rows:
        m = report.matrix
        out.append(f"<h3>Constructs by {escape(m.case)} (excerpts)</h3>")
        out.append(_table(["construct", *m.columns], [[r, *(v or "" for v in cells)] for r, cells in zip(m.rows, m.cells)]))
    out.append("<h2>Cross-tabulations</h2>")
    for result in report.crosstabs:
        rows = [[name, *(f"{v} ({result.row_percent[i][j]:.1f}%)" for j, v in enumerate(result.counts[i])),
                 result.row_totals[i]] for i, name in enumerate(result.rows)]
        rows.append(["total", *result.column_totals, result.total])
        out.append(f"<h3>{escape(result.rows_name)} by {escape(result.columns_name)} ({escape(result.unit)})</h3>")
        out.append(_table([result.rows_name, *result.columns, "total"], rows))
        out.append(f'<p class="note">{escape(test_line(result))}</p>')
    sat = report.saturation
    out.append("<h2>Saturation</h2>")
    out.append(f"<p>Guest, Namey &amp; Chen (2020): base {sat.overall.base_size} documents, runs of "
               f"{sat.overall.run_length}, threshold {sat.overall.threshold:.0%}; documents in {escape(sat.order)} order.</p>")
    series = [(c.scope, [(r.last, round(100 * r.new_share, 2)) for r in c.runs]) for c in (sat.overall, *sat.by_kind)]
    if any(points for _, points in series):
        out.append(line_chart(series, "New information per run (% of base codes)", y_label="% new",
                              threshold=100 * sat.overall.threshold))
    rows = [[c.scope, len(c.steps), c.base_codes, c.saturation_at or "not reached", c.note] for c in (sat.overall, *sat.by_kind)]
    out.append(_table(["documents", "count", "base codes", "saturation at", "note"], rows))
    out.append("</body></html>")
    return "\n".join(out) + "\n"
