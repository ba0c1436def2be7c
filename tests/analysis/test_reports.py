"""Reports: every format written twice gives the same bytes; no real names; valid docx/xlsx; content present."""

from __future__ import annotations

import zipfile

import pytest

from qualcode.reports import FORMATS, ReportOptions, build_report, render_to
from qualcode.errors import InvalidInput

from tests.analysis.conftest import PEOPLE


@pytest.fixture
def report(ds):
    return build_report(ds, ReportOptions(title="Fixture study", base_size=1, run_length=1))


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_is_byte_identical_when_built_twice(ds, tmp_path, fmt):
    first = render_to(build_report(ds), tmp_path / f"a.{fmt}", fmt).read_bytes()
    second = render_to(build_report(ds), tmp_path / f"b.{fmt}", fmt).read_bytes()
    assert first == second and len(first) > 500
    assert not list(tmp_path.glob("*.part"))


def test_markdown_holds_every_section_and_no_real_names(report, tmp_path):
    text = render_to(report, tmp_path / "r.md", "md").read_text()
    for heading in ("# Fixture study", "## Codebook", "## Themes", "### barriers", "## Barriers and facilitators",
                    "## Cross-tabulations", "## Saturation", "Constructs by participant"):
        assert heading in text
    assert "| barriers/leadership | 3 | 3 | 3 |" in text
    for person in PEOPLE:
        for name in filter(None, (person.name, *person.aliases)):
            assert name not in text
    # A name said inside a quote is replaced by the speaker's label.
    assert "Orla said" not in text


def test_names_are_masked_by_the_share_policy(ds):
    from qualcode.anonymise.share import dataset_policy

    policy = dataset_policy(ds, use_ner=False)
    (masked,) = policy.mask(["Orla Fenwick and Orla met Tamsin Brackley."])
    first, second = masked.split(" met ")
    assert first == "[PERSON 1] and [PERSON 1]" and second == "[PERSON 2]."  # one person, one pseudonym
    assert policy.mask(["Orlando stays"]) == ["Orlando stays"]


def test_html_has_svg_charts_and_escapes_text(report, tmp_path):
    html = render_to(report, tmp_path / "r.html", "html").read_text()
    assert html.count("<svg") >= 3
    assert "New information per run" in html
    assert "<blockquote>" in html and "ID:101" in html
    import re

    from lxml import etree

    for svg in re.findall(r"<svg.*?</svg>", html, re.S):
        assert etree.fromstring(svg.encode()).tag.endswith("svg")  # well-formed XML, text escaped


def test_docx_and_xlsx_open_with_their_libraries(report, tmp_path):
    import docx
    import openpyxl

    document = docx.Document(str(render_to(report, tmp_path / "r.docx", "docx")))
    assert document.core_properties.created.year == 2000
    assert any(p.text == "barriers" for p in document.paragraphs)
    workbook = openpyxl.load_workbook(render_to(report, tmp_path / "r.xlsx", "xlsx"))
    assert workbook.sheetnames[:3] == ["Overview", "Codebook", "Themes"]
    rows = list(workbook["Tallies"].iter_rows(values_only=True))
    assert ("barrier", 1, "barriers/leadership", 3, 3, 3) == rows[1][:6]
    with zipfile.ZipFile(tmp_path / "r.xlsx") as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_formula_like_text_is_neutralised_in_xlsx(sqlite_db, tmp_path):
    from qualcode.analysis import load
    from qualcode.store import codes

    with sqlite_db.transaction() as s:
        codes.add(s, "risky", fields={"description": "=HYPERLINK(\"http://example.invalid\")"})
    with sqlite_db.reading() as s:
        ds = load(s)
    import openpyxl

    sheet = openpyxl.load_workbook(render_to(build_report(ds), tmp_path / "r.xlsx", "xlsx"))["Codebook"]
    assert sheet.cell(2, 3).value.startswith("'=")


def test_unknown_format_is_refused(report, tmp_path):
    with pytest.raises(InvalidInput):
        render_to(report, tmp_path / "r.pdf", "pdf")


def test_terms_holding_a_name_are_dropped(ds):
    from qualcode.anonymise.share import dataset_policy
    from qualcode.reports.model import _name_words

    words = _name_words(dataset_policy(ds, use_ner=False))
    assert {"orla", "tamsin", "brackley"} <= words and "church" not in words


def test_roster_names_of_others_are_masked_too(fixture_project, tmp_path):
    import json

    from qualcode.analysis import load
    from qualcode.anonymise.share import dataset_policy
    from qualcode.store import meta

    roster = {"people": [{"name": "Bertram Quill", "aliases": ["Bertie"]}], "places": ["Little Hadwell"],
              "organisations": [{"name": "St Wendreda's Hospice"}]}
    with fixture_project.db.transaction() as s:
        meta.put(s, "roster_extra", json.dumps(roster))
    with fixture_project.db.reading() as s:
        ds = load(s)
    policy = dataset_policy(ds, use_ner=False)
    (masked,) = policy.mask(["Bertie drove from Little Hadwell to St Wendreda's Hospice."])
    assert masked == "[PERSON 1] drove from [TOWN A] to [HOSPICE A]."
    assert policy.leaks("Bertram said so") == ["Bertram"] and policy.leaks(masked) == []
