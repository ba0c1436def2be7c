"""Stored text cannot break an export or the terminal: control characters, escape sequences, markup, HTML."""

from __future__ import annotations

import json
import zipfile

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.store import Database
from qualcode.store.orm import CodeRow, CoderRow, DocumentRow

runner = CliRunner()
TITLE_ESCAPE = "\x1b]0;pwned\x07"  # OSC: sets the terminal title
HOSTILE_CODE = f"site{TITLE_ESCAPE}\x1b[2J\x9b31m <script>alert(1)</script><img src=x onerror=alert(2)> [red]hot[/red]"
HOSTILE_CODER = "sam\x1b[31m\x0b"
TERMINAL_CONTROL = ("\x1b", "\x9b", "\x9d", "\x07", "\x0b")

TRANSCRIPT = (
    "Interviewer: How do you use the framework?\n\n"
    "P07: We put the ambitions\x0bon the board agenda\x0bat Harrowfield Hospice, every month without fail.\n\n"
    "Interviewer: And the community?\n\n"
    "P07: Our volunteers know every street in Oakhurst, that is our community and our strength.\n"
)


@pytest.fixture
def hostile(tmp_path, backend_url):
    """A project holding the text an older version let in: controls in a transcript, code and coder names."""

    def run(*args, ok=True):
        result = runner.invoke(app, ["--db", backend_url, *args])
        if ok:
            assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
        return result

    run("init")
    source = tmp_path / "interview-07.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    run("docs", "import", str(source))
    run("codes", "add", "site")
    run("coders", "add", "sam")
    shown = json.loads(run("docs", "show", "interview-07", "--json").output)
    for turn in shown["segments"]:
        run("codings", "add", "--doc", "interview-07", "--start", str(turn["start"]), "--end", str(turn["end"]),
            "--code", "site", "--coder", "sam")
    db = Database(backend_url)
    with db.transaction() as session:  # what the store may already hold from before the import rule
        text = session.query(DocumentRow).one().text
        hostile_text = text.replace("board", "bo\x0bard\x1b[31m").replace("every street", "every\x01street")
        session.execute(update(DocumentRow).values(text=hostile_text, title=f"interview-07{TITLE_ESCAPE}"))
        session.execute(update(CodeRow).values(name=HOSTILE_CODE))
        session.execute(update(CoderRow).values(name=HOSTILE_CODER))
    db.dispose()
    return run, tmp_path


def _no_control(output: str) -> None:
    found = [repr(c) for c in TERMINAL_CONTROL if c in output]
    assert not found, f"terminal control characters reached the output: {found}"


def test_transcript_vertical_tabs_are_line_breaks_after_import(tmp_path, backend_url):
    runner.invoke(app, ["--db", backend_url, "init"])
    source = tmp_path / "pasted.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    assert runner.invoke(app, ["--db", backend_url, "docs", "import", str(source)]).exit_code == 0
    shown = json.loads(runner.invoke(app, ["--db", backend_url, "docs", "show", "pasted", "--json"]).output)
    assert "\x0b" not in shown["text"] and "ambitions\non the board agenda\nat Harrowfield" in shown["text"]


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "md", "html"])
def test_reports_are_written_from_stored_control_characters(hostile, fmt):
    run, tmp = hostile
    out = tmp / f"report.{fmt}"
    run("report", "--format", fmt, "--out", str(out))
    if fmt in ("xlsx", "docx"):
        with zipfile.ZipFile(out) as package:
            xml = "".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xml"))
        assert "\x0b" not in xml and "\x1b" not in xml
        assert "\ufffd" in xml or "&#65533;" in xml  # the characters XML cannot hold, replaced
    else:
        text = out.read_text(encoding="utf-8")
        assert "<script>" not in text and "<img" not in text and "&lt;script&gt;" in text


def test_quote_bank_exports_from_stored_control_characters(hostile):
    run, tmp = hostile
    run("quotes", "build", "--code", HOSTILE_CODE, "--k", "1", "--no-ner")
    for fmt in ("docx", "md"):
        out = tmp / f"quotes.{fmt}"
        run("quotes", "export", "--format", fmt, "--out", str(out))
        if fmt == "md":
            assert "<script>" not in out.read_text(encoding="utf-8")
        else:
            with zipfile.ZipFile(out) as package:
                assert b"\x1b" not in package.read("word/document.xml")


LISTINGS = [
    ("docs", "list"), ("docs", "show", "1"), ("codes", "list"), ("codes", "list", "--details"), ("codings", "list"),
    ("search", "volunteers"), ("summary",), ("tally",), ("participants", "list"), ("coders", "list"),
    ("agreement", "report"),
]


@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
def test_printers_strip_terminal_control_and_do_not_run_markup(hostile, command):
    run, _ = hostile
    result = run(*command, ok=False)
    assert result.exit_code in (0, 1), result.output
    _no_control(result.output)
    if command[0] == "codes" and result.exit_code == 0:
        assert "[red]hot[/red]" in result.output  # shown as written, not turned into colour


@pytest.mark.parametrize("command", [("docs", "list"), ("codes", "list"), ("codings", "list")], ids=" ".join)
def test_json_listings_escape_c1_controls(hostile, command):
    run, _ = hostile
    output = run(*command, "--json").output
    assert "\x9b" not in output and "\x1b" not in output
    assert json.loads(output)  # still valid JSON, the controls kept as \\u escapes


def test_codes_add_and_coders_add_refuse_control_characters(tmp_path, backend_url):
    runner.invoke(app, ["--db", backend_url, "init"])
    for args in (("codes", "add", f"site{TITLE_ESCAPE}"), ("coders", "add", "sam\x1b[31m"), ("codes", "add", "x" * 301),
                 ("coders", "add", "y" * 201)):
        result = runner.invoke(app, ["--db", backend_url, *args])
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert ("control character" in result.output or "the limit is" in result.output), result.output
        _no_control(result.output)
    listed = json.loads(runner.invoke(app, ["--db", backend_url, "codes", "list", "--json"]).output)
    assert listed == []


def test_codebook_name_markup_is_printed_as_text(tmp_path, backend_url):
    runner.invoke(app, ["--db", backend_url, "init"])
    book = tmp_path / "book.yaml"
    book.write_text('name: "[bold red]Loud book"\ncodes:\n  - name: "[link=mailto:x]site"\n', encoding="utf-8")
    result = runner.invoke(app, ["--db", backend_url, "codes", "import", str(book)])
    assert result.exit_code == 0, result.output
    assert "[bold red]Loud book" in result.output
    assert "[link=mailto:x]site" in runner.invoke(app, ["--db", backend_url, "codes", "list"]).output
