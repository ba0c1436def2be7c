"""Names without a roster found by the words around them: stated names, pairs, kin words, lowercase subjects."""

from __future__ import annotations

import pytest

from qualcode.anonymise import Anonymiser


@pytest.fixture(scope="module")
def rules():
    return Anonymiser(use_ner=False)


@pytest.mark.parametrize(
    "text, name",
    [
        ("Clemency is the name on her badge, and it suits her.", "Clemency"),
        ("Her name was Ottoline, after an aunt.", "Ottoline"),
        ("Everyone called her Wenna.", "Wenna"),
        ("In the end Tamsin and I sat with him.", "Tamsin"),
        ("Me and Wilf went down every Sunday.", "Wilf"),
        ('"Go home," said Ferdy, "you look done in."', "Ferdy"),
        ("My late husband Ambrose kept bees.", "Ambrose"),
        ("Thank you, Zebedee.", "Zebedee"),
        ("It was Lorcan, who never missed a shift.", "Lorcan"),
        ("Peregrine was her husband for forty years.", "Peregrine"),
        ("This is my mate, Dougie.", "Dougie"),
        ("Auntie Philippa came every week.", "Philippa"),
    ],
)
def test_capitalised_names_in_a_persons_frame(rules, text, name):
    masked = rules.mask(text).text
    assert name not in masked
    assert "[PERSON 1]" in masked


@pytest.mark.parametrize(
    "text, name",
    [
        ("I was lost. But mo knew every porter by name.", "mo"),
        ("and bex said it was fine to ring", "bex"),
        ("My brother stan never missed a visit.", "stan"),
        ("Honestly, me and tilly did the night shifts.", "tilly"),
        ("we went round mo's house after", "mo"),
        ("and auntie bernie came too", "bernie"),
    ],
)
def test_lowercase_given_names_in_a_persons_frame(rules, text, name):
    masked = rules.mask(text).text
    assert f" {name} " not in f" {masked} "
    assert "[PERSON 1]" in masked


@pytest.mark.parametrize(
    "text",
    [
        "But staff knew what to do.",
        "And she said no.",
        "We were patient and I knew it.",
        "The rose said nothing to anyone.",
        "My husband never said a word.",
        "Me and him went to the shop.",
        "Thanks, Everyone.",
        "Then, who knows.",
        "the rose's petals had dropped",
        "We met from today's meeting and life's hard, but that's it.",
    ],
)
def test_ordinary_words_in_those_frames_stay(rules, text):
    assert rules.mask(text).text == text
