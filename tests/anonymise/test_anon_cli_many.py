"""`qualcode anonymise FILE... -`: many files and standard input through the real CLI, one pipeline."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from qualcode.cli import app

runner = CliRunner()


def test_many_files_and_stdin_share_one_key(tmp_path):
    first = tmp_path / "one.txt"
    first.write_text("Kath rang from selby in April 2022.", encoding="utf-8")
    second = tmp_path / "two.txt"
    second.write_text("Later Kath was eighty-seven.", encoding="utf-8")
    result = runner.invoke(app, ["anonymise", str(first), str(second), "-"], input="Kath said so.\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("[PERSON 1]") == 3 and "Kath" not in result.output
    assert f"==> {first} <==" in result.output and "==> - <==" in result.output
    assert "selby" not in result.output and "April 2022" not in result.output


def test_json_gives_spans_with_type_and_layer(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("Dr Oyelaran saw him at St Gemma's on 3 May 2021.", encoding="utf-8")
    result = runner.invoke(app, ["anonymise", str(path), "-", "--json"], input="ring 07700 900461\n")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [row["file"] for row in rows] == [str(path), "-"]
    spans = rows[0]["spans"]
    text = path.read_text(encoding="utf-8")
    by_surface = {text[s["start"] : s["end"]]: s for s in spans}
    assert by_surface["Oyelaran"]["type"] == "PERSON" and by_surface["Oyelaran"]["layer"] == "pattern"
    assert by_surface["St Gemma's"]["type"] in ("ORG", "HOSPICE")
    assert by_surface["3 May 2021"]["type"] == "DATE"
    assert all(set(s) == {"start", "end", "type", "layer"} for s in spans)
    assert rows[1]["spans"][0]["type"] == "PHONE"


def test_policy_options_generalise_and_keep(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text(
        "He was eighty-seven when he went into St Columba's in April 2022.",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["anonymise", str(path), "--generalise", "DATE,AGE", "--keep", "ORG"])
    assert result.exit_code == 0, result.output
    assert result.output == "He was in his eighties when he went into St Columba's in 2022.\n"


def test_bad_input_is_one_line_and_writes_nothing(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Kath rang.", encoding="utf-8")
    result = runner.invoke(app, ["anonymise", str(good), str(tmp_path / "missing.txt")])
    assert result.exit_code != 0
    assert "missing.txt" in result.output and "[PERSON" not in result.output
    assert "Traceback" not in result.output
    kept = runner.invoke(app, ["anonymise", str(good), "--keep", "PERSON"])
    assert kept.exit_code != 0 and "cannot be kept" in kept.output
    twice = runner.invoke(app, ["anonymise", "-", "-"], input="x")
    assert twice.exit_code != 0 and "once" in twice.output
