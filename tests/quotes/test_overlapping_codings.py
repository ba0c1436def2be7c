"""A passage two coders coded with different edges becomes one quote, not two near-duplicates."""

from __future__ import annotations

from qualcode.coding import CodingService
from qualcode.store import quotes as repo
from qualcode.quotes.build import build_bank
from qualcode.quotes.model import BankSettings


def test_overlapping_codings_by_two_coders_make_one_quote(project):
    text = project.text("Interview one")
    start = text.index("Funding is the barrier.")
    end = text.index("Every year we bid again") + len("Every year we bid again")
    CodingService(project.db, "ben").apply(project.docs["Interview one"], start + 8, end, "barriers", candidate_quote=True)
    build_bank(project.db, BankSettings(codes=("barriers",), use_ner=False))
    with project.db.reading() as s:
        quotes = repo.list_quotes(s, "default")
    funding = [q for q in quotes if "Funding" in q.masked_text or "bid again" in q.masked_text]
    assert len(funding) == 1, [q.masked_text for q in quotes]
    assert "Funding is the barrier." in funding[0].masked_text and "bid again" in funding[0].masked_text
    assert funding[0].candidate  # the second coder's mark carries over to the joined passage
