"""The codebooks shipped in codebooks/: they load, hold every required code, and import into a real project."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from qualcode.codebook.loader import load_codebook
from qualcode.codebook.operations import import_spec
from qualcode.codebook.writer import dump_codebook
from qualcode.domain import Valence
from qualcode.store import codes as code_repo
from qualcode.store.engine import Database

CODEBOOKS = Path(__file__).resolve().parents[2] / "codebooks"
AMBITIONS = CODEBOOKS / "ambitions-framework.yaml"
STARTER = CODEBOOKS / "generic-starter.yaml"

# Demo codings and reports name these exact paths.
REQUIRED_PATHS = """
stage/understand stage/interpret stage/implement
community/public community/site community/characteristics community/belonging community/external
community/belonging-to
barriers/awareness barriers/leadership barriers/agency barriers/unclear-role barriers/engaging-stakeholders
barriers/resources barriers/measuring-progress barriers/staff-turnover barriers/document-length
barriers/someone-elses-responsibility barriers/engagement-as-fundraising barriers/one-person-directory
barriers/bureaucracy barriers/unclear-shared-goals barriers/relationships-take-time
facilitators/recognising-progress facilitators/dedicated-time-resources facilitators/sharing-learning
facilitators/sharing-examples facilitators/strategic-involvement facilitators/embedding
facilitators/local-champions facilitators/spaces-to-meet facilitators/networking-funding
facilitators/volunteer-services facilitators/valuing-community-expertise facilitators/listening facilitators/trust
ambitions/a1-individual ambitions/a2-fair-access ambitions/a3-comfort-wellbeing ambitions/a4-coordinated
ambitions/a5-staff-prepared ambitions/a6-community-prepared
foundations/personalised-care-planning foundations/shared-records foundations/evidence-information
foundations/those-important foundations/education-training foundations/24-7-access foundations/co-design
foundations/leadership foundations/collaboration foundations/sharing-learning
operationalisation/strategic operationalisation/ambition-statements operationalisation/complement-values
""".split()


@functools.cache
def _ambitions():
    return load_codebook(AMBITIONS)


def _leaves(spec):
    return {path: code for path, code in spec.walk() if not code.children}


def test_ambitions_codebook_has_exactly_the_required_leaf_codes():
    spec = load_codebook(AMBITIONS)
    assert spec.name == "Ambitions framework"
    assert sorted(_leaves(spec)) == sorted(REQUIRED_PATHS)
    assert {code.name for code in spec.codes} == {path.split("/")[0] for path in REQUIRED_PATHS}


@pytest.mark.parametrize("path", REQUIRED_PATHS)
def test_every_required_code_is_fully_documented(path):
    code = _leaves(_ambitions())[path]
    for field in ("description", "inclusion", "exclusion"):
        assert len(getattr(code, field).split()) >= 5, f"{path}: {field} is too thin"
    assert 1 <= len(code.examples) <= 3
    assert 5 <= len(code.keywords) <= 15
    assert len({k.lower() for k in code.keywords}) == len(code.keywords), f"{path}: repeated keyword"
    assert re.fullmatch(r"#[0-9a-f]{6}", code.colour)
    family = path.split("/")[0]
    expected = {"barriers": Valence.BARRIER, "facilitators": Valence.FACILITATOR}.get(family, Valence.NONE)
    assert code.valence == expected


def test_codes_point_at_codes_that_exist():
    """Exclusions send the coder elsewhere by path ("use stage/interpret"); those paths must be real."""
    spec = load_codebook(AMBITIONS)
    paths = {path for path, _ in spec.walk()}
    families = {code.name for code in spec.codes}
    referenced = set()
    for _, code in spec.walk():
        for text in (code.inclusion, code.exclusion, code.description):
            referenced |= {m for m in re.findall(r"\b([a-z0-9-]+/[a-z0-9-]+)\b", text) if m.split("/")[0] in families}
    assert referenced, "the definitions should cross-reference neighbouring codes"
    assert referenced <= paths, referenced - paths


@pytest.mark.parametrize("file", [AMBITIONS, STARTER])
def test_guids_are_present_and_unique_and_families_share_a_hue(file):
    spec = load_codebook(file)
    guids = [code.guid for _, code in spec.walk()]
    assert all(guids) and len(set(guids)) == len(guids)
    for family in spec.codes:
        base = _hue(family.colour)
        for child in family.children:
            drift = abs(_hue(child.colour) - base) % 360
            assert min(drift, 360 - drift) <= 3, f"{family.name}/{child.name}: colour drifts off the family hue"


def _hue(colour: str) -> int:
    import colorsys

    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return round(colorsys.rgb_to_hls(r, g, b)[0] * 360)


def test_generic_starter_is_small_and_has_valenced_barriers_and_facilitators():
    spec = load_codebook(STARTER)
    codes = dict(spec.walk())
    assert 10 <= len(codes) <= 15
    assert {c.valence for p, c in codes.items() if p.startswith("barriers/")} == {Valence.BARRIER}
    assert {c.valence for p, c in codes.items() if p.startswith("facilitators/")} == {Valence.FACILITATOR}
    assert all(c.description for c in codes.values())


@pytest.mark.parametrize("file", [AMBITIONS, STARTER])
def test_shipped_files_are_in_the_writers_canonical_form(file):
    """Hand edits stay consistent with what `dump_codebook` writes, so rewriting a file changes nothing."""
    text = file.read_text(encoding="utf-8")
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))
    assert dump_codebook(load_codebook(file)) == body


def test_ambitions_codebook_imports_into_a_project(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'project.db'}", create=True)
    try:
        spec = load_codebook(AMBITIONS)
        with db.transaction() as session:
            first = import_spec(session, spec)
        with db.transaction() as session:
            again = import_spec(session, spec)
        with db.reading() as session:
            stored = {c.path: c for c in code_repo.list_all(session)}
    finally:
        db.dispose()
    assert first.added == len(list(spec.walk())) and again.added == 0
    assert set(REQUIRED_PATHS) <= set(stored)
    awareness = stored["barriers/awareness"]
    source = _leaves(spec)["barriers/awareness"]
    assert awareness.guid == source.guid and list(awareness.keywords) == source.keywords
    assert awareness.valence == Valence.BARRIER
