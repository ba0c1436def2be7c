"""The body of `qualcode anonymise`: masked text or JSON, one-line errors for bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qualcode.anonymise.cli_support import anonymise_file
from qualcode.errors import QualcodeError

ROSTER = Path(__file__).resolve().parent.parent / "fixtures" / "anonymise" / "roster.yaml"
TEXT = "Mags said Dawn's team on Larch Ward would ring 07700 900461. I hope so.\n"


def test_prints_masked_text(tmp_path):
    path = tmp_path / "interview.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert anonymise_file(path, ROSTER, as_json=False) == (
        "[PERSON 1] said [PERSON 2]'s team on [WARD A] would ring [PHONE]. I hope so.\n"
    )


def test_json_lists_spans_and_masked_text(tmp_path):
    path = tmp_path / "interview.txt"
    path.write_text(TEXT, encoding="utf-8")
    data = json.loads(anonymise_file(path, ROSTER, as_json=True))
    assert data["masked_text"].startswith("[PERSON 1] said")
    assert data["spans"][0] == {"start": 0, "end": 4, "type": "PERSON", "layer": "roster"}
    assert [TEXT[s["start"] : s["end"]] for s in data["spans"]] == ["Mags", "Dawn", "Larch Ward", "07700 900461"]


def test_without_roster_still_masks_contact_details(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Please email d.okafor@example.org or ring 07700 900461.", encoding="utf-8")
    assert anonymise_file(path, None, as_json=False) == "Please email [EMAIL] or ring [PHONE]."


@pytest.mark.parametrize("make", ["missing", "binary", "bad_roster", "missing_roster"])
def test_bad_input_raises_a_one_line_qualcode_error(tmp_path, make):
    path = tmp_path / "in.txt"
    path.write_text("Dawn rang.", encoding="utf-8")
    roster = None
    if make == "missing":
        path = tmp_path / "absent.txt"
    elif make == "binary":
        path.write_bytes(b"\xff\xfe\x00bad\x9c")
    elif make == "bad_roster":
        roster = tmp_path / "roster.yaml"
        roster.write_text("participants: [oops", encoding="utf-8")
    else:
        roster = tmp_path / "nowhere.yaml"
    with pytest.raises(QualcodeError) as caught:
        anonymise_file(path, roster, as_json=False)
    assert "\n" not in str(caught.value)
