"""The project's pseudonym key, kept in the pseudonym_keys table and nowhere else.

One key serves every bank, report and summary, so an entity reads the same everywhere and keeps
its pseudonym across rebuilds. The table has no scope column, so each row's `real` holds a JSON
list that starts with a kind and a scope: ["p", scope, entity] -> pseudonym, ["m", scope, entity,
surface] for every real form seen, ["c", scope, TYPE] -> the counter. The project's scope is ""
(no bank can be called that); older projects kept one key per bank, and the first of those seeds
the project key. `entity_type` says which kind of row it is.
"""

from __future__ import annotations

import json
import re

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qualcode.anonymise import PseudonymKey
from qualcode.store.orm import PseudonymRow

PROJECT = ""  # the project-wide key's scope; a bank name is never empty
REAL_MAX = 500  # the width of pseudonym_keys.real
_TYPE = re.compile(r"^\[([A-Z_ ]+?)(?: [0-9A-Z]+)?\]$")


def _type_of(pseudonym: str) -> str:
    found = _TYPE.match(pseudonym)
    return found.group(1).replace(" ", "_")[:40] if found else "OTHER"


def _encode(*parts: str) -> str:
    return json.dumps(list(parts), ensure_ascii=False)


def _bank_rows(session: Session, bank: str) -> list[tuple[PseudonymRow, list]]:
    # A row some other tool wrote is not ours to read: _scoped_rows skips it.
    return [(row, decoded) for row, decoded in _scoped_rows(session) if decoded[1] == bank]


def load_key(session: Session, bank: str) -> PseudonymKey:
    """The bank's key, empty when the bank has none yet."""
    key = PseudonymKey()
    for row, decoded in _bank_rows(session, bank):
        kind = decoded[0]
        if kind == "p":
            key.pseudonyms[decoded[2]] = row.pseudonym
        elif kind == "m" and len(decoded) == 4:
            key.mentions.setdefault(decoded[2], []).append(decoded[3])
        elif kind == "c":
            key.counters[decoded[2]] = int(row.pseudonym)
    return key


def load_project_key(session: Session) -> PseudonymKey:
    """The key every shared text is masked with; seeded once from the oldest per-bank key."""
    key = load_key(session, PROJECT)
    if key.pseudonyms:
        return key
    for _row, decoded in _scoped_rows(session):
        if decoded[1] != PROJECT:
            return load_key(session, decoded[1])
    return key


def save_project_key(session: Session, key: PseudonymKey) -> None:
    save_key(session, PROJECT, key)


def _scoped_rows(session: Session):
    for row in session.scalars(select(PseudonymRow).order_by(PseudonymRow.id)):
        try:
            decoded = json.loads(row.real)
        except ValueError:
            continue
        if isinstance(decoded, list) and len(decoded) >= 3 and isinstance(decoded[1], str):
            yield row, decoded


def delete_key(session: Session, bank: str) -> None:
    ids = [row.id for row, _ in _bank_rows(session, bank)]
    if ids:
        session.execute(delete(PseudonymRow).where(PseudonymRow.id.in_(ids)))


def save_key(session: Session, bank: str, key: PseudonymKey) -> None:
    """Replace the bank's stored key with `key`."""
    delete_key(session, bank)
    session.flush()
    rows = []
    for entity, pseudonym in sorted(key.pseudonyms.items()):
        rows.append(PseudonymRow(entity_type=_type_of(pseudonym), real=_encode("p", bank, entity), pseudonym=pseudonym))
    for entity, forms in sorted(key.mentions.items()):
        pseudonym = key.pseudonyms.get(entity, "")
        for form in dict.fromkeys(forms):
            real = _encode("m", bank, entity, form)
            if len(real) > REAL_MAX:
                continue  # an over-long surface is not a name; the pseudonym row still holds the entity
            rows.append(PseudonymRow(entity_type="mention", real=real, pseudonym=pseudonym))
    for type_, count in sorted(key.counters.items()):
        rows.append(PseudonymRow(entity_type="counter", real=_encode("c", bank, type_), pseudonym=str(count)))
    session.add_all(rows)
    session.flush()


def key_terms(key: PseudonymKey) -> list[str]:
    """Every real value the key holds: what an export must never contain."""
    terms = [form for forms in key.mentions.values() for form in forms]
    return list(dict.fromkeys(t for t in terms if t.strip()))
