"""`qualcode quotes`: build, review and export anonymised quote banks; store the team's roster."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from qualcode.cli.common import JsonOption, console, err_console, open_db, print_json

quotes = typer.Typer(help="Anonymised quote banks per theme, reviewed before they are shared.", no_args_is_help=True)
roster_app = typer.Typer(help="The names, places and organisations (beyond participants) to mask.", no_args_is_help=True)
quotes.add_typer(roster_app, name="roster")

BankOption = Annotated[str | None, typer.Option("--bank", help="Bank name (default: the only bank, or 'default').")]


@quotes.command("build")
def build(
    code: Annotated[list[str], typer.Option("--code", "-c", help="Code path or name; repeat for several themes.")],
    bank: Annotated[str, typer.Option("--bank", help="Bank name.")] = "default",
    max_words: Annotated[int, typer.Option("--max-words", help="Longest quote, in words.")] = 60,
    attributes: Annotated[str, typer.Option("--attributes", help="Shown after the label: role, kind, or any attribute.")] = "",
    k: Annotated[int, typer.Option("--k", help="A label must fit at least k participants.")] = 3,
    limit: Annotated[int, typer.Option("--limit", help="Quotes per theme.")] = 12,
    generalise: Annotated[str, typer.Option("--generalise", help="Types to describe, not number: e.g. TOWN,HOSPICE.")] = "",
    roster: Annotated[Path | None, typer.Option("--roster", help="Extra roster file for this build (YAML or CSV).")] = None,
    coarsen: Annotated[bool, typer.Option("--coarsen/--no-coarsen", help="Coarsen labels that fit fewer than k.")] = True,
    ner: Annotated[bool, typer.Option("--ner/--no-ner", help="Use the spaCy entity layer too.")] = True,
    marked_only: Annotated[bool, typer.Option("--marked-only", help="Only passages marked as candidate quotes.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Build (or rebuild) a bank from the codings of the chosen codes; a parent includes its children.

    Example: qualcode quotes build --code community --code barriers --attributes role,kind --k 3
    """
    from qualcode.anonymise import Roster
    from qualcode.quotes.build import build_bank
    from qualcode.quotes.disclosure import parse_attributes
    from qualcode.quotes.model import BankSettings

    settings = BankSettings(
        codes=tuple(code), max_words=max_words, attributes=parse_attributes(attributes), k=k, limit=limit,
        generalise=tuple(t.strip().upper() for t in generalise.split(",") if t.strip()), coarsen=coarsen, use_ner=ner,
        marked_only=marked_only,
    )
    extra = Roster.from_file(roster) if roster is not None else None
    report = build_bank(open_db(), settings, bank=bank, extra_roster=extra)
    if as_json:
        print_json(report)
        return
    themes = ", ".join(f"{theme} {n}" for theme, n in report.per_theme.items()) or "none"
    console.print(f"bank '{escape(bank)}': {report.quotes} quote(s) ({escape(themes)}); all need review")
    for warning in report.warnings:
        err_console.print(f"[yellow]disclosure:[/] {escape(warning)}", highlight=False)


@quotes.command("list")
def list_(bank: BankOption = None, as_json: JsonOption = False) -> None:
    """List a bank's quotes with their masked text, label and review status.

    Example: qualcode quotes list --bank default --json
    """
    from qualcode.store import quotes as repo

    db = open_db()
    with db.reading() as session:
        items = repo.list_quotes(session, bank)
    if as_json:
        print_json([
            {"id": q.id, "bank": q.bank, "theme": q.code_path, "rank": q.rank, "text": q.masked_text,
             "attribution": q.attribution, "status": q.status, "candidate": q.candidate,
             "redactions": len(q.active_redactions)}
            for q in items
        ])
        return
    table = Table("id", "theme", "rank", "quote", "attribution", "status")
    for q in items:
        table.add_row(str(q.id), escape(q.code_path), str(int(q.rank)), escape(q.masked_text), escape(q.attribution),
                      q.status if q.reviewed else f"[yellow]{q.status}[/]")
    console.print(table)


@quotes.command("show")
def show(quote_id: Annotated[int, typer.Argument(help="Quote id.")], as_json: JsonOption = False) -> None:
    """Show one quote with its numbered redactions (project-internal: shows the real text).

    Example: qualcode quotes show 12
    """
    from qualcode.store import quotes as repo
    from qualcode.quotes.review import original_text

    db = open_db()
    with db.reading() as session:
        quote = repo.get(session, quote_id)
    original = original_text(db, quote)
    spans = [
        {"n": i, "text": original[r.start : r.end], "type": r.type, "layer": r.layer, "replacement": r.replacement,
         "active": r.active}
        for i, r in enumerate(quote.redactions)
    ]
    if as_json:
        print_json({"id": quote.id, "status": quote.status, "masked_text": quote.masked_text,
                    "attribution": quote.attribution, "redactions": spans})
        return
    console.print(f"quote {quote.id} ({quote.status}) — {escape(quote.attribution)}")
    console.print(escape(quote.masked_text))
    for s in spans:
        state = "" if s["active"] else " (undone)"
        console.print(f"  {s['n']}: {escape(s['text'])} -> {escape(s['replacement'])} [{s['layer']}]{state}", highlight=False)


