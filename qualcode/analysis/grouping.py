"""Which category an excerpt falls in: document kind, document, participant, attribute or co-occurring code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from qualcode.analysis.cooccurrence import SpanIndex
from qualcode.analysis.dataset import NO_PARTICIPANT, NO_VALUE, Dataset, Excerpt
from qualcode.errors import InvalidInput

BY_HELP = "kind, doc, participant, a participant attribute (role, setting, region...), or code:PARENT"


@dataclass(frozen=True, slots=True)
class Grouping:
    """A way to sort excerpts into categories; `values(excerpt)` may give several or none."""

    name: str
    order: tuple[str, ...]
    values: Callable[[Excerpt], list[str]]


def grouping(ds: Dataset, by: str) -> Grouping:
    """Parse BY (`kind`, `doc`, `participant`, `code:PARENT`, `attr:NAME` or a bare attribute name)."""
    text = by.strip()
    lower = text.lower()
    if lower in ("kind", "document kind"):
        return Grouping("kind", tuple(ds.kinds()), lambda e: [str(ds.documents[e.document_id].kind)])
    if lower in ("doc", "document", "documents"):
        titles = tuple(d.title for d in ds.documents.values())
        return Grouping("document", titles, lambda e: [ds.documents[e.document_id].title])
    if lower in ("participant", "participants", "case"):
        labels = tuple(sorted(p.label for p in ds.participants.values()))
        return Grouping(
            "participant", labels, lambda e: [ds.label(p) for p in ds.excerpt_participants(e)] or [NO_PARTICIPANT]
        )
    if lower.startswith("code:"):
        return _code_grouping(ds, text[5:])
    if lower.startswith("attr:"):
        text = text[5:]
    if not text:
        raise InvalidInput(f"empty grouping; use {BY_HELP}")
    key = ds.attribute_key(text)
    order = tuple(sorted({ds.attribute(p, key) for p in ds.participants}))

    def by_attribute(e: Excerpt) -> list[str]:
        owners = ds.excerpt_participants(e)
        return sorted({ds.attribute(p, key) for p in owners}) if owners else [NO_PARTICIPANT]

    return Grouping(key, order, by_attribute)


def _code_grouping(ds: Dataset, ref: str) -> Grouping:
    """Categories are the children of PARENT: an excerpt belongs to each child whose codings it overlaps."""
    parent = ds.resolve_code(ref)
    children = ds.children(parent.id)
    if not children:
        raise InvalidInput(f"code '{parent.path}' has no child codes to group by; name a parent code")
    indexes = [(child.name, SpanIndex(ds.excerpts_of(ds.subtree(child.id)))) for child in children]

    def by_code(e: Excerpt) -> list[str]:
        return [name for name, index in indexes if index.overlapping(e)]

    return Grouping(f"code:{parent.path}", tuple(name for name, _ in indexes), by_code)


def similar_attributes(ds: Dataset, key: str) -> list[tuple[str, int]]:
    """Other attributes that may mean `key` (`Care setting` for `setting`), each with how many
    participants have it but not `key`: candidates for `participants attributes merge`."""
    from qualcode.domain.attributes import attribute_norm

    if key == "role":
        return []
    words = attribute_norm(key).split("_")
    lacking = [p for p in ds.participants if ds.attribute(p, key) == NO_VALUE]
    found = []
    for other in ds.attribute_names():
        parts = attribute_norm(other).split("_")
        if other in (key, "role") or not any(parts[i:i + len(words)] == words for i in range(len(parts))):
            continue
        count = sum(1 for p in lacking if ds.attribute(p, other) != NO_VALUE)
        if count:
            found.append((other, count))
    return found
