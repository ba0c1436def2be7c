"""Exports in every format: no real name or key entry leaks, the final scan withholds, flags, bytes."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import replace

import pytest

from qualcode.errors import InvalidInput
from qualcode.quotes import keys
from qualcode.store import quotes as repo
from qualcode.quotes.build import build_bank
from qualcode.quotes.export import FORMATS, export_bank
from qualcode.quotes.model import BankSettings
from qualcode.quotes.review import accept, remove_redaction
from qualcode.quotes.roster import project_roster


def export_text(path) -> str:
    """Everything a reader of the file could see: for Word, every XML part of the archive."""
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            parts = [n for n in archive.namelist() if n.endswith((".xml", ".rels"))]
            return "\n".join(archive.read(n).decode("utf-8") for n in parts)
    return path.read_text(encoding="utf-8")


def leaks(text: str, terms) -> list[str]:
    return [t for t in terms if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text)]


def secrets(db, bank="default") -> list[str]:
    """Every real name and alias of the roster and every entry of the bank's key."""
    with db.reading() as s:
        roster = project_roster(s)
        key = keys.load_project_key(s)
    return sorted({*roster.all_forms(), *keys.key_terms(key), *key.pseudonyms}, key=len, reverse=True)


@pytest.fixture
def bank(project):
    build_bank(project.db, BankSettings(codes=("community", "barriers"), attributes=("role", "kind"), use_ner=False))
    return project


def quotes(project):
    with project.db.reading() as s:
        return repo.list_quotes(s, "default")


def held_on_hope(project) -> int:
    """The one quote the final scan holds: "I hope ..." shows the roster's Hope as a word."""
    (quote,) = [q for q in quotes(project) if re.search(r"\bhope\b", q.masked_text, re.IGNORECASE)]
    return quote.id


def tamper(project, quote, **changes):
    with project.db.transaction() as s:
        repo.save(s, replace(quote, **changes), action="test")


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_real_name_or_key_entry_in_any_format(bank, tmp_path, fmt):
    out = tmp_path / "exports" / f"bank.{fmt}"
    report = export_bank(bank.db, fmt, out)
    text = export_text(out)
    terms = secrets(bank.db)
    assert "Thornbury Vale" in terms and "Mags" in terms and "participant:P04" in terms
    assert leaks(text, terms) == []
    # The roster's "Bill" is masked at detection, so its quote leaves masked rather than withheld;
    # "I hope ..." reads as a verb to the detectors, and the scan holds it: a roster name in any case.
    assert "Bill" not in text and re.search(r"\[PERSON \d+\] from the ICB", text)
    assert report.withheld == [held_on_hope(bank)]
    assert report.exported == len(quotes(bank)) - 1
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # the temporary file was renamed


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_state_gives_the_same_bytes(bank, tmp_path, fmt):
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    export_bank(bank.db, fmt, first)
    export_bank(bank.db, fmt, second)
    assert first.read_bytes() == second.read_bytes()


def test_unreviewed_quotes_are_flagged_in_every_format(bank, tmp_path):
    accepted = next(q for q in quotes(bank) if "Funding" in q.masked_text)
    accept(bank.db, accepted.id)
    paths = {fmt: tmp_path / f"bank.{fmt}" for fmt in FORMATS}
    for fmt, path in paths.items():
        export_bank(bank.db, fmt, path)
    # Every quote but the accepted one and the one the scan holds ("I hope ...") leaves flagged.
    unreviewed = len(quotes(bank)) - 2
    assert paths["md"].read_text().count("**UNREVIEWED**") == unreviewed
    rows = list(csv.DictReader(io.StringIO(paths["csv"].read_text())))
    assert sum(r["flag"] == "UNREVIEWED" for r in rows) == unreviewed
    assert [r["flag"] for r in rows if r["quote_id"] == str(accepted.id)] == [""]
    assert str(held_on_hope(bank)) not in {r["quote_id"] for r in rows}
    data = json.loads(paths["json"].read_text())
    assert data["unreviewed"] == unreviewed and sum(not q["reviewed"] for q in data["quotes"]) == unreviewed
    from docx import Document

    paragraphs = [p.text for p in Document(str(paths["docx"])).paragraphs]
    assert sum(p.startswith("[UNREVIEWED] ") for p in paragraphs) == unreviewed


