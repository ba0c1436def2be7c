"""The import text rule and the store's lengths, on both backends: nothing that imports can fail later."""

from __future__ import annotations

import json
import os
import uuid

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.errors import ImportRefused, InvalidInput
from qualcode.importers import parse_file
from qualcode.importers.vet import vet
from qualcode.sanitise import clean_text, terminal_safe, xml_safe

runner = CliRunner()
TURNS = "".join(f"P{i % 3 + 1}: turn {i} says something about the hospice and the town of Oakhurst.\n" for i in range(200))


def cli(url, *args):
    result = runner.invoke(app, ["--db", url, *args])
    assert "Traceback" not in result.output, result.output
    return result


@pytest.mark.parametrize("where", [10, 8191, 8192, 9000, len(TURNS.encode()) - 2])
def test_a_nul_anywhere_is_refused_with_its_byte_offset(write, where):
    data = TURNS.encode()
    path = write("t.txt", data[:where] + b"\x00" + data[where:])
    with pytest.raises(ImportRefused, match=rf"t\.txt: holds a NUL byte at byte offset {where}\b"):
        parse_file(path)


def test_a_nul_in_utf16_is_refused_with_its_byte_offset(write):
    path = write("u.txt", ("P1: hello there\n" * 40 + "P2: a\x00b\n").encode("utf-16"))
    offset = 2 + 2 * len("P1: hello there\n" * 40 + "P2: a")
    with pytest.raises(ImportRefused, match=f"byte offset {offset}"):
        parse_file(path)


@pytest.mark.parametrize("suffix, wrap", [
    (".txt", lambda t: t),
    (".srt", lambda t: "1\n00:00:01,000 --> 00:00:04,000\n" + t),
    (".vtt", lambda t: "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n" + t),
    (".csv", lambda t: "id,answer\n1,\"" + t.replace('"', "") + "\"\n2,another answer with several words here\n"),
])
def test_controls_become_newline_or_space_in_every_text_format(write, suffix, wrap):
    text = "P1: we paste\x0bfrom Word\x0cand \x1b[31mcolour\x07 and \x85 things" + " with enough words to read" * 40
    parsed = vet(parse_file(write("f" + suffix, wrap(text)), open_columns=["answer"] if suffix == ".csv" else None), "f")
    body = parsed.documents[0].text
    assert not any(ch in body for ch in "\x0b\x0c\x1b\x07\x85")
    assert "colour" in body and "paste" in body


def test_clean_text_is_one_for_one_so_offsets_hold():
    raw = "a\x0bb\x01c\x7fd\x9be\ufffef\tg\nh"
    cleaned = clean_text(raw)
    assert len(cleaned) == len(raw) and cleaned == "a\nb c d e f\tg\nh"
    with pytest.raises(InvalidInput, match="NUL"):
        clean_text("a\x00b")


def test_output_helpers():
    assert terminal_safe("a\x1b]0;title\x07b\x1b[2Jc\x9b31md\x07e\tf\ng") == "abcde\tf\ng"
    assert xml_safe("a\x0bb\x00c\ud800d") == "a\ufffdb\ufffdc\ufffdd"


def test_vet_refuses_values_longer_than_the_store_columns(write):
    long_voice = "V" * 201
    vtt = write("long.vtt", f"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v {long_voice}>hello there\n")
    with pytest.raises(ImportRefused, match="speaker name .* 201 characters; the limit is 200"):
        vet(parse_file(vtt), "long.vtt")
    survey = write("s.csv", f"id,answer\n{'9' * 101},a free text answer with many words\n2,another long answer here\n")
    with pytest.raises(ImportRefused, match="participant label .* the limit is 100"):
        vet(parse_file(survey, open_columns=["answer"]), "s.csv")


def _hostile_project(tmp_path, url):
    """Files that fit SQLite's columns but not PostgreSQL's, each next to a good file in the same command."""
    good = tmp_path / "good.txt"
    good.write_text(TURNS, encoding="utf-8")
    nul = tmp_path / "nul.txt"
    nul.write_bytes(TURNS.encode() * 3 + b"\x00" + b"tail\n")
    voice = tmp_path / "voice.vtt"
    voice.write_text(f"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v {'V' * 201}>hello there\n", encoding="utf-8")
    survey = tmp_path / "survey.csv"
    survey.write_text(f"id,answer\n{'9' * 101},a free text answer with many words\n2,another long answer\n", encoding="utf-8")
    book = tmp_path / "book.yaml"
    book.write_text(f"name: b\ncodes:\n  - name: {'c' * 301}\n", encoding="utf-8")
    sheet = tmp_path / "codings.csv"
    sheet.write_text(f"doc,start,end,code,coder\ngood,0,5,ok,{'k' * 201}\n", encoding="utf-8")
    assert cli(url, "init").exit_code == 0
    result = cli(url, "docs", "import", str(nul), str(voice), str(good), str(survey))
    assert result.exit_code == 1
    assert "nul.txt: holds a NUL byte at byte offset" in result.output and "the limit is 200" in result.output
    assert "the limit is 100" in result.output
    assert [d["title"] for d in json.loads(cli(url, "docs", "list", "--json").output)] == ["good"]
    result = cli(url, "codes", "import", str(book))
    assert result.exit_code == 1 and "the limit is 300" in result.output
    assert cli(url, "codes", "add", "ok").exit_code == 0
    result = cli(url, "codings", "import", str(sheet))
    assert result.exit_code == 1 and "the limit is 200" in result.output
    assert json.loads(cli(url, "codings", "list", "--json").output) == []
    assert json.loads(cli(url, "participants", "list", "--json").output) == []


def test_limits_are_the_same_on_both_backends(tmp_path, backend_url):
    _hostile_project(tmp_path, backend_url)


@pytest.mark.skipif(not os.environ.get("QUALCODE_TEST_PG_URL"), reason="needs QUALCODE_TEST_PG_URL")
def test_a_sqlite_project_that_passed_import_copies_to_postgresql(tmp_path):
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'p.db'}"
    _hostile_project(tmp_path, url)
    vt = tmp_path / "pasted.txt"
    vt.write_text(TURNS.replace("hospice", "hos\x0bpice\x01", 3), encoding="utf-8")
    assert cli(url, "docs", "import", str(vt)).exit_code == 0
    assert cli(url, "coders", "add", "k" * 200).exit_code == 0
    pg = os.environ["QUALCODE_TEST_PG_URL"]
    admin = sa.create_engine(pg, isolation_level="AUTOCOMMIT")
    name = f"qc_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        result = cli(url, "project", "copy", "--to", pg.rsplit("/", 1)[0] + "/" + name)
        assert result.exit_code == 0, result.output
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
