"""Each detector alone: name lexicon, diminutives, titles, numbers, dates, ages, venues, false positives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.anonymise import Anonymiser, Policy, Roster, RosterEntry
from qualcode.anonymise.generalise import age_band, date_general, number_value
from qualcode.anonymise.name_lexicon import (
    find_lexicon_names,
    find_titled_names,
    lexicon,
    nicknames,
)
from qualcode.anonymise.patterns import nhs_number_valid
from qualcode.anonymise.quasi_patterns import find_quasi_patterns


def surfaces(spans, text):
    return [(text[s.start : s.end], s.type) for s in spans]


def test_lexicon_ships_names_places_and_word_flags():
    lex = lexicon()
    assert "g" in lex["priya"][0] and not lex["priya"][1]
    assert "g" in lex["aoife"][0] and "p" in lex["selby"][0]
    assert lex["rose"][1] and lex["mark"][1]  # also English words
    assert "gaz" in nicknames()["gareth"] and "tash" in nicknames()["natasha"]


def test_lexicon_names_in_any_case_and_possessive():
    text = "i rang kath and Femi, then Priya's mum. Nadia Chaudhry set up the cafe in selby."
    found = surfaces(find_lexicon_names(text), text)
    assert ("kath", "PERSON") in found and ("Femi", "PERSON") in found and ("Priya", "PERSON") in found
    assert ("Nadia Chaudhry", "PERSON") in found
    assert any(s == "selby" for s, _ in found)


def test_lexicon_names_that_are_words_need_a_name_context():
    text = "The rose garden. I'd mark the forms. We sat with Rose. Will you come?"
    found = [s for s, _ in surfaces(find_lexicon_names(text), text)]
    assert found == ["Rose"]


def test_titles_take_the_name_after_them():
    text = "Sister Brennan ran it; Father Declan came. Mr C. Whomersley and Nurse Adeyemi-Clarke's sponge."
    found = [s for s, _ in surfaces(find_titled_names(text), text)]
    assert found == ["Brennan", "Declan", "C. Whomersley", "Adeyemi-Clarke"]
    assert list(find_titled_names("my sister said and Dr said")) == []


@pytest.mark.parametrize(
    ("text", "expected", "type_"),
    [
        (
            "The case originated in an application (no. 28045/02) against",
            "28045/02",
            "ID_NUMBER",
        ),
        (
            "His hospital number was RHQ4471023, on every letter.",
            "RHQ4471023",
            "ID_NUMBER",
        ),
        ("reference CHC/2022/08817 and", "CHC/2022/08817", "ID_NUMBER"),
        ("In April 2022 we met.", "April 2022", "DATE"),
        ("We had Boxing Day 2020 on the ward.", "Boxing Day 2020", "DATE"),
        ("Mum was born in 1938 in the town.", "1938", "DATE"),
        (
            "It was the fourteenth of February, our day.",
            "fourteenth of February",
            "DATE",
        ),
        ("the community matron for Craven came", "community matron for Craven", "JOB"),
        ("we had a 95th birthday party", "95th", "AGE"),
        ("My husband was eighty-seven when he went in.", "eighty-seven", "AGE"),
        ("I'm sixty-three now.", "sixty-three", "AGE"),
        ("she's in her eighties now", "in her eighties", "AGE"),
        ("he went into St Columba's, and", "St Columba's", "ORG"),
        ("We were at the Black Horse after.", "Black Horse", "ORG"),
        ("They said at Airedale General there was nothing.", "Airedale General", "ORG"),
        ("I drank in Jimmy's on Kirkgate.", "Jimmy's", "ORG"),
        ("approximately GBP 268,000 was seized", "approximately GBP 268,000", "MONEY"),
    ],
)
def test_quasi_and_number_patterns(text, expected, type_):
    assert (expected, type_) in surfaces(find_quasi_patterns(text), text)


def test_nhs_checksum_rejects_a_typo():
    assert nhs_number_valid("9434765919") and not nhs_number_valid("9434765918")
    found = Anonymiser(use_ner=False).detect("NHS 943 476 5919 but 943 476 5918 is wrong")
    assert [s.type for s in found].count("NHS_NUMBER") == 1


def test_reported_false_positives_stay_clear():
    anonymiser = Anonymiser()
    for text in (
        "I didn't know him from Adam, to be honest.",
        "Recorded on Teams.",
        "It was two in the morning.",
    ):
        assert anonymiser.mask(text).text == text


def test_unique_roster_roles_are_masked_shared_ones_are_not():
    people = [
        RosterEntry(
            "person:1",
            "Joanne Whitlow",
            "PERSON",
            role="lead nurse for palliative care",
        ),
        RosterEntry("person:2", "Aoife Brannigan", "PERSON", role="staff nurse"),
        RosterEntry("person:3", "Femi Adebayo", "PERSON", role="staff nurse"),
    ]
    masked = Anonymiser(roster=Roster(people=people), use_ner=False).mask(
        "I'm the lead nurse for palliative care, and a staff nurse helps."
    )
    assert masked.text.startswith("I'm the [JOB A]") and "a staff nurse helps" in masked.text


def test_generalise_dates_and_ages():
    assert date_general("April 2022") == "2022"
    assert date_general("1938") == "the 1930s"
    assert date_general("Boxing Day") is None
    assert age_band("eighty-seven", "he was ") == "in his eighties"
    assert age_band("58", "I'm ") == "in my fifties"
    assert age_band("nine", "Ellie was ") == "a child"
    policy = Policy.from_actions({"DATE": "generalise", "AGE": "generalise"})
    masked = Anonymiser(use_ner=False, policy=policy).mask("She was ninety-one in April 2022, on Boxing Day.")
    assert masked.text == "She was in her nineties in 2022, on [DATE]."


def test_policy_keeps_quasi_types_but_never_direct_ones():
    kept = Anonymiser(use_ner=False, policy=Policy.from_actions({"ORG": "keep"})).mask("Kath works at St Gemma's.")
    assert kept.text == "[PERSON 1] works at St Gemma's."
    with pytest.raises(Exception, match="cannot be kept"):
        Policy.from_actions({"PERSON": "keep"})
    with pytest.raises(Exception, match="not one of"):
        Policy.from_actions({"DATE": "blur"})


@given(st.integers(min_value=18, max_value=99))
def test_every_adult_age_in_digits_or_words_bands_to_its_decade(age):
    words = _spell(age)
    assert number_value(words) == age
    assert age_band(words, "she was ") == age_band(str(age), "she was ")
    assert age_band(str(age), "she was ").endswith(("teens", "ties"))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(nicknames())), st.sampled_from(["said", "rang", "came over"]))
def test_every_diminutive_of_a_listed_given_name_is_masked(full, verb):
    roster = Roster(people=[f"{full.title()} Testperson"])
    anonymiser = Anonymiser(roster=roster, use_ner=False)
    for short in nicknames()[full]:
        text = f"Then {short.title()} {verb} twice."
        assert short.title() not in anonymiser.mask(text).text.replace("Then", "")


_ONES = "zero one two three four five six seven eight nine".split()
_TEEN = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS_W = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def _spell(n: int) -> str:
    if n < 10:
        return _ONES[n]
    if n < 20:
        return _TEEN[n - 10]
    tens, ones = divmod(n, 10)
    return _TENS_W[tens - 2] + (f"-{_ONES[ones]}" if ones else "")


def test_court_boilerplate_and_initials_are_not_names():
    roster = Roster(people=["A. Rönquist", "D. Walton"])
    text = "Under Rule 39 and Article 8, inter alia, a Government agent met Mr A. Rönquist."
    masked = Anonymiser(roster=roster).mask(text).text
    assert masked.startswith("Under Rule 39 and Article 8, inter alia, a Government agent met Mr ")
    assert "Rönquist" not in masked


def test_a_name_paired_with_the_speaker():
    masked = Anonymiser(use_ner=False).mask("Robin and I have been married fifty-one years.").text
    assert masked.startswith("[PERSON 1] and I")


def test_a_name_no_list_holds_ending_a_clause_is_masked():
    anonymiser = Anonymiser()
    assert anonymiser.mask("…he was giving up on Aldous.").text == "…he was giving up on [PERSON 1]."
    for text in (
        "We relied on Macmillan. We talked on Zoom, about Covid.",
        "The group meets on Thursdays.",
    ):
        assert anonymiser.mask(text).text == text


def test_a_concrete_name_word_opening_a_sentence_as_its_subject():
    anonymiser = Anonymiser(use_ner=False)
    assert anonymiser.mask("Bill was a miner, Bill was.").text == "[PERSON 1] was a miner, [PERSON 1] was."
    assert anonymiser.mask("Hope was all we had.").text == "Hope was all we had."


WORD_NAMES = Roster(
    people=[
        RosterEntry("p:1", "June Ackroyd", "PERSON"),
        RosterEntry("p:2", "Rose Tillotson", "PERSON"),
        RosterEntry("p:3", "Bill Sugden", "PERSON"),
        RosterEntry("p:4", "Dawn Hepworth", "PERSON"),
        RosterEntry("p:5", "Mark Ibbotson", "PERSON"),
        RosterEntry("p:6", "May Fielding", "PERSON"),
    ]
)
WORD_NAMES_ONLY = Anonymiser(roster=WORD_NAMES, use_ner=False)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["june", "rose", "bill", "dawn", "mark", "may", "ackroyd", "sugden"]),
    st.lists(st.booleans(), min_size=8, max_size=8),
    st.sampled_from(["{} came round.", "we saw {} at the shop", "and {} said no", "Then {}.", "the {} thing"]),
)
def test_a_listed_name_word_is_masked_in_any_case_and_place(name, flags, frame):
    variant = "".join(c.upper() if up else c for c, up in zip(name, flags))
    masked = WORD_NAMES_ONLY.mask(frame.format(variant)).text
    assert variant not in masked and "[PERSON" in masked


def test_the_three_reported_leaks_are_masked():
    roster = Roster(people=[RosterEntry("person:P10", "Maud Ellerby", "PERSON", ("Sister Maud", "Maud"))])
    anonymiser = Anonymiser(roster=roster)
    assert "Aldous" not in anonymiser.mask("…he was giving up on Aldous.").text
    hospital = anonymiser.mask("I manage Ward 7 at Hollowmere General Hospital in Brackley.").text
    assert "Hollowmere" not in hospital and "Brackley" not in hospital
    assert anonymiser.mask("Ellerby on the inpatient unit is a great mentor").text.startswith("[PERSON 1] on")
