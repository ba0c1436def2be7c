"""Hostile files are refused with one clear line, and nothing is written."""

from __future__ import annotations

import zipfile

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.errors import ImportRefused, QualcodeError
from qualcode.refi import safety
from qualcode.refi.apply import Applier
from qualcode.refi.export import export_project
from tests.refi.importing import import_url
from tests.refi.state import project_state
from tests.refi.synthetic import C1, U1, project_xml, text_source, write_flood, write_qdpx

XXE = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE CodeBook [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="%s" name="&e;" isCodable="true"/></Codes></CodeBook>""" % C1


def _refused(tmp_path, path, match):
    target = tmp_path / "new.db"
    with pytest.raises(ImportRefused, match=match) as caught:
        import_url(path, f"sqlite:///{target}")
    assert "\n" not in str(caught.value)
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".new.db")]  # no partial project left
    return caught.value


def test_external_entities_are_refused(tmp_path):
    _refused(tmp_path, write_qdpx(tmp_path / "xxe.qdpx", XXE), "DOCTYPE")


def test_entity_expansion_is_refused(tmp_path):
    qdc = tmp_path / "laughs.qdc"
    qdc.write_text(LAUGHS)
    _refused(tmp_path, qdc, "DOCTYPE")


def test_a_doctype_hidden_behind_a_long_comment_is_still_refused(tmp_path):
    padded = XXE.replace("<!DOCTYPE", "<!--" + "x" * 100_000 + "-->\n<!DOCTYPE", 1)
    _refused(tmp_path, write_qdpx(tmp_path / "xxe.qdpx", padded), "DOCTYPE")
    in_text = padded.replace(' name="&secret;"/>', ' name="x"><Description>&secret;</Description></Project>')
    _refused(tmp_path, write_qdpx(tmp_path / "xxe2.qdpx", in_text), "DOCTYPE")


@pytest.mark.parametrize("member", ["../evil.txt", "/etc/cron.d/evil", "sources/../../evil.txt", "C:/evil.txt", "a\\..\\evil.txt"])
def test_zip_slip_member_names_are_refused(tmp_path, member):
    qdpx = write_qdpx(tmp_path / "slip.qdpx", project_xml(), {member: b"boom"})
    _refused(tmp_path, qdpx, "unsafe member name")


def test_zip_bomb_by_compression_ratio_is_refused(tmp_path):
    qdpx = write_qdpx(tmp_path / "bomb.qdpx", project_xml(), {"sources/zeros.txt": b"\0" * (20 * 1024 * 1024)})
    assert zipfile.ZipFile(qdpx).getinfo("sources/zeros.txt").compress_size < 100_000
    _refused(tmp_path, qdpx, "zip bomb")


def test_total_uncompressed_size_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_TOTAL_BYTES", 1000)
    qdpx = write_qdpx(tmp_path / "big.qdpx", project_xml(), {f"sources/{i}.txt": bytes(range(256)) * 2 for i in range(4)})
    _refused(tmp_path, qdpx, "uncompressed exceeds")


def test_a_member_that_inflates_past_its_declared_size_is_refused(tmp_path):
    qdpx = write_qdpx(tmp_path / "liar.qdpx", project_xml(text_source("internal://t.txt", [])), {"sources/t.txt": b"a" * 5000})
    data = bytearray(qdpx.read_bytes())
    # Declare 10 bytes in both the local header and the central directory; the data still inflates to 5000.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(signature, at)) != -1:
            name_len = int.from_bytes(data[at + (26 if signature == b"PK\x03\x04" else 28): at + (28 if signature == b"PK\x03\x04" else 30)], "little")
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + name_len] == b"sources/t.txt":
                data[at + offset : at + offset + 4] = (10).to_bytes(4, "little")
            at += 4
    qdpx.write_bytes(bytes(data))
    _refused(tmp_path, qdpx, "t.txt")


def test_a_flood_of_members_is_refused(tmp_path):
    path = write_flood(tmp_path / "flood.qdpx", project_xml(), 100_000)
    assert len(zipfile.ZipFile(path).namelist()) == 100_001  # a real, readable archive
    _refused(tmp_path, path, "100,001 archive members exceed the limit")


def test_paths_outside_the_archive_are_never_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("private words")
    xml = project_xml(text_source(f"absolute://{secret}", []) + text_source("internal://../secret.txt", []).replace("5555-5555-4555", "5555-5555-4556"))
    report = import_url(write_qdpx(tmp_path / "out.qdpx", xml), f"sqlite:///{tmp_path / 'p.db'}")
    assert report.documents_added == 0
    assert any("outside the archive" in w for w in report.warnings)
    assert any("not in the archive" in w for w in report.warnings)


def test_not_a_refi_file_is_refused_in_one_line(tmp_path):
    bad = tmp_path / "notes.qdpx"
    bad.write_bytes(b"PK\x03\x04 broken")
    _refused(tmp_path, bad, "not a readable")
    other = write_qdpx(tmp_path / "other.qdpx", "<html/>")
    _refused(tmp_path, other, "not a REFI-QDA")
    empty = tmp_path / "empty.qdpx"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "hi")
    _refused(tmp_path, empty, "no project.qde")


def test_a_failure_half_way_rolls_the_merge_back(tmp_path, small_project, monkeypatch):
    qdpx = write_qdpx(tmp_path / "x.qdpx", project_xml(text_source("internal://t.txt", [(0, 4, C1, U1)])),
                      {"sources/t.txt": b"Ines talks."})
    before = project_state(small_project)

    def broken_sets(self):
        raise QualcodeError("disk full while writing sets")

    monkeypatch.setattr(Applier, "_sets", broken_sets)
    with pytest.raises(QualcodeError, match="disk full"):
        import_url(qdpx, small_project.url, merge=True)
    assert project_state(small_project) == before
    with pytest.raises(QualcodeError, match="disk full"):
        import_url(qdpx, f"sqlite:///{tmp_path / 'fresh.db'}")
    assert not (tmp_path / "fresh.db").exists()
    assert not [p for p in tmp_path.iterdir() if ".importing" in p.name]


def test_cli_import_prints_counts_and_errors_in_one_line(tmp_path, small_project):
    qdpx = export_project(small_project, tmp_path / "x.qdpx")
    runner = CliRunner()
    result = runner.invoke(app, ["--project", str(tmp_path / "new.db"), "refi", "import", str(qdpx), "--json"])
    assert result.exit_code == 0, result.output
    assert '"codings_added": 5' in result.output
    result = runner.invoke(app, ["--project", str(tmp_path / "new.db"), "refi", "import", str(qdpx)])
    assert result.exit_code == 1 and "--merge" in result.output
    result = runner.invoke(app, ["--project", str(tmp_path / "new.db"), "refi", "import", str(qdpx), "--merge"])
    assert result.exit_code == 0 and "0 code(s) added" in result.output
    bad = write_qdpx(tmp_path / "xxe.qdpx", XXE)
    result = runner.invoke(app, ["--project", str(tmp_path / "b.db"), "refi", "import", str(bad)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "DOCTYPE" in result.output
    assert not (tmp_path / "b.db").exists()


def _patch_sizes(data: bytearray, member: bytes, size: int, crc: int | None = None) -> bytearray:
    """Rewrite a member's declared size (and CRC) in both its local header and the central directory."""
    for signature, size_at, crc_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 14, 26, 30), (b"PK\x01\x02", 24, 16, 28, 46)):
        at = 0
        while (at := data.find(signature, at)) != -1:
            name_len = int.from_bytes(data[at + name_len_at : at + name_len_at + 2], "little")
            if data[at + name_at : at + name_at + name_len] == member:
                data[at + size_at : at + size_at + 4] = size.to_bytes(4, "little")
                if crc is not None:
                    data[at + crc_at : at + crc_at + 4] = crc.to_bytes(4, "little")
            at += 4
    return data


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_a_header_that_understates_a_member_is_refused_not_cut_short(tmp_path, method):
    from tests.refi.synthetic import zlib_crc

    text = b"Ines talks about the nurses and the night shift. " * 40
    qdpx = tmp_path / "short.qdpx"
    with zipfile.ZipFile(qdpx, "w", method) as archive:
        archive.writestr("project.qde", project_xml(text_source("internal://t.txt", [(0, 4, C1, U1)])))
        archive.writestr("sources/t.txt", text)
    # A CRC that matches the first 100 bytes: zipfile alone would hand over that prefix without complaint.
    qdpx.write_bytes(bytes(_patch_sizes(bytearray(qdpx.read_bytes()), b"sources/t.txt", 100, zlib_crc(text[:100]))))
    error = _refused(tmp_path, qdpx, "holds more data than its header declares")
    assert "t.txt" in str(error)


