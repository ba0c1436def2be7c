"""The three leaks of issue 13, through the real CLI, in every export format, with invented names.

(a) a name the participants file does not hold; (b) a hospital, ward and town in one sentence;
(c) a roster surname said alone while the roster holds "Firstname Surname" with aliases.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.reports.readback import exported_text

runner = CliRunner()

UNLISTED = "After the diagnosis my husband said he was giving up on Thaddeus."
HOSPITAL = "I manage Kestrel Ward at Brindlecombe General Hospital in Marshfold."
SURNAME = "Pellow on the inpatient unit is a great mentor to the new nurses."
TRANSCRIPT = f"""Interviewer: Tell me about your work.

Edith Pellow: {HOSPITAL} We see families every day and the days are long.

Interviewer: And the carers you meet?

Gwendolyn Tarbuck: {UNLISTED} It broke my heart to hear it.

Gwendolyn Tarbuck: {SURNAME} She taught me how to talk to families.
"""
PARTICIPANTS = {"participants": [
    {"label": "P01", "name": "Edith Pellow", "aliases": ["Sister Edith", "Edith"], "role": "ward manager"},
    {"label": "P02", "name": "Gwendolyn Tarbuck", "aliases": ["Gwen"], "role": "carer"},
]}
BANK_FORMATS = ("md", "csv", "docx", "json")
REPORT_FORMATS = ("html", "md", "docx", "xlsx")


def cli(project, *args):
    result = runner.invoke(app, ["--project", str(project), *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """A project built as docs/getting-started.md shows: participants file, transcript, codings, bank."""
    root = tmp_path_factory.mktemp("study")
    project = root / "study.db"
    people = root / "participants.yaml"
    people.write_text(yaml.safe_dump(PARTICIPANTS), encoding="utf-8")
    transcript = root / "ward-interview.txt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    cli(project, "init")
    cli(project, "codes", "add", "care", "--valence", "barrier")
    cli(project, "participants", "import", str(people))
    cli(project, "docs", "import", str(transcript), "--participants", str(people))
    text = json.loads(cli(project, "docs", "show", "ward-interview", "--json").stdout)["text"]
    for sentence in (UNLISTED, HOSPITAL, SURNAME):
        start = text.index(sentence)
        cli(project, "codings", "add", "--doc", "ward-interview", "--start", str(start), "--end",
            str(start + len(sentence)), "--code", "care", "--coder", "alex")
    cli(project, "quotes", "build", "--code", "care", "--k", "1")
    # The same bank without the model: what the rules miss, the final scan must still withhold.
    cli(project, "quotes", "build", "--code", "care", "--k", "1", "--no-ner", "--bank", "rules-only")
    return root, project


def visible(path, fmt) -> str:
    return exported_text(path, fmt)


def found(text: str, *names: str) -> list[str]:
    return [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.IGNORECASE)]


@pytest.mark.parametrize("bank", ["default", "rules-only"])
@pytest.mark.parametrize("fmt", BANK_FORMATS)
def test_a_name_not_in_the_participants_file_never_leaves_the_bank(study, fmt, bank):
    root, project = study
    out = root / f"bank-a-{bank}.{fmt}"
    result = cli(project, "quotes", "export", "--format", fmt, "--out", str(out), "--bank", bank)
    text = visible(out, fmt)
    assert found(text, "Thaddeus") == []
    # Masked by a detector, or withheld by the final scan with a warning naming the file: never silent.
    masked = "giving up on [" in text
    assert masked or (str(out) in result.output.replace("\n", "") and "withheld" in result.output)
    if bank == "rules-only" and not masked:
        assert "qualcode quotes accept" in result.output  # the warning says how a reviewer releases it


def test_a_reviewer_can_release_a_withheld_quote(study, tmp_path):
    root, project = study
    listed = json.loads(cli(project, "quotes", "list", "--bank", "rules-only", "--json").stdout)
    held = [q for q in listed if "Thaddeus" in q["text"]]
    if not held:
        pytest.skip("the rules already mask the name")
    before = tmp_path / "before.json"
    cli(project, "quotes", "export", "--format", "json", "--out", str(before), "--bank", "rules-only")
    assert all(q["id"] != held[0]["id"] for q in json.loads(before.read_text())["quotes"])
    cli(project, "quotes", "accept", str(held[0]["id"]))
    after = tmp_path / "after.json"
    cli(project, "quotes", "export", "--format", "json", "--out", str(after), "--bank", "rules-only")
    assert any(q["id"] == held[0]["id"] for q in json.loads(after.read_text())["quotes"])


@pytest.mark.parametrize("fmt", BANK_FORMATS)
def test_a_hospital_and_town_never_leave_the_bank(study, fmt):
    root, project = study
    out = root / f"bank-b.{fmt}"
    cli(project, "quotes", "export", "--format", fmt, "--out", str(out), "--bank", "default")
    assert found(visible(out, fmt), "Brindlecombe", "Marshfold", "Brindlecombe General Hospital") == []


@pytest.mark.parametrize("fmt", BANK_FORMATS)
def test_the_ward_never_leaves_the_bank(study, fmt):
    root, project = study
    out = root / f"bank-ward.{fmt}"
    cli(project, "quotes", "export", "--format", fmt, "--out", str(out), "--bank", "default")
    assert found(visible(out, fmt), "Kestrel Ward") == []


def test_anonymise_masks_the_hospital_and_town(study):
    root, _project = study
    source = root / "hospital.txt"
    source.write_text(HOSPITAL + "\n", encoding="utf-8")
    result = runner.invoke(app, ["anonymise", str(source)])
    assert result.exit_code == 0, result.output
    assert found(result.output, "Brindlecombe", "Marshfold") == []


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_a_roster_surname_alone_never_leaves_a_report(study, fmt):
    root, project = study
    out = root / f"report.{fmt}"
    cli(project, "report", "--format", fmt, "--out", str(out), "--no-language")
    text = visible(out, fmt)
    assert found(text, "Pellow", "Edith", "Tarbuck", "Gwendolyn", "Gwen", "Thaddeus", "Brindlecombe", "Marshfold") == []
    assert "Anonymised for sharing" in text and "NOT ANONYMISED" not in text


def test_the_report_the_bank_and_the_summary_mask_one_text_the_same_way(study):
    root, project = study
    bank = root / "same.json"
    cli(project, "quotes", "export", "--format", "json", "--out", str(bank), "--bank", "default")
    banked = [q["text"] for q in json.loads(bank.read_text())["quotes"] if "inpatient unit" in q["text"]]
    report = root / "same.md"
    cli(project, "report", "--format", "md", "--out", str(report), "--no-language")
    assert banked and banked[0] in report.read_text()  # same roster, key and detectors: same pseudonym
    summary = cli(project, "summary", "--quotes", "5", "--no-language", "--json")
    assert banked[0] in [q["text"] for s in json.loads(summary.stdout) for q in s["quotes"]]


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_an_unmasked_report_says_so_in_its_header(study, fmt):
    root, project = study
    out = root / f"internal.{fmt}"
    result = cli(project, "report", "--format", fmt, "--out", str(out), "--no-language", "--unmasked")
    if fmt == "docx":
        import docx

        head = [p.text for p in docx.Document(str(out)).paragraphs[:2]]
    elif fmt == "xlsx":
        import openpyxl

        head = [str(c.value) for c in next(openpyxl.load_workbook(out)["Overview"].iter_rows(max_row=1))]
    else:
        pieces = [p.strip() for p in visible(out, fmt).split("\n") if p.strip()]
        at = next(i for i, p in enumerate(pieces) if "Project: report" in p)
        head = pieces[at : at + 3]
    assert "NOT ANONYMISED" in " ".join(head)  # right under the title (the workbook: its first row)
    assert "Pellow" in visible(out, fmt) and "NOT anonymised" in result.output


def test_summary_and_tally_quotes_are_masked(study):
    _root, project = study
    summary = cli(project, "summary", "--quotes", "5", "--no-language", "--json")
    texts = [q["text"] for s in json.loads(summary.stdout) for q in s["quotes"]]
    assert texts and found(" ".join(texts), "Pellow", "Thaddeus", "Brindlecombe", "Marshfold") == []
    unmasked = cli(project, "summary", "--quotes", "5", "--no-language", "--json", "--unmasked")
    assert "Pellow" in unmasked.stdout and "NOT ANONYMISED" in unmasked.output
    tally = cli(project, "tally", "barriers", "--quotes", "5", "--json")
    texts = [q["text"] for t in json.loads(tally.stdout) for r in t["rows"] for q in r["quotes"]]
    assert texts and found(" ".join(texts), "Pellow", "Thaddeus", "Brindlecombe", "Marshfold") == []


def test_an_excerpt_withheld_from_a_summary_is_released_by_accepting_it(study, tmp_path):
    root, project = study
    extra = tmp_path / "extra.yaml"
    extra.write_text(yaml.safe_dump({"others": [{"name": "Dawn Ashby", "aliases": ["Dawn"]}]}), encoding="utf-8")
    cli(project, "quotes", "roster", "import", str(extra))
    sentence = "We sat up until dawn and the tea was good there every week."
    source = tmp_path / "night.txt"
    source.write_text(f"Visitor: {sentence}\n", encoding="utf-8")
    cli(project, "docs", "import", str(source))
    text = json.loads(cli(project, "docs", "show", "night", "--json").stdout)["text"]
    start = text.index(sentence)
    cli(project, "codings", "add", "--doc", "night", "--start", str(start), "--end", str(start + len(sentence)),
        "--code", "care", "--coder", "alex")
    first = cli(project, "summary", "--quotes", "9", "--no-language", "--json")
    shown = [q["text"] for s in json.loads(first.stdout) for q in s["quotes"] if "tea was good" in q["text"]]
    assert found(" ".join(shown), "dawn") == []  # a roster name, whatever its case, never goes out as is
    held = re.search(r"qualcode quotes accept (\d+:\d+-\d+)", first.output.replace("\n", ""))
    if held is None:  # the detectors mask it: nothing to release
        assert shown and "[PERSON" in shown[0]
        return
    assert shown == [] and "withheld" in first.output
    cli(project, "quotes", "accept", held.group(1))
    again = cli(project, "summary", "--quotes", "9", "--no-language", "--json")
    assert [q["text"] for s in json.loads(again.stdout) for q in s["quotes"] if "tea was good" in q["text"]] == [sentence]


def test_without_the_model_the_scan_alone_withholds_an_unlisted_name(tmp_path):
    """No model has ever seen the project, so the key cannot know the name: only the final scan can."""
    project = tmp_path / "rules.db"
    people = tmp_path / "participants.yaml"
    people.write_text(yaml.safe_dump(PARTICIPANTS), encoding="utf-8")
    transcript = tmp_path / "carer.txt"
    transcript.write_text(f"Gwendolyn Tarbuck: {UNLISTED} It broke my heart.\n", encoding="utf-8")
    cli(project, "init")
    cli(project, "codes", "add", "care")
    cli(project, "participants", "import", str(people))
    cli(project, "docs", "import", str(transcript), "--participants", str(people))
    text = json.loads(cli(project, "docs", "show", "carer", "--json").stdout)["text"]
    start = text.index(UNLISTED)
    cli(project, "codings", "add", "--doc", "carer", "--start", str(start), "--end", str(start + len(UNLISTED)),
        "--code", "care", "--coder", "alex")
    cli(project, "quotes", "build", "--code", "care", "--k", "1", "--no-ner")
    listed = json.loads(cli(project, "quotes", "list", "--json").stdout)
    if not any("Thaddeus" in q["text"] for q in listed):
        pytest.skip("the rules now mask the name themselves")
    for fmt in BANK_FORMATS:
        out = tmp_path / f"rules.{fmt}"
        result = cli(project, "quotes", "export", "--format", fmt, "--out", str(out))
        assert found(visible(out, fmt), "Thaddeus") == []
        assert "withheld" in result.output and "possible name" in result.output


@pytest.mark.parametrize(("sentence", "words"), [(UNLISTED, "giving up on"), (HOSPITAL, "I manage"),
                                                  (SURNAME, "inpatient unit")])
def test_anonymise_and_the_quote_bank_mask_one_text_the_same_way(study, sentence, words):
    """`qualcode anonymise --roster` and a bank built on the same roster find the same spans, typed alike."""
    root, project = study
    listed = json.loads(cli(project, "quotes", "list", "--bank", "default", "--json").stdout)
    ids = [q["id"] for q in listed if words in q["text"]]
    assert len(ids) == 1
    shown = json.loads(cli(project, "quotes", "show", str(ids[0]), "--json").stdout)
    source = root / "one-text.txt"
    source.write_text(sentence + "\n", encoding="utf-8")
    result = runner.invoke(app, ["anonymise", str(source), "--roster", str(root / "participants.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    masked = json.loads(result.stdout)
    assert masked["spans"]  # each sentence names someone or somewhere
    assert [(r["text"], r["type"]) for r in shown["redactions"] if r["active"]] == [
        (sentence[s["start"] : s["end"]], s["type"]) for s in masked["spans"]
    ]
    # The pseudonyms' numbers come from each key; the words around them are the same.
    def shape(text):
        return re.sub(r"\[([A-Z ]+?) [A-Z0-9]+\]", r"[\1]", text.strip())

    assert shape(masked["masked_text"]) == shape(shown["masked_text"])
