"""Thematic saturation after Guest, Namey & Chen (2020, PLoS ONE 15(5): e0232076).

In collection order: the base is the first `base_size` documents and the codes found in them;
a run is `run_length` consecutive documents after the base, runs sliding forward one document at a
time; a run's new information is the number of codes first seen in its documents (new relative to
every earlier document) divided by the number of codes in the base. Saturation is reached at the
last document of the first run whose new information is at or under the threshold (5% by default).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qualcode.analysis.dataset import Dataset
from qualcode.errors import InvalidInput, NotFound


@dataclass(frozen=True, slots=True)
class Step:
    """One document in collection order: how many codes it holds and how many appear first in it."""

    position: int
    title: str
    kind: str
    codes: int
    new_codes: int
    cumulative: int


@dataclass(frozen=True, slots=True)
class Run:
    first: int
    last: int
    new_codes: int
    new_share: float


@dataclass(frozen=True, slots=True)
class Curve:
    scope: str
    base_size: int
    run_length: int
    threshold: float
    base_codes: int
    steps: tuple[Step, ...]
    runs: tuple[Run, ...]
    saturation_at: int | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Saturation:
    order: str
    overall: Curve
    by_kind: tuple[Curve, ...]


def curve(
    sequence: Sequence[tuple[str, str, Iterable]],
    *,
    base_size: int = 4,
    run_length: int = 2,
    threshold: float = 0.05,
    scope: str = "all",
) -> Curve:
    """The saturation curve of (title, kind, codes) triples already in collection order."""
    if base_size < 1 or run_length < 1:
        raise InvalidInput("base size and run length must both be at least 1")
    if not 0 <= threshold < 1:
        raise InvalidInput(f"threshold {threshold} must be a share between 0 and 1 (0.05 means 5%)")
    seen: set = set()
    steps = []
    for position, (title, kind, codes) in enumerate(sequence, start=1):
        codes = set(codes)
        new = codes - seen
        seen |= codes
        steps.append(Step(position, title, kind, len(codes), len(new), len(seen)))
    base_codes = steps[base_size - 1].cumulative if len(steps) >= base_size else len(seen)
    runs, saturation_at, note = [], None, ""
    if len(steps) < base_size + run_length:
        note = f"{len(steps)} document(s): saturation needs at least base size + run length = {base_size + run_length}"
    elif base_codes == 0:
        note = "no codes in the base documents: new information cannot be measured against them"
    else:
        for first in range(base_size + 1, len(steps) - run_length + 2):
            last = first + run_length - 1
            new = sum(s.new_codes for s in steps[first - 1 : last])
            share = new / base_codes
            runs.append(Run(first, last, new, round(share, 4)))
            if saturation_at is None and share <= threshold + 1e-12:
                saturation_at = last
        if saturation_at is None:
            note = f"new information never fell to {threshold:.0%} or below"
    return Curve(scope, base_size, run_length, threshold, base_codes, tuple(steps), tuple(runs), saturation_at, note)


def collection_order(ds: Dataset, order: str | Sequence[str] = "date") -> list[int]:
    """Document ids by date (undated ones after, in import order), by import order, or as listed."""
    docs = list(ds.documents.values())
    if isinstance(order, str) and order == "import":
        return [d.id for d in docs]
    if isinstance(order, str) and order == "date":
        return [d.id for d in sorted(docs, key=lambda d: (d.date is None, d.date or "", d.id))]
    names = [o.strip() for o in (order.split(",") if isinstance(order, str) else order) if o.strip()]
    by_title = {d.title: d.id for d in docs}
    chosen = []
    for name in names:
        if name in by_title:
            chosen.append(by_title[name])
        elif name.isdigit() and int(name) in ds.documents:
            chosen.append(int(name))
        else:
            raise NotFound(f"no document '{name}' in the chosen order")
    return chosen


def saturation(
    ds: Dataset,
    *,
    base_size: int = 4,
    run_length: int = 2,
    threshold: float = 0.05,
    order: str | Sequence[str] = "date",
    code: str | None = None,
) -> Saturation:
    """Curves over all documents and per document kind; `code` limits the count to one theme's subtree."""
    allowed = ds.subtree(ds.resolve_code(code).id) if code else None
    per_doc: dict[int, set[int]] = {}
    for coding in ds.codings:
        if allowed is None or coding.code_id in allowed:
            per_doc.setdefault(coding.document_id, set()).add(coding.code_id)
    ids = collection_order(ds, order)
    sequence = [(ds.documents[i].title, str(ds.documents[i].kind), per_doc.get(i, set())) for i in ids]
    options = {"base_size": base_size, "run_length": run_length, "threshold": threshold}
    overall = curve(sequence, scope="all", **options)
    kinds = [k for k in ds.kinds() if any(kind == k for _, kind, _ in sequence)]
    by_kind = tuple(curve([s for s in sequence if s[1] == k], scope=k, **options) for k in kinds)
    label = order if isinstance(order, str) and order in ("date", "import") else "chosen"
    return Saturation(label, overall, by_kind)
