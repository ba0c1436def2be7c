"""Survey respondent documents are titled once: 'survey R01' for survey.csv, 'Survey staff R01' for staff.csv."""

from __future__ import annotations

from qualcode.importers import parse_file

CSV = (
    "Respondent ID,Care setting,What gets in the way?\n"
    "R01,hospice,We never have the time to meet the volunteers because the rota is always short.\n"
    "R02,community,Nobody owns the ambitions after the reorganisation and the board moved on to other things.\n"
    "R03,hospice,Funding comes year by year so every plan we make is only ever a plan for the next few months.\n"
)


def test_a_file_named_survey_is_not_called_survey_twice(tmp_path):
    for name, title in (("survey.csv", "survey R01"), ("Staff Survey 2024.csv", "Staff Survey 2024 R01"),
                        ("staff.csv", "Survey staff R01")):
        path = tmp_path / name
        path.write_text(CSV, encoding="utf-8")
        assert [d.title for d in parse_file(path).documents] [:1] == [title]
