"""The fitted suggestion model and its answers, kept per project in $QUALCODE_HOME/cache/suggest/.

Keyed by the project (its database URL, the coder it learns from, the configuration) and a fingerprint of
everything the model learns from: codings, suggestion feedback, the codebook, the segments and which
documents are marked coded. Same fingerprint, same model: a warm `suggest show` reads its answer without
loading scikit-learn or spaCy. A changed fingerprint refits starting from the cached model (only what
changed). The entries hold the project's text: they are the user's own files, readable by the user alone.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.files import write_bytes
from qualcode.home import qualcode_home

FORMAT = 1  # bumped when what is pickled changes shape: an older entry is then ignored, not misread


def root() -> Path:
    return qualcode_home() / "cache" / "suggest"


def project_key(url: str, coder: str | None, config: Mapping[str, Any] | None) -> str:
    material = json.dumps([FORMAT, url, coder, config], sort_keys=True, default=str)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:24]


def fingerprint(session: Session) -> str:
    """A hash of what the model learns from; one pass over small columns, a few ms for thousands of codings."""
    from qualcode.nlp.suggest.seen import META_KEY
    from qualcode.store import meta
    from qualcode.store.orm import CodeRow, CodingRow, DocumentRow, SegmentRow, SuggestionFeedbackRow

    digest = hashlib.sha256()
    queries = (
        select(CodingRow.id, CodingRow.document_id, CodingRow.start, CodingRow.end, CodingRow.code_id,
               CodingRow.coder_id, CodingRow.provenance).order_by(CodingRow.id),
        select(SuggestionFeedbackRow.id, SuggestionFeedbackRow.action, SuggestionFeedbackRow.code_id,
               SuggestionFeedbackRow.document_id, SuggestionFeedbackRow.start, SuggestionFeedbackRow.end,
               SuggestionFeedbackRow.coder_id).order_by(SuggestionFeedbackRow.id),
        select(CodeRow).order_by(CodeRow.id),
        select(DocumentRow.id, DocumentRow.sha256).order_by(DocumentRow.id),
        select(SegmentRow.id, SegmentRow.document_id, SegmentRow.start, SegmentRow.end).order_by(SegmentRow.id),
    )
    for query in queries:
        for row in session.execute(query):
            if isinstance(row[0], CodeRow):
                c = row[0]
                row = (c.id, c.parent_id, c.name, c.description, c.inclusion, c.exclusion, c.examples, c.keywords)
            digest.update(repr(tuple(row)).encode("utf-8"))
        digest.update(b"|")
    digest.update((meta.get(session, META_KEY) or "").encode("utf-8"))
    return digest.hexdigest()[:32]


def _folder(key: str) -> Path:
    return root() / key


def _write(path: Path, data: bytes) -> None:
    """Atomically, readable by the user alone; a failure leaves no entry, not an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_bytes(path, data, mode=0o600)
    except OSError:
        return


def load_model(key: str) -> dict | None:
    """{"fingerprint", "ranker", "corpus"} or None; an unreadable entry is no entry."""
    try:
        with (_folder(key) / "model.pkl").open("rb") as handle:
            payload = pickle.load(handle)  # the user's own cache file, written by save_model
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return payload if isinstance(payload, dict) and payload.get("format") == FORMAT else None


def save_model(key: str, fingerprint_: str, ranker, corpus) -> None:
    payload = {"format": FORMAT, "fingerprint": fingerprint_, "ranker": ranker, "corpus": corpus}
    try:
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RuntimeError):
        return  # no entry this time: the next fit writes one
    _write(_folder(key) / "model.pkl", data)


def _answers(key: str, fingerprint_: str) -> Path:
    return _folder(key) / f"answers-{fingerprint_}"


def load_answers(key: str, fingerprint_: str, name: str) -> dict | None:
    try:
        return json.loads((_answers(key, fingerprint_) / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save_answers(key: str, fingerprint_: str, name: str, payload: dict) -> None:
    """Keep the answers of the current model only: older fingerprints' folders go."""
    folder = _answers(key, fingerprint_)
    try:
        for old in _folder(key).glob("answers-*"):
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass
    _write(folder / f"{name}.json", json.dumps(payload).encode("utf-8"))


def answer_name(document_id: int, segment: int | None, top: int) -> str:
    return f"{document_id}-{'all' if segment is None else segment}-{top}"


def peek(url: str, coder: str | None, document: str | int, segment: int | None, top: int) -> dict | None:
    """The cached answer for an unchanged project, read without opening the project the full way (schema
    checks load Alembic, ~0.5 s): a plain read-only connection, one fingerprint pass, one file."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    from qualcode.errors import QualcodeError
    from qualcode.store import documents
    from qualcode.store.locate import sqlite_path

    path = sqlite_path(url)
    if url.startswith("sqlite") and (path is None or not path.exists()):
        return None  # connecting would create an empty file; the full path says what is wrong
    engine = None
    try:
        engine = create_engine(url)
        with Session(engine) as session:
            fingerprint_ = fingerprint(session)
            doc = documents.resolve(session, document)
        return load_answers(project_key(url, coder, None), fingerprint_, answer_name(doc.id, segment, top))
    except (SQLAlchemyError, QualcodeError):
        return None  # an older schema, a missing document: the full path opens the project and reports it
    finally:
        if engine is not None:
            engine.dispose()
