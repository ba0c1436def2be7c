"""Exporting a bank as Markdown, CSV, Word or JSON: only masked text and labels, every quote
re-scanned first and the written file scanned again (a quote that fails is withheld with a
warning), unreviewed quotes flagged, same state -> same bytes, written to a temporary file and
renamed only once its scan passes."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from qualcode.anonymise import Roster
from qualcode.errors import InvalidInput
from qualcode.exports.cells import safe_row
from qualcode.reports.files import normalise_zip
from qualcode.reports.guard import Outgoing, write_shareable
from qualcode.sanitise import map_strings, markdown_safe, xml_safe
from qualcode.store import documents as doc_repo
from qualcode.store import quotes as repo
from qualcode.store.engine import Database

from .scan import Scanner

FORMATS = ("md", "csv", "docx", "json")
UNREVIEWED_FLAG = "UNREVIEWED"
WITHHELD_TITLE = "quotes"


@dataclass(frozen=True, slots=True)
class ExportedQuote:
    """Exactly what leaves the project: nothing here names a document, a person or an offset."""

    id: int
    theme: str
    rank: int
    text: str
    attribution: str
    status: str

    @property
    def reviewed(self) -> bool:
        return self.status == "accepted"


@dataclass(slots=True)
class ExportReport:
    path: Path | None
    bank: str
    title: str = ""
    exported: int = 0
    unreviewed: int = 0
    withheld: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def choose_bank(db: Database, bank: str | None) -> str:
    with db.reading() as session:
        names = repo.banks(session)
    if bank is not None:
        if bank not in names:
            raise InvalidInput(f"no quote bank '{bank}'; banks: {', '.join(names) or 'none yet'}")
        return bank
    if len(names) == 1:
        return names[0]
    if not names:
        raise InvalidInput("no quote bank yet; build one with 'qualcode quotes build --code C'")
    raise InvalidInput(f"several quote banks ({', '.join(names)}); choose one with --bank")


def prepare(db: Database, bank: str, extra_roster: Roster | None = None, policy=None,
            where: str = "export") -> tuple[list[ExportedQuote], ExportReport]:
    """The quotes that pass the per-quote scan, in bank order, and what was withheld (warnings start with `where`)."""
    from qualcode.anonymise.share import open_policy

    report = ExportReport(None, bank, title=bank)
    policy = policy or open_policy(db, extra_roster, use_ner=False)  # scanning only: nothing is masked here
    with db.reading() as session:
        quotes = repo.list_quotes(session, bank)
        texts = {d: doc_repo.get(session, d).text for d in {q.document_id for q in quotes}}
    scanner = Scanner(policy.roster, policy.key)
    if scanner.names_in(bank):
        report.title = WITHHELD_TITLE
        report.warnings.append(f"{where}: the bank's name holds a real name; the export calls it 'quotes' instead")
    kept = []
    for quote in quotes:
        original = texts[quote.document_id][quote.start : quote.end]
        leaked = scanner.leaks(quote, original, (quote.masked_text, quote.attribution, quote.code_path))
        if leaked:
            report.withheld.append(quote.id)
            report.warnings.append(
                f"{where}: quote {quote.id} withheld: {len(leaked)} real name(s) survive masking; see 'qualcode quotes "
                f"show {quote.id}', then redact them or, if they name no one, 'qualcode quotes accept {quote.id}'"
            )
            continue
        kept.append(ExportedQuote(quote.id, quote.code_path, int(quote.rank), quote.masked_text, quote.attribution, quote.status))
    report.exported = len(kept)
    report.unreviewed = sum(1 for q in kept if not q.reviewed)
    return kept, report


def export_bank(db: Database, fmt: str, out: str | Path, bank: str | None = None, extra_roster: Roster | None = None) -> ExportReport:
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format '{fmt}'; choose from {', '.join(FORMATS)}")
    out = Path(out)
    if out.is_dir():
        raise InvalidInput(f"{out} is a folder; give a file name such as {out / ('quotes.' + fmt)}")
    from qualcode.anonymise.share import open_policy

    bank = choose_bank(db, bank)
    policy = open_policy(db, extra_roster, use_ner=False)
    quotes, report = prepare(db, bank, extra_roster, policy, where=str(out))
    bank = report.title  # what the file may call the bank
    items = [Outgoing(str(q.id), (q.text, q.attribution, q.theme), q.reviewed,
                      f"check it with 'qualcode quotes show {q.id}', then redact or 'qualcode quotes accept {q.id}'")
             for q in quotes]
    exported = list(quotes)

    def render(withheld: set[str], path: Path) -> None:
        exported[:] = [q for q in quotes if str(q.id) not in withheld]
        report.exported = len(exported)
        report.unreviewed = sum(1 for q in exported if not q.reviewed)
        counted = _with_withheld(report, [int(ref) for ref in withheld])
        if fmt == "docx":
            _docx(path, bank, exported, counted)
        else:
            text = {"md": _markdown, "csv": _csv, "json": _json}[fmt](bank, exported, counted)
            path.write_bytes(text.encode("utf-8"))

    guarded = write_shareable(out, fmt, items, render, policy)
    report.withheld += [int(ref) for ref in guarded.withheld]
    report.warnings += guarded.warnings
    report.path = out
    return report


def _with_withheld(report: ExportReport, more: list[int]) -> ExportReport:
    return ExportReport(report.path, report.bank, report.title, report.exported, report.unreviewed,
                        [*report.withheld, *more], list(report.warnings))


def _summary(quotes: list[ExportedQuote], report: ExportReport) -> str:
    line = f"{len(quotes)} quote(s); {report.unreviewed} not yet reviewed (marked {UNREVIEWED_FLAG})."
    if report.withheld:
        line += f" {len(report.withheld)} withheld by the final name scan."
    return line + " Pseudonyms such as [PERSON 1] name the same entity throughout this bank."


def _themes(quotes: list[ExportedQuote]) -> dict[str, list[ExportedQuote]]:
    grouped: dict[str, list[ExportedQuote]] = {}
    for quote in quotes:
        grouped.setdefault(quote.theme or "(no theme)", []).append(quote)
    return grouped


def _markdown(bank: str, quotes: list[ExportedQuote], report: ExportReport) -> str:
    bank, quotes = map_strings((bank, quotes), markdown_safe)  # HTML in a theme or quote stays text
    lines = [f"# Quote bank: {bank}", "", _summary(quotes, report), ""]
    for theme, items in _themes(quotes).items():
        lines += [f"## {theme}", ""]
        for q in items:
            flag = f" · **{UNREVIEWED_FLAG}**" if not q.reviewed else ""
            body = q.text.replace("\n", " ")
            lines += [f"> {body}", ">", f"> — {q.attribution} (quote {q.id}){flag}", ""]
    return "\n".join(lines).rstrip() + "\n"


def _csv(bank: str, quotes: list[ExportedQuote], report: ExportReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["bank", "theme", "rank", "quote_id", "quote", "attribution", "status", "flag"])
    for q in quotes:
        writer.writerow(safe_row([bank, q.theme, q.rank, q.id, q.text, q.attribution, q.status,
                                  "" if q.reviewed else UNREVIEWED_FLAG]))
    return buffer.getvalue()


def _json(bank: str, quotes: list[ExportedQuote], report: ExportReport) -> str:
    payload = {
        "bank": bank,
        "quotes": [{**asdict(q), "reviewed": q.reviewed} for q in quotes],
        "unreviewed": report.unreviewed,
        "withheld": len(report.withheld),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _docx(path: Path, bank: str, quotes: list[ExportedQuote], report: ExportReport) -> None:
    from datetime import datetime, timezone

    bank, quotes = map_strings((bank, quotes), xml_safe)  # a project may already hold text XML cannot carry

    from docx import Document  # deferred: only when a Word file is asked for

    document = Document()
    core = document.core_properties
    fixed = datetime(2000, 1, 1, tzinfo=timezone.utc)
    core.author = core.last_modified_by = "qualcode"
    core.title = f"Quote bank: {bank}"
    core.created = core.modified = core.last_printed = fixed
    core.revision = 1
    document.add_heading(f"Quote bank: {bank}", level=0)
    document.add_paragraph(_summary(quotes, report))
    for theme, items in _themes(quotes).items():
        document.add_heading(theme, level=1)
        for q in items:
            paragraph = document.add_paragraph(style="Quote")
            if not q.reviewed:
                paragraph.add_run(f"[{UNREVIEWED_FLAG}] ").bold = True
            paragraph.add_run(q.text)
            document.add_paragraph(f"— {q.attribution} (quote {q.id})")
    document.save(str(path))
    normalise_zip(path)
