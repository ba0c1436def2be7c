"""What suggesters learn from, read from a project: code profiles, segments labelled by codings, dismissals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qualcode.domain import Code, Coding, Segment
from qualcode.nlp.suggest.protocol import CodeProfile, Excerpt
from qualcode.store import coders as coder_repo
from qualcode.store import codes as code_repo
from qualcode.store import codings as coding_repo
from qualcode.store import documents as doc_repo
from qualcode.store.codings import CodingFilter

if TYPE_CHECKING:
    from qualcode.store import Session

# A coding labels a segment when it covers at least half of the shorter of the two.
MIN_OVERLAP = 0.5


@dataclass(slots=True)
class ProjectCorpus:
    """Every segment as an Excerpt (labelled with the codes applied to it) plus the codebook and dismissals."""

    codes: list[CodeProfile]
    segments: list[Excerpt]
    coded_documents: set[int] = field(default_factory=set)
    negatives: list[tuple[str, int]] = field(default_factory=list)
    # (document id, segment index) of the segments a coder has seen (`seen.seen_segments`); None: every
    # segment of a coded document counts as seen (corpora built by hand, in tests and benchmarks).
    seen: set[tuple[int, int]] | None = None

    @property
    def labelled(self) -> list[Excerpt]:
        """The training examples: segments someone has seen, so a code they lack is a code not applied.

        A segment nobody has looked at is unlabelled, not a negative: it is what the analyst asks about.
        """
        if self.seen is None:
            return [s for s in self.segments if s.document_id in self.coded_documents]
        return [s for s in self.segments if (s.document_id, s.segment_index) in self.seen]

    @property
    def unlabelled(self) -> list[Excerpt]:
        """Segments of the project nobody has seen (the ones suggestions are for)."""
        taken = {id(e) for e in self.labelled}
        return [s for s in self.segments if id(s) not in taken]

    def segment(self, document_id: int, index: int) -> Excerpt | None:
        for s in self.segments:
            if s.document_id == document_id and s.segment_index == index:
                return s
        return None


def profiles(codes: Sequence[Code], applied: Iterable[int] = ()) -> list[CodeProfile]:
    """Leaf codes, plus any parent someone has applied: an unused parent would compete with its own children."""
    parents = {c.parent_id for c in codes if c.parent_id is not None}
    used = set(applied)
    return [
        CodeProfile(c.id, c.path, c.name, c.description, c.inclusion, tuple(c.examples), tuple(c.keywords), c.exclusion)
        for c in codes
        if c.id not in parents or c.id in used
    ]


def label_segments(segments: Sequence[Segment], codings: Sequence[Coding]) -> dict[tuple[int, int], set[int]]:
    """(document id, segment index) -> ids of the codes whose codings cover enough of that segment."""
    by_doc: dict[int, list[Segment]] = defaultdict(list)
    for seg in segments:
        by_doc[seg.document_id].append(seg)
    labels: dict[tuple[int, int], set[int]] = defaultdict(set)
    for coding in codings:
        for seg in by_doc.get(coding.document_id, ()):
            overlap = min(seg.end, coding.end) - max(seg.start, coding.start)
            shorter = max(1, min(seg.end - seg.start, coding.end - coding.start))
            if overlap > 0 and overlap >= MIN_OVERLAP * shorter:
                labels[(seg.document_id, seg.index)].add(coding.code_id)
    return labels


def load_corpus(session: Session, coder: str | None = None, feedback_rows: Sequence | None = None) -> ProjectCorpus:
    """Read the project; with `coder`, only that coder's codings and dismissals teach the model."""
    from qualcode.nlp.suggest import feedback, seen

    coder_ids = (coder_repo.find(session, coder).id,) if coder else None
    codings = coding_repo.query(session, CodingFilter(coder_ids=coder_ids))
    segments = doc_repo.all_segments(session)
    texts = {d.id: d.text for d in doc_repo.list_all(session)}
    labels = label_segments(segments, codings)
    excerpts = [
        Excerpt(
            text=texts[s.document_id][s.start : s.end],
            codes=frozenset(labels.get((s.document_id, s.index), ())),
            document_id=s.document_id,
            segment_index=s.index,
            start=s.start,
            end=s.end,
            speaker=s.speaker or "",
        )
        for s in segments
    ]
    excerpts = placed(excerpts)
    dismissed = feedback.dismissed(session, coder_ids[0] if coder_ids else None)
    negatives = [(texts[d.document_id][d.start : d.end], d.code_id) for d in dismissed if d.document_id in texts]
    marks = seen.coded_documents(session)
    marked = marks.get(coder, set()) if coder else set().union(*marks.values())
    seen_keys = seen.seen_segments(segments, codings, labels, marked, [(d.document_id, d.start, d.end) for d in dismissed])
    return ProjectCorpus(
        codes=profiles(code_repo.list_all(session), {c.code_id for c in codings}),
        segments=excerpts,
        coded_documents={c.document_id for c in codings} | (marked & set(texts)),
        negatives=negatives,
        seen=seen_keys,
    )


def placed(excerpts: Sequence[Excerpt]) -> list[Excerpt]:
    """The excerpts with their surroundings: the texts of the segments before and after, and the position.

    Excerpts are grouped by document and ordered by segment index; position is the index over the number
    of segments in the document, so the first of ten segments is at 0.0 and the last at 0.9.
    """
    from dataclasses import replace

    by_doc: dict[int | None, list[Excerpt]] = defaultdict(list)
    for e in excerpts:
        by_doc[e.document_id].append(e)
    result: dict[int, Excerpt] = {}
    for document in by_doc.values():
        ordered = sorted(document, key=lambda e: (e.segment_index or 0, e.start))
        for i, e in enumerate(ordered):
            result[id(e)] = replace(
                e,
                before=ordered[i - 1].text if i > 0 else "",
                after=ordered[i + 1].text if i + 1 < len(ordered) else "",
                position=i / len(ordered),
            )
    return [result[id(e)] for e in excerpts]


def excerpt_in(document_id: int, text: str, segments: Sequence[Segment], start: int, end: int) -> Excerpt:
    """The span [start, end) of a document as an Excerpt placed among the document's segments, as `placed` does."""
    ordered = sorted(segments, key=lambda seg: seg.start)
    if not ordered:
        return Excerpt(text[start:end], document_id=document_id, start=start, end=end)
    inside = [i for i, seg in enumerate(ordered) if seg.start < end and start < seg.end]
    if not inside:  # an empty span, or one between segments: the nearest segment places it
        inside = [min(range(len(ordered)), key=lambda i: abs(ordered[i].start - start))]
    first, last = inside[0], inside[-1]
    return Excerpt(
        text[start:end],
        document_id=document_id,
        segment_index=ordered[first].index,
        start=start,
        end=end,
        before=text[ordered[first - 1].start : ordered[first - 1].end] if first > 0 else "",
        after=text[ordered[last + 1].start : ordered[last + 1].end] if last + 1 < len(ordered) else "",
        position=first / len(ordered),
        speaker=ordered[first].speaker or "",
    )
