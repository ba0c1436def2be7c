"""The `anonymise` and `quotes` commands through the real CLI."""

from __future__ import annotations

import json

import yaml
from typer.testing import CliRunner

from qualcode.cli import app

runner = CliRunner()


def run(tmp_path, *args):
    result = runner.invoke(app, ["--project", str(tmp_path / "project.db"), *args])
    return result


def test_anonymise_prints_masked_text_and_json(tmp_path):
    roster = tmp_path / "roster.yaml"
    roster.write_text(yaml.safe_dump({"participants": [{"label": "P01", "name": "Hope Marlow", "aliases": ["Hope"]}],
                                      "places": ["Thornbury Vale"]}))
    source = tmp_path / "note.txt"
    source.write_text("Hope said Thornbury Vale needs a café. I hope so, ring 07700 900461.\n", encoding="utf-8")
    plain = runner.invoke(app, ["anonymise", str(source), "--roster", str(roster)])
    assert plain.exit_code == 0, plain.output
    assert plain.output == "[PERSON 1] said [TOWN A] needs a café. I hope so, ring [PHONE].\n"
    data = json.loads(runner.invoke(app, ["anonymise", str(source), "--roster", str(roster), "--json"]).output)
    assert data["masked_text"].startswith("[PERSON 1] said [TOWN A]")
    assert data["spans"][0] == {"start": 0, "end": 4, "type": "PERSON", "layer": "roster"}


def test_anonymise_missing_file_is_one_line(tmp_path):
    result = runner.invoke(app, ["anonymise", str(tmp_path / "none.txt")])
    assert result.exit_code == 1 and "no such file" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_build_list_review_and_export(project, tmp_path):
    built = run(tmp_path, "quotes", "build", "--code", "community", "--code", "barriers", "--attributes", "role,kind",
                "--no-ner", "--json")
    assert built.exit_code == 0, built.output
    assert json.loads(built.stdout)["quotes"] == 9
    listed = json.loads(run(tmp_path, "quotes", "list", "--json").stdout)
    assert len(listed) == 9 and {q["status"] for q in listed} == {"unreviewed"}
    funding = next(q for q in listed if q["text"].startswith("Funding"))
    assert run(tmp_path, "quotes", "accept", str(funding["id"])).exit_code == 0
    redacted = run(tmp_path, "quotes", "redact", str(funding["id"]), "--text", "Funding", "--type", "ORG", "--only-here")
    assert redacted.exit_code == 0 and "[ORG A] is the barrier." in redacted.output
    shown = json.loads(run(tmp_path, "quotes", "show", str(funding["id"]), "--json").stdout)
    assert shown["redactions"][0]["text"] == "Funding"
    assert run(tmp_path, "quotes", "unredact", str(funding["id"]), "--span", "0").output.startswith("Funding")
    assert run(tmp_path, "quotes", "accept", str(funding["id"])).exit_code == 0  # undoing needs a fresh review
    out = tmp_path / "exports" / "bank.md"
    exported = run(tmp_path, "quotes", "export", "--format", "md", "--out", str(out))
    assert exported.exit_code == 0, exported.output
    # The roster's "Bill" is masked at detection, so its quote leaves; "I hope ..." is held by the scan.
    bill = next(q for q in listed if "from the ICB" in q["text"])
    hope = next(q for q in listed if q["text"].startswith("I hope"))
    output = " ".join(exported.output.split())
    assert f"quote {hope['id']} withheld" in output and f"quote {bill['id']} withheld" not in output
    assert "[PERSON" in bill["text"] and "from the ICB" in out.read_text()
    assert "Bill" not in out.read_text() and "Funding is the barrier." in out.read_text()


def test_roster_import_is_used_by_the_next_build(project, tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text(yaml.safe_dump({"others": [{"name": "Bill Tarrant", "aliases": ["Bill"]}],
                                     "organisations": ["ICB"]}))
    assert run(tmp_path, "quotes", "roster", "import", str(extra)).exit_code == 0
    counts = json.loads(run(tmp_path, "quotes", "roster", "show", "--json").stdout)
    assert counts == {"people": 6, "places": 0, "organisations": 1}  # the stored roster replaced the earlier one
    assert run(tmp_path, "quotes", "build", "--code", "barriers", "--no-ner").exit_code == 0
    texts = [q["text"] for q in json.loads(run(tmp_path, "quotes", "list", "--json").stdout)]
    assert any("from the [ORG A] rang me" in t for t in texts)  # the roster beats the allowlist


def test_user_mistakes_are_one_line(project, tmp_path):
    for args in (["quotes", "build", "--code", "nope", "--no-ner"], ["quotes", "accept", "999"],
                 ["quotes", "export", "--format", "pdf", "--out", str(tmp_path / "x.pdf")],
                 ["quotes", "build", "--code", "community", "--attributes", "a;b"]):
        result = run(tmp_path, *args)
        assert result.exit_code == 1, (args, result.output)
        assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
