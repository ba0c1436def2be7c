"""Vendor quirks beyond the samples: namespaces, file names, paths, counting, users, merging."""

from __future__ import annotations

import pytest

from tests.refi.importing import import_url
from qualcode.store import Database, codes, coders, codings, documents
from tests.refi.synthetic import C1, C2, U1, U_UNLISTED, project_xml, text_source, write_qdpx
from tests.refi.state import project_state

TEXT = "Ines: we trust the nurses.\r\nTomás: care comes first 🙂 always.\r\n"
LF = TEXT.replace("\r\n", "\n")


def _words(text, word):
    start = text.index(word)
    return start, start + len(word)


def _import(tmp_path, qdpx, name="p.db", merge=False):
    url = f"sqlite:///{tmp_path / name}"
    report = import_url(qdpx, url, merge=merge)
    return report, Database(url)


def _coded(db):
    with db.reading() as s:
        doc = documents.list_all(s)[0]
        return sorted(doc.text[c.start : c.end] for c in codings.all_codings(s))


@pytest.mark.parametrize("prefix, ns", [("", "urn:QDA-XML:project:1.0"), ("qda", "urn:QDA-XML:project:1.0"), ("", ""),
                                        ("", "urn:QDA-XML:project:1.5")])
def test_any_namespace_spelling_is_read(tmp_path, prefix, ns):
    a, b = _words(TEXT, "trust")
    xml = project_xml(text_source("internal://t.txt", [(a, b, C2, U1)], f"{prefix}:" if prefix else ""), ns=ns, prefix=prefix)
    _, db = _import(tmp_path, write_qdpx(tmp_path / "x.qdpx", xml, {"sources/t.txt": TEXT.encode()}))
    assert _coded(db) == ["trust"]
    with db.reading() as s:
        assert codes.resolve(s, "care/trust").guid == C2
        assert codes.resolve(s, "care").colour == "#00AA00"
    db.dispose()


def test_code_point_offsets_on_crlf_text_with_odd_names_and_bare_paths(tmp_path):
    # Spec counting (code points, CRLF = 2) in a file named after the project, path without internal://.
    a, b = _words(TEXT, "care comes first 🙂 always")
    c, d = _words(TEXT, "nurses")
    xml = project_xml(text_source("t.txt", [(a, b, C1, U1), (c, d, C2, U1)]))
    qdpx = write_qdpx(tmp_path / "x.qdpx", xml, {"Sources/t.txt": b"\xef\xbb\xbf" + TEXT.encode()}, qde_name="Trial.qde")
    report, db = _import(tmp_path, qdpx)
    assert not report.utf16_offsets
    assert _coded(db) == ["care comes first 🙂 always", "nurses"]
    with db.reading() as s:
        assert documents.list_all(s)[0].text == LF
    db.dispose()


def test_utf16_counting_is_detected_by_word_boundaries_without_an_nvivo_origin(tmp_path):
    utf16 = lambda i: i + sum(1 for ch in TEXT[:i] if ord(ch) > 0xFFFF)  # noqa: E731
    spans = [_words(TEXT, w) for w in ("always", "first 🙂 always")]
    xml = project_xml(text_source("internal://t.txt", [(utf16(a), utf16(b), C1, U1) for a, b in spans]), origin="Other 2")
    report, db = _import(tmp_path, write_qdpx(tmp_path / "x.qdpx", xml, {"sources/t.txt": TEXT.encode()}))
    assert report.utf16_offsets
    assert _coded(db) == ["always", "first 🙂 always"]
    db.dispose()


def test_users_referenced_but_not_listed_and_codings_without_a_user(tmp_path):
    a, b = _words(TEXT, "trust")
    xml = project_xml(text_source("internal://t.txt", [(a, b, C1, U_UNLISTED), (a, b, C2, None)]), users="")
    _, db = _import(tmp_path, write_qdpx(tmp_path / "x.qdpx", xml, {"sources/t.txt": TEXT.encode()}))
    with db.reading() as s:
        people = {c.name: c.guid for c in coders.list_all(s)}
        assert people[f"user {U_UNLISTED[:8]}"] == U_UNLISTED
        assert "Hand 1.0 import" in people
        assert len(codings.all_codings(s)) == 2
    db.dispose()


