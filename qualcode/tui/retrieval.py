"""Retrieval of coded excerpts: one or several codes (AND = overlapping spans, OR = any), with context and filters."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qualcode.errors import InvalidInput
from qualcode.store import participants as participant_repo
from qualcode.store.excerpt_rows import excerpt_rows

if TYPE_CHECKING:
    from qualcode.store import Session

CONTEXT_CHARS = 100


@dataclass(frozen=True, slots=True)
class Excerpt:
    document_id: int
    title: str
    kind: str
    start: int
    end: int
    text: str
    before: str
    after: str
    code_ids: tuple[int, ...]
    coder_ids: tuple[int, ...]
    participant: str | None
    speaker: str | None


@dataclass(frozen=True, slots=True)
class RetrieveQuery:
    code_ids: tuple[int, ...]
    mode: str = "or"  # "or": any of the codes; "and": spans where all of them overlap
    kinds: tuple[str, ...] | None = None
    attribute: str | None = None  # "key=value" on the speaking participant (role and label count too)
    coder_ids: tuple[int, ...] | None = None


def parse_attribute(text: str | None) -> tuple[str, str] | None:
    if not text or not text.strip():
        return None
    if "=" not in text:
        raise InvalidInput(f"attribute filter '{text}' must look like key=value, e.g. role=manager")
    key, value = text.split("=", 1)
    return key.strip().lower(), value.strip().lower()


def _intersect(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def retrieve(session: Session, query: RetrieveQuery, context: int = CONTEXT_CHARS) -> list[Excerpt]:
    """Excerpts in document order; each carries the codes and coders behind it."""
    if not query.code_ids:
        return []
    attribute = parse_attribute(query.attribute)
    rows = excerpt_rows(session, query.code_ids, query.coder_ids, query.kinds)
    by_doc, docs, turns_by_doc = rows.codings, rows.documents, rows.turns
    people = {p.id: p for p in participant_repo.list_all(session)}
    excerpts: list[Excerpt] = []
    for doc_id in sorted(docs, key=lambda d: docs[d].title.lower()):
        meta, codings = docs[doc_id], by_doc[doc_id]
        text, turns = meta.text, turns_by_doc[doc_id]
        starts = [t.start for t in turns]
        for start, end in _spans(codings, query):
            i = bisect_right(starts, start) - 1
            turn = turns[i] if i >= 0 else None
            person = people.get(turn.participant_id) if turn and turn.participant_id else None
            if attribute and not _matches(person, attribute):
                continue
            inside = [c for c in codings if c.start < end and c.end > start]
            excerpts.append(Excerpt(
                doc_id, meta.title, meta.kind, start, end, text[start:end],
                _clip_left(text[max(0, start - context):start]), _clip_right(text[end:end + context]),
                tuple(sorted({c.code_id for c in inside})), tuple(sorted({c.coder_id for c in inside})),
                person.label if person else None, turn.speaker if turn else None,
            ))
    return excerpts


def _spans(codings, query: RetrieveQuery) -> list[tuple[int, int]]:
    if query.mode == "and":
        per_code = [_merge([(c.start, c.end) for c in codings if c.code_id == code]) for code in query.code_ids]
        spans = per_code[0]
        for other in per_code[1:]:
            spans = _intersect(spans, other)
        return spans
    return sorted({(c.start, c.end) for c in codings})


def _matches(person, attribute: tuple[str, str]) -> bool:
    if person is None:
        return False
    key, value = attribute
    values = {k.lower(): str(v).lower() for k, v in person.attributes.items()}
    values.setdefault("role", (person.role or "").lower())
    values.setdefault("label", person.label.lower())
    return values.get(key) == value


def _clip_left(text: str) -> str:
    cut = text.find(" ")
    return text[cut + 1:] if 0 <= cut < len(text) // 2 else text


def _clip_right(text: str) -> str:
    cut = text.rfind(" ")
    return text[:cut] if cut > len(text) // 2 else text
