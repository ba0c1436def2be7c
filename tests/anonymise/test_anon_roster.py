"""The roster: reading YAML and CSV, and matching people, places and organisations in text."""

from __future__ import annotations

import pytest

from qualcode.anonymise import Roster, RosterEntry
from qualcode.anonymise.roster_match import RosterMatcher
from qualcode.errors import InvalidInput, NotFound, QualcodeError


def found(roster: Roster, text: str) -> list[tuple[str, str, str | None]]:
    return [(text[s.start : s.end], s.type, s.entity) for s in RosterMatcher(roster).find(text)]


def test_yaml_roster_reads_every_section(roster):
    names = {entry.name for entry in roster.people}
    assert {"Margaret Hale", "Anil Mehta", "Bernadette Quigley"} <= names
    margaret = next(e for e in roster.people if e.name == "Margaret Hale")
    assert margaret.key == "person:P01"
    assert margaret.aliases == ("Mags", "Maggie")
    assert margaret.role == "service manager"
    oakbridge = next(e for e in roster.places if e.name == "Oakbridge")
    assert oakbridge.region == "the Midlands"
    types = {e.name: e.type for e in roster.organisations}
    assert types["St Aidan's Hospice"] == "HOSPICE"
    assert types["Northshire NHS Foundation Trust"] == "ORG"


def test_csv_roster(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("label,name,aliases,role\nP01,Margaret Hale,Mags;Maggie,manager\nP02,Dawn Okafor,,nurse\n")
    roster = Roster.from_file(path)
    assert [e.key for e in roster.people] == ["person:P01", "person:P02"]
    assert roster.people[0].aliases == ("Mags", "Maggie")


@pytest.mark.parametrize(
    "content, suffix, message",
    [
        ("participants: [unclosed", ".yaml", "not valid YAML"),
        ("- just\n- a list\n", ".yaml", "must be a mapping"),
        ("participants:\n  - role: nurse\n", ".yaml", "needs a 'name'"),
        ("participants: nobody\n", ".yaml", "must be a list"),
        ("label,role\nP01,nurse\n", ".csv", "needs a header"),
    ],
)
def test_bad_roster_files_raise_one_line_errors(tmp_path, content, suffix, message):
    path = tmp_path / f"roster{suffix}"
    path.write_text(content)
    with pytest.raises(InvalidInput, match=message) as caught:
        Roster.from_file(path)
    assert "\n" not in str(caught.value)


def test_missing_roster_file(tmp_path):
    with pytest.raises(NotFound):
        Roster.from_file(tmp_path / "absent.yaml")
    assert issubclass(NotFound, QualcodeError)


def test_first_name_surname_alias_misspelling_possessive_and_case(roster):
    text = "Mags and margaret met Hale; Margret's notes went to MARGARET HALE and Maggie."
    hits = found(roster, text)
    assert [h[0] for h in hits] == ["Mags", "margaret", "Hale", "Margret", "MARGARET HALE", "Maggie"]
    assert {h[2] for h in hits} == {"person:P01"}


def test_listed_name_words_are_masked_wherever_they_stand(roster):
    text = (
        "June said I hope we will meet in June. Will said the faith groups come at dawn, "
        "and Dawn's team walked with Rose past the rose garden. Hope is a big word."
    )
    hits = [(h[0], h[2]) for h in found(roster, text)]
    assert hits == [
        ("June", "person:P07"),
        ("Will", "person:P04"),
        ("faith", "person:P05"),
        ("dawn", "person:P02"),
        ("Dawn", "person:P02"),
        ("Rose", "person:P06"),
        ("rose", "person:P06"),
        ("Hope", "person:P03"),
    ]  # "I hope" and "we will" stay (a verb right after a subject pronoun); "in June" is left to the date rule


def test_a_listed_month_name_after_a_time_word_is_masked_as_a_date_not_as_the_person():
    from qualcode.anonymise import Anonymiser, Roster

    masker = Anonymiser(Roster(people=["June Harrow"]), use_ner=False)
    assert masker.mask("June said we opened in June, mid-March and since May.").text == (
        "[PERSON 1] said we opened in [DATE], mid-[DATE] and since [DATE]."
    )
    # With nobody to review it (a REFI export), the listed name is masked as the person wherever it stands.
    strict = masker.mask_many(["we opened in June"], every_roster_form=True)[0].text
    assert strict == "we opened in [PERSON 1]"


def test_lowercase_listed_names_are_masked_without_a_cue(roster):
    assert [h[0] for h in found(roster, "when dawn said that, we listened")] == ["dawn"]
    assert [h[0] for h in found(roster, "we left at dawn and got there early")] == ["dawn"]


def test_diminutives_of_listed_names():
    roster = Roster(people=["Gareth Pryce", "Natasha Reilly", "Kathryn Dolan", "Terence Bland"])
    hits = [h[0] for h in found(roster, "gaz and Tash came; Kath rang. Tez said hello.")]
    assert hits == ["gaz", "Tash", "Kath", "Tez"]
    # A diminutive that is also a word ("Sandy") needs a name's context; fuzzy matching ignores them.
    sandy = Roster(people=["Alexandra Booth"])
    assert found(sandy, "the sandy beach was empty") == []
    assert [h[0] for h in found(sandy, "I rang Sandy.")] == ["Sandy"]


def test_places_and_organisations_multiword_and_misspelt(roster):
    text = "From Kings Moreton to St Aidans Hospice, then Wenlow and Dunsford ICB in harrowby."
    hits = found(roster, text)
    assert [(h[0], h[1]) for h in hits] == [
        ("Kings Moreton", "TOWN"),
        ("St Aidans Hospice", "HOSPICE"),
        ("Wenlow and Dunsford ICB", "ORG"),
        ("harrowby", "TOWN"),
    ]


def test_hyphenated_and_apostrophe_surnames():
    roster = Roster(people=[RosterEntry("p:1", "Siobhan O'Neill", "PERSON"), RosterEntry("p:2", "Gareth Lloyd-Evans", "PERSON")])
    hits = [h[0] for h in found(roster, "O'Neill spoke, then Lloyd-Evans, then Evans alone.")]
    assert hits == ["O'Neill", "Lloyd-Evans", "Evans"]


def test_a_token_shared_by_two_people_gets_one_shared_identity():
    roster = Roster(people=[RosterEntry("p:1", "Sarah Tull", "PERSON"), RosterEntry("p:2", "Sarah Penrose", "PERSON")])
    hits = found(roster, "Sarah phoned. Sarah Tull phoned.")
    assert hits[0][2] == "shared:sarah"
    assert hits[1][2] == "p:1"


def test_short_or_distant_words_are_not_fuzzy_matches(roster):
    assert found(roster, "The Hall was full; Margate was sunny; Mugs were washed.") == []


def test_a_job_title_in_the_attributes_counts_as_the_role(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_text(
        "participants:\n"
        "  - {label: P1, name: Joanne Whitlow, attributes: {job_title: lead nurse for palliative care}}\n"
        "  - {label: P2, name: Aoife Brannigan, attributes: {job_title: staff nurse}}\n"
        "  - {label: P3, name: Femi Adebayo, attributes: {job_title: staff nurse}}\n",
        encoding="utf-8",
    )
    roster = Roster.from_file(path)
    assert roster.people[0].role == "lead nurse for palliative care"
    hits = [h[0] for h in found(roster, "As LEAD NURSE FOR PALLIATIVE CARE I sit with a staff nurse.")]
    assert hits == ["LEAD NURSE FOR PALLIATIVE CARE"]
