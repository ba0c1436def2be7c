"""Build an agreement report from domain values: options, unit tables, coefficients per code, groups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import numpy as np
from threadpoolctl import threadpool_limits  # installed with scikit-learn

from qualcode.agreement import coefficients as C
from qualcode.agreement.bootstrap import DEFAULT_REPS, DEFAULT_SEED
from qualcode.agreement.character import character_tables
from qualcode.agreement.groups import GROUP_RULE, group_values
from qualcode.agreement.measures import code_tables, measure, pooled_table, prevalence
from qualcode.agreement.patterns import rating_table
from qualcode.agreement.results import AgreementReport, CodeAgreement, GroupAgreement, PairAgreement
from qualcode.agreement.sentence import SEMANTICS, methods_sentence, unit_label
from qualcode.agreement.unitized_report import unitized_codes
from qualcode.agreement.units import (
    CodingArrays,
    UnitKind,
    UnitTable,
    character_notes,
    character_units,
    default_assignments,
    document_units,
    raw_arrays,
    segment_units,
)
from qualcode.domain.models import Code, Coder, Coding, Document, Segment
from qualcode.errors import InvalidInput

UNITIZED = C.UNITIZED


@dataclass(frozen=True, slots=True)
class AgreementOptions:
    """How to audit agreement. Every field is stated in the report it produces."""

    unit: UnitKind = UnitKind.SEGMENT
    min_overlap: float = 0.0
    """Segment units: share of a segment one coding must cover to count (0 = any overlap)."""
    exclude_uncoded: bool = False
    """Character units: leave out text that no coder coded with any selected code."""
    assignments: Mapping[int, set[int]] | None = None
    """coder id -> document ids the coder was asked to code; default: documents with a coding by them."""
    segment_assignments: Mapping[int, set[int]] | None = None
    """Segment units: coder id -> segment ids the coder was asked to code (samples within documents)."""
    groups: Mapping[str, Sequence[int]] = field(default_factory=dict)
    """name -> code ids of a mutually exclusive group (semantic domain), audited as one nominal variable."""
    group_none_as_category: bool = False
    bootstrap_reps: int = DEFAULT_REPS
    seed: int = DEFAULT_SEED
    confidence: float = 0.95
    codebook_version: int | None = None
    round_label: str | None = None
    timestamp: datetime | None = None
    libraries: bool = False
    """Take every point estimate the libraries offer from them (krippendorff, statsmodels, scikit-learn)
    instead of the equal closed forms; slower, for checking."""


def normalised(options: AgreementOptions) -> AgreementOptions:
    """Options with ``unit`` as a UnitKind, so plain strings such as "segment" work too."""
    try:
        return replace(options, unit=UnitKind(options.unit))
    except ValueError:
        kinds = ", ".join(kind.value for kind in UnitKind)
        raise InvalidInput(f"unknown unit {options.unit!r}; choose one of {kinds}") from None


def build_units(
    codings: Sequence[Coding],
    segments: Sequence[Segment],
    documents: Sequence[Document],
    code_ids: Sequence[int],
    coder_ids: Sequence[int],
    options: AgreementOptions,
    assignments: Mapping[int, set[int]] | None = None,
) -> UnitTable:
    """The unit table the options ask for (segment, character or document units)."""
    if assignments is None:
        assignments = options.assignments if options.assignments is not None else default_assignments(codings)
    if options.unit is UnitKind.SEGMENT:
        if not segments:
            raise InvalidInput("segment units need segments; import documents with turns or paragraphs first")
        return segment_units(codings, segments, code_ids, coder_ids, assignments, options.min_overlap,
                             options.segment_assignments)
    if options.unit is UnitKind.DOCUMENT:
        return document_units(codings, documents, code_ids, coder_ids, assignments)
    if options.unit is UnitKind.CHARACTER:
        return character_units(codings, documents, code_ids, coder_ids, assignments, options.exclude_uncoded)
    raise InvalidInput(f"no unit table for unit {options.unit}")


def build_report(
    codings: Sequence[Coding] | CodingArrays,
    segments: Sequence[Segment],
    documents: Sequence[Document],
    codes: Sequence[Code],
    coders: Sequence[Coder],
    options: AgreementOptions | None = None,
) -> AgreementReport:
    """Audit agreement among ``coders`` on ``codes``; pure: reads domain values, returns a report.

    ``codings`` may also be a ``CodingArrays`` of raw ids (document, start, end, code id, coder id), for
    callers that can read them column-wise and skip building a million Coding values.
    """
    options = normalised(options or AgreementOptions())
    if len(coders) < 2:
        raise InvalidInput("agreement needs at least two coders")
    if not codes:
        raise InvalidInput("agreement needs at least one code")
    if options.bootstrap_reps < 0:
        raise InvalidInput("bootstrap repetitions cannot be negative")
    if not 0 < options.confidence < 1:
        raise InvalidInput("confidence must be between 0 and 1, e.g. 0.95")
    code_ids = [c.id for c in codes]
    coder_ids = [k.id for k in coders]
    if len(set(code_ids)) != len(code_ids) or len(set(coder_ids)) != len(coder_ids):
        raise InvalidInput("each code and each coder may be listed only once")
    if options.segment_assignments is not None and options.unit is not UnitKind.SEGMENT:
        raise InvalidInput("segment assignments need segment units")
    if options.groups and options.unit is UnitKind.UNITIZED:
        raise InvalidInput("code groups need segment, character or document units, not unitized")
    for name, ids in options.groups.items():
        unknown = [i for i in ids if i not in code_ids]
        if unknown or len(set(ids)) < 2:
            raise InvalidInput(f"group {name!r} needs two or more of the selected codes (unknown ids: {unknown})")
    names = tuple(k.name for k in coders)
    timestamp = options.timestamp or datetime.now(UTC)
    if options.unit is UnitKind.UNITIZED:
        raw = raw_arrays(codings)
        assignments = options.assignments if options.assignments is not None else default_assignments(raw)
        per_code, overall, n_units, n_docs, notes = unitized_codes(raw, documents, codes, coders, assignments)
        return _assemble(options, names, per_code, {UNITIZED: overall}, (), n_units, n_docs, notes, timestamp,
                         UNITIZED, segments)
    # the matrix products here are small; BLAS threads cost more in start-up than they save
    with threadpool_limits(limits=1, user_api="blas"):
        return _build(codings, segments, documents, codes, coders, options, code_ids, coder_ids, names, timestamp)


def _build(codings, segments, documents, codes, coders, options, code_ids, coder_ids, names, timestamp):
    raw = raw_arrays(codings)  # one pass over the coding values; everything after is numpy
    assignments = options.assignments if options.assignments is not None else default_assignments(raw)
    if options.unit is UnitKind.CHARACTER:
        swept = character_tables(raw, documents, code_ids, coder_ids, assignments, options.exclude_uncoded)
        tables, n_units, n_docs = swept.tables, swept.n_units, swept.n_documents
        # the krippendorff package takes one row per unit, here one per character: the closed form
        # over weighted runs gives the same value (see the tests) without that expansion
        point = "libraries" if options.libraries else "closed"
        notes = character_notes(options.exclude_uncoded)
        if not options.libraries:
            notes += ("alpha computed with the closed form over weighted runs of characters "
                      "(equal to the krippendorff package)",)

        def group_units(ids):
            return character_units(raw, documents, ids, coder_ids, assignments, options.exclude_uncoded)
    else:
        units = build_units(raw, segments, documents, code_ids, coder_ids, options, assignments)
        tables, point, notes = code_tables(units), "libraries" if options.libraries else "library", units.notes
        rated = units.observed.sum(axis=1) >= 2
        n_units = int(units.weights[rated].sum())
        n_docs = len(np.unique(units.unit_document[rated]))

        def group_units(ids):
            return units
    per_code = []
    for code, table in zip(codes, tables):
        coefficients, pair_values = measure(table, C.ALL_OVERALL, options.bootstrap_reps, (options.seed, code.id),
                                            options.confidence, point=point, with_pairs=True)
        applied_by = {name: int(round(table.weights @ (table.values[:, k] == 1))) for k, name in enumerate(names)}
        pairs = tuple(PairAgreement(names[a], names[b], kappa) for (a, b), kappa in pair_values.items())
        per_code.append(CodeAgreement(code.id, code.name, code.path, int(coefficients[C.ALPHA].n_units),
                                      prevalence(table), applied_by, coefficients, pairs))
    # pooled decisions are not independent across codes, so no interval is claimed for them
    overall, _ = measure(pooled_table(tables), C.ALL_OVERALL, 0, options.seed, options.confidence, point="closed")
    groups = tuple(_group(group_units(list(dict.fromkeys(ids))), name, ids, codes, options, point)
                   for name, ids in options.groups.items())
    return _assemble(options, names, per_code, overall, groups, n_units, n_docs, notes, timestamp, C.ALPHA,
                     segments)


def _group(units: UnitTable, name: str, ids: Sequence[int], codes: Sequence[Code], options: AgreementOptions,
           point: str):
    known = {c.id: c.name for c in codes}
    ids = list(dict.fromkeys(ids))
    grouped = group_values(units, ids, options.group_none_as_category)
    table = rating_table(grouped.values, grouped.n_categories, units.weights.astype(np.float64))
    coefficients, _ = measure(table, C.ALL_OVERALL, options.bootstrap_reps, (options.seed, 0, *ids),
                              options.confidence, point=point)
    return GroupAgreement(name, tuple(known[i] for i in ids), coefficients[C.ALPHA].n_units, grouped.violations,
                          coefficients)


def _assemble(options, names, per_code, overall, groups, n_units, n_docs, notes, timestamp, primary, segments):
    label = unit_label(options.unit, segments)
    option_view = {
        "unit": str(options.unit), "min_overlap": options.min_overlap, "exclude_uncoded": options.exclude_uncoded,
        "bootstrap_reps": options.bootstrap_reps if primary != UNITIZED else 0, "seed": options.seed,
        "confidence": options.confidence, "group_none_as_category": options.group_none_as_category,
        "point_estimates": "libraries" if options.libraries else "krippendorff for alpha, closed forms otherwise",
        "assignments": "segments given" if options.segment_assignments is not None
        else "given" if options.assignments is not None else "documents each coder coded",
    }
    semantics = SEMANTICS + ((GROUP_RULE,) if groups else ())
    report = AgreementReport(
        options.unit, label, names, n_units, n_docs, tuple(per_code), overall, tuple(groups), option_view,
        semantics, tuple(notes), options.codebook_version, options.round_label, timestamp, primary, "",
    )
    return _with_sentence(report)


def _with_sentence(report: AgreementReport) -> AgreementReport:
    return replace(report, sentence=methods_sentence(report))
