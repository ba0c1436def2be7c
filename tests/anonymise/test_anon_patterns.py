"""The pattern layer on small real sentences: what it flags and what it leaves alone."""

from __future__ import annotations

import pytest

from qualcode.anonymise.name_context import find_names_in_context
from qualcode.anonymise.patterns import find_patterns, nhs_number_valid


def hits(text: str, type_: str) -> list[str]:
    return [text[s.start : s.end] for s in find_patterns(text) if s.type == type_]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ring 07700 900461 after six.", ["07700 900461"]),
        ("Mobile +44 7700 900 733 or +44 (0)7700 900734.", ["+44 7700 900 733", "+44 (0)7700 900734"]),
        ("Office 0113 496 0872, fax 0113-496-0873.", ["0113 496 0872", "0113-496-0873"]),
        ("London line 020 7946 0018.", ["020 7946 0018"]),
        ("Village 01632 960447 only.", ["01632 960447"]),
        ("We had 120 families and 2023 was busy; ref 0123.", []),
    ],
)
def test_uk_phone_numbers(text, expected):
    assert hits(text, "PHONE") == expected


def test_nhs_numbers_need_a_valid_check_digit():
    assert nhs_number_valid("6795742288")
    assert not nhs_number_valid("6795742289")
    text = "NHS 679 574 2288, and 679 574 2289 is a typo, 4922121676 is fine."
    assert hits(text, "NHS_NUMBER") == ["679 574 2288", "4922121676"]


def test_email_url_postcode():
    text = "Write to d.okafor@example.org, see https://www.example.org/plan. or www.example.org.uk; post to HX9 4QT."
    assert hits(text, "EMAIL") == ["d.okafor@example.org"]
    assert hits(text, "URL") == ["https://www.example.org/plan", "www.example.org.uk"]
    assert hits(text, "POSTCODE") == ["HX9 4QT"]


def test_exact_dates_but_not_months_alone():
    text = "On 12 March 2023, then 12/03/2023, the 3rd of May and March 4th. In June we met; May was busy."
    assert hits(text, "DATE") == ["12 March 2023", "12/03/2023", "the 3rd of May", "March 4th"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I'm 58 and still working.", ["58"]),
        ("a 58-year-old chaplain", ["58-year-old"]),
        ("aged 72, she moved in", ["72"]),
        ("she was 90 years old", ["90 years old"]),
        ("He is 61 and has run the home since 2009.", ["61"]),
        ("I'm 5 minutes away and there were 58 people.", []),
    ],
)
def test_ages(text, expected):
    assert hits(text, "AGE") == expected


def test_addresses_wards_hospices_and_trusts():
    text = (
        "She lives at 14 Larkspur Road near Elm Close. On Larch Ward and on Rowan ward, not the medical ward "
        "or Ward 7's kitchen. St Aidan's Hospice and Greenacre Hospice work with Hospice UK. "
        "Northshire NHS Foundation Trust, Wenlow and Dunsford ICB, the ICB, Oakbridge Primary Care Network."
    )
    assert hits(text, "ADDRESS") == ["14 Larkspur Road", "Elm Close"]
    assert hits(text, "WARD") == ["Larch Ward", "Rowan ward", "Ward 7"]
    assert hits(text, "HOSPICE") == ["St Aidan's Hospice", "Greenacre Hospice"]
    assert hits(text, "ORG") == [
        "Northshire NHS Foundation Trust",
        "Wenlow and Dunsford ICB",
        "Oakbridge Primary Care Network",
    ]


def test_places_after_prepositions_skip_ordinary_capitals():
    text = "I live in Harrowby, came from Kings Moreton, and at Christmas in June we met in The hall."
    assert hits(text, "TOWN") == ["Harrowby", "Kings Moreton"]


def test_titles_mark_names():
    text = "Dr Mehta and Mrs Jane Doe came; Sister Ward-Lowe too."
    assert hits(text, "PERSON") == ["Mehta", "Jane Doe", "Ward-Lowe"]


def test_names_by_context():
    text = (
        "Faith runs the volunteers. Priya's mum died at home. We went with Rose. "
        "Hope Lindqvist, the chaplain, spoke. Everyone's tired and Hope is a big word."
    )
    names = [text[s.start : s.end] for s in find_names_in_context(text)]
    assert names == ["Priya", "Faith", "Rose", "Hope Lindqvist"]


def test_speaker_labels_and_voice_tags_name_people():
    text = "Interviewer: Welcome.\nJune Whitlock: Thanks.\nAled Morgan : Hi.\n<v Kwame Mensah>Yes.</v>\nSummary: fine."
    names = [text[s.start : s.end] for s in find_names_in_context(text)]
    assert names == ["June Whitlock", "Aled Morgan", "Kwame Mensah"]


def test_sentence_openers_are_not_names():
    text = "Let's start. How did it go? Never did I think so. Later Mensah told me."
    names = [text[s.start : s.end] for s in find_names_in_context(text)]
    assert names == ["Mensah"]
