"""Store round trips on SQLite and PostgreSQL: documents, codes, codings, audit, search, schema."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from qualcode.coding import CodingService
from qualcode.domain import Provenance, Valence
from qualcode.errors import Ambiguous, Conflict, InvalidInput, NotFound
from qualcode.store import Database, audit, meta
from qualcode.store import codes as code_repo
from qualcode.store import codings as coding_repo
from qualcode.store import documents as doc_repo
from qualcode.store.search import search

TURNS = [
    ("Interviewer", "How do you use the framework?"),
    ("P03", "We put the ambitions on every board agenda at Harrowfield Hospice."),
    ("P03", "Honestly the community champions made the difference — and volunteers."),
]


@pytest.fixture
def add_doc(parsed_transcript):
    def add(db, title="interview-01", turns=TURNS):
        with db.transaction() as s:
            return doc_repo.add_parsed(s, parsed_transcript(title, turns), [None] * len(turns))

    return add


def test_document_round_trip_keeps_text_offsets_and_speakers(db, add_doc):
    doc_id = add_doc(db)
    with db.reading() as s:
        doc = doc_repo.resolve(s, "interview-01")
        segs = doc_repo.segments(s, doc_id)
    assert doc.id == doc_id
    assert [doc.text[g.start:g.end] for g in segs] == [w for _, w in TURNS]
    assert [g.speaker for g in segs] == ["Interviewer", "P03", "P03"]
    assert "—" in doc.text  # code points survive both backends


def test_document_lookup_by_id_title_prefix_and_errors(db, add_doc):
    add_doc(db, "interview-01")
    add_doc(db, "interview-02")
    with db.reading() as s:
        assert doc_repo.resolve(s, "INTERVIEW-01").title == "interview-01"
        assert doc_repo.resolve(s, str(doc_repo.resolve(s, "interview-02").id)).title == "interview-02"
        with pytest.raises(Ambiguous):
            doc_repo.resolve(s, "interview")
        with pytest.raises(NotFound):
            doc_repo.resolve(s, "focus-group")


def test_code_tree_operations_follow_codings(db, add_doc):
    doc_id = add_doc(db)
    with db.transaction() as s:
        code_repo.add(s, "barriers")
        code_repo.add(s, "time", parent="barriers", fields={"valence": "barrier", "keywords": ["no time"]})
        code_repo.add(s, "resources", parent="barriers", fields={"valence": "barrier"})
    service = CodingService(db, "alex")
    first = service.apply(doc_id, 5, 20, "barriers/time")
    service.apply(doc_id, 5, 20, "barriers/resources")
    with db.transaction() as s:
        renamed = code_repo.rename(s, "barriers/time", "time pressure")
        assert renamed.path == "barriers/time pressure"
        assert code_repo.resolve(s, "time pressure").valence == Valence.BARRIER
        kept, moved = code_repo.merge(s, "barriers/time pressure", "barriers/resources")
        assert moved == 1 and kept.path == "barriers/resources"
    with db.reading() as s:
        remaining = coding_repo.query(s)
        # Both codings were the same span and coder: the merge collapses them into one.
        assert len(remaining) == 1 and remaining[0].code_id == kept.id
        assert first.id in {c.id for c in remaining} or len(remaining) == 1
        with pytest.raises(NotFound):
            code_repo.resolve(s, "time pressure")


def test_code_move_refuses_cycles_and_duplicate_siblings(db):
    with db.transaction() as s:
        code_repo.add(s, "community")
        code_repo.add(s, "site", parent="community")
        with pytest.raises(Conflict):
            code_repo.move(s, "community", "community/site")
        with pytest.raises(Conflict):
            code_repo.add(s, "Site", parent="community")
        with pytest.raises(InvalidInput):
            code_repo.add(s, "a/b")


def test_delete_code_with_codings_needs_force(db, add_doc):
    doc_id = add_doc(db)
    with db.transaction() as s:
        code_repo.add(s, "misc")
    CodingService(db, "alex").apply(doc_id, 0, 10, "misc")
    with pytest.raises(Conflict), db.transaction() as s:
        code_repo.delete(s, "misc")
    with db.transaction() as s:
        code, count = code_repo.delete(s, "misc", force=True)
    assert count == 1
    with db.reading() as s:
        assert coding_repo.query(s) == []


def test_coding_records_provenance_coder_time_and_codebook_version(db, add_doc):
    doc_id = add_doc(db)
    with db.transaction() as s:
        code_repo.add(s, "site")
        version = meta.codebook_version(s)
    coding = CodingService(db, "sam").apply(doc_id, 3, 30, "site", provenance=Provenance.SUGGESTION, memo="why")
    assert coding.provenance == Provenance.SUGGESTION
    assert coding.codebook_version == version
    assert coding.created is not None and coding.memo == "why"
    with db.reading() as s:
        assert coding_repo.coder_names(s)[coding.coder_id] == "sam"


def test_coding_outside_the_text_is_refused_and_nothing_written(db, add_doc):
    doc_id = add_doc(db)
    with db.transaction() as s:
        code_repo.add(s, "site")
    service = CodingService(db, "alex")
    for start, end in [(-1, 4), (5, 5), (10, 10_000)]:
        with pytest.raises(InvalidInput):
            service.apply(doc_id, start, end, "site")
    with db.reading() as s:
        assert coding_repo.query(s) == []


def test_undo_redo_survives_a_restart(db, backend_url, add_doc):
    doc_id = add_doc(db)
    with db.transaction() as s:
        code_repo.add(s, "site")
    service = CodingService(db, "alex")
    one = service.apply(doc_id, 0, 10, "site")
    service.adjust(one.id, 2, 12)
    db.dispose()
    reopened = Database(backend_url)
    service = CodingService(reopened, "alex")
    assert service.undo().action == "update"
    with reopened.reading() as s:
        (row,) = coding_repo.query(s)
        assert (row.start, row.end) == (0, 10)
    assert service.undo().action == "add"
    with reopened.reading() as s:
        assert coding_repo.query(s) == []
    assert service.redo().action == "add"
    assert service.redo().action == "update"
    assert service.redo() is None
    with reopened.reading() as s:
        (row,) = coding_repo.query(s)
        assert (row.id, row.start, row.end) == (one.id, 2, 12)
    reopened.dispose()


def test_a_coder_cannot_change_another_coders_coding(db, add_doc):
    doc_id = add_doc(db)
    with db.transaction() as s:
        code_repo.add(s, "site")
    mine = CodingService(db, "alex").apply(doc_id, 0, 10, "site")
    with pytest.raises(Conflict):
        CodingService(db, "sam").remove(mine.id)


def test_audit_log_is_append_only(db, add_doc):
    add_doc(db)
    with pytest.raises(Exception) as info, db.transaction() as s:
        s.execute(text("UPDATE audit_log SET action = 'x'"))
    assert "append-only" in str(info.value)
    with pytest.raises(Exception), db.transaction() as s:
        s.execute(text("DELETE FROM audit_log"))
    with db.reading() as s:
        assert [e.action for e in audit.entries(s)] == ["import"]


def test_search_finds_words_and_spelling_variants(db, add_doc):
    add_doc(db)
    add_doc(db, "interview-02", [("P05", "Our volunteer service in Oakhurst is wonderful.")])
    with db.reading() as s:
        hits = search(s, "board agenda")
        assert [h.title for h in hits] == ["interview-01"]
        doc = doc_repo.resolve(s, "interview-01")
        assert doc.text[hits[0].start:hits[0].end].lower() == "board"
        fuzzy = search(s, "voluntiers", fuzzy=True)
        assert {h.title for h in fuzzy} >= {"interview-01"}
        assert search(s, "voluntiers") == []
        assert search(s, 'AND OR "NEAR(') == []  # query syntax never leaks into FTS5
    with db.reading() as s, pytest.raises(InvalidInput):
        search(s, "  ?? ")


def test_new_sqlite_project_has_wal_and_foreign_keys(sqlite_db):
    with sqlite_db.reading() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
