"""Building a bank: sentence trimming, code families, ranking and spread, consistent pseudonyms."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from qualcode.errors import InvalidInput, NotFound
from qualcode.quotes import keys
from qualcode.store import quotes as repo
from qualcode.quotes.build import build_bank
from qualcode.quotes.model import ACCEPTED, BankSettings
from qualcode.quotes.rank import Candidate, rank
from qualcode.quotes.review import accept
from qualcode.quotes.trim import sentences, trim
from qualcode.store.orm import PseudonymRow

FAST = dict(use_ner=False)


def quotes_of(project, bank="default"):
    with project.db.reading() as s:
        return repo.list_quotes(s, bank)


def by_text(quotes, fragment):
    found = [q for q in quotes if fragment in q.masked_text]
    assert len(found) == 1, (fragment, [q.masked_text for q in quotes])
    return found[0]


def test_trim_takes_whole_sentences_the_coding_mostly_covers():
    text = "First one here. The coded part is this sentence. Then another."
    start = text.index("coded part")
    trimmed = trim(text, (0, len(text)), (start, start + 12), max_words=60)
    assert text[trimmed.start : trimmed.end] == "The coded part is this sentence."
    assert not trimmed.cut_start and not trimmed.cut_end


def test_trim_cuts_a_long_sentence_to_a_window_from_the_coding():
    words = [f"w{i}" for i in range(100)]
    text = " ".join(words) + "."
    start = text.index("w50")
    trimmed = trim(text, (0, len(text)), (start, start + 3), max_words=10)
    assert text[trimmed.start : trimmed.end].split() == words[50:60]
    assert trimmed.cut_start and trimmed.cut_end
    assert trimmed.finish("x") == "[…] x […]"


def test_trim_keeps_within_the_word_limit():
    text = "One two three four. Five six seven eight. Nine ten eleven twelve."
    trimmed = trim(text, (0, len(text)), (0, len(text)), max_words=9)
    assert text[trimmed.start : trimmed.end] == "One two three four. Five six seven eight."


@given(st.text(alphabet=st.sampled_from("ab .!?\nC"), max_size=80))
def test_sentences_are_ordered_non_overlapping_and_stripped(text):
    spans = sentences(text)
    for (a, b), (c, _d) in zip(spans, spans[1:]):
        assert b <= c
    for a, b in spans:
        assert 0 <= a < b <= len(text)
        assert text[a:b] == text[a:b].strip()


def test_rank_puts_marked_first_and_spreads_participants():
    candidates = [
        Candidate("community belonging neighbours care together", 1, False),
        Candidate("community belonging neighbours care together again", 1, False),
        Candidate("community belonging neighbours care together more", 1, False),
        Candidate("community belonging means neighbours", 2, False),
        Candidate("funding barrier", 3, True),
    ]
    order = [i for i, _ in rank(candidates)]
    assert order[0] == 4
    assert set(order[1:3]) == {0, 3} or 3 in order[1:3]
    assert sorted(order) == list(range(5))


def test_build_masks_names_nicknames_and_places_consistently(project):
    report = build_bank(project.db, BankSettings(codes=("community", "barriers"), **FAST))
    quotes = quotes_of(project)
    assert report.quotes == len(quotes) == 9
    assert report.per_theme == {"community": 6, "barriers": 3}
    texts = "\n".join(q.masked_text for q in quotes)
    for real in ("Mags", "Dawn", "Thornbury Vale", "Larkin Ward", "St Wilfrid's Hospice"):
        assert real not in texts
    # The same town in two themes keeps one pseudonym; the word "hope" stays a word.
    town = by_text(quotes, "I hope the community in").masked_text.split("in ")[-1].split(" feels")[0]
    assert town.startswith("[TOWN ")
    assert town in by_text(quotes, "meet the groups in").masked_text
    assert by_text(quotes, "runs the café at [HOSPICE A]").masked_text.startswith("[PERSON ")
    # Every quote comes from one turn and never carries the speaker's label.
    assert all(":" not in q.masked_text.split(" ")[0] for q in quotes)


def test_a_parent_code_includes_its_descendants_and_marks_rank_first(project):
    build_bank(project.db, BankSettings(codes=("community",), **FAST))
    quotes = quotes_of(project)
    assert {q.code_path for q in quotes} == {"community"}
    first = min(quotes, key=lambda q: q.rank)
    assert first.candidate and "where belonging starts" in first.masked_text
    assert [q.rank for q in quotes] == sorted(q.rank for q in quotes)
    # Three of the six quotes are P01's: no two of them lead the bank.
    top_three = sorted(quotes, key=lambda q: q.rank)[:3]
    assert len({q.participant_id for q in top_three}) == 3


def test_limit_and_max_words(project):
    build_bank(project.db, BankSettings(codes=("community",), limit=2, max_words=6, **FAST))
    quotes = quotes_of(project)
    assert len(quotes) == 2
    for q in quotes:
        plain = q.masked_text.replace("[…]", "")
        assert len(plain.split()) <= 6 + 2  # a pseudonym "[PERSON 1]" is two words


def test_key_is_stored_in_pseudonym_keys_and_reused_on_rebuild(project):
    build_bank(project.db, BankSettings(codes=("community",), **FAST))
    with project.db.reading() as s:
        rows = list(s.scalars(select(PseudonymRow)))
        key = keys.load_project_key(s)
    assert rows and all(json.loads(r.real)[1] == keys.PROJECT for r in rows)  # one key for the project
    assert "Thornbury Vale" in keys.key_terms(key)
    before = {q.masked_text for q in quotes_of(project)}
    build_bank(project.db, BankSettings(codes=("community",), **FAST))
    assert {q.masked_text for q in quotes_of(project)} == before


def test_rebuild_keeps_an_acceptance_when_the_quote_is_unchanged(project):
    build_bank(project.db, BankSettings(codes=("community",), **FAST))
    chosen = quotes_of(project)[0]
    accept(project.db, chosen.id)
    report = build_bank(project.db, BankSettings(codes=("community",), **FAST))
    assert report.kept_reviews == 1
    again = [q for q in quotes_of(project) if (q.document_id, q.start) == (chosen.document_id, chosen.start)]
    assert again[0].status == ACCEPTED


def test_banks_are_separate_but_share_the_project_key(project):
    build_bank(project.db, BankSettings(codes=("barriers",), **FAST), bank="barriers-only")
    build_bank(project.db, BankSettings(codes=("community",), **FAST), bank="community-only")
    assert {q.bank for q in quotes_of(project, "barriers-only")} == {"barriers-only"}
    with project.db.reading() as s:
        assert repo.banks(s) == ["barriers-only", "community-only"]
        assert keys.load_key(s, "barriers-only").pseudonyms == {}  # no key per bank any more
        key = keys.load_project_key(s)
    town = key.pseudonyms[next(e for e, forms in key.mentions.items() if "Thornbury Vale" in forms)]
    for bank in ("barriers-only", "community-only"):  # the town is named in both banks: one pseudonym
        texts = [q.masked_text for q in quotes_of(project, bank)]
        assert any(town in t for t in texts) and not any("Thornbury Vale" in t for t in texts)


@pytest.mark.parametrize("settings, message", [
    (BankSettings(codes=()), "at least one code"),
    (BankSettings(codes=("community",), max_words=2), "max-words"),
    (BankSettings(codes=("community",), k=0), "--k"),
    (BankSettings(codes=("community",), generalise=("DOG",)), "cannot generalise"),
])
def test_bad_settings_are_refused(project, settings, message):
    with pytest.raises(InvalidInput, match=message):
        build_bank(project.db, settings)


def test_unknown_code_is_not_found(project):
    with pytest.raises(NotFound):
        build_bank(project.db, BankSettings(codes=("nope",), **FAST))


def test_generalisation_per_type(project):
    build_bank(project.db, BankSettings(codes=("community",), generalise=("TOWN",), **FAST))
    texts = " ".join(q.masked_text for q in quotes_of(project))
    assert "a town" in texts and "[TOWN" not in texts
    assert "[HOSPICE A]" in texts


def test_ner_layer_runs_in_a_build(project):
    build_bank(project.db, BankSettings(codes=("barriers",)))
    texts = " ".join(q.masked_text for q in quotes_of(project))
    assert "Thornbury Vale" not in texts and "Sandy" not in texts


@given(
    st.text(alphabet=st.sampled_from("abc de. F!?\n"), min_size=1, max_size=120),
    st.data(),
    st.integers(5, 30),
)
def test_trim_stays_inside_the_turn_and_under_the_limit(text, data, max_words):
    r_start = data.draw(st.integers(0, len(text) - 1))
    r_end = data.draw(st.integers(r_start + 1, len(text)))
    c_start = data.draw(st.integers(0, len(text) - 1))
    c_end = data.draw(st.integers(c_start + 1, len(text)))
    trimmed = trim(text, (r_start, r_end), (c_start, c_end), max_words)
    if trimmed is None:
        return
    assert r_start <= trimmed.start < trimmed.end <= r_end
    assert len(text[trimmed.start : trimmed.end].split()) <= max_words
    assert text[trimmed.start : trimmed.end] == text[trimmed.start : trimmed.end].strip()


def test_marked_only_builds_from_candidate_quote_marks(project):
    report = build_bank(project.db, BankSettings(codes=("community", "barriers"), marked_only=True, **FAST))
    quotes = quotes_of(project)
    assert report.quotes == 2 and all(q.candidate for q in quotes)
