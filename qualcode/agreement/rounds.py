"""Agreement across audit rounds: stored report dictionaries side by side, per code."""

from __future__ import annotations

from collections.abc import Sequence

from qualcode.errors import InvalidInput


def rounds_table(reports: Sequence[dict], coefficient: str | None = None) -> dict:
    """Per-code values of one coefficient across stored reports (``AgreementReport.to_dict()``), oldest first.

    Codes are matched by path, so a code renamed between codebook versions appears as two rows.
    """
    if not reports:
        raise InvalidInput("no stored agreement rounds to compare")
    if any(r.get("schema") != "qualcode.agreement.v1" for r in reports):
        raise InvalidInput("a stored round is not a qualcode agreement report (schema qualcode.agreement.v1)")
    ordered = sorted(reports, key=lambda r: r["timestamp"])
    name = coefficient or ordered[-1]["primary"]
    columns = [
        {"round": r.get("round"), "codebook_version": r.get("codebook_version"), "timestamp": r["timestamp"],
         "unit": r["unit"], "median": r["summary"]["median"] if r["summary"]["coefficient"] == name else None}
        for r in ordered
    ]
    paths: list[str] = []
    for report in ordered:
        for code in report["codes"]:
            if code["path"] not in paths:
                paths.append(code["path"])
    rows = []
    for path in paths:
        values = []
        for report in ordered:
            code = next((c for c in report["codes"] if c["path"] == path), None)
            figure = None if code is None else code["coefficients"].get(name)
            values.append(None if figure is None else figure["value"])
        rows.append({"path": path, "values": values})
    return {"coefficient": name, "rounds": columns, "codes": rows}


def render_rounds_markdown(table: dict) -> str:
    """A Markdown table: one row per code, one column per round."""
    heads = [
        f"{c['round'] or c['timestamp'][:10]} (codebook v{c['codebook_version']})" if c["codebook_version"] is not None
        else (c["round"] or c["timestamp"][:10])
        for c in table["rounds"]
    ]
    out = [f"| Code | {' | '.join(heads)} |", "|---|" + "---:|" * len(heads)]
    for row in table["codes"]:
        cells = ["—" if v is None else f"{v:.3f}" for v in row["values"]]
        out.append(f"| {row['path']} | {' | '.join(cells)} |")
    medians = ["—" if c["median"] is None else f"{c['median']:.3f}" for c in table["rounds"]]
    out.append(f"| **median** | {' | '.join(medians)} |")
    return "\n".join(out) + "\n"
