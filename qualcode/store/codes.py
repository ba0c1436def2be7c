"""The code tree: paths, lookup by name or path, add, update, move, merge and delete."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from qualcode.domain import Code, Valence
from qualcode.domain.codepaths import by_slug, name_slug
from qualcode.errors import Ambiguous, Conflict, InvalidInput, NotFound
from qualcode.sanitise import MAX_CODE_NAME, check_name, terminal_safe
from qualcode.store import audit, convert, meta
from qualcode.store.code_tree import codes_in_tree_order
from qualcode.store.orm import CodeRow, CodingRow, MemoRow, ProposalRow, QuoteRow, SuggestionFeedbackRow

EDITABLE_FIELDS = ("description", "inclusion", "exclusion", "examples", "keywords", "colour", "valence")


def list_all(session: Session) -> list[Code]:
    """Every code with its path, in tree order (parents before children, by position then name)."""
    return codes_in_tree_order({r.id: r for r in session.scalars(select(CodeRow))})


def resolve(session: Session, ref: str | int) -> Code:
    """C accepts a path (community/site), a unique name, a GUID or an id."""
    codes = list_all(session)
    text = str(ref).strip().strip("/")
    for code in codes:
        if code.path == text or code.guid == text:
            return code
    if text.isdigit():
        for code in codes:
            if code.id == int(text):
                return code
    by_name = [c for c in codes if c.name == text] or [c for c in codes if c.name.lower() == text.lower()]
    if not by_name:
        by_name = [c for c in codes if c.path.lower() == text.lower() or c.path.lower().endswith("/" + text.lower())]
    if not by_name:
        by_name = by_slug(codes, text)
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        raise Ambiguous(f"'{text}' names several codes: {', '.join(c.path for c in by_name)}; use a path")
    raise NotFound(f"no code '{text}'; see 'qualcode codes list'")


def add(
    session: Session,
    name: str,
    *,
    parent: str | None = None,
    fields: dict[str, Any] | None = None,
    guid: str | None = None,
    coder: str | None = None,
    bump_version: bool = True,
) -> Code:
    name = _checked_name(name)
    parent_id = resolve(session, parent).id if parent else None
    _check_sibling_free(session, parent_id, name)
    values = _clean_fields(fields or {})
    position = session.scalar(select(func.count()).select_from(CodeRow).where(CodeRow.parent_id.is_(parent_id) if parent_id is None else CodeRow.parent_id == parent_id)) or 0
    row = CodeRow(guid=guid or str(uuid.uuid4()), parent_id=parent_id, name=name, position=position, **values)
    session.add(row)
    session.flush()
    audit.record(session, "add", "code", row.id, coder=coder, after={"name": name, "parent_id": parent_id, **values})
    if bump_version:
        meta.bump_codebook_version(session)
    return _as_code(session, row.id)


def add_many(session: Session, new: list[dict[str, Any]], *, coder: str | None = None) -> list[int]:
    """Insert codes whose parent, position and free name the caller has checked; ids in the order given.

    Each dict holds name, parent_id, position, fields and guid. A codebook import adds one level of
    the tree per call, instead of reloading the tree per code (2,000 codes took 39 s that way).
    """
    rows = []
    for item in new:
        values = _clean_fields(item["fields"])
        rows.append({"guid": item.get("guid") or str(uuid.uuid4()), "parent_id": item["parent_id"],
                     "name": _checked_name(item["name"]), "position": item["position"], **values})
    if not rows:
        return []
    statement = insert(CodeRow).returning(CodeRow.id, sort_by_parameter_order=True)
    ids = list(session.scalars(statement, rows))
    for code_id, row in zip(ids, rows, strict=True):
        after = {k: v for k, v in row.items() if k not in ("guid", "position")}
        audit.record(session, "add", "code", code_id, coder=coder, after=after)
    return ids


def update_many(session: Session, changes: list[tuple[Code, dict[str, Any]]], *, coder: str | None = None) -> None:
    """Set the editable fields of codes already loaded as `Code` values, in one statement."""
    rows = []
    for code, fields in changes:
        values = _clean_fields(fields)
        before = {k: list(v) if isinstance(v, tuple) else (str(v) if k == "valence" else v)
                  for k, v in ((k, getattr(code, k)) for k in values)}
        rows.append({"id": code.id, **values})
        audit.record(session, "update", "code", code.id, coder=coder, before=before, after=values)
    if rows:
        session.execute(update(CodeRow), rows, execution_options={"synchronize_session": False})


def update_fields(session: Session, ref: str | int, fields: dict[str, Any], *, coder: str | None = None) -> Code:
    row = session.get(CodeRow, resolve(session, ref).id)
    values = _clean_fields(fields)
    before = {k: getattr(row, k) for k in values}
    for key, value in values.items():
        setattr(row, key, value)
    audit.record(session, "update", "code", row.id, coder=coder, before=before, after=values)
    return _as_code(session, row.id)


def rename(session: Session, ref: str, new_name: str, *, coder: str | None = None) -> Code:
    new_name = _checked_name(new_name)
    row = session.get(CodeRow, resolve(session, ref).id)
    _check_sibling_free(session, row.parent_id, new_name, except_id=row.id)
    before = row.name
    row.name = new_name
    audit.record(session, "rename", "code", row.id, coder=coder, before={"name": before}, after={"name": new_name})
    meta.bump_codebook_version(session)
    return _as_code(session, row.id)


def move(session: Session, ref: str, new_parent: str | None, *, coder: str | None = None) -> Code:
    row = session.get(CodeRow, resolve(session, ref).id)
    parent_id = resolve(session, new_parent).id if new_parent else None
    ancestor = parent_id
    while ancestor is not None:
        if ancestor == row.id:
            raise Conflict("cannot move a code under itself or one of its descendants")
        ancestor = session.get(CodeRow, ancestor).parent_id
    _check_sibling_free(session, parent_id, row.name, except_id=row.id)
    before = row.parent_id
    row.parent_id = parent_id
    audit.record(session, "move", "code", row.id, coder=coder, before={"parent_id": before}, after={"parent_id": parent_id})
    meta.bump_codebook_version(session)
    return _as_code(session, row.id)


def merge(session: Session, source_ref: str, target_ref: str, *, coder: str | None = None) -> tuple[Code, int]:
    """Fold source into target: codings, memos and children follow; duplicate codings collapse."""
    source = resolve(session, source_ref)
    target = resolve(session, target_ref)
    if source.id == target.id:
        raise Conflict("cannot merge a code into itself")
    if target.path.startswith(source.path + "/"):
        raise Conflict("cannot merge a code into one of its own descendants")
    # The unique span index forbids two equal codings, so duplicates go before the rest move across.
    moved = _drop_codings_duplicating(session, source.id, target.id, coder)
    moved += session.execute(
        update(CodingRow).where(CodingRow.code_id == source.id).values(code_id=target.id)
    ).rowcount
    session.execute(update(MemoRow).where(MemoRow.target == "code", MemoRow.target_id == source.id).values(target_id=target.id))
    for table in (ProposalRow, SuggestionFeedbackRow, QuoteRow):
        session.execute(update(table).where(table.code_id == source.id).values(code_id=target.id))
    for child in session.scalars(select(CodeRow).where(CodeRow.parent_id == source.id)):
        _check_sibling_free(session, target.id, child.name, except_id=child.id)
        child.parent_id = target.id
    session.flush()
    row = session.get(CodeRow, source.id)
    session.delete(row)
    audit.record(
        session, "merge", "code", source.id, coder=coder,
        before={"source": source.path, "guid": source.guid}, after={"target": target.path, "codings_moved": moved},
    )
    meta.bump_codebook_version(session)
    return _as_code(session, target.id), moved


def delete(session: Session, ref: str, *, coder: str | None = None, force: bool = False) -> tuple[Code, int]:
    """Delete a code; refuse when it has children, and when it has codings unless forced."""
    code = resolve(session, ref)
    if session.scalar(select(func.count()).select_from(CodeRow).where(CodeRow.parent_id == code.id)):
        raise Conflict(f"'{code.path}' has child codes; move or delete them first")
    count = session.scalar(select(func.count()).select_from(CodingRow).where(CodingRow.code_id == code.id)) or 0
    if count and not force:
        from qualcode.errors import NeedsConfirmation

        raise NeedsConfirmation(f"'{code.path}' has {count} codings", count=count)
    for coding in session.scalars(select(CodingRow).where(CodingRow.code_id == code.id)):
        audit.record(session, "delete", "coding", coding.id, coder=coder, before=convert.coding_state(coding))
        session.delete(coding)
    session.flush()
    session.delete(session.get(CodeRow, code.id))
    audit.record(session, "delete", "code", code.id, coder=coder, before={"path": code.path, "guid": code.guid})
    meta.bump_codebook_version(session)
    return code, count


def _drop_codings_duplicating(session: Session, source_id: int, target_id: int, coder: str | None = None) -> int:
    """Delete (audited) each coding of source that target already has for the same span and coder."""
    kept = {
        (r.document_id, r.start, r.end, r.coder_id)
        for r in session.execute(
            select(CodingRow.document_id, CodingRow.start, CodingRow.end, CodingRow.coder_id).where(CodingRow.code_id == target_id)
        )
    }
    dropped = 0
    for row in list(session.scalars(select(CodingRow).where(CodingRow.code_id == source_id).order_by(CodingRow.id))):
        if (row.document_id, row.start, row.end, row.coder_id) in kept:
            session.delete(row)
            session.flush()
            audit.record(session, "delete", "coding", row.id, coder=coder, before=convert.coding_state(row))
            dropped += 1
    return dropped


def _checked_name(name: str) -> str:
    name = name.strip()
    if not name or "/" in name:
        raise InvalidInput(f"code name '{terminal_safe(name)}' must be non-empty and contain no '/'")
    return check_name(name, "code name", MAX_CODE_NAME)


def _check_sibling_free(session: Session, parent_id: int | None, name: str, except_id: int | None = None) -> None:
    condition = CodeRow.parent_id.is_(None) if parent_id is None else CodeRow.parent_id == parent_id
    wanted = name_slug(name)
    if not wanted:
        raise InvalidInput(f"code name '{name}' needs at least one letter or digit")
    for row in session.scalars(select(CodeRow).where(condition)):
        if name_slug(row.name) == wanted and row.id != except_id:
            # one slug, one code: `time-pressure` would name both, so paths stay unambiguous
            raise Conflict(f"a code named '{row.name}' already exists there (names match ignoring case, "
                           "spaces and punctuation)")


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in EDITABLE_FIELDS:
            raise InvalidInput(f"unknown code field '{key}'")
        if key in ("examples", "keywords"):
            value = [str(v) for v in (value or [])]
        elif key == "valence":
            try:
                value = str(Valence(value or "none"))
            except ValueError:
                raise InvalidInput(f"valence must be barrier, facilitator or none, not '{value}'") from None
        elif value is None:
            value = None if key == "colour" else ""
        values[key] = value
    return values


def _as_code(session: Session, code_id: int) -> Code:
    session.flush()
    for code in list_all(session):
        if code.id == code_id:
            return code
    raise NotFound(f"code {code_id} vanished")
