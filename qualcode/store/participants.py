"""Participants (cases): stable labels, roles, attributes, and the real names kept for anonymisation."""

from __future__ import annotations

import uuid

from sqlalchemy import select, text
from sqlalchemy.orm import Session, load_only

from qualcode.domain import Participant
from qualcode.errors import NotFound
from qualcode.importers.base import ParsedParticipant
from qualcode.store import audit, convert
from qualcode.store.orm import ParticipantRow


def names_readable(session: Session) -> bool:
    """False for a team-mode coder role: the database grants it participants' labels, not their names."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.execute(text("SELECT has_column_privilege('participants', 'name', 'SELECT')")).scalar())


def _select(session: Session):
    stmt = select(ParticipantRow)
    if names_readable(session):
        return stmt, True
    columns = (ParticipantRow.id, ParticipantRow.guid, ParticipantRow.label, ParticipantRow.role, ParticipantRow.attributes)
    return stmt.options(load_only(*columns, raiseload=True)), False


def list_all(session: Session) -> list[Participant]:
    stmt, names = _select(session)
    return [convert.participant(r, with_names=names) for r in session.scalars(stmt.order_by(ParticipantRow.label))]


def resolve(session: Session, label: str) -> Participant:
    stmt, names = _select(session)
    row = session.scalar(stmt.where(ParticipantRow.label == label))
    if row is None:
        raise NotFound(f"no participant labelled '{label}'")
    return convert.participant(row, with_names=names)


def upsert(session: Session, parsed: ParsedParticipant, *, coder: str | None = None) -> int:
    """Add a participant or merge new details into the one with the same label."""
    row = session.scalar(select(ParticipantRow).where(ParticipantRow.label == parsed.label))
    if row is None:
        row = ParticipantRow(
            guid=str(uuid.uuid4()),
            label=parsed.label,
            role=parsed.role,
            name=parsed.name,
            aliases=list(parsed.aliases),
            attributes=dict(parsed.attributes),
        )
        session.add(row)
        session.flush()
        audit.record(session, "add", "participant", row.id, coder=coder, after={"label": row.label})
        return row.id
    before = {"role": row.role, "name": row.name, "aliases": row.aliases, "attributes": row.attributes}
    row.role = parsed.role or row.role
    row.name = parsed.name or row.name
    row.aliases = sorted(set(row.aliases or []) | set(parsed.aliases))
    row.attributes = {**(row.attributes or {}), **parsed.attributes}
    after = {"role": row.role, "name": row.name, "aliases": row.aliases, "attributes": row.attributes}
    if after != before:
        audit.record(session, "update", "participant", row.id, coder=coder, before=before, after=after)
    return row.id


def as_parsed(participants: list[Participant]) -> list[ParsedParticipant]:
    return [
        ParsedParticipant(label=p.label, role=p.role, name=p.name, aliases=list(p.aliases), attributes=dict(p.attributes))
        for p in participants
    ]


def attribute_spellings(session: Session) -> dict[str, list[str]]:
    """Every attribute meaning with its stored spellings (commonest first) and, in turn, how many have it."""
    from qualcode.domain.attributes import spellings_by_meaning

    rows = session.scalars(select(ParticipantRow)).all()
    return spellings_by_meaning(k for r in rows for k in (r.attributes or {}))


def rename_attribute(session: Session, old: str, new: str, *, merge: bool = False, coder: str | None = None) -> int:
    """Rename attribute OLD (any spelling) to NEW on every participant; returns how many changed.

    Without merge, NEW must be unused (or the same attribute spelled differently). With merge, a
    participant having both keeps NEW when the values agree; differing values are refused.
    """
    from qualcode.domain.attributes import attribute_norm
    from qualcode.errors import Conflict, InvalidInput

    source, target = attribute_norm(old), attribute_norm(new)
    if not source or not target:
        raise InvalidInput("attribute names need at least one letter or digit")
    if "role" in (source, target):
        raise InvalidInput("'role' is the participants' role field, not an attribute; edit it in the participants file")
    spellings = attribute_spellings(session)
    if source not in spellings:
        raise NotFound(f"no participant attribute '{old}'; known: {', '.join(s[0] for s in spellings.values()) or 'none'}")
    same = source == target
    if not same and target in spellings and not merge:
        raise Conflict(f"participants already have '{spellings[target][0]}'; use 'participants attributes merge {old} {new}'")
    name = new.strip() if same or target not in spellings else spellings[target][0]
    rows = session.scalars(select(ParticipantRow).order_by(ParticipantRow.label)).all()
    plans = []
    for row in rows:
        attributes = dict(row.attributes or {})
        moving = [k for k in attributes if attribute_norm(k) == source]
        kept = [k for k in attributes if attribute_norm(k) == target and not same]
        if not moving:
            continue
        values = {str(attributes[k]).strip() for k in moving + kept if attributes[k] not in (None, "")}
        if len(values) > 1:
            raise Conflict(f"participant {row.label} has different values for '{old}' and '{new}' "
                           f"({', '.join(sorted(values))}); make them agree first")
        for key in moving + kept:
            attributes.pop(key)
        attributes[name] = values.pop() if values else ""
        if attributes != (row.attributes or {}):
            plans.append((row, attributes))
    for row, attributes in plans:
        before = {"attributes": row.attributes}
        row.attributes = attributes
        audit.record(session, "update", "participant", row.id, coder=coder, before=before, after={"attributes": attributes})
    return len(plans)
