"""Survey exports: CSV and XLSX, ID detection, open versus closed columns, per respondent or question."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from qualcode.domain import DocumentKind, SegmentKind
from qualcode.errors import ImportRefused
from qualcode.importers import parse_file
from qualcode.importers.base import sha256_of
from tests.importers.checks import check_spans

HEADER = ["Respondent ID", "Region", "Setting", "Primary ambition", "How do you use the framework?", "What would help?"]
ROWS = [
    ["729", "North West", "Hospice", "A6", "We used it to plan a community engagement strategy with local churches.", ""],
    ["730", "London", "Acute hospital", "A4", "Mainly as a checklist when redesigning the discharge pathway.", "Dedicated time."],
    ["731", "North West", "Care home", "A1", "", ""],
    ["732", "South East", "Hospice", "A6", "As a shared language across the partnership board, honestly.", "More funding for networking."],
    ["733", "London", "Community", "A2", "It frames our equity work, especially for people experiencing homelessness.", "Local champions."],
]


def csv_bytes(rows, header=HEADER, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_path(tmp_path, rows, header=HEADER, name="mapping survey.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([int(row[0]) if row[0].isdigit() else row[0], *row[1:]])
    workbook.create_sheet("ignored").append(["not", "read"])
    path = tmp_path / name
    workbook.save(path)
    return path


def answers(document):
    return [(s.speaker, s.meta["question"], document.text[s.start : s.end]) for s in document.segments]


def test_csv_respondents_become_participants_and_documents(write):
    raw = csv_bytes(ROWS)
    result = parse_file(write("mapping survey.csv", raw))
    check_spans(result)
    assert [p.label for p in result.participants] == ["ID:729", "ID:730", "ID:731", "ID:732", "ID:733"]
    assert result.participants[0].attributes == {
        "Region": "North West",
        "Setting": "Hospice",
        "Primary ambition": "A6",
    }
    # 731 answered no open question: a participant, but no document.
    assert [d.participant_label for d in result.documents] == ["ID:729", "ID:730", "ID:732", "ID:733"]
    first = result.documents[0]
    assert first.title == "mapping survey ID:729"  # the file name says survey: not twice
    assert first.kind == DocumentKind.SURVEY
    assert answers(first) == [("ID:729", "How do you use the framework?", ROWS[0][4])]
    assert first.text == f"How do you use the framework?\n{ROWS[0][4]}"
    second = result.documents[1]
    assert [q for _, q, _ in answers(second)] == ["How do you use the framework?", "What would help?"]
    assert {s.kind for d in result.documents for s in d.segments} == {SegmentKind.ANSWER}
    assert len({d.sha256 for d in result.documents}) == 4
    assert first.meta["file_sha256"] == sha256_of(raw)
    assert first.meta["line_endings"] == "crlf"


def test_per_question_documents(write):
    result = parse_file(write("s.csv", csv_bytes(ROWS)), per="question")
    check_spans(result)
    assert [d.title for d in result.documents] == ["How do you use the framework?", "What would help?"]
    help_doc = result.documents[1]
    assert answers(help_doc) == [
        ("ID:730", "What would help?", "Dedicated time."),
        ("ID:732", "What would help?", "More funding for networking."),
        ("ID:733", "What would help?", "Local champions."),
    ]
    assert help_doc.text.startswith("ID:730: Dedicated time.\n\nID:732: ")
    assert help_doc.participant_label is None


def test_xlsx_first_sheet_matches_csv(tmp_path, write):
    from_xlsx = parse_file(xlsx_path(tmp_path, ROWS))
    from_csv = parse_file(write("mapping survey.csv", csv_bytes(ROWS)))
    check_spans(from_xlsx)
    assert [d.text for d in from_xlsx.documents] == [d.text for d in from_csv.documents]
    assert [p.attributes for p in from_xlsx.participants] == [p.attributes for p in from_csv.participants]
    assert from_xlsx.participants[0].label == "ID:729"
    assert "line_endings" not in from_xlsx.documents[0].meta


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiter_is_sniffed(write, delimiter):
    result = parse_file(write("s.csv", csv_bytes(ROWS, delimiter=delimiter)))
    assert len(result.participants) == 5 and len(result.documents) == 4


def test_bom_and_cp1252(write):
    rows = [["R12", "Café district", "x", "A1", "Le café du coin hosts our death café – every month, all welcome.", ""]]
    assert parse_file(write("s.csv", b"\xef\xbb\xbf" + csv_bytes(rows))).participants[0].label == "R12"
    legacy = write("legacy.csv", csv_bytes(rows, encoding="cp1252"))
    with pytest.raises(ImportRefused, match="legacy.csv: not valid UTF-8"):
        parse_file(legacy)
    document = parse_file(legacy, encoding="cp1252").documents[0]
    assert "death café – every month" in document.text


def test_explicit_columns_and_id(write):
    header = ["Email", "Code", "Comments", "Band"]
    rows = [["a@example.org", "ID:12", "ok", "low"], ["b@example.org", "ID:13", "fine", "high"]]
    result = parse_file(
        write("s.csv", csv_bytes(rows, header)), id_column="code", open_columns=["Comments"], attribute_columns=["Band"]
    )
    assert [p.label for p in result.participants] == ["ID:12", "ID:13"]
    assert result.participants[0].attributes == {"Band": "low"}
    assert [answers(d) for d in result.documents] == [[("ID:12", "Comments", "ok")], [("ID:13", "Comments", "fine")]]


def test_open_columns_alone_make_the_rest_attributes(write):
    result = parse_file(write("s.csv", csv_bytes(ROWS)), open_columns=["What would help?"])
    assert result.participants[0].attributes["How do you use the framework?"].startswith("We used it")
    assert {q for d in result.documents for _, q, _ in answers(d)} == {"What would help?"}


def test_multi_select_answers_are_attributes(write):
    header = ["id", "Foundations needed"]
    choices = ["Education and training; Leadership", "Leadership; Co-design; Shared records", "Education and training; Co-design"]
    answers = [f"answer number {i} about the foundations our service needs most" for i in range(9)]
    rows = [[str(i), c, a] for i, (c, a) in enumerate(zip(choices * 3, answers, strict=True))]
    result = parse_file(write("s.csv", csv_bytes(rows, [*header, "Why?"])))
    assert {s.meta["question"] for d in result.documents for s in d.segments} == {"Why?"}
    assert result.participants[0].attributes == {"Foundations needed": choices[0]}
    # Without a free-text column nothing is imported, and the file says so (issue 18, item 14).
    with pytest.raises(ImportRefused, match="no column holds free-text answers"):
        parse_file(write("t.csv", csv_bytes([[str(i), c] for i, c in enumerate(choices * 3)], header)))


def test_without_id_column_rows_are_numbered_with_a_warning(write):
    header = ["Setting", "Anything else?"]
    rows = [["Hospice", "We would welcome more examples of practice from other regions."], ["Care home", ""]]
    result = parse_file(write("s.csv", csv_bytes(rows, header)))
    assert [p.label for p in result.participants] == ["R1", "R2"]
    assert any("no ID column" in w for w in result.warnings)


def test_qualtrics_question_text_row_and_import_ids(write):
    header = ["ResponseId", "Q1", "Q2"]
    rows = [
        ["Response ID", "Your setting", "What has the framework changed for you?"],
        ['{"ImportId":"_recordId"}', '{"ImportId":"QID1"}', '{"ImportId":"QID2_TEXT"}'],
        ["R_1a", "Hospice", "It gave us words for conversations with the council about bereavement support."],
        ["R_2b", "Hospice", "Not much yet, but the commissioners now quote it in their strategy papers."],
    ]
    result = parse_file(write("qualtrics.csv", csv_bytes(rows, header)))
    assert [p.label for p in result.participants] == ["R_1a", "R_2b"]
    assert result.participants[0].attributes == {"Q1": "Hospice"}
    assert answers(result.documents[0])[0][1] == "What has the framework changed for you?"


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        (b"", {}, "empty"),
        (b"\n\n , ,\n", {}, "no rows"),
        (b"id,answer\n", {}, "no rows of answers"),
        (csv_bytes([["7", "a"], ["8", "b"], ["7", "c"]], ["id", "x"]), {}, r"row 4: duplicate ID '7' \(first seen in row 2\)"),
        (csv_bytes([["", "a"]], ["id", "x"]), {}, "row 2: the ID column 'id' is empty"),
        (csv_bytes(ROWS), {"id_column": "Nope"}, "no column named 'Nope'"),
        (csv_bytes(ROWS), {"open_columns": ["Missing"]}, "no column named 'Missing'"),
        (csv_bytes(ROWS), {"per": "wave"}, "per must be"),
        (b"id,x\n\x00\x01\x02\x03\x04\x05", {}, "binary"),
        (b'id,x\n1,"' + b"a" * 200_000 + b'"\n', {}, "cannot read the CSV"),
    ],
)
def test_bad_csv_is_refused(write, content, options, message):
    with pytest.raises(ImportRefused, match=message) as info:
        parse_file(write("bad.csv", content), **options)
    assert "bad.csv" in str(info.value)


@pytest.mark.parametrize(
    "content",
    [b"not a workbook", b"PK\x03\x04" + b"\x00" * 100, csv_bytes(ROWS)],
    ids=["text", "zip-header", "csv-renamed"],
)
def test_corrupt_xlsx_is_refused(write, content):
    with pytest.raises(ImportRefused, match="bad.xlsx: not a readable Excel workbook"):
        parse_file(write("bad.xlsx", content))


def test_truncated_xlsx_is_refused(tmp_path, write):
    data = xlsx_path(tmp_path, ROWS).read_bytes()
    with pytest.raises(ImportRefused, match="cut.xlsx"):
        parse_file(write("cut.xlsx", data[: len(data) // 2]))


def test_xlsx_with_only_a_header_is_refused(tmp_path):
    with pytest.raises(ImportRefused, match="no rows of answers"):
        parse_file(xlsx_path(tmp_path, [], name="header.xlsx"))


def test_per_question_titles_stay_unique_when_question_texts_repeat(write):
    header = ["ResponseId", "Q5_1", "Q5_2"]
    rows = [
        ["Response ID", "Please explain:", "Please explain:"],
        ['{"ImportId":"_recordId"}', '{"ImportId":"QID5_1"}', '{"ImportId":"QID5_2"}'],
        ["R_1", "Because the board asked us to look at the ambitions again.", "We started with a workshop for all staff."],
    ]
    result = parse_file(write("q.csv", csv_bytes(rows, header)), per="question")
    assert [d.title for d in result.documents] == ["Please explain: (Q5_1)", "Please explain: (Q5_2)"]
    assert len({d.sha256 for d in result.documents}) == 2


def test_long_repeated_statements_are_attributes_not_answers(write):
    consent = "I have read the information sheet and agree to take part in this study."
    likert = ["Strongly agree that the framework shapes our local strategy", "Disagree that the framework shapes our local strategy"]
    header = ["id", "Consent", "Framework shapes strategy", "Comment"]
    rows = [[str(n), consent, likert[n % 2], f"Comment number {n} about our partnership board and its volunteers."] for n in range(8)]
    result = parse_file(write("s.csv", csv_bytes(rows, header)))
    assert result.participants[1].attributes == {"Consent": consent, "Framework shapes strategy": likert[1]}
    assert {q for d in result.documents for _, q, _ in answers(d)} == {"Comment"}
