"""Project reports in Markdown, HTML (with SVG charts), XLSX and DOCX; the same project gives the same bytes.

A shareable report (the default) has its quotes masked by the project's share policy and every
written file scanned before it is renamed; an unmasked one says so under its title.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.analysis.dataset import Dataset
from qualcode.errors import InvalidInput
from qualcode.anonymise.share import SharePolicy
from qualcode.reports.guard import Guarded, write_shareable
from qualcode.reports.model import Report, ReportOptions, build_report

FORMATS = ("md", "html", "xlsx", "docx")

__all__ = ["FORMATS", "Report", "ReportOptions", "build_report", "render_checked", "render_to", "write_report"]


def _render_file(report: Report, path: Path, fmt: str) -> None:
    from importlib import import_module

    from qualcode.reports import files

    renderer = import_module(f"qualcode.reports.{ {'md': 'markdown'}.get(fmt, fmt) }").render
    if fmt in ("md", "html"):
        path.write_bytes(renderer(report).encode("utf-8"))
        return
    renderer(report, path)
    files.normalise_zip(path)


def render_to(report: Report, target: Path, fmt: str) -> Path:
    """Write an already built report in one format (temporary file, then rename)."""
    return render_checked(report, target, fmt).path


def render_checked(report: Report, target: Path, fmt: str) -> Guarded:
    """Write a report; a shareable one only after the final scan of the written file, with what it withheld."""
    from qualcode.reports import files
    from qualcode.reports.model import outgoing, without

    if fmt not in FORMATS:
        raise InvalidInput(f"unknown report format '{fmt}'; use one of {', '.join(FORMATS)}")
    target = Path(target)
    if report.policy is None:
        return Guarded(files.write_atomically(target, lambda path: _render_file(report, path, fmt)))
    items = outgoing(report, report.originals)
    return write_shareable(target, fmt, items, lambda refs, path: _render_file(without(report, refs), path, fmt),
                           report.policy)


def write_report(ds: Dataset, target: Path, fmt: str, options: ReportOptions = ReportOptions(),
                 policy: SharePolicy | None = None) -> Guarded:
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown report format '{fmt}'; use one of {', '.join(FORMATS)}")
    return render_checked(build_report(ds, options, policy), Path(target), fmt)
