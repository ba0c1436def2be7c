"""Export: .qdpx and .qdc validate against the official XSDs, keep GUIDs, and are byte-reproducible."""

from __future__ import annotations

import zipfile

from lxml import etree
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.refi.export import ZIP_TIME, export_codebook, export_project
from qualcode.refi.model import PROJECT_NS
from qualcode.store import codes, coders, documents, participants
from qualcode.store import Database
from tests.refi.conftest import build_small_project, run_validator

NS = {"q": PROJECT_NS}


def _project_root(path):
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("project.qde"))


def test_qdpx_and_qdc_pass_the_strict_validator(small_project, tmp_path, refi_tools):
    qdpx = export_project(small_project, tmp_path / "study.qdpx")
    qdc = export_codebook(small_project, tmp_path / "codebook.qdc")
    for path in (qdpx, qdc):
        result = run_validator(refi_tools, path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.startswith("PASS")


def test_export_is_byte_reproducible_and_has_no_wall_clock(small_project, tmp_path):
    first = export_project(small_project, tmp_path / "a.qdpx").read_bytes()
    small_project.dispose()
    reopened = Database(small_project.url)
    second = export_project(reopened, tmp_path / "b.qdpx").read_bytes()
    assert first == second
    assert export_codebook(reopened, tmp_path / "a.qdc").read_bytes() == export_codebook(reopened, tmp_path / "b.qdc").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.qdpx") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in archive.infolist()} == {ZIP_TIME}
        assert all(n == "project.qde" or n.startswith("sources/") for n in names)


def test_guids_come_from_the_project_and_match_its_items(small_project, tmp_path):
    root = _project_root(export_project(small_project, tmp_path / "x.qdpx"))
    with small_project.reading() as s:
        code_guids = {c.guid: c for c in codes.list_all(s)}
        doc_guids = {d.guid for d in documents.list_all(s)}
        coder_guids = {c.guid for c in coders.list_all(s)}
        case_guids = {p.guid for p in participants.list_all(s)}
    exported = {el.get("guid"): el for el in root.iterfind(".//q:Code", NS)}
    assert set(exported) == set(code_guids)
    assert exported[codes_by_name(code_guids, "community")].get("color") == "#AA00FF"
    assert {el.get("guid") for el in root.iterfind(".//q:TextSource", NS)} == doc_guids
    assert {el.get("guid") for el in root.iterfind(".//q:User", NS)} == coder_guids
    assert {el.get("guid") for el in root.iterfind(".//q:Case", NS)} == case_guids
    # The child code sits inside its parent, as in the project's tree.
    site = exported[codes_by_name(code_guids, "site")]
    assert site.getparent().get("guid") == codes_by_name(code_guids, "community")


def codes_by_name(code_guids, name):
    return next(g for g, c in code_guids.items() if c.name == name)


def test_selections_use_code_points_and_one_selection_per_range_coder_and_memo(small_project, tmp_path):
    data = build_texts(small_project)
    root = _project_root(export_project(small_project, tmp_path / "x.qdpx"))
    with zipfile.ZipFile(tmp_path / "x.qdpx") as archive:
        for source in root.iterfind(".//q:TextSource", NS):
            text = archive.read(source.get("plainTextPath").replace("internal://", "sources/")).decode("utf-8")
            assert text in data
            for selection in source.iterfind("q:PlainTextSelection", NS):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                line, _, words = selection.get("name").partition(" ")
                assert line == f"line:{text[:start].count(chr(10))}"  # qc places the coding on this line
                assert text[start:end].startswith(words)
                # Every coding carries its selection's user, so tools reading either level agree.
                assert {c.get("creatingUser") for c in selection.iterfind("q:Coding", NS)} == {selection.get("creatingUser")}
    emoji = [s for s in root.iterfind(".//q:PlainTextSelection", NS) if "😀" in s.get("name")]
    assert {s.get("name") for s in emoji} == {"line:2 shared language 😀"}
    assert sum(len(s.findall("q:Coding", NS)) for s in emoji) == 3  # two coders, two codes, one range
    # alex's plain coding, alex's memoed coding (QualCoder gives a Description to every coding in its
    # selection) and sam's coding: three selections.
    assert len(emoji) == 3 and len({s.get("guid") for s in emoji}) == 3
    memoed = [s for s in emoji if s.find("q:Description", NS) is not None]
    assert [s.find("q:Description", NS).text for s in memoed] == ["key phrase\n\nCheck with P01."]
    assert len(memoed[0].findall("q:Coding/q:NoteRef", NS)) == 2  # the same memos as notes, for the rest


def build_texts(db):
    with db.reading() as s:
        return {d.text for d in documents.list_all(s)}


def test_real_names_never_leave_the_project(small_project, tmp_path):
    data = zipfile.ZipFile(export_project(small_project, tmp_path / "x.qdpx")).read("project.qde").decode()
    assert "P01" in data and "service manager" in data
    assert 'name="Marta Quill"' not in data  # the participant's real name is not a case attribute


def test_cli_exports_and_refuses_a_missing_folder(tmp_path, refi_tools):
    project = tmp_path / "p.db"
    db = Database(f"sqlite:///{project}", create=True)
    build_small_project(db)
    db.dispose()
    runner = CliRunner()
    result = runner.invoke(app, ["--project", str(project), "refi", "export", "--out", str(tmp_path / "s.qdpx")])
    assert result.exit_code == 0, result.output
    assert run_validator(refi_tools, tmp_path / "s.qdpx").returncode == 0
    result = runner.invoke(app, ["--project", str(project), "refi", "export-codebook", "--out", str(tmp_path / "no" / "c.qdc")])
    assert result.exit_code == 1
    assert "does not exist" in result.output
    assert not (tmp_path / "no").exists()


def test_an_empty_project_exports_valid_and_an_empty_codebook_is_refused(sqlite_db, tmp_path, refi_tools):
    import pytest

    from qualcode.errors import InvalidInput

    out = export_project(sqlite_db, tmp_path / "empty.qdpx")
    assert run_validator(refi_tools, out).returncode == 0
    with pytest.raises(InvalidInput, match="codebook is empty"):
        export_codebook(sqlite_db, tmp_path / "empty.qdc")
    assert not (tmp_path / "empty.qdc").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no partial file left behind
