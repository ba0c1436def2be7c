"""The gold fixture: offsets built from mark-up, the scoring rule, and the recall/precision bars."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.anonymise import Anonymiser, Span
from qualcode.anonymise.evaluation import GoldSpan, load_gold, parse_marked, read_marked, score, to_jsonl
from qualcode.errors import InvalidInput

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "anonymise"


@pytest.fixture(scope="module")
def gold():
    return load_gold(FIXTURES / "gold.jsonl")


def test_markup_gives_offsets_into_the_plain_text():
    text, spans = parse_marked("I work with [[Dawn|PERSON]]'s team on [[Larch Ward|WARD|direct]].")
    assert text == "I work with Dawn's team on Larch Ward."
    assert spans == [GoldSpan(12, 16, "PERSON", "direct"), GoldSpan(27, 37, "WARD", "direct")]
    assert text[27:37] == "Larch Ward"
    with pytest.raises(InvalidInput):
        parse_marked("a [[broken|PERSON] mark")


def test_gold_jsonl_is_built_from_the_marked_source(gold):
    assert to_jsonl(read_marked(FIXTURES / "gold_marked.txt")) == (FIXTURES / "gold.jsonl").read_text(encoding="utf-8")
    styles = [g.style for g in gold]
    assert styles.count("interview") >= 60
    assert styles.count("tab") >= 10


def test_gold_holds_the_hard_cases_and_the_traps(gold):
    text = "\n".join(g.text for g in gold)
    marked = {g.text[s.start : s.end] for g in gold for s in g.spans}
    for name in ("Hope", "Will", "Faith", "Dawn", "Rose", "June", "Mags", "Margret", "dawn", "margaret", "Shiv"):
        assert name in marked
    for trap in ("I hope", "we will", "in June", "faith groups", "at dawn", "rose garden", "Hospice UK", "NHS England"):
        assert trap in text
    types = {s.type for g in gold for s in g.spans}
    assert {"PERSON", "WARD", "HOSPICE", "AGE", "ADDRESS", "PHONE", "EMAIL", "NHS_NUMBER", "DATE", "TOWN"} <= types


def test_scoring_rule_on_a_hand_made_case(gold):
    example = gold[1]  # "I work with Dawn's team at St Aidan's Hospice. We start at dawn ..."
    dawn, hospice = example.spans
    half_hospice = Span(hospice.start, hospice.start + 5, "HOSPICE", "pattern", "x")
    stray = Span(example.text.index("dawn"), example.text.index("dawn") + 4, "PERSON", "ner", "x")
    result = score([example], [[Span(dawn.start, dawn.end, "TOWN", "ner", "x"), half_hospice, stray]])
    assert result.recall("direct") == 1.0  # type does not matter, coverage does
    assert result.recall("quasi") == 0.0  # a partly masked hospice still leaks
    assert result.precision == pytest.approx(2 / 3)
    assert result.false_positives == [(example.id, "dawn", "PERSON")]


def test_with_roster_meets_the_bars(gold, anonymiser):
    result = score(gold, anonymiser.detect_many([g.text for g in gold]))
    assert result.recall("direct") >= 0.98, result.missed
    assert result.recall("quasi") >= 0.90, result.missed
    # This fixture is full of listed names used as words ("at dawn", "faith groups"): a listed
    # name is masked wherever it stands, so its precision sits below the interview set's.
    assert result.precision >= 0.80, result.false_positives


def test_without_roster_meets_the_bars(gold):
    result = score(gold, Anonymiser().detect_many([g.text for g in gold]))
    assert result.recall("direct") >= 0.85, result.missed
    assert result.recall("quasi") >= 0.90, result.missed
    assert result.precision >= 0.85, result.false_positives
