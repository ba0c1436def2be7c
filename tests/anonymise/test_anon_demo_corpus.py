"""The demo corpus masked with its own participants file: no listed name survives."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.anonymise import Anonymiser, PseudonymKey, Roster, final_scan

DEMO = Path(__file__).resolve().parent.parent.parent / "corpora" / "demo"


def test_no_roster_name_survives_in_the_demo_transcripts():
    if not (DEMO / "participants.yaml").is_file():
        pytest.skip("demo corpus not present")
    roster = Roster.from_file(DEMO / "participants.yaml")
    paths = sorted(DEMO.glob("*.txt")) + sorted(DEMO.glob("*.vtt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    key = PseudonymKey()
    # NER only ever adds to what the roster masks (spans merge by union), so it is left out for speed.
    results = Anonymiser(roster=roster, use_ner=False).mask_many(texts, key)
    leaks = {p.name: [r.text[s.start : s.end] for s in final_scan(r.text, roster)] for p, r in zip(paths, results)}
    assert {name: found for name, found in leaks.items() if found} == {}
    # One pseudonym per participant across the whole bank.
    people = [k for k in key.pseudonyms if k.startswith("person:")]
    assert len({key.pseudonyms[k] for k in people}) == len(people)
