"""Participants and roster YAML: aliases, deep nesting, repeated keys and tags are refused in one line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from qualcode.anonymise import Roster
from qualcode.cli import app
from qualcode.errors import ImportRefused, InvalidInput
from qualcode.importers.participants import load_participants

runner = CliRunner()


def billion_laughs() -> str:
    """Nine levels of nine aliases: about 360 bytes that name 387 million strings."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    lines.append("participants:\n  - label: P1\n    aliases: *i")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "laughs": (billion_laughs(), "YAML aliases"),
    "deep": ("participants:\n  - label: P1\n    attributes: " + "[" * 1000 + "]" * 1000 + "\n", "nested deeper than"),
    "deep-maps": ("participants:\n" + "".join("  " * i + "- x:\n" for i in range(1, 1000)), "nested deeper than"),
    "twice": ("participants:\n  - label: P1\nparticipants:\n  - label: P2\n", "line 3: key 'participants' is written twice"),
    "twice-same-length": ("participants:\n  - label: P1\n    label: P9\n", "key 'label' is written twice"),
    "tag": ("participants:\n  - !!python/object/apply:os.system [ls]\n", "YAML tags"),
    "map-key": ("participants:\n  - {[a]: 1}\n", "line 2"),
}


@pytest.mark.parametrize("key", sorted(HOSTILE))
def test_participants_yaml_is_refused_in_one_line(write, key):
    text, message = HOSTILE[key]
    path = write(f"{key}.yaml", text)
    with pytest.raises(ImportRefused, match=message):
        load_participants(path)


def test_billion_laughs_is_small():
    assert len(billion_laughs().encode()) < 400


@pytest.mark.parametrize("key", ["laughs", "deep", "twice", "tag"])
def test_roster_yaml_is_refused_in_one_line(tmp_path, key):
    text, message = HOSTILE[key]
    path = tmp_path / "roster.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        Roster.from_file(path)


@pytest.mark.parametrize("key", ["laughs", "deep", "twice"])
def test_the_cli_says_one_line_and_writes_nothing(tmp_path, key):
    text, message = HOSTILE[key]
    url = f"sqlite:///{tmp_path / 'p.db'}"
    (tmp_path / "people.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "t.txt").write_text("P1: hello there, we talk about the town.\n" * 20, encoding="utf-8")
    runner.invoke(app, ["--db", url, "init"])
    for args in (("participants", "import", str(tmp_path / "people.yaml")),
                 ("docs", "import", str(tmp_path / "t.txt"), "--participants", str(tmp_path / "people.yaml")),
                 ("quotes", "roster", "import", str(tmp_path / "people.yaml"))):
        result = runner.invoke(app, ["--db", url, *args])
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert message.split("'")[0] in result.output and len(result.output.strip().splitlines()) == 1
    assert runner.invoke(app, ["--db", url, "participants", "list", "--json"]).output.strip() == "[]"
    assert runner.invoke(app, ["--db", url, "docs", "list", "--json"]).output.strip() == "[]"


def test_plain_participants_yaml_still_reads(write):
    path = write("ok.yaml", "participants:\n  - label: P1\n    name: Anna Vell\n    aliases: [Annie]\n"
                            "    attributes: {region: North}\nplaces: [Oakhurst]\n")
    (person,) = load_participants(path)
    assert (person.label, person.name, person.aliases, person.attributes) == ("P1", "Anna Vell", ["Annie"], {"region": "North"})
