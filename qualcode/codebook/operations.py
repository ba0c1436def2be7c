"""Put a codebook file into a project: codes matched by GUID, then by path (slug rule); new codes added."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from qualcode.codebook.spec import CodebookSpec, CodeSpec
from qualcode.domain.codepaths import path_slug
from qualcode.errors import Conflict
from qualcode.store import codes as code_repo
from qualcode.store import meta


@dataclass(frozen=True, slots=True)
class CodebookImport:
    added: int
    updated: int
    version: int


def import_spec(session: Session, spec: CodebookSpec, *, coder: str | None = None) -> CodebookImport:
    """Match each code by GUID, then by path (ignoring case); add the rest. One pass: linear in codes."""
    existing = code_repo.list_all(session)
    by_guid = {c.guid: c for c in existing}
    by_path = {path_slug(c.path): c for c in existing}
    siblings: dict[int | None, set[str]] = {}
    for code in existing:
        siblings.setdefault(code.parent_id, set()).add(code.name.lower())
    added = updated = 0

    def visit(node: CodeSpec, parent: tuple[int, str] | None) -> None:
        nonlocal added, updated
        parent_id, parent_path = parent if parent else (None, None)
        path = f"{parent_path}/{node.name}" if parent_path else node.name
        fields = {
            "description": node.description,
            "inclusion": node.inclusion,
            "exclusion": node.exclusion,
            "examples": list(node.examples),
            "keywords": list(node.keywords),
            "colour": node.colour,
            "valence": str(node.valence),
        }
        match = by_guid.get(node.guid) if node.guid else None
        match = match or by_path.get(path_slug(path))
        if match is None:
            names = siblings.setdefault(parent_id, set())
            if node.name.lower() in names:
                raise Conflict(f"a code named '{node.name}' already exists there")
            code_id = code_repo.add_under(
                session, node.name, parent_id, position=len(names), fields=fields, guid=node.guid, coder=coder
            )
            names.add(node.name.lower())
            added += 1
        else:
            code_repo.update_fields_of(session, match.id, fields, coder=coder)
            code_id, path = match.id, match.path
            updated += 1
        for child in node.children:
            visit(child, (code_id, path))

    with session.no_autoflush:  # audit rows are written in one batch at the end, not one flush per code
        for node in spec.codes:
            visit(node, None)
    session.expire_all()  # rows loaded before the Core updates must not be read stale later in this session
    # A first codebook is version 1; adding codes to a codebook already in use starts a new version.
    version = meta.bump_codebook_version(session) if added and existing else meta.codebook_version(session)
    return CodebookImport(added=added, updated=updated, version=version)
