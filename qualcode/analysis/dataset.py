"""The analysis dataset: documents, segments, codes, codings, participants and memos, loaded once."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy.orm import Session

from qualcode.domain import Code, Coding, Document, Memo, MemoTarget, Participant, Segment
from qualcode.domain.attributes import attribute_norm, spellings_by_meaning
from qualcode.domain.codepaths import by_slug
from qualcode.errors import Ambiguous, NotFound

NO_PARTICIPANT = "(no participant)"
NO_VALUE = "(not given)"


class Excerpt(NamedTuple):
    """A coded span: one excerpt however many coders or codes share exactly these offsets.

    A named tuple rather than a dataclass: reports hash and sort hundreds of thousands of these.
    """

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
    # Named groups of codes (the project's sets with code members): name -> code ids.
    code_groups: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # Other people, places and organisations named in the data (the anonymiser's roster): name -> "person"...
    named: dict[str, str] = field(default_factory=dict)
    # Derived values analyses share (indexes, unit sets), keyed by the computing module's own names.
    derived: dict = field(default_factory=dict, repr=False, compare=False)
    _code_by_id: dict[int, Code] = field(init=False, repr=False)
    _children: dict[int | None, list[Code]] = field(init=False, repr=False)
    _by_code: dict[int, list[Coding]] = field(init=False, repr=False)
    _seg_ends: dict[int, list[int]] = field(init=False, repr=False)
    _subtrees: dict[int, frozenset[int]] = field(init=False, repr=False)
    _excerpt_people: dict[Excerpt, tuple[int, ...]] = field(init=False, repr=False)
    _code_spans: dict[int, dict[Excerpt, list[Coding]]] = field(init=False, repr=False)
    _set_spans: dict[frozenset[int], dict[Excerpt, list[Coding]]] = field(init=False, repr=False)
    _touched: dict[Excerpt, list[Segment]] = field(init=False, repr=False)

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
        self._code_spans = {}
        self._set_spans = {}
        self._touched = {}

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
        if not matches:
            matches = by_slug(self.codes, text)  # the same slug rule as every other command
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
        """Distinct coded spans of the given codes, in document order, with the codings behind each.

        Cached per code set: treat the result as read-only.
        """
        key = frozenset(code_ids)
        cached = self._set_spans.get(key)
        if cached is not None:
            return cached
        if len(key) == 1:
            (code_id,) = key
            cached = self._spans_of_code(code_id)
        else:
            merged: dict[Excerpt, list[Coding]] = defaultdict(list)
            for code_id in key:
                for excerpt, codings in self._spans_of_code(code_id).items():
                    merged[excerpt].extend(codings)
            cached = dict(sorted(merged.items()))
        self._set_spans[key] = cached
        return cached

    def passages_of(self, code_ids: Iterable[int], coder_id: int | None = None) -> dict[Excerpt, list[Coding]]:
        """Distinct passages of the given codes: each code's overlapping codings joined into one.

        What the counts count: two coders coding one passage a little differently is one passage.
        Passages of different codes join only when identical. With coder_id, only that coder's
        codings. Cached: treat the result as read-only.
        """
        from qualcode.analysis.passages import merge_overlapping

        key = (frozenset(code_ids), coder_id)
        cached = self.derived.get(("passages", key))
        if cached is not None:
            return cached
        merged: dict[Excerpt, list[Coding]] = defaultdict(list)
        for code_id in key[0]:
            spans = self._spans_of_code(code_id)
            if coder_id is not None:
                spans = {e: mine for e, cs in spans.items() if (mine := [c for c in cs if c.coder_id == coder_id])}
            for passage, codings in merge_overlapping(spans).items():
                merged[passage].extend(codings)
        cached = self.derived[("passages", key)] = dict(sorted(merged.items()))
        return cached

    def _spans_of_code(self, code_id: int) -> dict[Excerpt, list[Coding]]:
        cached = self._code_spans.get(code_id)
        if cached is None:
            spans: dict[Excerpt, list[Coding]] = defaultdict(list)
            for coding in self._by_code.get(code_id, ()):
                spans[Excerpt(coding.document_id, coding.start, coding.end)].append(coding)
            cached = self._code_spans[code_id] = dict(sorted(spans.items()))
        return cached

    def code_memos(self, code_id: int) -> list[Memo]:
        return [m for m in self.memos if m.target == MemoTarget.CODE and m.target_id == code_id]

    # --- participants ----------------------------------------------------------------------------
    def segments_touched(self, excerpt: Excerpt) -> list[Segment]:
        """Segments sharing at least one character with the excerpt (document order)."""
        cached = self._touched.get(excerpt)
        if cached is not None:
            return cached
        segs = self.segments.get(excerpt.document_id)
        touched = []
        if segs:
            at = bisect_right(self._seg_ends[excerpt.document_id], excerpt.start)
            while at < len(segs) and segs[at].start < excerpt.end:
                if segs[at].end > excerpt.start:
                    touched.append(segs[at])
                at += 1
        self._touched[excerpt] = touched
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

    def _spellings(self) -> dict[str, list[str]]:
        cached = self.derived.get("attribute spellings")
        if cached is None:
            keys = [k for p in self.participants.values() for k in p.attributes]
            cached = self.derived["attribute spellings"] = spellings_by_meaning(keys)
        return cached

    def attribute_key(self, name: str) -> str:
        """The attribute a name means, matched ignoring case, spaces and punctuation (`care-setting`
        finds `Care setting`), shown in its commonest spelling; 'role' is the role field."""
        wanted = attribute_norm(name)
        if wanted == "role":
            return "role"
        spellings = self._spellings().get(wanted)
        if spellings:
            return spellings[0]
        keys = self.attribute_names()
        raise NotFound(f"no participant attribute '{name}'; known: {', '.join(keys) or 'none'}")

    def attribute_names(self) -> list[str]:
        """One name per attribute meaning (`Region` and `region` are one), role first when present."""
        names = [spellings[0] for norm, spellings in self._spellings().items() if norm != "role"]
        has_role = any(p.role for p in self.participants.values())
        return (["role"] if has_role else []) + sorted(names, key=lambda k: (k.lower(), k))

    def attribute(self, participant_id: int, key: str) -> str:
        person = self.participants[participant_id]
        if key == "role":
            value = person.role
        else:
            spellings = self._spellings().get(attribute_norm(key), [key])
            value = next((person.attributes[k] for k in spellings if person.attributes.get(k) not in (None, "")), None)
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
    from qualcode.store import codes, coders, documents, memos, participants, sets

    people = {p.id: p for p in participants.list_all(session)}
    segs: dict[int, list[Segment]] = defaultdict(list)
    for seg in _segments(session):
        segs[seg.document_id].append(seg)
    by_label = {p.label: p.id for p in people.values()}
    linked = {
        s.id: tuple(sorted(by_label[label] for label in s.participants if label in by_label))
        for s in documents.summaries(session)
    }
    return Dataset(
        documents={d.id: d for d in documents.list_all(session)},
        codes=codes.list_all(session),
        codings=_codings(session),
        participants=people,
        coders={c.id: c.name for c in coders.list_all(session)},
        segments=dict(segs),
        document_participants=linked,
        memos=memos.list_all(session),
        named=_named(session),
        code_groups={
            g.name: tuple(i for kind, i in g.members if kind == "code")
            for g in sets.list_all(session) if any(kind == "code" for kind, _ in g.members)
        },
    )


# The repositories build one ORM object per row (about 4 s for 50,000 codings and 70,000 segments);
# the two bulk reads below select plain columns and build the same domain values several times faster.
# Segment text and meta are left out: every analysis slices the document text instead.


def _codings(session: Session) -> list[Coding]:
    from sqlalchemy import select

    from qualcode.domain import Provenance
    from qualcode.store.orm import CodingRow as C

    provenance = {str(p): p for p in Provenance}
    columns = (C.id, C.document_id, C.start, C.end, C.code_id, C.coder_id, C.created, C.provenance,
               C.codebook_version, C.memo, C.candidate_quote, C.guid)
    rows = session.execute(select(*columns).order_by(C.document_id, C.start, C.end, C.id))
    return [
        Coding(i, d, s, e, code, coder, created, provenance.get(p) or Provenance(p), v, memo, bool(cq), guid)
        for i, d, s, e, code, coder, created, p, v, memo, cq, guid in rows
    ]


def _segments(session: Session) -> list[Segment]:
    from sqlalchemy import select

    from qualcode.domain import SegmentKind
    from qualcode.store.orm import SegmentRow as S

    kinds = {str(k): k for k in SegmentKind}
    columns = (S.id, S.document_id, S.idx, S.start, S.end, S.kind, S.speaker, S.participant_id)
    rows = session.execute(select(*columns).order_by(S.document_id, S.idx))
    return [
        Segment(i, d, idx, s, e, kinds.get(k) or SegmentKind(k), speaker, pid)
        for i, d, idx, s, e, k, speaker, pid in rows
    ]


def _named(session: Session) -> dict[str, str]:
    """Names and aliases from the project's roster_extra setting, each with what it names."""
    from qualcode.quotes.roster import stored_extra

    roster = stored_extra(session)
    named: dict[str, str] = {}
    for group, word in (("people", "person"), ("places", "place"), ("organisations", "organisation")):
        for entry in getattr(roster, group):
            for name in (getattr(entry, "name", entry), *getattr(entry, "aliases", ())):
                if str(name).strip():
                    named.setdefault(str(name).strip(), word)
    return named