def test_final_scan_withholds_a_tampered_quote_with_a_warning(bank, tmp_path):
    victim = next(q for q in quotes(bank) if "Funding" in q.masked_text)
    tamper(bank, victim, masked_text="Mags said funding is the barrier.")
    report = export_bank(bank.db, "md", tmp_path / "bank.md")
    assert victim.id in report.withheld
    assert any(f"quote {victim.id} withheld" in w for w in report.warnings)
    assert "Mags" not in (tmp_path / "bank.md").read_text()
    assert all("Mags" not in w for w in report.warnings)  # warnings never repeat the name


def test_a_name_in_a_label_is_withheld_too(bank, tmp_path):
    victim = quotes(bank)[0]
    tamper(bank, victim, attribution="P02, lives in Thornbury Vale")
    report = export_bank(bank.db, "json", tmp_path / "bank.json")
    assert victim.id in report.withheld


def test_an_undone_redaction_exports_only_after_acceptance(bank, tmp_path):
    quote = next(q for q in quotes(bank) if "the streets around" in q.masked_text)
    remove_redaction(bank.db, quote.id, 0)
    out = tmp_path / "bank.md"
    assert quote.id in export_bank(bank.db, "md", out).withheld
    accept(bank.db, quote.id)
    assert quote.id not in export_bank(bank.db, "md", out).withheld
    assert "Larkin Ward" in out.read_text()  # the reviewer decided it names no one


def test_csv_cells_are_spreadsheet_safe(bank, tmp_path):
    victim = next(q for q in quotes(bank) if "Funding" in q.masked_text)
    tamper(bank, victim, masked_text='=HYPERLINK("http://example.invalid")')
    export_bank(bank.db, "csv", tmp_path / "bank.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "bank.csv").read_text())))
    assert [r["quote"] for r in rows if r["quote_id"] == str(victim.id)] == ['\'=HYPERLINK("http://example.invalid")']


def test_bad_export_requests(bank, tmp_path):
    with pytest.raises(InvalidInput, match="unknown format"):
        export_bank(bank.db, "pdf", tmp_path / "x.pdf")
    with pytest.raises(InvalidInput, match="no quote bank 'other'"):
        export_bank(bank.db, "md", tmp_path / "x.md", bank="other")
    with pytest.raises(InvalidInput, match="is a folder"):
        export_bank(bank.db, "md", tmp_path)
    build_bank(bank.db, BankSettings(codes=("barriers",), use_ner=False), bank="second")
    with pytest.raises(InvalidInput, match="several quote banks"):
        export_bank(bank.db, "md", tmp_path / "x.md")


def test_build_review_and_export_on_each_backend(project_on_each_backend, tmp_path):
    project = project_on_each_backend
    build_bank(project.db, BankSettings(codes=("community", "barriers"), use_ner=False))
    accept(project.db, quotes(project)[0].id)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    report = export_bank(project.db, "json", first)
    export_bank(project.db, "json", second)
    assert first.read_bytes() == second.read_bytes()
    # "Bill ..." leaves masked; only "I hope ..." is held, as on SQLite, and the accepted quote is not flagged.
    assert report.withheld == [held_on_hope(project)]
    assert report.exported == len(quotes(project)) - 1 and report.unreviewed == report.exported - 1
    assert leaks(first.read_text(), secrets(project.db)) == []


def test_a_bank_named_after_someone_is_not_named_in_the_export(project, tmp_path):
    build_bank(project.db, BankSettings(codes=("barriers",), use_ner=False), bank="Mags and Dawn")
    for fmt in FORMATS:
        out = tmp_path / f"bank.{fmt}"
        report = export_bank(project.db, fmt, out)
        assert leaks(export_text(out), ["Mags", "Dawn"]) == []
        assert any("bank's name" in w for w in report.warnings)
