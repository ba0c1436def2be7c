"""Project settings kept in the database: codebook version, blind mode, owner."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qualcode.store.orm import MetaRow


def get(session: Session, key: str, default: str | None = None) -> str | None:
    row = session.get(MetaRow, key)
    return row.value if row is not None else default


def put(session: Session, key: str, value: str) -> None:
    row = session.get(MetaRow, key)
    if row is None:
        session.add(MetaRow(key=key, value=value))
    else:
        row.value = value


def codebook_version(session: Session) -> int:
    return int(get(session, "codebook_version", "1") or 1)


def bump_codebook_version(session: Session) -> int:
    """A structural codebook change starts a new version; codings record the version they were made under."""
    version = codebook_version(session) + 1
    put(session, "codebook_version", str(version))
    return version
