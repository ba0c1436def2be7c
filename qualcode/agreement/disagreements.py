"""Disputed units with every coder's codes and the text, and consensus codings chosen by an adjudicator."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import numpy as np

from qualcode.agreement.report import AgreementOptions, build_units, normalised
from qualcode.agreement.units import UnitKind, UnitTable, default_assignments, raw_arrays
from qualcode.domain.models import Code, Coder, Coding, Document, Provenance, Segment
from qualcode.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A unit on which the coders who rated it did not apply the same codes."""

    unit: UnitKind
    document_id: int
    start: int
    end: int
    segment_id: int | None
    text: str
    codes_by_coder: dict[int, tuple[int, ...]]  # coder id -> code ids applied (coders who rated the unit)
    disputed: tuple[int, ...]  # code ids some but not all of those coders applied
    missing_coders: tuple[int, ...]  # coders not assigned this unit

    def to_dict(self, code_names: dict[int, str] | None = None, coder_names: dict[int, str] | None = None) -> dict:
        code_name = (code_names or {}).get
        coder_name = (coder_names or {}).get
        return {
            "unit": str(self.unit),
            "document_id": self.document_id,
            "start": self.start,
            "end": self.end,
            "segment_id": self.segment_id,
            "text": self.text,
            "codes_by_coder": {
                coder_name(k, str(k)): [code_name(c, str(c)) for c in codes] for k, codes in self.codes_by_coder.items()
            },
            "disputed": [code_name(c, str(c)) for c in self.disputed],
            "missing_coders": [coder_name(k, str(k)) for k in self.missing_coders],
        }


def disagreements_in(units: UnitTable, documents: Sequence[Document]) -> list[Disagreement]:
    """Every unit rated by two or more coders where some applied a code and others did not."""
    n_observed = units.observed.sum(axis=1)
    applied = (units.presence & units.observed[None, :, :]).sum(axis=2)  # (codes, units)
    disputed = (applied > 0) & (applied < n_observed[None, :]) & (n_observed[None, :] >= 2)
    texts = {d.id: d.text for d in documents}
    out: list[Disagreement] = []
    for u in np.flatnonzero(disputed.any(axis=0)):
        coders = np.flatnonzero(units.observed[u])
        by_coder = {
            units.coder_ids[k]: tuple(units.code_ids[c] for c in np.flatnonzero(units.presence[:, u, k])) for k in coders
        }
        missing = tuple(units.coder_ids[k] for k in np.flatnonzero(~units.observed[u]))
        doc = int(units.unit_document[u])
        start, end = int(units.unit_start[u]), int(units.unit_end[u])
        segment = None if units.unit_segment is None else int(units.unit_segment[u])
        item = Disagreement(units.kind, doc, start, end, segment, texts.get(doc, "")[start:end], by_coder,
                            tuple(units.code_ids[c] for c in np.flatnonzero(disputed[:, u])), missing)
        previous = out[-1] if out else None
        if (units.kind is UnitKind.CHARACTER and previous is not None and previous.document_id == doc
                and previous.end == start and previous.codes_by_coder == by_coder):
            # neighbouring character runs coded alike are one disputed passage
            out[-1] = Disagreement(previous.unit, doc, previous.start, end, None, texts.get(doc, "")[previous.start:end],
                                   by_coder, previous.disputed, previous.missing_coders)
        else:
            out.append(item)
    return out


def find_disagreements(
    codings: Sequence[Coding],
    segments: Sequence[Segment],
    documents: Sequence[Document],
    codes: Sequence[Code],
    coders: Sequence[Coder],
    options: AgreementOptions | None = None,
) -> list[Disagreement]:
    """Disputed units under the same unit rules as build_report (unitized audits list character runs)."""
    options = normalised(options or AgreementOptions())
    if len(coders) < 2:
        raise InvalidInput("disagreements need at least two coders")
    if options.unit is UnitKind.UNITIZED:
        options = replace(options, unit=UnitKind.CHARACTER)
    raw = raw_arrays(codings)
    assignments = options.assignments if options.assignments is not None else default_assignments(raw)
    units = build_units(raw, segments, documents, [c.id for c in codes], [k.id for k in coders], options, assignments)
    return disagreements_in(units, documents)


def consensus_codings(
    disagreement: Disagreement,
    chosen_codes: Iterable[int],
    consensus_coder_id: int,
    *,
    codebook_version: int = 1,
    created: datetime | None = None,
    memo: str | None = None,
) -> list[Coding]:
    """Coding values for the consensus coder over the disputed unit, one per chosen code.

    Pure: ids are 0 until the store saves them. Storing, and any removal of earlier consensus codings,
    is the store's job.
    """
    chosen = list(dict.fromkeys(chosen_codes))
    if consensus_coder_id in disagreement.codes_by_coder:
        raise InvalidInput("the consensus coder must not be one of the coders being adjudicated")
    when = created or datetime.now(UTC)
    note = memo or "adjudicated from " + ", ".join(
        f"coder {k}: {list(codes)}" for k, codes in disagreement.codes_by_coder.items()
    )
    return [
        Coding(id=0, document_id=disagreement.document_id, start=disagreement.start, end=disagreement.end,
               code_id=int(code), coder_id=consensus_coder_id, created=when, provenance=Provenance.CONSENSUS,
               codebook_version=codebook_version, memo=note)
        for code in chosen
    ]


def render_disagreements(
    disagreements: Sequence[Disagreement],
    code_names: dict[int, str],
    coder_names: dict[int, str],
    document_titles: dict[int, str] | None = None,
    max_text: int = 240,
) -> str:
    """Markdown list of disputed units for reading in a terminal or a file: where, what, who coded what."""
    if not disagreements:
        return "No disagreements: every unit rated by two or more coders got the same codes from each.\n"
    titles = document_titles or {}
    out = [f"# Disagreements ({len(disagreements)})", ""]
    for item in disagreements:
        title = titles.get(item.document_id, f"document {item.document_id}")
        text = item.text if len(item.text) <= max_text else item.text[: max_text - 1] + "…"
        disputed = ", ".join(code_names.get(c, str(c)) for c in item.disputed)
        out.append(f"## {title} [{item.start}:{item.end}] — disputed: {disputed}")
        out.append("")
        out.append("> " + " ".join(text.split()))
        out.append("")
        for coder, codes in item.codes_by_coder.items():
            applied = ", ".join(code_names.get(c, str(c)) for c in codes) or "(none)"
            out.append(f"- {coder_names.get(coder, str(coder))}: {applied}")
        for coder in item.missing_coders:
            out.append(f"- {coder_names.get(coder, str(coder))}: not assigned")
        out.append("")
    return "\n".join(out)
