"""`codings add` on a current SQLite project with the standard library: the plain case only.

The same rows as CodingService.apply writes (the coder added if new, the coding inserted unless the
same span, code and coder is there, the audit entries), in one BEGIN IMMEDIATE transaction. Any
other case (a document named by a prefix, a code by its name, a span outside the text, a name the
store would refuse) rolls back and raises NotQuick, and the full store then does it, or words the
error, as it always does. tests/cli/test_quick_coding.py holds the two paths to the same rows.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any

from qualcode.domain import Coding, Provenance
from qualcode.errors import QualcodeError
from qualcode.sanitise import MAX_CODER, check_name
from qualcode.store import convert
from qualcode.store.quick import codebook

BUSY_TIMEOUT_MS = 60_000


class NotQuick(Exception):
    """This case is the full store's to handle (and to word any error); nothing was written."""


def add_coding(
    connection: sqlite3.Connection,
    *,
    document: str,
    start: int,
    end: int,
    code: str,
    coder: str,
    provenance: str = "manual",
    memo: str | None = None,
) -> Coding:
    connection.isolation_level = None  # BEGIN and COMMIT are ours, as the full store issues them
    for pragma in ("foreign_keys=ON", f"busy_timeout={BUSY_TIMEOUT_MS}", "synchronous=NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
    connection.execute("BEGIN IMMEDIATE")
    try:
        coding = _add(connection, document, start, end, code, coder, provenance, memo)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return coding


def _add(connection, document, start, end, code, coder, provenance, memo) -> Coding:
    name = coder.strip()
    try:
        check_name(name, "coder name", MAX_CODER)
        provenance = str(Provenance(provenance))
    except (QualcodeError, ValueError):
        raise NotQuick from None
    if not name:
        raise NotQuick
    coder_id = _coder_id(connection, name)
    doc_id, text = _document(connection, document)
    if not (0 <= start < end <= len(text)):
        raise NotQuick
    code_id = _code_id(connection, code)
    version = connection.execute("SELECT value FROM project_meta WHERE key = 'codebook_version'").fetchone()
    # A plain row with the ORM row's attributes: convert reads attributes only.
    row: Any = SimpleNamespace(
        guid=str(uuid.uuid4()), document_id=doc_id, start=start, end=end, code_id=code_id, coder_id=coder_id,
        created=_now(), provenance=provenance, codebook_version=int((version[0] if version else None) or 1),
        memo=memo, candidate_quote=False,
    )
    inserted = connection.execute(
        'INSERT INTO codings (guid, document_id, start, "end", code_id, coder_id, created, provenance, codebook_version, '
        "memo, candidate_quote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) "
        'ON CONFLICT (document_id, start, "end", code_id, coder_id) DO NOTHING RETURNING id',
        (row.guid, doc_id, start, end, code_id, coder_id, _stored(row.created), provenance, row.codebook_version, memo),
    ).fetchone()
    if inserted is None:
        return _existing(connection, doc_id, start, end, code_id, coder_id)
    row.id = inserted[0]
    _audit(connection, "add", "coding", row.id, name, convert.coding_state(row))
    return convert.coding(row)


def _now() -> datetime:
    # The store keeps UTC wall time without an offset (SQLAlchemy's SQLite DATETIME) and reads it back naive.
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _stored(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _audit(connection, action: str, entity: str, entity_id: int, coder: str, after: dict) -> None:
    # before is JSON null, not SQL NULL: what SQLAlchemy's JSON type writes for None.
    connection.execute(
        "INSERT INTO audit_log (at, coder, action, entity, entity_id, before, after) VALUES (?, ?, ?, ?, ?, 'null', ?)",
        (_stored(_now()), coder, action, entity, entity_id, json.dumps(after)),
    )


def _coder_id(connection, name: str) -> int:
    found = connection.execute("SELECT id FROM coders WHERE name = ?", (name,)).fetchone()
    if found:
        return found[0]
    new = connection.execute(
        "INSERT INTO coders (guid, name, db_user) VALUES (?, ?, NULL) ON CONFLICT (name) DO NOTHING RETURNING id",
        (str(uuid.uuid4()), name),
    ).fetchone()
    if new is None:
        raise NotQuick
    _audit(connection, "add", "coder", new[0], name, {"name": name})
    return new[0]


def _document(connection, ref: str) -> tuple[int, str]:
    """By id, then by exact title: the first two steps of documents.resolve; the rest is not quick."""
    text = ref.strip()
    if text.isdigit():
        found = connection.execute("SELECT id, text FROM documents WHERE id = ?", (int(text),)).fetchone()
        if found:
            return found
    found = connection.execute("SELECT id, text FROM documents WHERE title = ?", (text,)).fetchone()
    if found is None:
        raise NotQuick
    return found


def _code_id(connection, ref: str) -> int:
    """By exact path or GUID, the first step of codes.resolve."""
    wanted = ref.strip().strip("/")
    for code in codebook(connection):
        if code.path == wanted or code.guid == wanted:
            return code.id
    raise NotQuick


def _existing(connection, doc_id, start, end, code_id, coder_id) -> Coding:
    columns = ("id", "guid", "document_id", "start", "end", "code_id", "coder_id", "created", "provenance",
               "codebook_version", "memo", "candidate_quote")
    selected = ", ".join('"end"' if c == "end" else c for c in columns)
    values = connection.execute(
        f"SELECT {selected} FROM codings "
        'WHERE document_id = ? AND start = ? AND "end" = ? AND code_id = ? AND coder_id = ?',
        (doc_id, start, end, code_id, coder_id),
    ).fetchone()
    row: Any = SimpleNamespace(**dict(zip(columns, values, strict=True)))
    row.created = datetime.fromisoformat(row.created) if row.created else None
    return convert.coding(row)
