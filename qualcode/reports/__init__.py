"""Project reports in Markdown, HTML (with SVG charts), XLSX and DOCX; the same project gives the same bytes."""

from __future__ import annotations

from pathlib import Path

from qualcode.analysis.dataset import Dataset
from qualcode.errors import InvalidInput
from qualcode.reports.model import Report, ReportOptions, build_report

FORMATS = ("md", "html", "xlsx", "docx")

__all__ = ["FORMATS", "Report", "ReportOptions", "build_report", "render_to", "write_report"]


def render_to(report: Report, target: Path, fmt: str) -> Path:
    """Write an already built report in one format (temporary file, then rename)."""
    from qualcode.reports import files

    if fmt == "md":
        from qualcode.reports.markdown import render

        return files.write_text(target, render(report))
    if fmt == "html":
        from qualcode.reports.html import render

        return files.write_text(target, render(report))
    if fmt in ("xlsx", "docx"):
        from importlib import import_module

        renderer = import_module(f"qualcode.reports.{fmt}").render

        def write(path: Path) -> None:
            renderer(report, path)
            files.normalise_zip(path)

        return files.write_atomically(target, write)
    raise InvalidInput(f"unknown report format '{fmt}'; use one of {', '.join(FORMATS)}")


def write_report(ds: Dataset, target: Path, fmt: str, options: ReportOptions = ReportOptions()) -> Path:
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown report format '{fmt}'; use one of {', '.join(FORMATS)}")
    return render_to(build_report(ds, options), Path(target), fmt)
