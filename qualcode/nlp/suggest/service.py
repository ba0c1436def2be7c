"""A project's live suggester: trained on open, retrained in a background thread as coding proceeds."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from qualcode.domain import Coding, Provenance
from qualcode.errors import InvalidInput, NotFound
from qualcode.nlp.suggest import combiner_cache, feedback, model_cache, seen
from qualcode.nlp.suggest.corpus import ProjectCorpus, excerpt_in, load_corpus
from qualcode.nlp.suggest.protocol import Excerpt, Suggestion
from qualcode.nlp.suggest.ranker import Ranker, assemble
from qualcode.store import codes as code_repo
from qualcode.store import coders as coder_repo
from qualcode.store import documents as doc_repo
from qualcode.store import meta
from qualcode.store.engine import Database
from qualcode.store.orm import CodingRow, SuggestionFeedbackRow


@dataclass(frozen=True, slots=True)
class SegmentSuggestions:
    """Suggestions for one segment of a document, with the pipeline notice the user should see."""

    document_id: int
    document_title: str
    segment_index: int
    start: int
    end: int
    text: str
    suggestions: list[Suggestion]
    notice: str
    model_version: int
    trained_on: int


class ProjectSuggester:
    """Serves suggestions for one project; `refresh()` retrains in a thread while the old model keeps serving.

    With `coder`, the learned model trains on that coder's codings and dismissals only. Nothing learned is
    stored in the database: the fitted model is kept in the per-user cache (`model_cache`), keyed by the
    project and a fingerprint of its codings and codebook, so the CLI, the reader and autocode reuse one
    fit, and a changed project refits from the cached model (only what changed). `persist=False` skips it.
    """

    def __init__(self, db: Database, coder: str | None = None, config: Mapping[str, Any] | None = None,
                 persist: bool = True):
        self.db = db
        self.coder = coder
        self.config = config
        self.persist = persist
        self.cache_key = model_cache.project_key(str(db.url), coder, config)
        self.fingerprint: str | None = None
        self.from_cache = False  # the model was read from the cache, not fitted in this process
        self._lock = threading.Lock()
        self._ranker: Ranker | None = None
        self._corpus: ProjectCorpus | None = None
        self._state: tuple | None = None
        self._thread: threading.Thread | None = None
        self._dirty = False
        self.version = 0
        self.last_error: Exception | None = None

    # Training

    def load(self) -> ProjectSuggester:
        """Train now, in the calling thread (the CLI, or the first use)."""
        self._train()
        return self

    def refresh(self) -> bool:
        """Retrain in the background if codings or feedback changed; returns True when a retrain was started."""
        state = self._project_state()
        with self._lock:
            if state == self._state:
                return False
            if self._thread is not None and self._thread.is_alive():
                self._dirty = True
                return False
            self._thread = threading.Thread(target=self._retrain_loop, name="qualcode-suggest-retrain", daemon=True)
            self._thread.start()
            return True

    def wait(self, timeout: float | None = None) -> None:
        """Block until a background retrain (if any) has finished; for tests, benchmarks and the CLI."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _retrain_loop(self) -> None:
        while True:
            try:
                self._train()
            except Exception as exc:  # the old model keeps serving; the error is shown by whoever asks
                self.last_error = exc
            with self._lock:
                if not self._dirty:
                    return
                self._dirty = False

    def _train(self) -> None:
        state = self._project_state()
        with self.db.reading() as session:
            corpus = load_corpus(session, self.coder)
            fingerprint = model_cache.fingerprint(session)
        if not corpus.codes:
            raise InvalidInput("the project has no codes to suggest; import a codebook first (qualcode codes import FILE)")
        previous, previous_corpus = self._ranker, self._corpus
        if previous is None and self.persist:
            stored = model_cache.load_model(self.cache_key)
            if stored is not None and stored["fingerprint"] == fingerprint:
                self._adopt(stored["ranker"], corpus, state, fingerprint, from_cache=True)
                return
            if stored is not None:  # an older fit of this project: refit from it, only what changed
                previous, previous_corpus = stored["ranker"], stored["corpus"]
        same_codebook = previous is not None and previous_corpus is not None and previous_corpus.codes == corpus.codes
        cache_key = combiner_cache.key(str(self.db.url), self.coder, corpus.codes, self.config)
        cached = combiner_cache.load(cache_key) if previous is None else None
        ranker = assemble(
            corpus.codes, corpus.labelled, background=corpus.segments, negatives=corpus.negatives,
            config=self.config, reuse=previous if same_codebook else None, combiner=cached,
        )
        if getattr(ranker, "combiner_refitted_", False):
            combiner_cache.save(cache_key, ranker.combiner_)
        self._adopt(ranker, corpus, state, fingerprint)  # served first; kept for the next process after
        if self.persist:
            keywords = ranker.components.get("keywords")
            if keywords is not None and hasattr(keywords[0], "score_many"):
                # Scored once per text and kept in the pickle: a model read from the cache then answers for
                # any segment of the project without loading spaCy (a few seconds on a first training).
                keywords[0].score_many([e.text for e in corpus.segments])
            model_cache.save_model(self.cache_key, fingerprint, ranker, corpus)

    def _adopt(self, ranker: Ranker, corpus: ProjectCorpus, state: tuple, fingerprint: str, from_cache: bool = False) -> None:
        with self._lock:
            self._ranker, self._corpus, self._state = ranker, corpus, state
            self.fingerprint, self.from_cache = fingerprint, from_cache
            self.version += 1

    def _project_state(self) -> tuple:
        with self.db.reading() as session:
            codings = session.execute(select(func.count(CodingRow.id), func.max(CodingRow.id))).one()
            answers = session.execute(select(func.count(SuggestionFeedbackRow.id), func.max(SuggestionFeedbackRow.id))).one()
            codebook = tuple(c.path for c in code_repo.list_all(session))
            marked = meta.get(session, seen.META_KEY)  # documents marked coded change what counts as seen
        return (tuple(codings), tuple(answers), codebook, marked)

    @property
    def ranker(self) -> Ranker:
        if self._ranker is None:
            self.load()
        return self._ranker

    @property
    def corpus(self) -> ProjectCorpus:
        if self._corpus is None:
            self.load()
        return self._corpus

    @property
    def notice(self) -> str:
        keywords = self.ranker.components.get("keywords")
        info = getattr(keywords[0], "pipeline_", None) if keywords else None
        return info.notice if info is not None else ""

    @property
    def pipeline_name(self) -> str:
        keywords = self.ranker.components.get("keywords")
        info = getattr(keywords[0], "pipeline_", None) if keywords else None
        return info.name if info is not None else ""

    @property
    def trained_on(self) -> int:
        return sum(1 for e in self.corpus.labelled if e.codes)

    # Suggesting (the Suggester protocol, plus a document-segment helper)

    def suggest(self, text: str | Excerpt, top_k: int = 5) -> list[Suggestion]:
        return self.ranker.suggest(text, top_k)

    def suggest_many(self, texts: Sequence[str | Excerpt], top_k: int = 5) -> list[list[Suggestion]]:
        return self.ranker.suggest_many(texts, top_k)

    def for_segment(self, document: str | int, index: int, top_k: int = 5) -> SegmentSuggestions:
        excerpt, title = self.locate(document, index)
        return SegmentSuggestions(
            document_id=excerpt.document_id, document_title=title, segment_index=index,
            start=excerpt.start, end=excerpt.end, text=excerpt.text,
            suggestions=self.suggest(excerpt, top_k), notice=self.notice,
            model_version=self.version, trained_on=self.trained_on,
        )

    def locate(self, document: str | int, index: int) -> tuple[Excerpt, str]:
        with self.db.reading() as session:
            doc = doc_repo.resolve(session, document)
            segments = doc_repo.segments(session, doc.id)
        match = [s for s in segments if s.index == index]
        if not match:
            raise NotFound(f"'{doc.title}' has no segment {index} (it has {len(segments)}, numbered from 0)")
        seg = match[0]
        return excerpt_in(doc.id, doc.text, segments, seg.start, seg.end), doc.title

    # Answers

    def accept(
        self, coder: str, document_id: int, start: int, end: int, code: str | int, score: float | None = None, service=None
    ) -> Coding:
        """Apply the code with provenance SUGGESTION and remember the acceptance.

        `service`: the caller's CodingService (the workbench's, so undo sees the coding); else one for `coder`.
        """
        from qualcode.coding import CodingService

        service = service or CodingService(self.db, coder)
        coding = service.apply(document_id, start, end, code, provenance=Provenance.SUGGESTION)
        with self.db.transaction() as session:
            feedback.record(session, feedback.Feedback(document_id, start, end, coding.code_id, service.coder.id, "accepted", score), coder)
        self.refresh()
        return coding

    def dismiss(self, coder: str, document_id: int, start: int, end: int, code: str | int, score: float | None = None) -> None:
        """Remember the dismissal; it weighs at once and teaches the next model."""
        with self.db.transaction() as session:
            who = coder_repo.get_or_add(session, coder)
            target = code_repo.resolve(session, code)
            doc = doc_repo.get(session, document_id)
            feedback.record(session, feedback.Feedback(document_id, start, end, target.id, who.id, "dismissed", score), coder)
        self.ranker.dismissed[target.id].append(" ".join(doc.text[start:end].lower().split()))
        self.refresh()
