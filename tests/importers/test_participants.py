"""Participant sidecars (CSV, YAML) and linking speaker names in transcripts to participant labels."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.errors import ImportRefused
from qualcode.importers.base import ParsedParticipant
from qualcode.importers.participants import link_speaker, load_participants

CSV = """\
label,name,aliases,role,Setting,Region
P01,Margaret Ellison,Maggie;Mags,service manager,Hospice,North West
P02,Tomasz Wrenfield,Tom|T. Wrenfield,commissioner,ICB,
P03,Renée Dubois,,frontline provider,Care home,London
729,,,respondent,,
"""

YAML = """\
participants:
  - label: P01
    name: Margaret Ellison
    aliases: [Maggie, Mags]
    role: service manager
    attributes:
      setting: Hospice
      years in post: 12
  - label: P02
    name: Tomasz Wrenfield
    aliases: "Tom; T. Wrenfield"
  - label: 729
"""


def test_csv_sidecar(write):
    people = load_participants(write("participants.csv", CSV))
    assert [p.label for p in people] == ["P01", "P02", "P03", "ID:729"]
    first = people[0]
    assert (first.name, first.aliases, first.role) == ("Margaret Ellison", ["Maggie", "Mags"], "service manager")
    assert first.attributes == {"Setting": "Hospice", "Region": "North West"}
    assert people[1].aliases == ["Tom", "T. Wrenfield"]
    assert people[1].attributes == {"Setting": "ICB"}
    assert people[3].name is None and people[3].aliases == []


def test_yaml_sidecar(write):
    people = load_participants(write("participants.yaml", YAML))
    assert [p.label for p in people] == ["P01", "P02", "ID:729"]
    assert people[0].attributes == {"setting": "Hospice", "years in post": "12"}
    assert people[0].aliases == ["Maggie", "Mags"]
    assert people[1].aliases == ["Tom", "T. Wrenfield"]
    assert people[2].role is None


def test_cp1252_sidecar_with_the_encoding_option(write):
    path = write("p.csv", "label,name\nP03,Renée Dubois\n", encoding="cp1252")
    with pytest.raises(ImportRefused, match="p.csv: not valid UTF-8"):
        load_participants(path)
    assert load_participants(path, encoding="cp1252")[0].name == "Renée Dubois"


def test_csv_with_semicolons_and_bom(write):
    text = "\ufefflabel;name;role\nP01;Margaret Ellison;manager\n"
    assert load_participants(write("p.csv", text))[0].name == "Margaret Ellison"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("p.csv", "name,role\nMargaret,manager\n", "row 1: needs a 'label' column"),
        ("p.csv", "label,name\nP01,A\n,B\n", "row 3: the label is empty"),
        ("p.csv", "label,name\nP01,A\nP02,B\nP01,C\n", "row 4: duplicate label 'P01'"),
        ("p.csv", "label\n", "lists no participants"),
        ("p.yaml", "participants:\n  - label: P1\n  - !!python/object:os.system x\n", "line 3: YAML tags"),
        ("p.yaml", "participants:\n  - label: P1\n    name: [unclosed\n", "line 4: not valid YAML"),
        ("p.yaml", "participants:\n  - label: P1\n  - label: P1\n", "line 3: duplicate label 'P1'"),
        ("p.yaml", "participants:\n  - label: P1\n    nickname: x\n", "line 2: unknown key 'nickname'"),
        ("p.yaml", "participants:\n  - name: Anna\n", "line 2: every participant needs a label"),
        ("p.yaml", "participants:\n  - just a string\n", "line 2: each participant must be a mapping"),
        ("p.yaml", "people:\n  - label: P1\n", "unknown top-level key 'people'"),
        ("p.yaml", "participants: 3\n", "expected 'participants:'"),
        ("p.yaml", "participants:\n  - label: P1\n    attributes: [a, b]\n", "'attributes' must be a mapping"),
        ("p.yaml", "participants:\n  - label: P1\n    role: {a: 1}\n", "'role' must be a single value"),
        ("p.yaml", "participants: []\n", "lists no participants"),
        ("p.json", '{"participants": []}', "must be .csv, .yaml or .yml"),
        ("p.csv", b"label\n\xff\xfeP1\x00\x00", "p.csv"),
    ],
)
def test_bad_sidecars_are_refused_naming_file_and_place(write, name, content, message):
    with pytest.raises(ImportRefused, match=message) as info:
        load_participants(write(name, content))
    assert name in str(info.value)


PEOPLE = [
    ParsedParticipant("P01", name="Margaret Ellison", aliases=["Maggie"]),
    ParsedParticipant("P02", name="Tomasz Wrenfield", aliases=["Tom"]),
    ParsedParticipant("P03", name="Renée Dubois"),
    ParsedParticipant("P04", name="Margaret Oyelaran"),
    ParsedParticipant("P05", name="Hannah Brightwell"),
    ParsedParticipant("ID:729"),
]


@pytest.mark.parametrize(
    ("speaker", "label"),
    [
        ("P01", "P01"),
        ("p03", "P03"),
        ("Margaret Ellison", "P01"),
        ("MARGARET ELLISON:", "P01"),
        ("Maggie", "P01"),
        ("tom", "P02"),
        ("Tomasz", "P02"),
        ("Hannah", "P05"),
        ("Renee Dubois", "P03"),
        ("Margret Ellison", "P01"),
        ("Tomasz Wrenfeld", "P02"),
        ("Ellison, Margaret", "P01"),
        ("Hannah Brightwell (She/Her)", "P05"),
        ("729", "ID:729"),
        ("ID:729", "ID:729"),
        ("Margaret", None),
        ("Interviewer", None),
        ("Facilitator", None),
        ("Moderator 2", None),
        ("Speaker 3", None),
        ("P8", None),
        ("Someone Else", None),
        ("", None),
    ],
)
def test_link_speaker(speaker, label):
    assert link_speaker(speaker, PEOPLE) == label


def test_a_listed_interviewer_is_linked_by_name():
    team = [*PEOPLE, ParsedParticipant("INT1", name="Priya Lindqvist", aliases=["Interviewer"])]
    assert link_speaker("Interviewer", team) == "INT1"
    assert link_speaker("Facilitator", team) is None


YAML_BITS = st.sampled_from(["participants:\n", "  - label: P1\n", "    name: Anna\n", "    aliases: [a, b]\n", "- ", ": ", "&a ", "*a ", "!!str ", "{", "[", "'", '"', "\n", "    attributes:\n      x: 1\n"])


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([".yaml", ".csv"]), st.lists(YAML_BITS | st.text(max_size=8), max_size=15))
def test_random_sidecars_load_or_are_refused(suffix, bits):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"people{suffix}"
        path.write_text("".join(bits), encoding="utf-8", errors="surrogatepass")
        try:
            people = load_participants(path)
        except ImportRefused as exc:
            assert path.name in str(exc)
            return
    assert people and all(p.label for p in people)
