"""Put a codebook file into a project: codes matched by GUID, then by path (slug rule); new codes added."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from qualcode.codebook.spec import CodebookSpec, CodeSpec
from qualcode.domain.codepaths import path_slug
from qualcode.errors import Conflict
from qualcode.store import codes as code_repo
from qualcode.store import meta

if TYPE_CHECKING:
    from qualcode.store import Session


@dataclass(frozen=True, slots=True)
class CodebookImport:
    added: int
    updated: int
    version: int


def import_spec(session: Session, spec: CodebookSpec, *, coder: str | None = None) -> CodebookImport:
    """Match each code by GUID, then by path (ignoring case); add the rest. One level per statement: linear."""
    existing = code_repo.list_all(session)
    by_guid = {c.guid: c for c in existing}
    by_path = {path_slug(c.path): c for c in existing}
    siblings: dict[int | None, set[str]] = {}
    for code in existing:
        siblings.setdefault(code.parent_id, set()).add(code.name.lower())
    added = updated = 0
    level: list[tuple[CodeSpec, int | None, str | None]] = [(node, None, None) for node in spec.codes]
    while level:
        new: list[tuple[CodeSpec, str]] = []
        rows: list[dict] = []
        changes = []
        following: list[tuple[CodeSpec, int | None, str | None]] = []
        for node, parent_id, parent_path in level:
            path = f"{parent_path}/{node.name}" if parent_path else node.name
            match = (by_guid.get(node.guid) if node.guid else None) or by_path.get(path_slug(path))
            if match is None:
                names = siblings.setdefault(parent_id, set())
                if node.name.lower() in names:
                    raise Conflict(f"a code named '{node.name}' already exists there")
                rows.append({"name": node.name, "parent_id": parent_id, "position": len(names),
                             "fields": _fields(node), "guid": node.guid})
                names.add(node.name.lower())
                new.append((node, path))
            else:
                changes.append((match, _fields(node)))
                following += [(child, match.id, match.path) for child in node.children]
        for (node, path), code_id in zip(new, code_repo.add_many(session, rows, coder=coder), strict=True):
            following += [(child, code_id, path) for child in node.children]
        code_repo.update_many(session, changes, coder=coder)
        added += len(rows)
        updated += len(changes)
        level = following
    session.expire_all()  # rows loaded before the bulk statements must not be read stale later in this session
    # A first codebook is version 1; adding codes to a codebook already in use starts a new version.
    version = meta.bump_codebook_version(session) if added and existing else meta.codebook_version(session)
    return CodebookImport(added=added, updated=updated, version=version)


def _fields(node: CodeSpec) -> dict:
    return {
        "description": node.description,
        "inclusion": node.inclusion,
        "exclusion": node.exclusion,
        "examples": list(node.examples),
        "keywords": list(node.keywords),
        "colour": node.colour,
        "valence": str(node.valence),
    }
