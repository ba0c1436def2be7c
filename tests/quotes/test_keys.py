"""The pseudonym key in pseudonym_keys: round trips per bank, on SQLite and (when given) PostgreSQL."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.anonymise import Anonymiser, PseudonymKey, Roster
from qualcode.quotes import keys

names = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)


def test_key_round_trips_and_banks_stay_apart(db):
    anonymiser = Anonymiser(Roster(people=["Hope Marlow"], places=["Thornbury Vale"]), use_ner=False)
    first, second = PseudonymKey(), PseudonymKey()
    anonymiser.mask_many(["Hope Marlow went to Thornbury Vale.", "Hope said so."], first)
    anonymiser.mask("Thornbury Vale is small.", second)
    with db.transaction() as s:
        keys.save_key(s, "bank one", first)
        keys.save_key(s, "bank two", second)
    with db.reading() as s:
        assert keys.load_key(s, "bank one").to_dict() == first.to_dict()
        assert keys.load_key(s, "bank two").to_dict() == second.to_dict()
        assert keys.load_key(s, "no such bank").to_dict() == PseudonymKey().to_dict()
    with db.transaction() as s:
        keys.delete_key(s, "bank one")
    with db.reading() as s:
        assert keys.load_key(s, "bank one").pseudonyms == {}
        assert keys.load_key(s, "bank two").pseudonyms == second.pseudonyms


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bank=names, entities=st.dictionaries(names, st.lists(names, min_size=1, max_size=3, unique=True), max_size=5))
def test_any_bank_name_and_entity_survive_storage(sqlite_db, bank, entities):
    key = PseudonymKey(
        pseudonyms={e: f"[PERSON {i}]" for i, e in enumerate(entities, 1)},
        counters={"PERSON": len(entities)} if entities else {},
        mentions={e: forms for e, forms in entities.items()},
    )
    with sqlite_db.transaction() as s:
        keys.save_key(s, bank, key)
    with sqlite_db.reading() as s:
        loaded = keys.load_key(s, bank)
    assert loaded.pseudonyms == key.pseudonyms and loaded.counters == key.counters
    assert {e: sorted(f) for e, f in loaded.mentions.items()} == {e: sorted(f) for e, f in key.mentions.items()}
