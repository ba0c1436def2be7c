"""The final scan: roster strings in any case, unexplained capitalised words, files read back, atomic writes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.anonymise import Roster, RosterEntry
from qualcode.anonymise.leaks import LeakScan
from qualcode.anonymise.ordinary import is_ordinary
from qualcode.anonymise.share import make_policy
from qualcode.reports.guard import Outgoing, Withheld, write_shareable
from qualcode.reports.readback import exported_text

ROSTER = Roster(people=[RosterEntry("p:1", "Edith Pellow", "PERSON", ("Sister Edith", "Hope"))], places=["Marshfold"])


def policy():
    return make_policy(ROSTER, known={"midlands", "carer"}, use_ner=False)


@pytest.mark.parametrize("text, hits", [
    ("pellow on the unit is a mentor", ["pellow"]),  # a surname alone, lowercase
    ("I HOPE so", ["HOPE"]),  # a roster name that is also a word counts in any case
    ("we drove to marshfold", ["marshfold"]),
    ("He was giving up on Thaddeus.", ["Thaddeus"]),  # no detector, list or dictionary explains it
    ("Funding stopped. The Teams call and the NHS and the Midlands carer.", []),  # words, allowlist, project words
    ("[PERSON 1] met [TOWN A] staff.", []),
])
def test_scan_finds_roster_strings_and_unexplained_words(text, hits):
    assert LeakScan(ROSTER, frozenset({"midlands", "carer"})).hits(text) == hits


@pytest.mark.parametrize("word", ["Teams", "Funding", "Stopped", "Didn't", "Nurses'", "Families", "Worried", "I'm",
                                  "I've", "They're", "We'll"])
def test_inflections_of_ordinary_words_are_ordinary(word):
    assert is_ordinary(word)


@pytest.mark.parametrize("word", ["Thaddeus", "Brindlecombe", "Pellow", "Aoife"])
def test_names_are_not_ordinary_words(word):
    assert not is_ordinary(word)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from("the ward was quiet and we talked about care every day".split()), min_size=1, max_size=12),
       st.integers(min_value=0, max_value=12), st.sampled_from(["Pellow", "pellow", "PELLOW", "Sister Edith", "marshfold"]),
       st.sampled_from([str.lower, str.upper, str.title]))
def test_a_roster_string_is_found_wherever_and_however_it_is_written(words, at, name, case):
    words.insert(min(at, len(words)), case(name))
    assert [h.casefold() for h in LeakScan(ROSTER).roster_hits(" ".join(words))] == [case(name).casefold()]


def render_md(items):
    def render(withheld, path):
        body = [f"- {i.texts[0]}" for i in items if i.ref not in withheld]
        path.write_text("# Shared quotes\n\n" + "\n".join(body) + "\n", encoding="utf-8")

    return render


def test_a_leaking_quote_is_withheld_and_the_rest_written(tmp_path):
    items = [Outgoing("1", ("We talked about care.",)), Outgoing("2", ("He was giving up on Thaddeus.",))]
    result = write_shareable(tmp_path / "q.md", "md", items, render_md(items), policy())
    assert result.withheld == ["2"] and "Thaddeus" not in (tmp_path / "q.md").read_text()
    assert result.warnings == [f"{tmp_path / 'q.md'}: quote 2 withheld: 1 possible name(s) the final scan cannot explain"]


def test_an_accepted_quote_goes_out(tmp_path):
    items = [Outgoing("2", ("He was giving up on Thaddeus.",), accepted=True)]
    result = write_shareable(tmp_path / "q.md", "md", items, render_md(items), policy())
    assert result.withheld == [] and "Thaddeus" in (tmp_path / "q.md").read_text()


def test_a_name_outside_any_quote_withholds_the_whole_file_and_writes_nothing(tmp_path):
    target = tmp_path / "q.md"
    target.write_text("the earlier export\n")

    def render(withheld, path):
        path.write_text("# Quotes from Edith Pellow's ward\n\n- We talked about care.\n")

    with pytest.raises(Withheld, match="outside any quote"):
        write_shareable(target, "md", [Outgoing("1", ("We talked about care.",))], render, policy())
    assert target.read_text() == "the earlier export\n"  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["q.md"]  # no temporary file left


def test_the_scan_reads_what_a_word_file_holds(tmp_path):
    from docx import Document

    def render(withheld, path):
        document = Document()
        document.core_properties.title = "Interviews in Marshfold"  # metadata is read too
        document.add_paragraph("We talked about care.")
        document.save(str(path))

    with pytest.raises(Withheld):
        write_shareable(tmp_path / "q.docx", "docx", [], render, policy())
    assert not (tmp_path / "q.docx").exists()


def test_the_scan_reads_what_a_workbook_holds(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["quote", "Pellow on the unit is a great mentor"])
    workbook.save(str(tmp_path / "w.xlsx"))
    assert "Pellow on the unit" in exported_text(tmp_path / "w.xlsx", "xlsx")
    items = [Outgoing("1", ("Pellow on the unit is a great mentor",))]

    def render(withheld, path):
        book = Workbook()
        book.active.append(["quote", *(i.texts[0] for i in items if i.ref not in withheld)])
        book.save(str(path))

    result = write_shareable(tmp_path / "q.xlsx", "xlsx", items, render, policy())
    assert result.withheld == ["1"] and "Pellow" not in exported_text(tmp_path / "q.xlsx", "xlsx")


def test_json_is_read_as_its_strings(tmp_path):
    (tmp_path / "q.json").write_text('{"quote": "line one\\nThaddeus said"}')
    assert "\nThaddeus said" in exported_text(tmp_path / "q.json", "json")


def test_a_lowercase_name_word_in_the_team_s_own_text_is_the_word(tmp_path):
    roster = Roster(people=[RosterEntry("p:1", "Faith Oduya", "PERSON", ("Faith",))])
    scan_policy = make_policy(roster, use_ner=False)

    def render(frame):
        return lambda withheld, path: path.write_text(f"# Codebook\n\n{frame}\n")

    write_shareable(tmp_path / "a.md", "md", [], render("community: faith groups, interest groups"), scan_policy)
    with pytest.raises(Withheld):  # capitalised, it may be the person
        write_shareable(tmp_path / "b.md", "md", [], render("community: as Faith put it"), scan_policy)
