"""What a theme is: one code with its descendants, a named code group (a set), or a list of codes."""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.analysis.cooccurrence import ancestors_of
from qualcode.analysis.dataset import Dataset
from qualcode.errors import NotFound


@dataclass(frozen=True, slots=True)
class Theme:
    label: str
    description: str
    valence: str
    code_ids: frozenset[int]  # every code counted: each member with its descendants
    leave_out: frozenset[int]  # codes never listed as co-occurring: the theme's own and their ancestors
    code_id: int | None = None  # the code, when the theme is a single code
    members: tuple[str, ...] = ()  # child paths of a code; member paths of a group
    memo_codes: tuple[int, ...] = ()  # codes whose memos belong with the theme


def resolve_theme(ds: Dataset, ref: str | int) -> Theme:
    """`barriers` (a code), `set:Community work` (a named code group) or `a,b` (codes taken together)."""
    if isinstance(ref, int) or not (str(ref).lower().startswith("set:") or "," in str(ref)):
        code = ds.code(ref) if isinstance(ref, int) else ds.resolve_code(ref)
        ids = ds.subtree(code.id)
        return Theme(code.path, code.description, str(code.valence), ids, ids | ancestors_of(ds, [code.id]), code.id,
                     tuple(c.path for c in ds.children(code.id)), (code.id,))
    text = str(ref).strip()
    if text.lower().startswith("set:"):
        name = text[4:].strip()
        found = [g for g in ds.code_groups if g == name] or [g for g in ds.code_groups if g.lower() == name.lower()]
        if not found:
            known = ", ".join(sorted(ds.code_groups)) or "none"
            raise NotFound(f"no code group '{name}'; groups with codes: {known}")
        label, members = f"set:{found[0]}", [ds.code(i) for i in ds.code_groups[found[0]] if i in {c.id for c in ds.codes}]
    else:
        members = [ds.resolve_code(part) for part in text.split(",") if part.strip()]
        label = " + ".join(c.path for c in members)
    ids = frozenset().union(*(ds.subtree(c.id) for c in members)) if members else frozenset()
    leave_out = ids | ancestors_of(ds, [c.id for c in members])
    valences = {str(c.valence) for c in members}
    return Theme(label, "", valences.pop() if len(valences) == 1 else "none", ids, leave_out, None,
                 tuple(c.path for c in members), tuple(c.id for c in members))