@quotes.command("accept")
def accept_(
    quote_ids: Annotated[list[str], typer.Argument(help="Quote id(s), or excerpt refs DOC:START-END from a withheld warning.")],
) -> None:
    """Mark quotes as reviewed; unreviewed quotes are flagged in every export, and one the final scan
    flagged is withheld until accepted. An excerpt ref (as `report`, `summary` or `tally` warn with)
    releases that excerpt while its text stays as it is.

    Example: qualcode quotes accept 12 13 3:120-180
    """
    from qualcode.anonymise.share import accept_excerpt
    from qualcode.errors import InvalidInput
    from qualcode.quotes.review import accept

    db = open_db()
    for ref in quote_ids:
        if ":" in ref:
            accept_excerpt(db, ref)
        elif ref.isdigit():
            accept(db, int(ref))
        else:
            raise InvalidInput(f"'{ref}' is neither a quote id nor an excerpt ref such as 3:120-180")
    console.print(f"{len(quote_ids)} quote(s) accepted")


@quotes.command("redact")
def redact(
    quote_id: Annotated[int, typer.Argument(help="Quote id.")],
    text: Annotated[str, typer.Option("--text", help="Words to mask, as they appear in the quote.")],
    type_: Annotated[str, typer.Option("--type", help="PERSON, TOWN, PLACE, ORG, HOSPICE, WARD or OTHER.")] = "PERSON",
    only_here: Annotated[bool, typer.Option("--only-here", help="Mask it in this quote only, not the whole bank.")] = False,
) -> None:
    """Add a redaction the anonymiser missed; by default every quote of the bank is masked too.

    Example: qualcode quotes redact 12 --text "Bramble Court" --type PLACE
    """
    from qualcode.quotes.review import add_redaction

    result = add_redaction(open_db(), quote_id, text, type_=type_, everywhere=not only_here)
    console.print(escape(result.quote.masked_text))
    if result.also_changed:
        console.print(f"also masked in quote(s) {', '.join(map(str, result.also_changed))}")


@quotes.command("unredact")
def unredact(
    quote_id: Annotated[int, typer.Argument(help="Quote id.")],
    span: Annotated[int, typer.Option("--span", help="Redaction number, as 'quotes show' lists it.")],
) -> None:
    """Undo a false redaction; the quote goes back to unreviewed.

    Example: qualcode quotes unredact 12 --span 0
    """
    from qualcode.quotes.review import remove_redaction

    quote = remove_redaction(open_db(), quote_id, span)
    console.print(escape(quote.masked_text))


@quotes.command("export")
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, csv, docx or json.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    bank: BankOption = None,
    roster: Annotated[Path | None, typer.Option("--roster", help="Extra roster file the final scan checks too.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Export a bank; every quote is re-scanned and any with a surviving name is withheld.

    Example: qualcode quotes export --format docx --out exports/quotes.docx
    """
    from qualcode.anonymise import Roster
    from qualcode.quotes.export import export_bank

    extra = Roster.from_file(roster) if roster is not None else None
    report = export_bank(open_db(), fmt, out, bank=bank, extra_roster=extra)
    if as_json:
        print_json(report)
        return
    console.print(f"{report.exported} quote(s) written to {escape(str(out))}; {report.unreviewed} unreviewed (flagged)")
    for warning in report.warnings:
        err_console.print(f"[yellow]withheld:[/] {escape(warning)}", highlight=False)


@roster_app.command("import")
def roster_import(file: Annotated[Path, typer.Argument(help="Roster YAML (others/places/organisations) or CSV.")]) -> None:
    """Store the names, places and organisations to mask (project setting roster_extra).

    Example: qualcode quotes roster import roster.yaml
    """
    from qualcode.quotes.roster import import_roster

    db = open_db()
    with db.transaction() as session:
        roster = import_roster(session, file)
    console.print(f"roster stored: {len(roster.people)} people, {len(roster.places)} places, "
                  f"{len(roster.organisations)} organisations")


@roster_app.command("show")
def roster_show(as_json: JsonOption = False) -> None:
    """Count what the project's roster holds (participants plus roster_extra); names stay hidden.

    Example: qualcode quotes roster show --json
    """
    from qualcode.quotes.roster import project_roster

    db = open_db()
    with db.reading() as session:
        roster = project_roster(session)
    counts = {"people": len(roster.people), "places": len(roster.places), "organisations": len(roster.organisations)}
    if as_json:
        print_json(counts)
        return
    console.print(", ".join(f"{n} {what}" for what, n in counts.items()))


def register(app: typer.Typer) -> None:
    app.add_typer(quotes, name="quotes")
