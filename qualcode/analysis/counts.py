"""How much a theme was coded: passages (excerpts), documents, participants, coders, by kind and attribute.

An excerpt is a distinct passage: overlapping codings of one code, by one coder or several, count once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from qualcode.analysis.dataset import NO_PARTICIPANT, Dataset, Excerpt

# Attributes with more distinct values than this are free text, not categories worth a breakdown.
MAX_CATEGORIES = 12


@dataclass(frozen=True, slots=True)
class Breakdown:
    """One category of a breakdown: excerpts falling in it and distinct participants behind them."""

    value: str
    excerpts: int
    participants: int


@dataclass(frozen=True, slots=True)
class ThemeCounts:
    """Counts for one code with its descendants (a parent code's theme includes its children)."""

    code_id: int | None  # None for a group of codes
    path: str
    codings: int
    excerpts: int
    documents: int
    participants: int
    coders: int
    by_kind: tuple[Breakdown, ...] = ()
    by_attribute: dict[str, tuple[Breakdown, ...]] = field(default_factory=dict)


def categorical_attributes(ds: Dataset) -> list[str]:
    """Attributes worth a breakdown: role and every attribute with a handful of distinct values."""
    keep = []
    for key in ds.attribute_names():
        values = {ds.attribute(p, key) for p in ds.participants}
        if 1 <= len(values) <= MAX_CATEGORIES:
            keep.append(key)
    return keep


def participants_of(ds: Dataset, excerpts: Iterable[Excerpt]) -> set[int]:
    people: set[int] = set()
    for excerpt in excerpts:
        people.update(ds.excerpt_participants(excerpt))
    return people


def breakdown(ds: Dataset, excerpts: Iterable[Excerpt], by: str, values: list[str] | None = None) -> tuple[Breakdown, ...]:
    """Excerpts and participants per category of `by`: 'kind' or a participant attribute key.

    An excerpt spoken by several participants counts once in each of their categories; an excerpt
    with no participant falls under '(no participant)' for attribute breakdowns.
    """
    spans: dict[str, set[Excerpt]] = defaultdict(set)
    people: dict[str, set[int]] = defaultdict(set)
    for excerpt in excerpts:
        owners = ds.excerpt_participants(excerpt)
        if by == "kind":
            value = str(ds.documents[excerpt.document_id].kind)
            spans[value].add(excerpt)
            people[value].update(owners)
            continue
        if not owners:
            spans[NO_PARTICIPANT].add(excerpt)
        for person in owners:
            value = ds.attribute(person, by)
            spans[value].add(excerpt)
            people[value].add(person)
    order = list(values) if values is not None else sorted(spans)
    order += sorted(v for v in spans if v not in order)
    return tuple(Breakdown(v, len(spans.get(v, ())), len(people.get(v, ()))) for v in order)


def attribute_values(ds: Dataset, key: str) -> list[str]:
    return sorted({ds.attribute(p, key) for p in ds.participants})


def theme_counts(ds: Dataset, code_id: int, attributes: list[str] | None = None) -> ThemeCounts:
    """Counts for one code with its descendants."""
    return group_counts(ds, ds.subtree(code_id), ds.code(code_id).path, attributes, code_id=code_id)


def group_counts(
    ds: Dataset, code_ids: Iterable[int], label: str, attributes: list[str] | None = None, *, code_id: int | None = None
) -> ThemeCounts:
    """Counts for any set of codes taken together (a code group): a passage coded twice counts once."""
    spans = ds.passages_of(code_ids)
    codings = [c for group in spans.values() for c in group]
    keys = categorical_attributes(ds) if attributes is None else [ds.attribute_key(a) for a in attributes]
    return ThemeCounts(
        code_id=code_id,
        path=label,
        codings=len(codings),
        excerpts=len(spans),
        documents=len({e.document_id for e in spans}),
        participants=len(participants_of(ds, spans)),
        coders=len({c.coder_id for c in codings}),
        by_kind=breakdown(ds, spans, "kind", ds.kinds()),
        by_attribute={key: breakdown(ds, spans, key, attribute_values(ds, key)) for key in keys},
    )


def codebook_counts(ds: Dataset) -> list[ThemeCounts]:
    """Headline counts for every code in tree order (breakdowns left empty: see theme_counts).

    Each code's sets (spans, people, documents, coders) are built once and a parent's are unions of
    its subtree's, so a deep codebook costs no more than a flat one.
    """
    own: dict[int, tuple[set, set, set, set, int]] = {}
    for code in ds.codes:
        spans = ds.passages_of([code.id])
        codings = [c for group in spans.values() for c in group]
        own[code.id] = (set(spans), participants_of(ds, spans), {e.document_id for e in spans},
                        {c.coder_id for c in codings}, len(codings))
    result = []
    for code in ds.codes:
        parts = [own[i] for i in ds.subtree(code.id)]
        spans, people, docs, coders = (set().union(*(p[k] for p in parts)) for k in range(4))
        result.append(
            ThemeCounts(
                code_id=code.id,
                path=code.path,
                codings=sum(p[4] for p in parts),
                excerpts=len(spans),
                documents=len(docs),
                participants=len(people),
                coders=len(coders),
            )
        )
    return result
