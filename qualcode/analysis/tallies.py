"""Barrier and facilitator tallies: passages and participants per code, overall, by category and by coder.

An excerpt here is a distinct passage (see `Dataset.passages_of`): a passage two coders both coded,
even with slightly different edges, counts once, unless a coder is chosen.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from qualcode.analysis.counts import participants_of
from qualcode.analysis.dataset import Dataset, Excerpt
from qualcode.analysis.grouping import grouping
from qualcode.analysis.quotes import Quote, representative_quotes
from qualcode.domain import Valence
from qualcode.errors import InvalidInput, NotFound


@dataclass(frozen=True, slots=True)
class TallyRow:
    code_id: int
    path: str
    name: str
    excerpts: int
    participants: int
    documents: int
    quotes: tuple[Quote, ...] = ()
    # With per_coder: (coder, that coder's passages of this code), coders in name order.
    by_coder: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class TallyGroup:
    """One category of a breakdown with its ranked rows and the distinct totals across them."""

    value: str
    rows: tuple[TallyRow, ...]
    excerpts: int
    participants: int


@dataclass(frozen=True, slots=True)
class Tally:
    valence: str
    by: str | None
    rows: tuple[TallyRow, ...]
    excerpts: int
    participants: int
    groups: tuple[TallyGroup, ...] = ()
    coder: str | None = None  # only this coder's codings were counted
    coders: tuple[str, ...] = ()  # with per_coder: the coders of the by_coder columns


@dataclass(frozen=True, slots=True)
class Matrix:
    """Constructs (rows) by cases (columns); cells count excerpts."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]
    case: str


def parse_valence(text: str) -> Valence:
    wanted = text.strip().lower().rstrip("s")
    for valence in (Valence.BARRIER, Valence.FACILITATOR):
        if wanted == str(valence):
            return valence
    raise InvalidInput(f"'{text}' is not barriers or facilitators")


def valence_codes(ds: Dataset, valence: Valence) -> list:
    return [c for c in ds.codes if c.valence == valence]


def _rank(rows: list[TallyRow]) -> tuple[TallyRow, ...]:
    return tuple(sorted(rows, key=lambda r: (-r.excerpts, -r.participants, r.path)))


def _row(ds: Dataset, code, spans: dict[Excerpt, list], quotes: int, coders: dict[int, str] | None = None) -> TallyRow:
    return TallyRow(
        code_id=code.id,
        path=code.path,
        name=code.name,
        excerpts=len(spans),
        participants=len(participants_of(ds, spans)),
        documents=len({e.document_id for e in spans}),
        quotes=tuple(representative_quotes(ds, spans, quotes)) if quotes and spans else (),
        by_coder=tuple((name, len(ds.passages_of(ds.subtree(code.id), cid))) for cid, name in (coders or {}).items()),
    )


def coder_id(ds: Dataset, name: str) -> int:
    wanted = name.strip().lower()
    for cid, coder in ds.coders.items():
        if coder.lower() == wanted:
            return cid
    raise NotFound(f"no coder '{name}'; known: {', '.join(sorted(ds.coders.values())) or 'none'}")


def tally(
    ds: Dataset, valence: Valence | str, by: str | None = None, quotes: int = 0,
    coder: str | None = None, per_coder: bool = False,
) -> Tally:
    """Rank the codes of one valence (each with its descendants) by passages, then participants.

    With `by`, each category gets its own ranking; a passage counts in every category it falls in.
    With `coder`, only that coder's codings count; with `per_coder`, each row also gives every
    coder's own count (the first columns still count distinct passages across coders).
    """
    valence = parse_valence(valence) if isinstance(valence, str) else valence
    only = coder_id(ds, coder) if coder else None
    columns = {cid: name for cid, name in sorted(ds.coders.items(), key=lambda kv: kv[1].lower())} if per_coder else None
    codes = valence_codes(ds, valence)
    spans_of = {c.id: ds.passages_of(ds.subtree(c.id), only) for c in codes}
    everything = {e for spans in spans_of.values() for e in spans}
    overall = _rank([_row(ds, c, spans_of[c.id], quotes, columns) for c in codes])
    groups: list[TallyGroup] = []
    if by:
        split = grouping(ds, by)
        per_value: dict[str, dict[int, dict[Excerpt, list]]] = defaultdict(lambda: defaultdict(dict))
        for code in codes:
            for excerpt, codings in spans_of[code.id].items():
                for value in split.values(excerpt):
                    per_value[value][code.id][excerpt] = codings
        order = list(split.order) + sorted(v for v in per_value if v not in split.order)
        for value in order:
            by_code = per_value.get(value)
            if not by_code:
                continue
            rows = [_row(ds, ds.code(cid), spans, quotes) for cid, spans in by_code.items()]
            group_spans = {e for spans in by_code.values() for e in spans}
            groups.append(TallyGroup(value, _rank(rows), len(group_spans), len(participants_of(ds, group_spans))))
    return Tally(
        valence=str(valence),
        by=by,
        rows=overall,
        excerpts=len(everything),
        participants=len(participants_of(ds, everything)),
        groups=tuple(groups),
        coder=ds.coders[only] if only is not None else None,
        coders=tuple(columns.values()) if columns else (),
    )


def construct_matrix(ds: Dataset, case: str = "participant", valence: Valence | str | None = None) -> Matrix:
    """Barriers and facilitators (rows) by cases (participants, documents, sites...): passage counts."""
    if valence is None:
        wanted = [Valence.BARRIER, Valence.FACILITATOR]
    else:
        wanted = [parse_valence(valence) if isinstance(valence, str) else valence]
    split = grouping(ds, case)
    codes = [c for v in wanted for c in valence_codes(ds, v)]
    counts: dict[int, dict[str, int]] = {}
    for code in codes:
        row: dict[str, int] = defaultdict(int)
        for excerpt in ds.passages_of(ds.subtree(code.id)):
            for value in split.values(excerpt):
                row[value] += 1
        counts[code.id] = row
    columns = list(split.order) + sorted({v for r in counts.values() for v in r} - set(split.order))
    return Matrix(
        rows=tuple(c.path for c in codes),
        columns=tuple(columns),
        cells=tuple(tuple(counts[c.id].get(col, 0) for col in columns) for c in codes),
        case=split.name,
    )
