"""What other tools write and read: memos as Descriptions, coders per selection, repaired offsets."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from qualcode.domain import MemoTarget
from qualcode.errors import ImportRefused
from qualcode.store import memos as memo_repo
from qualcode.refi.export import export_project
from tests.refi.importing import import_url
from qualcode.refi.reader import read_refi
from qualcode.store import Database, codings, coders, documents, participants
from tests.refi.state import project_state
from tests.refi.synthetic import C1, C2, S1, U1, project_xml, write_qdpx

U2 = "88888888-8888-4888-8888-888888888888"
TEXT = "Ines: we trust the nurses.\nTomás: care comes first, always.\n"
NS = {"q": "urn:QDA-XML:project:1.0"}


def _span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def _qualcoder_style(tmp_path):
    """A project written the way QualCoder writes one: coding memos as the selection's Description,
    a document memo as the source's Description, a journal as a named Note, a case memo."""
    (a, b), (c, d) = _span("trust"), _span("care comes first")
    selections = (
        f'<PlainTextSelection guid="66666666-6666-4666-8666-000000000001" name="trust" startPosition="{a}" endPosition="{b}" creatingUser="{U1}">'
        f'<Description>Ines hedges here.</Description><Coding guid="77777777-7777-4777-8777-000000000001" creatingUser="{U1}">'
        f'<CodeRef targetGUID="{C1}"/></Coding></PlainTextSelection>'
        f'<PlainTextSelection guid="66666666-6666-4666-8666-000000000002" name="care comes first" startPosition="{c}" endPosition="{d}" creatingUser="{U2}">'
        f'<Coding guid="77777777-7777-4777-8777-000000000002" creatingUser="{U2}"><CodeRef targetGUID="{C2}"/></Coding></PlainTextSelection>'
    )
    source = (f'<TextSource guid="{S1}" name="talk" plainTextPath="internal://t.txt"><Description>Recorded at the ward office.</Description>'
              f"{selections}</TextSource>")
    users = f'<Users><User guid="{U1}" name="Ines"/><User guid="{U2}" name="Rafe"/></Users>'
    xml = project_xml(source, users=users, origin="QualCoder 3.8")
    cases = (f'<Cases><Case guid="99999999-9999-4999-8999-000000000001" name="Ines"><Description>Night nurse, ten years.</Description>'
             f'<SourceRef targetGUID="{S1}"/></Case></Cases>')
    notes = (f'<Notes><Note guid="99999999-9999-4999-8999-000000000002" name="Week one" creatingUser="{U1}" '
             f'plainTextPath="internal://j.txt"><Description/></Note></Notes>')
    xml = xml.replace("<Sources>", cases + "<Sources>").replace("</Project>", notes + "</Project>")
    return write_qdpx(tmp_path / "qualcoder.qdpx", xml, {"sources/t.txt": TEXT.encode(), "sources/j.txt": b"First interviews done."})


def test_descriptions_arrive_as_coding_and_document_memos_and_leave_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'p.db'}"
    report = import_url(_qualcoder_style(tmp_path), url)
    assert (report.codings_added, report.coding_memos_added, report.document_memos_added) == (2, 1, 1)
    db = Database(url)
    with db.reading() as s:
        found = {TEXT[c.start : c.end]: c for c in codings.all_codings(s)}
        names = {c.id: c.name for c in coders.list_all(s)}
        memos = memo_repo.list_all(s)
        people = participants.list_all(s)
        doc = documents.list_all(s)[0]
    assert found["trust"].memo == "Ines hedges here." and found["care comes first"].memo is None
    assert {names[c.coder_id] for c in found.values()} == {"Ines", "Rafe"}
    assert {(str(m.target), m.text) for m in memos} == {("document", "Recorded at the ward office."), ("project", "First interviews done.")}
    assert [m.target_id for m in memos if m.target is MemoTarget.DOCUMENT] == [doc.id]
    assert people[0].attributes == {"description": "Night nurse, ten years."}
    assert "description" not in (doc.meta or {}).get("refi", {})  # a real memo now, not buried in metadata
    # Out again: both forms, so QualCoder (Descriptions) and qualcode (notes) each read them once.
    out = export_project(db, tmp_path / "again.qdpx")
    root = etree.fromstring(zipfile.ZipFile(out).read("project.qde"))
    assert root.find("q:Sources/q:TextSource/q:Description", NS).text == "Recorded at the ward office."
    assert [e.text for e in root.iterfind(".//q:PlainTextSelection/q:Description", NS)] == ["Ines hedges here."]
    assert root.find("q:Cases/q:Case/q:Description", NS).text == "Night nurse, ten years."
    again = f"sqlite:///{tmp_path / 'again.db'}"
    second = import_url(out, again)
    assert second.memos_added == 2 and second.coding_memos_added == 1
    back = Database(again)
    assert project_state(back) == project_state(db)
    db.dispose()
    back.dispose()


