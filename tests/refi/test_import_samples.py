"""Import every real REFI-QDA sample (NVivo, MAXQDA, ATLAS.ti, Taguette, qc), valid or not."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from qualcode.domain import Provenance
from tests.refi.importing import import_url
from qualcode.store import sets as set_repo
from qualcode.refi.offsets import on_word_boundary
from qualcode.store import Database, codes, coders, codings, documents

# From ../shared/refi-qda/samples/README.md: file -> (codes, sources, codings).
EXPECTED = {
    "maxqda24_icls-themes.qdpx": (307, 10, 0),
    "nvivo12win_oltas.qdpx": (60, 1, 97),
    "nvivo15mac_qc-project.qdpx": (262, 2, 0),
    "atlasti23_target-project.qdpx": (3, 0, 0),
    "atlasti23-4_codebook.qdc": (1, 0, 0),
    "taguette152_codebook.qdc": (4, 0, 0),
    "qc132_demo.qdpx": (262, 2, 205),
}


def _import(shared_dir, tmp_path, name):
    sample = shared_dir / "refi-qda" / "samples" / name
    target = tmp_path / "imported.db"
    report = import_url(sample, f"sqlite:///{target}")
    db = Database(f"sqlite:///{target}")
    return sample, report, db


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_sample_imports_with_the_documented_counts(shared_dir, tmp_path, name):
    _, report, db = _import(shared_dir, tmp_path, name)
    n_codes, n_sources, n_codings = EXPECTED[name]
    with db.reading() as s:
        assert len(codes.list_all(s)) == n_codes
        assert len(documents.list_all(s)) == n_sources
        found = codings.all_codings(s)
        assert len(found) == n_codings
        assert all(c.provenance == Provenance.IMPORT for c in found)
    assert (report.codes_added, report.documents_added, report.codings_added) == EXPECTED[name]
    db.dispose()


def _raw_selections(sample):
    with zipfile.ZipFile(sample) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {}
        for source in root.iter("{*}TextSource"):
            ref = source.get("plainTextPath").removeprefix("internal://")
            member = next(n for n in archive.namelist() if n.lower() in (f"sources/{ref}".lower(), ref.lower()))
            texts[source.get("guid").lower()] = archive.read(member)
    return root, texts


def test_nvivo_utf16_offsets_land_on_the_same_words(shared_dir, tmp_path):
    sample, report, db = _import(shared_dir, tmp_path, "nvivo12win_oltas.qdpx")
    assert report.utf16_offsets
    root, texts = _raw_selections(sample)
    # Independent oracle: slice the raw file in UTF-16 code units, as NVivo counts, BOM excluded.
    expected = {}
    for sel in root.iter("{*}PlainTextSelection"):
        raw = texts[sel.getparent().get("guid").lower()].decode("utf-8-sig").encode("utf-16-le")
        a, b = int(sel.get("startPosition")), int(sel.get("endPosition"))
        words = raw[2 * a : 2 * b].decode("utf-16-le").replace("\r\n", "\n")
        for coding in sel.iter("{*}Coding"):
            expected[coding.get("guid").lower()] = words
    with db.reading() as s:
        doc = documents.list_all(s)[0]
        assert "\r" not in doc.text and not doc.text.startswith("\ufeff")
        found = codings.all_codings(s)
    assert len(found) == 97
    for coding in found:
        assert doc.text[coding.start : coding.end] == expected[coding.guid]
        assert on_word_boundary(doc.text, coding.start, coding.end)
    assert any(ord(ch) > 0xFFFF for ch in doc.text[: max(c.end for c in found)])  # emoji before selections
    db.dispose()


def test_qc_line_selections_cover_the_named_lines(shared_dir, tmp_path):
    sample, _, db = _import(shared_dir, tmp_path, "qc132_demo.qdpx")
    root, texts = _raw_selections(sample)
    with db.reading() as s:
        by_guid = {d.guid: d for d in documents.list_all(s)}
        found = {c.guid: c for c in codings.all_codings(s)}
        names = {c.id: c.name for c in coders.list_all(s)}
    checked = 0
    for sel in root.iter("{*}PlainTextSelection"):
        source_guid = sel.getparent().get("guid").lower()
        lines = texts[source_guid].decode("utf-8").split("\n")
        line = lines[int(sel.get("name").split(":")[1])]
        for el in sel.iter("{*}Coding"):
            coding = found[el.get("guid").lower()]
            assert by_guid[source_guid].text[coding.start : coding.end].rstrip("\n") == line
            assert names[coding.coder_id] == "cp"
            checked += 1
    assert checked == 205
    db.dispose()


def test_maxqda_codebook_descriptions_colours_and_document_sets(shared_dir, tmp_path):
    _, report, db = _import(shared_dir, tmp_path, "maxqda24_icls-themes.qdpx")
    with db.reading() as s:
        tree = codes.list_all(s)
        docs = {d.id: d for d in documents.list_all(s)}
        sets = set_repo.list_all(s)
    assert all(c.description for c in tree)
    assert {c.path.count("/") for c in tree} == {0, 1}
    assert all(c.colour is None or (len(c.colour) == 7 and c.colour == c.colour.upper()) for c in tree)
    assert sorted(x.name for x in sets) == ["ICLS 2024", "ICLS 2025"]
    assert all(len(x.members) == 5 and all(kind == "document" and i in docs for kind, i in x.members) for x in sets)
    assert {d.title for d in docs.values()} >= {"ICLS 2024 3-10", "ICLS 2025 1034-1042"}
    assert report.sets_added == 2
    db.dispose()


def test_atlas_users_hierarchy_and_codebook_set(shared_dir, tmp_path):
    _, _, db = _import(shared_dir, tmp_path, "atlasti23_target-project.qdpx")
    with db.reading() as s:
        assert sorted(c.name for c in coders.list_all(s)) == ["ATLAS.ti", "Enric Llagostera"]
        paths = [c.path for c in codes.list_all(s)]
        assert "Commits/2022-05-10T02:05:59Z 19e4dce" in paths
        assert codes.resolve(s, "Commits").guid == "a182cd3a-d83c-4d8c-bc80-26d9103ec6d6"
    db.dispose()


def test_qdc_codebooks_keep_colour_description_sets_and_odd_names(shared_dir, tmp_path):
    _, _, db = _import(shared_dir, tmp_path, "atlasti23-4_codebook.qdc")
    with db.reading() as s:
        (code,) = codes.list_all(s)
        (code_set,) = set_repo.list_all(s)
    assert (code.name, code.colour, code.description) == ("code1", "#46AA00", "description")
    assert code_set.name == "code group 1" and code_set.members == (("code", code.id),)
    db.dispose()
    (tmp_path / "t").mkdir()
    _, report, db = _import(shared_dir, tmp_path / "t", "taguette152_codebook.qdc")
    with db.reading() as s:
        names = sorted(c.path for c in codes.list_all(s))
        assert set_repo.list_all(s) == []  # <Sets/> is empty: accepted, nothing made
    assert "interesting\\places" in names and "Émotions\u2215joie" in names
    assert any("Émotions/joie" in w for w in report.warnings)
    db.dispose()


def test_nvivo_mac_deep_tree_and_one_byte_sources(shared_dir, tmp_path):
    _, _, db = _import(shared_dir, tmp_path, "nvivo15mac_qc-project.qdpx")
    with db.reading() as s:
        depth = max(c.path.count("/") for c in codes.list_all(s)) + 1
        docs = documents.list_all(s)
    assert depth == 7
    assert len(docs) == 2 and len({d.title for d in docs}) == 2
    db.dispose()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_imported_sample_exports_as_valid_refi(shared_dir, tmp_path, name):
    from qualcode.refi.export import export_codebook, export_project
    from tests.refi.conftest import run_validator

    _, _, db = _import(shared_dir, tmp_path, name)
    out = export_project(db, tmp_path / "again.qdpx")
    result = run_validator(shared_dir, out)
    assert result.returncode == 0, result.stdout
    n_codes, n_sources, n_codings = EXPECTED[name]
    assert f"{n_codes} codes, {n_sources} sources" in result.stdout and f"{n_codings} codings" in result.stdout
    assert run_validator(shared_dir, export_codebook(db, tmp_path / "again.qdc")).returncode == 0
    db.dispose()
