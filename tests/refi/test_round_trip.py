"""qualcode -> .qdpx -> qualcode keeps documents, codes, codings, coders, participants, attributes, memos."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.coding import CodingService
from qualcode.domain import DocumentKind, MemoTarget
from qualcode.importers.base import ParsedParticipant
from qualcode.store import memos as memo_repo
from qualcode.store import sets as set_repo
from qualcode.refi.export import export_codebook, export_project
from tests.refi.importing import import_url
from qualcode.store import Database, codes, coders, documents, participants
from tests.refi.conftest import REFI_TOOLS, build_small_project, paragraphs_document, run_validator
from tests.refi.state import project_state

WORDS = st.text(alphabet="abcdefghij klmnoé😀,.'", min_size=1, max_size=12).map(str.strip).filter(bool)
TEXT = st.text(alphabet="abcdef ghéñ😀\n\t.,'\"<>&", min_size=1, max_size=120).filter(lambda t: t.strip())
NOTE = st.text(alphabet="abc é😀\n<>&;", max_size=40)


def _round_trip(db, folder: Path) -> Path:
    out = export_project(db, folder / "x.qdpx")
    target = folder / "back.db"
    import_url(out, f"sqlite:///{target}")
    return target


def test_round_trip_of_the_small_project(small_project, tmp_path):
    target = _round_trip(small_project, tmp_path)
    back = Database(f"sqlite:///{target}")
    before, after = project_state(small_project), project_state(back)
    assert before["codings"] and before["memos"] and before["sets"] and before["participants"]
    assert after == before
    # And the second export of the imported project is the same archive, byte for byte, minus nothing.
    again = export_project(back, tmp_path / "again.qdpx")
    first_xml = _qde(tmp_path / "x.qdpx")
    assert _qde(again) == first_xml
    back.dispose()


def _qde(path):
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


def test_codebook_round_trip_through_qdc(small_project, tmp_path):
    qdc = export_codebook(small_project, tmp_path / "c.qdc")
    import_url(qdc, f"sqlite:///{tmp_path / 'c.db'}")
    back = Database(f"sqlite:///{tmp_path / 'c.db'}")
    assert project_state(back)["codes"] == project_state(small_project)["codes"]
    back.dispose()


@st.composite
def small_projects(draw):
    """A recipe for a random small project: documents, a code tree, coders, cases, codings, memos."""
    n_docs = draw(st.integers(1, 3))
    texts = [draw(TEXT) for _ in range(n_docs)]
    kinds = [draw(st.sampled_from(list(DocumentKind))) for _ in range(n_docs)]
    code_specs = []
    for i in range(draw(st.integers(1, 4))):
        parent = draw(st.one_of(st.none(), st.integers(0, i - 1))) if i else None
        code_specs.append((f"{draw(WORDS)} {i}", parent, draw(NOTE), draw(st.one_of(st.none(), st.sampled_from(["#A1B2C3", "#00FF00"])))))
    coder_names = draw(st.lists(st.sampled_from(["alex", "sam", "Zoë"]), min_size=1, max_size=2, unique=True))
    people = draw(st.lists(st.tuples(st.sampled_from(["P01", "P02", "ID:729"]), st.one_of(st.none(), WORDS),
                                     st.dictionaries(st.sampled_from(["region", "setting", "stage"]), WORDS, max_size=2)),
                           max_size=2, unique_by=lambda p: p[0]))
    codings = []
    for _ in range(draw(st.integers(0, 6))):
        doc = draw(st.integers(0, n_docs - 1))
        start = draw(st.integers(0, len(texts[doc]) - 1))
        end = draw(st.integers(start + 1, len(texts[doc])))
        codings.append((doc, start, end, draw(st.integers(0, len(code_specs) - 1)), draw(st.sampled_from(coder_names)),
                        draw(st.one_of(st.none(), NOTE.filter(bool)))))
    memos = draw(st.lists(st.tuples(st.sampled_from(["project", "document", "code", "coding"]), st.integers(0, 5), NOTE,
                                    st.one_of(st.none(), WORDS)), max_size=3))
    return texts, kinds, code_specs, coder_names, people, codings, memos


def _build(db, recipe) -> None:
    texts, kinds, code_specs, coder_names, people, coding_specs, memo_specs = recipe
    with db.transaction() as s:
        person_ids = [participants.upsert(s, ParsedParticipant(label=l, role=r, attributes=a)) for l, r, a in people]
        for i, text in enumerate(texts):
            parsed = paragraphs_document(f"doc {i}", text, kinds[i], date="2025-01-0%d" % (i + 1) if i % 2 else None)
            links = [person_ids[j % len(person_ids)] if person_ids else None for j in range(len(parsed.segments))]
            documents.add_parsed(s, parsed, links)
        made = []
        for name, parent, description, colour in code_specs:
            fields = {"description": description, "colour": colour, "keywords": [name.split()[0]]}
            made.append(codes.add(s, name, parent=made[parent].guid if parent is not None else None, fields=fields))
        for name in coder_names:
            coders.add(s, name)
    applied = []
    for doc, start, end, code, coder, memo in coding_specs:
        applied.append(CodingService(db, coder).apply(f"doc {doc}", start, end, made[code].path, memo=memo))
    with db.transaction() as s:
        docs = documents.list_all(s)
        for k, (target, pick, text, title) in enumerate(memo_specs):
            pool = {"project": [None], "document": [d.id for d in docs], "code": [c.id for c in made],
                    "coding": [c.id for c in applied]}[target]
            if not pool:
                continue
            memo_repo.add(s, target=MemoTarget(target), target_id=pool[pick % len(pool)], text=text, title=title,
                          coder_id=None, created=None, guid=f"00000000-0000-4000-8000-{k:012d}", coder=None)
        set_repo.add(s, guid="00000000-0000-4000-9000-000000000001", name="all documents", description="",
                     members=[("document", d.id) for d in docs])


@settings(max_examples=20)
@given(small_projects())
def test_random_small_projects_export_valid_and_survive_the_round_trip(recipe):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        db = Database(f"sqlite:///{folder / 'p.db'}", create=True)
        try:
            _build(db, recipe)
            target = _round_trip(db, folder)
            assert export_project(db, folder / "y.qdpx").read_bytes() == (folder / "x.qdpx").read_bytes()
            result = run_validator(REFI_TOOLS, folder / "x.qdpx")
            assert result.returncode == 0, result.stdout
            back = Database(f"sqlite:///{target}")
            try:
                assert project_state(back) == project_state(db)
            finally:
                back.dispose()
        finally:
            db.dispose()


def test_import_into_each_backend_then_merge_again(backend_url, tmp_path):
    # backend_url's SQLite file is tmp_path/project.db, so the source project lives elsewhere.
    (tmp_path / "source").mkdir()
    small_project = Database(f"sqlite:///{tmp_path / 'source' / 'p.db'}", create=True)
    build_small_project(small_project)
    qdpx = export_project(small_project, tmp_path / "source" / "x.qdpx")
    report = import_url(qdpx, backend_url)
    assert report.codings_added == 5
    back = Database(backend_url)
    try:
        assert project_state(back) == project_state(small_project)
        again = import_url(qdpx, backend_url, merge=True)
        assert (again.codes_added, again.documents_added, again.codings_added, again.memos_added) == (0, 0, 0, 0)
        assert project_state(back) == project_state(small_project)
    finally:
        back.dispose()
        small_project.dispose()
