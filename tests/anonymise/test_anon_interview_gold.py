"""The interview gold set: TAB JSON rebuilt from its mark-up, TAB's scoring rule, recall floors on the dev half."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qualcode.anonymise import Anonymiser, Roster, Span
from qualcode.anonymise.tab_eval import (
    load_tab,
    marked_to_tab,
    parse_marked_line,
    score_tab,
)
from qualcode.errors import InvalidInput

GOLD = Path(__file__).resolve().parent.parent / "fixtures" / "anonymise" / "interview_gold"


@pytest.mark.parametrize("half", ["dev", "test"])
def test_tab_json_is_built_from_the_marked_source(half):
    built = marked_to_tab(GOLD / f"{half}_marked.txt")
    assert built == json.loads((GOLD / f"{half}.json").read_text(encoding="utf-8"))
    assert len(built) >= 40
    docs = load_tab(GOLD / f"{half}.json")
    kinds = {m.identifier for d in docs for m in d.mentions}
    assert kinds == {"DIRECT", "QUASI"}


def test_the_two_halves_share_no_excerpt():
    dev = {d.text for d in load_tab(GOLD / "dev.json")}
    test = {d.text for d in load_tab(GOLD / "test.json")}
    assert not dev & test and len(dev) + len(test) >= 80


def test_tab_rule_needs_every_mention_of_an_entity():
    doc = parse_marked_line(
        "x",
        "[[Kath|PERSON|D|e1]] rang. Mr [[Kath|PERSON|D|e1]] came in [[May 2021|DATETIME|Q|e2]].",
    )
    [parsed] = load_tab_from(doc)
    first, second, date = parsed.mentions
    half = score_tab([parsed], [[Span(first.start, first.end, "PERSON", "x", "x")]])
    assert half.er_di == 0.0 and half.missed[0][1] == "Kath"
    whole = score_tab(
        [parsed],
        [[Span(m.start, m.end, "PERSON", "x", "x") for m in (first, second)] + [Span(0, 4, "PERSON", "x", "x")]],
    )
    assert whole.er_di == 1.0 and whole.er_qi == 0.0
    stray = score_tab([parsed], [[Span(5, 9, "PERSON", "x", "x")]])  # "rang": masked, not annotated
    assert stray.precision == 0.0 and stray.wrong == [("x", "rang")]
    with pytest.raises(InvalidInput):
        parse_marked_line("y", "a [[broken|PERSON|D] mark")


def load_tab_from(doc: dict):
    from qualcode.anonymise.tab_eval import Mention, TabDocument

    mentions = tuple(
        Mention(
            m["start_offset"],
            m["end_offset"],
            m["entity_type"],
            m["identifier_type"],
            m["entity_id"],
        )
        for m in doc["annotations"]["annotator1"]["entity_mentions"]
    )
    return [TabDocument(doc["doc_id"], doc["text"], mentions)]


@pytest.fixture(scope="module")
def dev():
    return load_tab(GOLD / "dev.json"), Roster.from_file(GOLD / "dev_roster.yaml")


def test_dev_half_with_roster_meets_the_floors(dev):
    docs, roster = dev
    scores = score_tab(docs, Anonymiser(roster=roster).detect_many([d.text for d in docs]))
    assert scores.er_di >= 0.95, scores.missed
    assert scores.er_qi >= 0.85, scores.missed
    assert scores.precision >= 0.90, scores.wrong


def test_dev_half_without_roster_meets_the_floors(dev):
    docs, _ = dev
    scores = score_tab(docs, Anonymiser().detect_many([d.text for d in docs]))
    assert scores.er_di >= 0.88, scores.missed
    assert scores.er_qi >= 0.85, scores.missed
    assert scores.precision >= 0.90, scores.wrong
