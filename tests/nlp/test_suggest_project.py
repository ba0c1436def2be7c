"""The live project suggester on a real SQLite project: accept, dismiss, background retraining, autocode, similar."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qualcode.coding import CodingService
from qualcode.domain import Provenance
from qualcode.errors import Conflict, InvalidInput, NotFound
from qualcode.nlp.suggest import feedback
from qualcode.nlp.suggest.autocode import autocode, review
from qualcode.nlp.suggest.service import ProjectSuggester
from qualcode.nlp.suggest.similar import SimilarityIndex
from qualcode.store import codes as code_repo
from qualcode.store import codings as coding_repo
from qualcode.store import documents as doc_repo
from qualcode.store.orm import AuditRow


@pytest.fixture
def project(tmp_path):
    from qualcode.store import Database

    from tests.nlp.conftest import build_fixture_project

    db = Database(f"sqlite:///{tmp_path / 'p.db'}", create=True)
    info = build_fixture_project(db)
    yield db, info
    db.dispose()


def _code_id(db, path):
    with db.reading() as session:
        return code_repo.resolve(session, path).id


def test_trains_on_open_from_coded_segments_only(fixture_project):
    db, info = fixture_project
    suggester = ProjectSuggester(db).load()
    corpus = suggester.corpus
    assert corpus.coded_documents == {info["coded"]}
    assert suggester.trained_on == len(info["coded_items"])
    assert all(c.path != "stage" for c in corpus.codes)  # unused parents would compete with their children
    assert suggester.ranker.components["learned"][0].trained
    assert suggester.notice == ""  # the installed model: nothing degraded


def test_for_segment_ranks_the_gold_code_high_for_uncoded_text(fixture_project):
    db, info = fixture_project
    suggester = ProjectSuggester(db).load()
    hits = 0
    for i, item in enumerate(info["uncoded_items"]):
        result = suggester.for_segment("uncoded", i, top_k=3)
        assert result.text == item["text"]
        hits += bool(set(item["codes"]) & {s.code_path for s in result.suggestions})
    assert hits / len(info["uncoded_items"]) >= 0.6
    with pytest.raises(NotFound, match="has no segment 999"):
        suggester.for_segment("uncoded", 999)


def test_accept_records_suggestion_provenance_and_feedback(project):
    db, info = project
    suggester = ProjectSuggester(db).load()
    excerpt, _ = suggester.locate("uncoded", 0)
    top = suggester.suggest(excerpt.text, 1)[0]
    coding = suggester.accept("bo", excerpt.document_id, excerpt.start, excerpt.end, top.code_id, top.confidence)
    suggester.wait()
    assert coding.provenance == Provenance.SUGGESTION
    with db.reading() as session:
        answers = feedback.all_feedback(session)
        stored = coding_repo.get_row(session, coding.id)
    assert stored.provenance == "suggestion"
    assert [(a.action, a.code_id, a.start) for a in answers] == [("accepted", top.code_id, excerpt.start)]


def test_dismissal_down_weights_at_once_and_survives_a_reopen(project):
    db, info = project
    suggester = ProjectSuggester(db).load()
    excerpt, _ = suggester.locate("uncoded", 3)
    before = suggester.suggest(excerpt.text, 1)[0]
    suggester.dismiss("bo", excerpt.document_id, excerpt.start, excerpt.end, before.code_id)
    now = {s.code_id: s for s in suggester.suggest(excerpt.text, 20)}
    assert before.code_id not in now or now[before.code_id].confidence < before.confidence / 2
    suggester.wait()
    reopened = {s.code_id: s for s in ProjectSuggester(db).load().suggest(excerpt.text, 20)}
    assert before.code_id not in reopened or reopened[before.code_id].penalised
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(AuditRow).where(AuditRow.action == "dismissed")) == 1


def test_background_retrain_keeps_serving_the_old_model_until_the_new_one_is_ready(project):
    db, info = project
    suggester = ProjectSuggester(db).load()
    assert suggester.refresh() is False  # nothing changed since the model was trained
    old_ranker, old_size = suggester.ranker, suggester.trained_on
    service = CodingService(db, "ana")
    with db.reading() as session:
        segments = doc_repo.segments(session, info["uncoded"])
    for segment, item in list(zip(segments, info["uncoded_items"], strict=True))[:6]:
        service.apply(info["uncoded"], segment.start, segment.end, item["codes"][0])
    assert suggester.refresh() is True
    assert suggester.suggest("There is no money left.", 3)  # served while training, by whichever model is current
    suggester.wait()
    assert suggester.last_error is None
    assert suggester.ranker is not old_ranker and suggester.version == 2
    assert suggester.trained_on == old_size + 6
    # codebook-only parts are reused, only the learned model is new
    assert suggester.ranker.components["keywords"][0] is old_ranker.components["keywords"][0]


def test_per_coder_model_learns_only_that_coders_codings(project):
    db, info = project
    service = CodingService(db, "cy")
    with db.reading() as session:
        segment = doc_repo.segments(session, info["uncoded"])[0]
    service.apply(info["uncoded"], segment.start, segment.end, "barriers/bureaucracy")
    only_cy = ProjectSuggester(db, coder="cy").load()
    assert only_cy.trained_on == 1
    assert only_cy.corpus.coded_documents == {info["uncoded"]}


def test_autocode_queues_proposals_and_applies_nothing(project):
    db, info = project
    suggester = ProjectSuggester(db).load()
    with db.reading() as session:
        codings_before = len(coding_repo.all_codings(session))
    run = autocode(db, suggester, 0.3, "bo", document="uncoded")
    assert run.queued > 0 and run.segments == len(info["uncoded_items"])
    with db.reading() as session:
        pending = feedback.proposals(session)
        assert len(coding_repo.all_codings(session)) == codings_before
    assert len(pending) == run.queued and all(p.score >= 0.3 and p.status == "pending" for p in pending)
    assert all(p.explanation["code_path"] and "summary" in p.explanation for p in pending)
    again = autocode(db, suggester, 0.3, "bo", document="uncoded")
    assert again.queued == 0 and again.already_pending == run.queued
    whole = autocode(db, suggester, 0.3, "bo")
    assert whole.already_coded > 0  # the coded document's own codes are never proposed again


def test_review_accepts_with_autocode_provenance_and_learns_rejections(project):
    db, info = project
    suggester = ProjectSuggester(db).load()
    autocode(db, suggester, 0.3, "bo", document="uncoded")
    with db.reading() as session:
        ids = [p.id for p in feedback.proposals(session)]
    assert len(ids) >= 3
    result = review(db, "bo", accept=[ids[0]], reject=[ids[1]])
    assert [c.provenance for c in result.accepted] == [Provenance.AUTOCODE]
    with pytest.raises(Conflict, match="already reviewed"):
        review(db, "bo", accept=[ids[0]])
    with pytest.raises(InvalidInput, match="both accepted and rejected"):
        review(db, "bo", accept=[ids[2]], reject=[ids[2]])
    with pytest.raises(InvalidInput, match="no proposal with id 99999"):
        review(db, "bo", reject=[99999])
    rest = review(db, "bo", accept_all=True)
    assert len(rest.accepted) == len(ids) - 2
    with db.reading() as session:
        assert feedback.proposals(session) == []
        statuses = {p.id: p.status for p in feedback.proposals(session, None)}
        dismissed = feedback.dismissed(session)
    assert statuses[ids[1]] == "rejected"
    assert len(dismissed) == 1
    assert ProjectSuggester(db).load().corpus.negatives  # the rejection teaches the next model


def test_similar_finds_the_near_duplicate_and_can_skip_itself(fixture_project):
    db, info = fixture_project
    suggester = ProjectSuggester(db).load()
    index = SimilarityIndex(suggester.corpus.segments).fit()
    excerpt, _ = suggester.locate("coded", 2)
    twin = index.most_similar(excerpt.text, 3)
    assert twin[0].excerpt.text == excerpt.text and twin[0].similarity == pytest.approx(1.0, abs=1e-3)
    others = index.most_similar(excerpt.text, 3, exclude=(excerpt.document_id, 2))
    assert all(h.excerpt.segment_index != 2 or h.excerpt.document_id != excerpt.document_id for h in others)
    coded = index.most_similar("money budget funding cut", 5, coded_only=True)
    assert coded and all(h.excerpt.codes for h in coded)
    assert SimilarityIndex([]).fit().most_similar("x") == []


def test_blank_pipeline_notice_reaches_the_suggester(fixture_project):
    import copy

    from qualcode.nlp.suggest.ranker import DEFAULT_CONFIG

    db, info = fixture_project
    config = copy.deepcopy(DEFAULT_CONFIG)
    config["components"]["keywords"]["prefer"] = ()  # as on a machine without any English model
    suggester = ProjectSuggester(db, config=config).load()
    assert suggester.pipeline_name == "blank_en"
    assert "no lemmas" in suggester.notice
    result = suggester.for_segment("uncoded", 0)
    assert result.notice == suggester.notice and result.suggestions


def test_feedback_and_proposals_on_every_backend(db):
    """The same flow on SQLite and, when a server is given, PostgreSQL (JSON explanations, statuses, audit)."""
    from tests.nlp.conftest import build_fixture_project

    info = build_fixture_project(db, coded_fraction=0.25)
    suggester = ProjectSuggester(db).load()
    run = autocode(db, suggester, 0.35, "bo", document="uncoded")
    with db.reading() as session:
        ids = [p.id for p in feedback.proposals(session)]
    assert ids and len(ids) == run.queued
    result = review(db, "bo", accept=ids[:1], reject=ids[1:2])
    assert result.accepted[0].provenance == Provenance.AUTOCODE
    excerpt, _ = suggester.locate("uncoded", 0)
    suggester.dismiss("bo", excerpt.document_id, excerpt.start, excerpt.end, "barriers/resources")
    suggester.wait()
    with db.reading() as session:
        actions = sorted(f.action for f in feedback.all_feedback(session))
        every = feedback.proposals(session, None)
    assert actions.count("dismissed") == 1 + (len(ids) > 1) and "accepted" in actions
    assert sorted(p.status for p in every).count("accepted") == 1
    assert {p.document_id for p in every} == {info["uncoded"]}
    assert all(p.explanation["code_path"] for p in every)


def test_a_second_open_takes_the_combiner_from_the_user_cache(fixture_project, monkeypatch):
    from qualcode.nlp.suggest import combiner_cache
    from qualcode.nlp.suggest.stacking import Combiner

    db, _ = fixture_project
    first = ProjectSuggester(db).load()
    assert first.ranker.stacked
    assert list(combiner_cache.folder().glob("*.json"))  # under the test's own QUALCODE_HOME
    fits = []
    original = Combiner.fit.__func__
    monkeypatch.setattr(Combiner, "fit", classmethod(lambda cls, *a, **k: fits.append(1) or original(cls, *a, **k)))
    # persist=False: without the whole fitted model (test_suggest_cache.py), the combiner's own cache serves.
    second = ProjectSuggester(db, persist=False).load()
    assert fits == []  # no folds were fitted: the weights came from the cache
    assert second.ranker.combiner_.model.coef_.tolist() == first.ranker.combiner_.model.coef_.tolist()
    text = "There is no money: the budget was cut."
    assert [s.code_id for s in second.suggest(text, 3)] == [s.code_id for s in first.suggest(text, 3)]
    for entry in combiner_cache.folder().glob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    third = ProjectSuggester(db, persist=False).load()  # a damaged entry is refitted, not an error
    assert third.ranker.stacked and fits == [1]
