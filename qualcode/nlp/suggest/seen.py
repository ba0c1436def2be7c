"""Which segments a coder has seen: the only ones whose missing codes are evidence (negatives) for training."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence

from qualcode.domain import Coding, Provenance, Segment
from qualcode.errors import InvalidInput
from qualcode.store import Session, meta

# project_meta key: {"coder name": [document ids]} for documents a coder has said are fully coded.
META_KEY = "suggest.coded_documents"
# An import says what was coded, not what was read: its gaps are unknowns, not "no code".
READ_IN_ORDER = {Provenance.MANUAL, Provenance.SUGGESTION, Provenance.AUTOCODE, Provenance.CONSENSUS}


def coded_documents(session: Session) -> dict[str, set[int]]:
    """coder name -> ids of the documents that coder marked as coded."""
    raw = meta.get(session, META_KEY)
    if not raw:
        return {}
    return {name: set(ids) for name, ids in json.loads(raw).items()}


def mark_coded(session: Session, coder: str, document_ids: Iterable[int], done: bool = True) -> dict[str, set[int]]:
    """Record (or, with done=False, withdraw) that `coder` has read these documents through."""
    if not coder:
        raise InvalidInput("say who coded the document: --coder NAME (or QUALCODE_CODER)")
    marks = coded_documents(session)
    ids = marks.setdefault(coder, set())
    ids.update(document_ids) if done else ids.difference_update(document_ids)
    meta.put(session, META_KEY, json.dumps({name: sorted(v) for name, v in sorted(marks.items()) if v}))
    return marks


def seen_segments(
    segments: Sequence[Segment],
    codings: Sequence[Coding],
    labels: dict[tuple[int, int], set[int]],
    marked: Iterable[int] = (),
    dismissed: Sequence[tuple[int, int, int]] = (),
) -> set[tuple[int, int]]:
    """(document id, segment index) of every segment someone has seen.

    Seen: a segment with a code; every segment of a document in `marked`; the segments between a coder's
    first and last coding of a document in reading order, when those codings were made in qualcode (not
    imported); a segment overlapping a dismissed (document id, start, end). The rest are unlabelled.
    """
    seen = {key for key, codes in labels.items() if codes}
    by_doc: dict[int, list[Segment]] = defaultdict(list)
    for seg in segments:
        by_doc[seg.document_id].append(seg)
    marked = set(marked)
    for doc in marked:
        seen.update((doc, seg.index) for seg in by_doc.get(doc, ()))
    spans: dict[tuple[int, int], list[int]] = {}
    for c in codings:
        if Provenance(c.provenance) not in READ_IN_ORDER:
            continue
        span = spans.setdefault((c.coder_id, c.document_id), [c.start, c.end])
        span[0], span[1] = min(span[0], c.start), max(span[1], c.end)
    for (_, doc), (start, end) in spans.items():
        seen.update((doc, seg.index) for seg in by_doc.get(doc, ()) if seg.start >= start and seg.end <= end)
    for doc, start, end in dismissed:
        seen.update((doc, seg.index) for seg in by_doc.get(doc, ()) if seg.start < end and start < seg.end)
    return seen
