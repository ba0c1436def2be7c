"""The demo project: a bank over every theme, exported in every format, leaks no roster name."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from qualcode.anonymise import Roster, final_scan
from qualcode.anonymise.lexicon import MONTHS, NAME_WORDS, WEEKDAYS, name_in_context
from qualcode.demo import DEMO_CORPUS, build_demo
from qualcode.quotes import keys
from qualcode.store import quotes as repo
from qualcode.quotes.build import build_bank
from qualcode.quotes.export import FORMATS, export_bank
from qualcode.quotes.model import BankSettings
from qualcode.quotes.review import accept
from qualcode.quotes.roster import project_roster
from qualcode.store import Database
from qualcode.store import codes as code_repo

AMBIGUOUS = NAME_WORDS | MONTHS | WEEKDAYS


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path)
    db = Database(f"sqlite:///{path}")
    roster = Roster.from_file(DEMO_CORPUS / "participants.yaml")
    with db.reading() as s:
        themes = tuple(c.path for c in code_repo.list_all(s) if c.parent_id is None)
    report = build_bank(db, BankSettings(codes=themes, attributes=("role", "kind", "region")), extra_roster=roster)
    yield db, roster, report
    db.dispose()


def visible_text(path) -> str:
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith((".xml", ".rels")))
    return path.read_text(encoding="utf-8")


def test_demo_bank_covers_every_theme_from_many_participants(demo):
    db, _roster, report = demo
    assert report.quotes >= 7 * 5 and all(n > 0 for n in report.per_theme.values())
    with db.reading() as s:
        quotes = repo.list_quotes(s, "default")
    for theme in report.per_theme:
        people = [q.participant_id for q in quotes if q.code_path == theme and q.participant_id]
        # No participant dominates a theme.
        assert max(people.count(p) for p in set(people)) <= max(3, len(people) // 3)
    assert report.warnings  # the demo has one-of-a-kind roles by region: the k check fires


@pytest.mark.parametrize("accept_all", [False, True])
def test_no_roster_name_survives_in_any_demo_export(demo, tmp_path, accept_all):
    db, roster, _report = demo
    if accept_all:
        # Accepted quotes skip the literal search, so this checks the anonymiser and final scan alone.
        with db.reading() as s:
            ids = [q.id for q in repo.list_quotes(s, "default")]
        for quote_id in ids:
            accept(db, quote_id)
    with db.reading() as s:
        full = project_roster(s, roster)
        key = keys.load_project_key(s)
    names = [f for f in {*roster.all_forms(), *full.all_forms(), *keys.key_terms(key)} if len(f) > 1]
    assert "Margaret Ellison" in names and "Brackley Vale" in names and "St Aldric's Hospice" in names
    for fmt in FORMATS:
        out = tmp_path / f"demo.{fmt}"
        report = export_bank(db, fmt, out, extra_roster=roster)
        assert report.exported > 30
        text = visible_text(out)
        survivors = [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text)]
        # Only a name that is also a word may appear at all ("Faith leaders", "I hope") ...
        assert [n for n in survivors if n.casefold() not in AMBIGUOUS] == [], fmt
    # ... and then never where it names someone, judged inside each exported quote.
    for quote in json.loads((tmp_path / "demo.json").read_text())["quotes"]:
        for n in names:
            for m in re.finditer(rf"(?<!\w){re.escape(n)}(?!\w)", quote["text"]):
                assert not name_in_context(quote["text"], m.start(), m.end()), quote["text"]
        assert final_scan(quote["text"], full) == []
