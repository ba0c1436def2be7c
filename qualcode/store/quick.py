"""Read-only listings straight from a SQLite project with the standard library (no SQLAlchemy import).

The quick CLI path uses these for a project file whose schema is current; for anything else
(another backend, an older or newer schema, a missing file) `open_current` says None and the
caller goes through the full store. The queries mirror the repositories they stand in for
(documents.summaries, codes.list_all), and tests hold the two to the same answers.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace

from qualcode.domain import Code, DocumentSummary
from qualcode.store.code_tree import codes_in_tree_order
from qualcode.store.locate import newest_revision

BUSY_TIMEOUT_S = 60


def open_current(path: Path) -> sqlite3.Connection | None:
    """A connection to a project file whose schema is the newest, or None."""
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error:
        return None
    try:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        connection.close()
        return None
    if revision is None or revision[0] != newest_revision():
        connection.close()
        return None
    return connection


def document_summaries(connection: sqlite3.Connection) -> list[DocumentSummary]:
    segments = dict(connection.execute("SELECT document_id, count(*) FROM segments GROUP BY document_id"))
    codings = dict(connection.execute("SELECT document_id, count(*) FROM codings GROUP BY document_id"))
    labels: dict[int, list[str]] = {}
    for doc_id, label in connection.execute(
        "SELECT dp.document_id, p.label FROM document_participants dp JOIN participants p ON dp.participant_id = p.id"
    ):
        labels.setdefault(doc_id, []).append(label)
    rows = connection.execute("SELECT id, title, kind, word_count FROM documents ORDER BY id")
    return [
        DocumentSummary(id=i, title=t, kind=k, words=w, segments=segments.get(i, 0),
                        participants=tuple(sorted(labels.get(i, []))), codings=codings.get(i, 0))
        for i, t, k, w in rows
    ]


_CODE_COLUMNS = ("id", "guid", "parent_id", "name", "description", "inclusion", "exclusion", "examples", "keywords",
                 "colour", "valence", "position")
_JSON_COLUMNS = ("examples", "keywords")


def codebook(connection: sqlite3.Connection) -> list[Code]:
    """The codebook in tree order, as codes.list_all gives it."""
    rows = {}
    with closing(connection.execute(f"SELECT {', '.join(_CODE_COLUMNS)} FROM codes")) as cursor:
        for values in cursor:
            row = dict(zip(_CODE_COLUMNS, values, strict=True))
            for column in _JSON_COLUMNS:
                row[column] = json.loads(row[column]) if row[column] is not None else None
            rows[row["id"]] = SimpleNamespace(**row)
    return codes_in_tree_order(rows)


def codes_with_counts(connection: sqlite3.Connection) -> tuple[list[Code], dict[int, int]]:
    """The codebook in tree order, and the number of codings of each code."""
    counts = dict(connection.execute("SELECT code_id, count(*) FROM codings GROUP BY code_id"))
    return codebook(connection), counts
