"""A codebook's rows as its tree: each code's path, parents before children (for ORM rows and plain ones)."""

from __future__ import annotations

from typing import Any

from qualcode.domain import Code
from qualcode.store import convert


def paths_of(rows: dict[int, Any]) -> dict[int, str]:
    """code id -> "parent/child" path; a cycle or a runaway depth stops at the code's own name."""
    paths: dict[int, str] = {}

    def path_of(code_id: int, depth: int = 0) -> str:
        if code_id in paths:
            return paths[code_id]
        row = rows[code_id]
        if row.parent_id is None or depth > 100:
            result = row.name
        else:
            result = f"{path_of(row.parent_id, depth + 1)}/{row.name}"
        paths[code_id] = result
        return result

    for code_id in rows:
        path_of(code_id)
    return paths


def codes_in_tree_order(rows: dict[int, Any]) -> list[Code]:
    """Every code with its path, parents before children, siblings by position then name."""
    paths = paths_of(rows)
    children: dict[int | None, list[Any]] = {}
    for row in rows.values():
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[Code] = []

    def visit(parent: int | None) -> None:
        for row in sorted(children.get(parent, []), key=lambda r: (r.position, r.name.lower())):
            ordered.append(convert.code(row, paths[row.id]))
            visit(row.id)

    visit(None)
    return ordered
