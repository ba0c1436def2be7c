"""Attribute names mean one thing: case, spaces and punctuation are ignored; rename and merge join spellings."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.coding import CodingService
from qualcode.domain import DocumentKind
from qualcode.domain.attributes import attribute_norm
from qualcode.importers.base import ParsedParticipant
from qualcode.store import Database, codes, documents, participants
from tests.analysis.conftest import parsed

runner = CliRunner()


@pytest.fixture
def study(tmp_path):
    """Interviewees from a participants file (`setting`, `region`), respondents from a survey (`Care setting`, `Region`)."""
    url = f"sqlite:///{tmp_path / 'study.db'}"
    db = Database(url, create=True)
    people = [
        ParsedParticipant("P01", attributes={"setting": "hospice", "region": "North"}),
        ParsedParticipant("R01", attributes={"Care setting": "hospice", "Region": "South"}),
        ParsedParticipant("R02", attributes={"Care setting": "community", "Region": "North"}),
    ]
    with db.transaction() as s:
        ids = {p.label: participants.upsert(s, p) for p in people}
        codes.add(s, "barriers")
        codes.add(s, "time", parent="barriers", fields={"valence": "barrier"})
        for label in ids:
            documents.add_parsed(s, parsed(f"doc {label}", DocumentKind.INTERVIEW, None, [(label, "We never had the time.")]),
                                 [ids[label]])
    for label in ids:
        CodingService(db, "alex").apply(f"doc {label}", 0, 10, "barriers/time")
    db.dispose()

    def run(*args, ok=True):
        result = runner.invoke(app, ["--db", url, *args])
        assert (result.exit_code == 0) == ok, result.output
        return result.output

    return run


def _groups(run, by):
    (t,) = json.loads(run("tally", "barriers", "--by", by, "--json"))
    return {g["value"]: g["excerpts"] for g in t["groups"]}


def test_spellings_of_one_name_are_one_attribute(study):
    assert _groups(study, "region") == {"North": 2, "South": 1}
    assert _groups(study, "REGION") == _groups(study, "region")
    assert _groups(study, "care-setting") == {"(not given)": 1, "community": 1, "hospice": 1}
    summary = study("summary", "--code", "barriers", "--no-language", "--quotes", "0")
    assert summary.lower().count("by region:") == 1


def test_merge_joins_two_names_for_one_meaning(study):
    assert _groups(study, "setting") == {"(not given)": 2, "hospice": 1}
    hint = study("tally", "barriers", "--by", "setting")
    assert "2 participant(s) have no 'setting' but have 'Care setting'" in hint and "attributes merge" in hint
    assert "2 participant(s)" in study("participants", "attributes", "merge", "Care setting", "setting")
    assert _groups(study, "setting") == {"community": 1, "hospice": 2}
    listed = json.loads(study("participants", "attributes", "list", "--json"))
    assert {r["attribute"]: r["participants"] for r in listed} == {"Region": 3, "setting": 3}  # the commonest spelling names it
    refused = study("participants", "attributes", "rename", "region", "setting", ok=False)
    assert "already have 'setting'" in refused and "merge" in refused


def test_rename_and_conflicting_merge(study):
    assert "3 participant(s)" in study("participants", "attributes", "rename", "Region", "area")
    assert _groups(study, "area") == {"North": 2, "South": 1}
    study("participants", "attributes", "rename", "setting", "Care setting", ok=False)  # name in use: merge it
    out = study("participants", "attributes", "merge", "area", "Care setting", ok=False)
    assert "different values" in out and len(out.strip().splitlines()) == 1
    assert _groups(study, "area") == {"North": 2, "South": 1}  # nothing half-written
    assert "no participant attribute 'shoe size'" in study("participants", "attributes", "rename", "shoe size", "x", ok=False)


@given(st.text(min_size=1, max_size=20))
def test_the_norm_ignores_case_and_separators(name):
    assert attribute_norm(name) == attribute_norm(name.upper().replace(" ", "-")) or not name.isascii()
    assert attribute_norm(attribute_norm(name)) == attribute_norm(name)