def test_each_selection_carries_one_coder_and_imports_to_that_coder(small_project, tmp_path):
    out = export_project(small_project, tmp_path / "x.qdpx")
    root = etree.fromstring(zipfile.ZipFile(out).read("project.qde"))
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    # Read the way QualCoder reads: the coder from the selection, the memo from its Description.
    by_selection = sorted((users[s.get("creatingUser")], len(s.findall("q:Coding", NS)))
                          for s in root.iterfind(".//q:PlainTextSelection", NS))
    with small_project.reading() as s:
        names = {c.id: c.name for c in coders.list_all(s)}
        per_coder = sorted(names[c.coder_id] for c in codings.all_codings(s))
    assert sorted(n for n, k in by_selection for _ in range(k)) == per_coder


@pytest.mark.parametrize("span, stored, why", [((6, 99999), (6, len(TEXT)), "runs past the end"), ((-5, 4), (0, 4), "starts before the text"),
                                               ((13, 6), (6, 13), "ends swapped")])
def test_repaired_offsets_warn_naming_source_and_selection_and_strict_refuses(tmp_path, span, stored, why):
    a, b = span
    source = (f'<TextSource guid="{S1}" name="talk" plainTextPath="internal://t.txt">'
              f'<PlainTextSelection guid="66666666-6666-4666-8666-000000000009" startPosition="{a}" endPosition="{b}">'
              f'<Coding guid="77777777-7777-4777-8777-000000000009" creatingUser="{U1}"><CodeRef targetGUID="{C1}"/></Coding>'
              f"</PlainTextSelection></TextSource>")
    qdpx = write_qdpx(tmp_path / "x.qdpx", project_xml(source), {"sources/t.txt": TEXT.encode()})
    url = f"sqlite:///{tmp_path / 'p.db'}"
    report = import_url(qdpx, url)
    warned = [w for w in report.warnings if "66666666-6666-4666-8666-000000000009" in w]
    assert len(warned) == 1 and warned[0].startswith("talk: ") and why in warned[0]
    assert f"stored as {stored[0]}-{stored[1]}" in warned[0]
    db = Database(url)
    with db.reading() as s:
        assert [(c.start, c.end) for c in codings.all_codings(s)] == [stored]
    db.dispose()
    with pytest.raises(ImportRefused, match="refused in strict mode"):
        import_url(qdpx, f"sqlite:///{tmp_path / 'strict.db'}", strict=True)
    assert not (tmp_path / "strict.db").exists()


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet="ab c\n", min_size=1, max_size=30), a=st.integers(-40, 70), b=st.integers(-40, 70))
def test_any_selection_is_stored_exactly_or_mended_with_a_warning(text, a, b):
    source = (f'<TextSource guid="{S1}" name="talk" plainTextPath="internal://t.txt">'
              f'<PlainTextSelection guid="66666666-6666-4666-8666-000000000009" startPosition="{a}" endPosition="{b}">'
              f'<Coding guid="77777777-7777-4777-8777-000000000009" creatingUser="{U1}"><CodeRef targetGUID="{C1}"/></Coding>'
              f"</PlainTextSelection></TextSource>")
    with tempfile.TemporaryDirectory() as folder:
        qdpx = write_qdpx(Path(folder) / "x.qdpx", project_xml(source), {"sources/t.txt": text.encode()})
        project = read_refi(qdpx)
        lo, hi = sorted((min(max(a, 0), len(text)), min(max(b, 0), len(text))))
        exact = 0 <= a < b <= len(text)
        spans = [(s.start, s.end) for s in project.sources[0].selections]
        assert spans == ([(lo, hi)] if lo < hi else [])
        assert len(project.warnings) == (0 if exact else 1)
        if exact:
            assert read_refi(qdpx, strict=True).sources[0].selections[0].start == a
        else:
            assert "66666666-6666-4666-8666-000000000009" in project.warnings[0]
            with pytest.raises(ImportRefused, match="refused in strict mode"):
                read_refi(qdpx, strict=True)