def test_one_selection_per_coding_collapses_identical_codings(tmp_path):
    a, b = _words(TEXT, "trust")
    xml = project_xml(text_source("internal://t.txt", [(a, b, C1, U1), (a, b, C1, U1), (a, b, C2, U1)]))
    report, db = _import(tmp_path, write_qdpx(tmp_path / "x.qdpx", xml, {"sources/t.txt": TEXT.encode()}))
    assert (report.codings_added, report.codings_skipped) == (2, 1)
    db.dispose()


def test_merge_matches_codes_by_guid_then_path_and_adds_nothing_twice(tmp_path, small_project):
    from qualcode.refi.export import export_codebook, export_project

    qdpx = export_project(small_project, tmp_path / "x.qdpx")
    before = project_state(small_project)
    report = import_url(qdpx, small_project.url, merge=True)
    assert project_state(small_project) == before  # everything matched by GUID
    assert (report.codes_added, report.documents_added, report.codings_added) == (0, 0, 0)
    assert report.codes_matched == len(before["codes"])
    # A codebook from another tool: "community/site" exists by path under another GUID; "trust" is new.
    other = tmp_path / "other.qdc"
    other.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        f'<Code guid="{C1}" name="community" isCodable="true"><Code guid="{C2}" name="site" isCodable="true"/>'
        '<Code guid="88888888-8888-4888-8888-888888888888" name="trust" isCodable="true"/></Code></Codes></CodeBook>'
    )
    report = import_url(other, small_project.url, merge=True)
    assert (report.codes_matched, report.codes_added) == (2, 1)
    with small_project.reading() as s:
        assert codes.resolve(s, "community/trust").guid == "88888888-8888-4888-8888-888888888888"
        assert codes.resolve(s, "community/site").guid == next(g for g, c in before["codes"].items() if c[0] == "community/site")
    assert export_codebook(small_project, tmp_path / "c.qdc").exists()


def test_a_new_project_is_never_written_over(tmp_path, small_project):
    from qualcode.errors import ProjectExists
    from qualcode.refi.export import export_project

    qdpx = export_project(small_project, tmp_path / "x.qdpx")
    path = small_project.url.removeprefix("sqlite:///")
    with pytest.raises(ProjectExists, match="already holds a project") as refused:
        import_url(qdpx, small_project.url)
    assert refused.value.where == path and not refused.value.appeared
    assert project_state(small_project)["documents"]


def test_selection_names_holding_the_text_match_the_imported_words(tmp_path):
    # UTF-16 offsets from a tool that is not NVivo and writes the coded words into `name`.
    words = ["care comes", "first 🙂 always", "trust the nurses"]
    spans = [_words(TEXT, w) for w in words]
    utf16 = [(a + TEXT[:a].count("🙂"), b + TEXT[:b].count("🙂")) for a, b in spans]
    xml = project_xml(text_source("internal://t.txt", [(a, b, C1, U1) for a, b in utf16], names=words), origin="Tool 3")
    report, db = _import(tmp_path, write_qdpx(tmp_path / "x.qdpx", xml, {"sources/t.txt": TEXT.encode()}))
    assert report.utf16_offsets
    assert _coded(db) == sorted(words)
    db.dispose()


def test_an_unzipped_project_reads_its_sources_folder_and_nothing_outside_it(tmp_path):
    a, b = _words(TEXT, "trust")
    folder = tmp_path / "unzipped"
    (folder / "Sources").mkdir(parents=True)
    (folder / "Sources" / "t.txt").write_bytes(TEXT.encode())
    (tmp_path / "outside.txt").write_text("private words")
    other = text_source("internal://../outside.txt", []).replace("5555-5555-4555", "5555-5555-4556")
    (folder / "project.qde").write_text(project_xml(text_source("internal://t.txt", [(a, b, C2, U1)]) + other))
    report, db = _import(tmp_path, folder / "project.qde")
    assert _coded(db) == ["trust"]
    assert report.documents_added == 1 and any("not in the archive" in w for w in report.warnings)
    db.dispose()
