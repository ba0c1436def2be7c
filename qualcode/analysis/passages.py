"""Passages: overlapping codings of one code joined into one span, so a passage coded twice counts once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from qualcode.analysis.dataset import Excerpt
from qualcode.domain import Coding


def merge_overlapping(spans: Mapping[Excerpt, Sequence[Coding]]) -> dict[Excerpt, list[Coding]]:
    """Join spans of one document that share at least one character; each passage keeps its codings.

    Spans that only touch (one ends where the next starts) stay apart: they are two passages.
    The result is in document order.
    """
    merged: dict[Excerpt, list[Coding]] = {}
    current: Excerpt | None = None
    members: list[Coding] = []
    for excerpt in sorted(spans):
        if current is not None and excerpt.document_id == current.document_id and excerpt.start < current.end:
            current = Excerpt(current.document_id, current.start, max(current.end, excerpt.end))
            members.extend(spans[excerpt])
            continue
        if current is not None:
            merged[current] = members
        current, members = excerpt, list(spans[excerpt])
    if current is not None:
        merged[current] = members
    return merged


def coded_passages(codings: Iterable[Coding], *, across_codes: bool = False) -> list[tuple[Excerpt, list[Coding]]]:
    """Each code's overlapping codings (by any coders) joined into passages, in document order.

    Codings of different codes join only with across_codes (a quote bank's theme is one code with
    its descendants, so a parent and a child coding of one passage make one quote).
    """
    by_code: dict[int, dict[Excerpt, list[Coding]]] = defaultdict(lambda: defaultdict(list))
    for coding in codings:
        by_code[0 if across_codes else coding.code_id][Excerpt(coding.document_id, coding.start, coding.end)].append(coding)
    found = [(passage, members) for spans in by_code.values() for passage, members in merge_overlapping(spans).items()]
    return sorted(found, key=lambda pair: (pair[0], pair[1][0].code_id))
