"""The analysis dataset: documents, segments, codes, codings, participants and memos, loaded once."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from qualcode.domain import Code, Coding, Document, Memo, MemoTarget, Participant, Segment
from qualcode.errors import Ambiguous, NotFound

NO_PARTICIPANT = "(no participant)"
NO_VALUE = "(not given)"


@dataclass(frozen=True, slots=True, order=True)
class Excerpt:
    """A coded span: one excerpt however many coders or codes share exactly these offsets."""

    document_id: int
    start: int
    end: int


@dataclass(slots=True)
class Dataset:
    """Everything the analyses read, as domain values; build with `load(session)` or directly in tests."""

    documents: dict[int, Document]
    codes: list[Code]
    codings: list[Coding]
    participants: dict[int, Participant]
    coders: dict[int, str]
    segments: dict[int, list[Segment]]
    document_participants: dict[int, tuple[int, ...]] = field(default_factory=dict)
    memos: list[Memo] = field(default_factory=list)
    _code_by_id: dict[int, Code] = field(init=False, repr=False)
    _children: dict[int | None, list[Code]] = field(init=False, repr=False)
    _by_code: dict[int, list[Coding]] = field(init=False, repr=False)
    _seg_ends: dict[int, list[int]] = field(init=False, repr=False)
    _subtrees: dict[int, frozenset[int]] = field(init=False, repr=False)
    _excerpt_people: dict[Excerpt, tuple[int, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._code_by_id = {c.id: c for c in self.codes}
        self._children = defaultdict(list)
        for code in self.codes:
            self._children[code.parent_id].append(code)
        self._by_code = defaultdict(list)
        for coding in self.codings:
            self._by_code[coding.code_id].append(coding)
        for doc_id, segs in self.segments.items():
            segs.sort(key=lambda s: (s.start, s.end))
        self._seg_ends = {doc_id: [s.end for s in segs] for doc_id, segs in self.segments.items()}
        self._subtrees = {}
        self._excerpt_people = {}

    # --- codes -------------------------------------------------------------------------------
    def code(self, code_id: int) -> Code:
        return self._code_by_id[code_id]

    def children(self, code_id: int | None) -> list[Code]:
        return list(self._children.get(code_id, ()))

    def subtree(self, code_id: int) -> frozenset[int]:
        """The code and all its descendants: a parent code's theme includes its children's codings."""
        cached = self._subtrees.get(code_id)
        if cached is None:
            found, stack = set(), [code_id]
            while stack:
                current = stack.pop()
                if current in found:
                    continue
                found.add(current)
                stack.extend(c.id for c in self._children.get(current, ()))
            cached = self._subtrees[code_id] = frozenset(found)
        return cached

    def resolve_code(self, ref: str | int) -> Code:
        """A code by path, unique name, path suffix, GUID or id, as `qualcode.store.codes.resolve` does."""
        text = str(ref).strip().strip("/")
        for code in self.codes:
            if code.path == text or code.guid == text:
                return code
        if text.isdigit() and int(text) in self._code_by_id:
            return self._code_by_id[int(text)]
        lower = text.lower()
        matches = [c for c in self.codes if c.name.lower() == lower] or [
            c for c in self.codes if c.path.lower() == lower or c.path.lower().endswith("/" + lower)
        ]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise Ambiguous(f"'{text}' names several codes: {', '.join(c.path for c in matches)}; use a path")
        raise NotFound(f"no code '{text}'; see 'qualcode codes list'")

    def codings_of(self, code_ids: Iterable[int]) -> list[Coding]:
        found: list[Coding] = []
        for code_id in code_ids:
            found.extend(self._by_code.get(code_id, ()))
        return found

    def excerpts_of(self, code_ids: Iterable[int]) -> dict[Excerpt, list[Coding]]:
        """Distinct coded spans of the given codes, in document order, with the codings behind each."""
        spans: dict[Excerpt, list[Coding]] = defaultdict(list)
        for coding in self.codings_of(code_ids):
            spans[Excerpt(coding.document_id, coding.start, coding.end)].append(coding)
        return dict(sorted(spans.items()))

    def code_memos(self, code_id: int) -> list[Memo]:
        return [m for m in self.memos if m.target == MemoTarget.CODE and m.target_id == code_id]

    # --- participants ----------------------------------------------------------------------------
    def segments_touched(self, excerpt: Excerpt) -> list[Segment]:
        """Segments sharing at least one character with the excerpt (document order)."""
        segs = self.segments.get(excerpt.document_id)
        if not segs:
            return []
        at = bisect_right(self._seg_ends[excerpt.document_id], excerpt.start)
        touched = []
        while at < len(segs) and segs[at].start < excerpt.end:
            if segs[at].end > excerpt.start:
                touched.append(segs[at])
            at += 1
        return touched

    def excerpt_participants(self, excerpt: Excerpt) -> tuple[int, ...]:
        """Participants of the segments the excerpt overlaps; else the document's one linked participant."""
        cached = self._excerpt_people.get(excerpt)
        if cached is not None:
            return cached
        people = sorted({s.participant_id for s in self.segments_touched(excerpt) if s.participant_id is not None})
        if not people:
            linked = self.document_participants.get(excerpt.document_id, ())
            # A survey answer belongs to its respondent even when the span falls outside every segment.
            if len(linked) == 1:
                people = list(linked)
        result = tuple(p for p in people if p in self.participants)
        self._excerpt_people[excerpt] = result
        return result

    def label(self, participant_id: int) -> str:
        return self.participants[participant_id].label

    def attribution(self, excerpt: Excerpt) -> str:
        labels = [self.label(p) for p in self.excerpt_participants(excerpt)]
        return ", ".join(labels) if labels else "Study participant"

    def attribute_key(self, name: str) -> str:
        """The stored spelling of an attribute name (`region` finds `Region`); 'role' is the role field."""
        if name.lower() == "role":
            return "role"
        keys = self.attribute_names()
        if name in keys:
            return name
        folded = [k for k in keys if k.lower() == name.lower()]
        if len(folded) == 1:
            return folded[0]
        if folded:
            raise Ambiguous(f"attribute '{name}' matches {', '.join(folded)}; give the exact spelling")
        raise NotFound(f"no participant attribute '{name}'; known: {', '.join(keys) or 'none'}")

    def attribute_names(self) -> list[str]:
        keys = {k for p in self.participants.values() for k in p.attributes}
        has_role = any(p.role for p in self.participants.values())
        return (["role"] if has_role else []) + sorted(keys, key=lambda k: (k.lower(), k))

    def attribute(self, participant_id: int, key: str) -> str:
        person = self.participants[participant_id]
        value = person.role if key == "role" else person.attributes.get(key)
        return str(value).strip() if value not in (None, "") else NO_VALUE

    # --- documents -------------------------------------------------------------------------------
    def text(self, excerpt: Excerpt) -> str:
        return self.documents[excerpt.document_id].text[excerpt.start : excerpt.end]

    def kinds(self) -> list[str]:
        """Document kinds present, in the order DocumentKind lists them."""
        from qualcode.domain import DocumentKind

        present = {str(d.kind) for d in self.documents.values()}
        return [str(k) for k in DocumentKind if str(k) in present]


def load(session: Session) -> Dataset:
    """Read the whole project once; every analysis then runs on these values without the database."""
    from qualcode.refi import rows as refi_rows
    from qualcode.store import codes, codings, coders, documents, participants

    people = {p.id: p for p in participants.list_all(session)}
    by_label = {p.label: p.id for p in people.values()}
    segs: dict[int, list[Segment]] = defaultdict(list)
    for seg in documents.all_segments(session):
        segs[seg.document_id].append(seg)
    linked = {
        s.id: tuple(sorted(by_label[label] for label in s.participants if label in by_label))
        for s in documents.summaries(session)
    }
    return Dataset(
        documents={d.id: d for d in documents.list_all(session)},
        codes=codes.list_all(session),
        codings=codings.all_codings(session),
        participants=people,
        coders={c.id: c.name for c in coders.list_all(session)},
        segments=dict(segs),
        document_participants=linked,
        memos=refi_rows.memos(session),
    )
