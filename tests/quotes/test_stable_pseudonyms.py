"""Pseudonyms stay put across rebuilds, roster changes and new documents; the key never leaves."""

from __future__ import annotations

import json
import re

import yaml

from qualcode.anonymise import PseudonymKey, Span
from qualcode.anonymise.spans import Layer
from qualcode.coding import CodingService
from qualcode.domain import DocumentKind
from qualcode.quotes import keys
from qualcode.store import quotes as repo
from qualcode.quotes.build import build_bank
from qualcode.quotes.export import FORMATS, export_bank
from qualcode.quotes.model import BankSettings
from qualcode.quotes.roster import import_roster
from qualcode.reports import FORMATS as REPORT_FORMATS
from qualcode.reports import ReportOptions, write_report
from qualcode.reports.readback import exported_text
from qualcode.store import documents as doc_repo

from tests.quotes.conftest import _doc

FIRST = "Gideon Farrow runs the day centre in Pelham Cross and every family knows him."
LATER = "Gideon Farrow told me Ottoline Brede would take over the group in Pelham Cross."


def add_document(db, title, speaker, words, code):
    with db.transaction() as s:
        doc_id = doc_repo.add_parsed(s, _doc(title, DocumentKind.INTERVIEW, [(speaker, words)]), [None])
        text = doc_repo.get(s, doc_id).text
    start = text.index(words)
    CodingService(db, "ana").apply(doc_id, start, start + len(words), code)
    return doc_id


def masked_by_place(db):
    with db.reading() as s:
        return {(q.document_id, q.start, q.end): q.masked_text for q in repo.list_quotes(s, "default")}


def test_old_pseudonyms_survive_a_new_roster_and_a_new_document(project, tmp_path):
    add_document(project.db, "Centre visit", "Visitor", FIRST, "community")
    settings = BankSettings(codes=("community", "barriers"))
    build_bank(project.db, settings)
    before = masked_by_place(project.db)
    first = next(t for t in before.values() if "day centre" in t)
    assert "Gideon" not in first and "Pelham" not in first  # the model found both without a roster
    # The team now lists the man and the place, and a new interview names them and someone new.
    roster = tmp_path / "roster.yaml"
    roster.write_text(yaml.safe_dump({"others": [{"name": "Gideon Farrow", "aliases": ["Gid"]}],
                                      "places": ["Pelham Cross"], "organisations": ["St Wilfrid's Hospice"]}))
    with project.db.transaction() as s:
        import_roster(s, roster)
    add_document(project.db, "Handover", "Visitor", LATER, "community")
    build_bank(project.db, settings)
    after = masked_by_place(project.db)
    assert {place: after.get(place) for place in before} == before  # every old quote reads exactly as before
    person = re.match(r"(\[PERSON \d+\])", first).group(1)
    town = re.search(r"in (\[[A-Z]+ [A-Z]+\])", first).group(1)
    later = next(t for t in after.values() if "would take over" in t)
    assert later.startswith(person) and later.endswith(f"in {town}.")  # the new document: the same pseudonyms
    assert re.search(r"told me (\[PERSON \d+\])", later).group(1) != person  # a new person, a new number


def test_a_roster_entry_keeps_the_pseudonym_the_model_gave_first():
    key = PseudonymKey()
    found = key.pseudonym_for(Span(0, 13, "PERSON", Layer.NER, "ner"), "Gideon Farrow")
    listed = Span(0, 13, "PERSON", Layer.ROSTER, "roster", entity="listed:other:gideon farrow")
    assert key.pseudonym_for(listed, "Gideon Farrow") == found
    other = Span(0, 4, "PERSON", Layer.ROSTER, "roster", entity="listed:other:ottoline brede")
    assert key.pseudonym_for(other, "Ottoline Brede") != found
    restored = PseudonymKey.from_dict(json.loads(json.dumps(key.to_dict())))
    assert restored.pseudonym_for(listed, "Gid") == found  # a stored key answers the same


def test_the_key_never_enters_a_bank_or_report(project, tmp_path):
    from qualcode.analysis import load

    build_bank(project.db, BankSettings(codes=("community", "barriers"), use_ner=False))
    with project.db.reading() as s:
        key = keys.load_project_key(s)
        ds = load(s)
    secrets = {*key.pseudonyms, *keys.key_terms(key)} - {""}
    assert any(e.startswith("participant:") for e in secrets) and "Thornbury Vale" in secrets
    written = []
    for fmt in FORMATS:
        export_bank(project.db, fmt, tmp_path / f"bank.{fmt}")
        written.append(exported_text(tmp_path / f"bank.{fmt}", fmt))
    for fmt in REPORT_FORMATS:
        write_report(ds, tmp_path / f"report.{fmt}", fmt, ReportOptions(language=False))
        written.append(exported_text(tmp_path / f"report.{fmt}", fmt))
    for text in written:
        assert [s for s in secrets if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)] == []
        assert "counters" not in text and "mentions" not in text  # no serialised key either
