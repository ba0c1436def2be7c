"""Damaged REFI-QDA files either import or fail with a QualcodeError: never a traceback."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.errors import QualcodeError
from qualcode.refi.export import export_project
from tests.refi.importing import import_url
from qualcode.store import Database
from tests.refi.conftest import build_small_project

JUNK = st.text(alphabet='<>/="& abc-{}#\n0123456789\x00é😀', max_size=12)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    db = Database(f"sqlite:///{folder / 'p.db'}", create=True)
    build_small_project(db)
    path = export_project(db, folder / "x.qdpx")
    db.dispose()
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_archives_import_or_fail_cleanly(exported, data):
    xml = exported["project.qde"].decode("utf-8")
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(xml)))
        cut = data.draw(st.integers(0, 30))
        xml = xml[:at] + data.draw(JUNK) + xml[at + cut :]
    members = dict(exported, **{"project.qde": xml.encode("utf-8")})
    if data.draw(st.booleans()):
        name = data.draw(st.sampled_from(sorted(n for n in members if n.startswith("sources/"))))
        members[name] = data.draw(st.binary(max_size=40))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.qdpx"
        with zipfile.ZipFile(path, "w") as archive:
            for name, content in members.items():
                archive.writestr(name, content)
        target = Path(folder) / "p.db"
        try:
            import_url(path, f"sqlite:///{target}")
        except QualcodeError as exc:
            assert "\n" not in str(exc)
            assert not target.exists()
        else:
            assert target.exists()
