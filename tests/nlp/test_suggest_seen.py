"""What training sees: coded, read-through, between-codings and dismissed segments; the half-coded protocol; top N."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.coding import CodingService
from qualcode.domain import Coding, Provenance, Segment, SegmentKind
from qualcode.nlp.suggest import feedback, seen
from qualcode.nlp.suggest.corpus import load_corpus
from qualcode.nlp.suggest.evaluate import half_coded, half_splits
from qualcode.store import codes as code_repo
from qualcode.store import coders as coder_repo
from qualcode.store import documents as doc_repo

from tests.nlp.conftest import add_document


def _segments(doc: int, n: int) -> list[Segment]:
    return [Segment(id=i, document_id=doc, index=i, start=10 * i, end=10 * i + 8, kind=SegmentKind.PARAGRAPH)
            for i in range(n)]


def _coding(doc: int, seg: int, provenance: Provenance, coder: int = 1, code: int = 7) -> Coding:
    return Coding(id=seg, document_id=doc, start=10 * seg, end=10 * seg + 8, code_id=code, coder_id=coder,
                  created=datetime.now(UTC), provenance=provenance)


@given(st.integers(6, 30), st.data())
@settings(max_examples=40, deadline=None)
def test_manual_codings_see_the_gap_between_them_imports_do_not(n, data):
    first = data.draw(st.integers(0, n - 2))
    last = data.draw(st.integers(first + 1, n - 1))
    segments = _segments(1, n)
    labels = {(1, first): {7}, (1, last): {7}}
    manual = seen.seen_segments(segments, [_coding(1, first, Provenance.MANUAL), _coding(1, last, Provenance.MANUAL)], labels)
    imported = seen.seen_segments(segments, [_coding(1, first, Provenance.IMPORT), _coding(1, last, Provenance.IMPORT)], labels)
    assert manual == {(1, i) for i in range(first, last + 1)}
    assert imported == {(1, first), (1, last)}
    # Marked coded: every segment; a dismissal: the segment it covers.
    assert seen.seen_segments(segments, [], {}, marked={1}) == {(1, i) for i in range(n)}
    assert seen.seen_segments(segments, [], {}, dismissed=[(1, 10 * last, 10 * last + 3)]) == {(1, last)}


def test_a_partly_coded_document_trains_on_what_was_seen(tmp_path):
    from qualcode.store import Database

    db = Database(f"sqlite:///{tmp_path / 'p.db'}", create=True)
    with db.transaction() as session:
        code_repo.add(session, "topics")
        code_repo.add(session, "funding", parent="topics", fields={"description": "money for the project"})
        code_repo.add(session, "staff", parent="topics", fields={"description": "people who work there"})
    doc = add_document(db, "interview", [f"paragraph number {i} about things" for i in range(10)])
    with db.reading() as session:
        segs = doc_repo.segments(session, doc)
    service = CodingService(db, "ana")
    service.apply(doc, segs[2].start, segs[2].end, "topics/funding")
    service.apply(doc, segs[5].start, segs[5].end, "topics/staff")
    with db.reading() as session:
        corpus = load_corpus(session)
    assert [e.segment_index for e in corpus.labelled] == [2, 3, 4, 5]  # between the codings: read, not coded
    assert [e.segment_index for e in corpus.unlabelled] == [0, 1, 6, 7, 8, 9]
    with db.transaction() as session:
        who = coder_repo.get_or_add(session, "ana")
        funding = code_repo.resolve(session, "topics/funding")
        feedback.record(session, feedback.Feedback(doc, segs[8].start, segs[8].end, funding.id, who.id, "dismissed"))
    with db.reading() as session:
        assert [e.segment_index for e in load_corpus(session).labelled] == [2, 3, 4, 5, 8]
    with db.transaction() as session:
        seen.mark_coded(session, "ana", [doc])
    with db.reading() as session:
        corpus = load_corpus(session)
        assert len(corpus.labelled) == 10 and not corpus.unlabelled
        assert load_corpus(session, "ana").seen == corpus.seen
    with db.transaction() as session:
        seen.mark_coded(session, "ana", [doc], done=False)
        assert seen.coded_documents(session) == {}
    db.dispose()


def test_half_coded_splits_each_document_and_never_trains_on_the_test_half(fixture_project):
    db, info = fixture_project
    with db.reading() as session:
        corpus = load_corpus(session)
    splits = half_splits(corpus, repeats=3, seed=1)
    coded_doc = [e for e in corpus.segments if e.document_id == info["coded"]]
    for train, test in splits:
        assert not {id(e) for e in train} & {id(e) for e in test}
        assert len(train) == len(coded_doc) // 2 and all(e.codes for e in test)
    assert [id(e) for e in splits[0][0]] != [id(e) for e in splits[1][0]]
    report = half_coded(corpus, repeats=2)
    assert report.protocol == "half-coded"
    assert report.coded_units == sum(len(t) for _, t in half_splits(corpus, repeats=2))
    assert report.precision_at_1 > 0.3  # 16 codes: chance is about 0.06


def test_top_n_is_always_n_with_confidences(fixture_project):
    from qualcode.nlp.suggest.service import ProjectSuggester

    db, _info = fixture_project
    suggester = ProjectSuggester(db).load()
    n = len(suggester.corpus.codes)
    for text in ("", "zzzz qqqq", "we could not get funding for the hall"):
        ranked = suggester.suggest(text, top_k=n)
        assert len(ranked) == n and len({s.code_id for s in ranked}) == n
        assert [s.confidence for s in ranked] == sorted((s.confidence for s in ranked), reverse=True)