def test_two_members_with_one_name_are_refused(tmp_path):
    import warnings

    qdpx = write_qdpx(tmp_path / "twice.qdpx", project_xml(text_source("internal://t.txt", [(0, 4, C1, U1)])), {"sources/t.txt": b"Ines talks."})
    with warnings.catch_warnings(), zipfile.ZipFile(qdpx, "a") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate it is asked to write
        archive.writestr("sources/t.txt", b"Someone else talks.")
    error = _refused(tmp_path, qdpx, "two members named sources/t.txt")
    assert "unclear which one" in str(error)


def test_an_encrypted_member_is_refused_in_a_plain_sentence(tmp_path):
    qdpx = write_qdpx(tmp_path / "locked.qdpx", project_xml(text_source("internal://t.txt", [(0, 4, C1, U1)])), {"sources/t.txt": b"Ines talks."})
    data = bytearray(qdpx.read_bytes())
    for signature, flag_at, name_len_at, name_at in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        at = 0
        while (at := data.find(signature, at)) != -1:
            name_len = int.from_bytes(data[at + name_len_at : at + name_len_at + 2], "little")
            if data[at + name_at : at + name_at + name_len] == b"sources/t.txt":
                data[at + flag_at] |= 0x1  # the "encrypted" bit
            at += 4
    qdpx.write_bytes(bytes(data))
    error = str(_refused(tmp_path, qdpx, "is encrypted"))
    assert "ZipInfo" not in error and "<" not in error


def test_deep_nesting_is_refused_without_parser_jargon(tmp_path):
    deep = '<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0">' + "<a>" * 300 + "</a>" * 300 + "</Project>"
    error = str(_refused(tmp_path, write_qdpx(tmp_path / "deep.qdpx", deep), "nested far deeper"))
    assert "XML_PARSE_HUGE" not in error
