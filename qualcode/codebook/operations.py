"""Put a codebook file into a project: codes matched by GUID, then by path (slug rule); new codes added."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from qualcode.codebook.spec import CodebookSpec, CodeSpec
from qualcode.domain.codepaths import path_slug
from qualcode.store import codes as code_repo
from qualcode.store import meta


@dataclass(frozen=True, slots=True)
class CodebookImport:
    added: int
    updated: int
    version: int


def import_spec(session: Session, spec: CodebookSpec, *, coder: str | None = None) -> CodebookImport:
    existing = code_repo.list_all(session)
    by_guid = {c.guid: c for c in existing}
    by_path = {path_slug(c.path): c for c in existing}
    added = updated = 0

    def visit(node: CodeSpec, parent_path: str | None) -> None:
        nonlocal added, updated
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
            created = code_repo.add(session, node.name, parent=parent_path, fields=fields, guid=node.guid, coder=coder, bump_version=False)
            path = created.path
            added += 1
        else:
            code_repo.update_fields(session, match.id, fields, coder=coder)
            path = match.path
            updated += 1
        for child in node.children:
            visit(child, path)

    for node in spec.codes:
        visit(node, None)
    # A first codebook is version 1; adding codes to a codebook already in use starts a new version.
    version = meta.bump_codebook_version(session) if added and existing else meta.codebook_version(session)
    return CodebookImport(added=added, updated=updated, version=version)
