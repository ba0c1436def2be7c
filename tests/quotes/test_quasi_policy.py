"""A quote bank's default policy masks every quasi identifier, as `qualcode anonymise` does by default."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from qualcode.anonymise import Policy
from qualcode.anonymise.pseudonyms import QUASI_TYPES
from qualcode.anonymise.share import open_policy
from qualcode.cli import app
from qualcode.quotes.build import make_anonymiser
from qualcode.quotes.model import BankSettings
from qualcode.store import Database

runner = CliRunner()
SENTENCE = ("In April 2022, when Mum was eighty-seven, we met the lead nurse at the Black Horse on Boxing Day. "
            "She moved to Selby in 1987.")
SURFACES = ("April 2022", "eighty-seven", "Black Horse", "Boxing Day", "Selby", "1987", "2022", "eighties")


def cli(project, *args):
    result = runner.invoke(app, ["--project", str(project), *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def banked(tmp_path_factory):
    root = tmp_path_factory.mktemp("quasi")
    project = root / "quasi.db"
    source = root / "visit.txt"
    source.write_text(f"Visitor: {SENTENCE}\n", encoding="utf-8")
    cli(project, "init")
    cli(project, "codes", "add", "care")
    cli(project, "docs", "import", str(source))
    text = json.loads(cli(project, "docs", "show", "visit", "--json").stdout)["text"]
    start = text.index(SENTENCE)
    cli(project, "codings", "add", "--doc", "visit", "--start", str(start), "--end", str(start + len(SENTENCE)),
        "--code", "care", "--coder", "alex")
    cli(project, "quotes", "build", "--code", "care")
    (quote,) = json.loads(cli(project, "quotes", "list", "--json").stdout)
    return root, project, json.loads(cli(project, "quotes", "show", str(quote["id"]), "--json").stdout)


def test_the_default_bank_policy_masks_every_quasi_type(banked):
    _root, project, _shown = banked
    assert make_anonymiser(None, BankSettings()).policy == Policy()
    db = Database(f"sqlite:///{project}")
    try:
        policy = open_policy(db, use_ner=False).anonymiser.policy
    finally:
        db.dispose()
    assert {policy.action(t) for t in QUASI_TYPES} == {"mask"}


def test_a_default_bank_masks_dates_ages_venues_and_places_with_pseudonyms(banked):
    _root, _project, shown = banked
    masked = shown["masked_text"]
    assert [s for s in SURFACES if s in masked] == []
    types = {r["type"] for r in shown["redactions"] if r["active"]}
    assert {"DATE", "AGE"} <= types
    # Masked, not generalised: every replacement is a pseudonym, never "2022" or "in her eighties".
    assert all(re.fullmatch(r"\[[A-Z ]+\]|\[[A-Z ]+ [A-Z0-9]+\]", r["replacement"]) for r in shown["redactions"])


def test_anonymise_masks_the_text_as_the_bank_does(banked):
    root, _project, shown = banked
    source = root / "sentence.txt"
    source.write_text(SENTENCE + "\n", encoding="utf-8")
    result = runner.invoke(app, ["anonymise", str(source), "--json"])
    assert result.exit_code == 0, result.output
    spans = json.loads(result.stdout)["spans"]
    assert [(SENTENCE[s["start"] : s["end"]], s["type"]) for s in spans] == [
        (r["text"], r["type"]) for r in shown["redactions"] if r["active"]
    ]


def test_a_person_generalised_to_a_unique_role_is_not_singled_out_by_it():
    """Detectors and the final scan agree: a generalised person never reads as a role one person holds."""
    from qualcode.anonymise import Roster, RosterEntry
    from qualcode.anonymise.share import make_anonymiser, make_policy

    roster = Roster(people=[
        RosterEntry("participant:P01", "Edith Pellow", "PERSON", ("Edith",), "ward manager"),
        RosterEntry("participant:P02", "Gwen Tarbuck", "PERSON", ("Gwen",), "carer"),
        RosterEntry("participant:P03", "Ivy Marsh", "PERSON", (), "carer"),
    ])
    policy = make_policy(roster, use_ner=False)
    policy.anonymiser = make_anonymiser(roster, generalise=("PERSON",), use_ner=False)
    unique, shared = policy.mask(["Pellow on the inpatient unit is a great mentor.", "Gwen said it was fine."])
    assert "ward manager" not in unique.casefold() and unique.startswith("A person ")
    assert shared == "A carer said it was fine."  # a role two people hold still describes
    assert policy.leaks(unique) == [] and policy.leaks(shared) == []


def test_a_job_title_under_attributes_masks_alike_in_the_bank_and_anonymise(tmp_path):
    """A participants file with the title under attributes, not role: both paths read it as the role."""
    import yaml

    people = tmp_path / "participants.yaml"
    people.write_text(yaml.safe_dump({"participants": [
        {"label": "P01", "name": "Orla Fenwick", "attributes": {"job_title": "dementia link worker"}},
        {"label": "P02", "name": "Ned Ashdown", "attributes": {"job_title": "porter"}},
    ]}), encoding="utf-8")
    sentence = "Our dementia link worker sat with the family all night."
    source = tmp_path / "night.txt"
    source.write_text(f"Ned Ashdown: {sentence}\n", encoding="utf-8")
    project = tmp_path / "titles.db"
    cli(project, "init")
    cli(project, "codes", "add", "care")
    cli(project, "participants", "import", str(people))
    cli(project, "docs", "import", str(source), "--participants", str(people))
    text = json.loads(cli(project, "docs", "show", "night", "--json").stdout)["text"]
    start = text.index(sentence)
    cli(project, "codings", "add", "--doc", "night", "--start", str(start), "--end", str(start + len(sentence)),
        "--code", "care", "--coder", "alex")
    cli(project, "quotes", "build", "--code", "care")
    (quote,) = json.loads(cli(project, "quotes", "list", "--json").stdout)
    shown = json.loads(cli(project, "quotes", "show", str(quote["id"]), "--json").stdout)
    assert "dementia link worker" not in shown["masked_text"]  # a title only P01 holds
    alone = tmp_path / "sentence.txt"
    alone.write_text(sentence + "\n", encoding="utf-8")
    result = runner.invoke(app, ["anonymise", str(alone), "--roster", str(people), "--json"])
    assert result.exit_code == 0, result.output
    spans = json.loads(result.stdout)["spans"]
    assert [(sentence[s["start"] : s["end"]], s["type"]) for s in spans] == [
        (r["text"], r["type"]) for r in shown["redactions"] if r["active"]
    ]
