"""Review actions without the TUI: accept, add a redaction, undo a false one, restore it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qualcode.errors import InvalidInput, NotFound
from qualcode.quotes import keys
from qualcode.store import quotes as repo
from qualcode.quotes.build import build_bank
from qualcode.quotes.model import ACCEPTED, UNREVIEWED, BankSettings
from qualcode.quotes.review import accept, add_redaction, original_text, remove_redaction, reopen, restore_redaction
from qualcode.store.orm import AuditRow


@pytest.fixture
def bank(project):
    build_bank(project.db, BankSettings(codes=("community", "barriers"), use_ner=False))
    return project


def quotes(project):
    with project.db.reading() as s:
        return repo.list_quotes(s, "default")


def find(project, fragment):
    return next(q for q in quotes(project) if fragment in q.masked_text)


def test_accept_and_reopen_are_audited(bank):
    quote = find(bank, "Funding is the barrier")
    assert quote.status == UNREVIEWED
    assert accept(bank.db, quote.id, coder="ana").status == ACCEPTED
    assert reopen(bank.db, quote.id).status == UNREVIEWED
    with bank.db.reading() as s:
        actions = [r.action for r in s.scalars(select(AuditRow).where(AuditRow.entity == "quote").order_by(AuditRow.id))]
    assert actions == ["accept", "reopen"]


def test_add_redaction_masks_every_quote_of_the_bank_and_survives_rebuild(bank):
    quote = find(bank, "Funding is the barrier")
    other = find(bank, "Community is where people feel")
    result = add_redaction(bank.db, quote.id, "funding", type_="ORG")
    assert result.quote.masked_text == "[ORG A] is the barrier."
    assert result.quote.redactions[-1].layer == "manual"
    assert other.id not in result.also_changed
    community = add_redaction(bank.db, other.id, "postcode", type_="PLACE")
    assert community.quote.masked_text.endswith("not a [PLACE A].")
    build_bank(bank.db, BankSettings(codes=("community", "barriers"), use_ner=False))
    rebuilt = " ".join(q.masked_text for q in quotes(bank))
    assert "Funding" not in rebuilt and "postcode" not in rebuilt
    assert "[ORG A] is the barrier." in rebuilt
    with bank.db.reading() as s:
        assert "funding" in keys.key_terms(keys.load_project_key(s)) or "Funding" in keys.key_terms(keys.load_project_key(s))


def test_added_redaction_reuses_the_banks_pseudonym_for_the_same_text(bank):
    a = find(bank, "Community is where people feel")
    b = find(bank, "Belonging comes from neighbours")
    first = add_redaction(bank.db, a.id, "people", type_="ORG", everywhere=False)
    second = add_redaction(bank.db, b.id, "neighbours", type_="ORG", everywhere=False)
    assert "[ORG A]" in first.quote.masked_text and "[ORG B]" in second.quote.masked_text
    third = add_redaction(bank.db, b.id, "each other", type_="ORG", everywhere=False)
    assert "[ORG C]" in third.quote.masked_text


def test_redaction_spreading_to_other_quotes(bank):
    quote = find(bank, "The barrier for commissioners")
    result = add_redaction(bank.db, quote.id, "barrier", type_="OTHER")
    assert result.also_changed  # "Funding is the barrier." holds the word too
    assert all("barrier" not in q.masked_text.lower().replace("[other a]", "") for q in quotes(bank))


def test_overlapping_redaction_is_folded_into_one(bank):
    quote = find(bank, "runs the café at [HOSPICE A]")
    original = original_text(bank.db, quote)
    start = original.index("the café at")
    result = add_redaction(bank.db, quote.id, span=(start, start + len("the café at St")), type_="PLACE")
    assert result.quote.masked_text.endswith("runs [PLACE A] and people drop in.")
    assert len(result.quote.active_redactions) == 2


def test_undo_a_false_redaction_reveals_it_and_needs_review_again(bank):
    quote = find(bank, "the streets around")
    accept(bank.db, quote.id)
    index = next(i for i, r in enumerate(quote.redactions) if r.type == "TOWN")
    undone = remove_redaction(bank.db, quote.id, index)
    assert undone.masked_text.endswith("the streets around Larkin Ward.")
    assert undone.status == UNREVIEWED
    assert not undone.redactions[index].active
    with pytest.raises(InvalidInput, match="already undone"):
        remove_redaction(bank.db, quote.id, index)
    restored = restore_redaction(bank.db, quote.id, index)
    assert restored.masked_text == quote.masked_text


def test_an_undo_survives_a_rebuild(bank):
    quote = find(bank, "the streets around")
    remove_redaction(bank.db, quote.id, 0)
    build_bank(bank.db, BankSettings(codes=("community", "barriers"), use_ner=False))
    assert find(bank, "the streets around").masked_text.endswith("Larkin Ward.")


@pytest.mark.parametrize("call, error", [
    (lambda db, q: add_redaction(db, q, "not in this quote"), InvalidInput),
    (lambda db, q: add_redaction(db, q, "   "), InvalidInput),
    (lambda db, q: add_redaction(db, q, "Funding", type_="DOG"), InvalidInput),
    (lambda db, q: add_redaction(db, q, span=(5, 500)), InvalidInput),
    (lambda db, q: remove_redaction(db, q, 9), InvalidInput),
    (lambda db, q: accept(db, 99999), NotFound),
])
def test_bad_review_input_is_refused(bank, call, error):
    quote = find(bank, "Funding is the barrier")
    with pytest.raises(error):
        call(bank.db, quote.id)
