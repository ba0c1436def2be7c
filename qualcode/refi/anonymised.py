"""A REFI-QDA snapshot with every document, title and memo masked by the project's share policy.

Codings keep their words: each offset moves with the text before it, and a coding edge that fell
inside a masked name moves to the edge of its pseudonym.
"""

from __future__ import annotations

import bisect
import dataclasses

from qualcode.anonymise.share import SharePolicy
from qualcode.refi.snapshot import Snapshot


def _mapper(result):
    """old offset -> new offset for one masked text; `end=True` maps a span's end."""
    starts = [s.start for s in result.spans]
    shifts, total = [], 0
    for span, replacement in zip(result.spans, result.replacements):
        shifts.append(total)
        total += len(replacement) - (span.end - span.start)

    def new(offset: int, end: bool = False) -> int:
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return offset
        span, before = result.spans[i], shifts[i]
        if offset >= span.end:
            return offset + before + len(result.replacements[i]) - (span.end - span.start)
        if offset == span.start:
            return offset + before
        # Inside a masked name: a start goes back to the pseudonym's start, an end forward to its end.
        return span.start + before + (len(result.replacements[i]) if end else 0)

    return new


def anonymised(snapshot: Snapshot, policy: SharePolicy) -> Snapshot:
    # No reviewer sees a REFI source before it leaves, so a roster form that reads as a word is masked
    # too ("I hope" for a participant called Hope), where a quote bank would hold the quote instead.
    results = policy.anonymiser.mask_many([d.text for d in snapshot.documents], policy.key, every_roster_form=True)
    mappers = {d.id: _mapper(r) for d, r in zip(snapshot.documents, results)}

    def mask(text: str) -> str:
        return policy.mask([text], every_roster_form=True)[0]

    titles = policy.mask([d.title for d in snapshot.documents], every_roster_form=True)  # one batch for the model
    documents = [dataclasses.replace(d, text=r.text, title=t) for d, r, t in zip(snapshot.documents, results, titles)]
    codings = []
    for c in snapshot.codings:
        new = mappers[c.document_id]
        start, end = new(c.start), new(c.end, end=True)
        codings.append(dataclasses.replace(c, start=start, end=max(end, start + 1), memo=mask(c.memo) if c.memo else c.memo))
    memos = [dataclasses.replace(m, text=mask(m.text), title=mask(m.title) if m.title else m.title) for m in snapshot.memos]
    return dataclasses.replace(snapshot, documents=documents, codings=codings, memos=memos)
