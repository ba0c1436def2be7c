"""Per-code u-alpha for the report: codings laid out on one continuum of the documents every coder shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from qualcode.agreement import coefficients as C
from qualcode.agreement.results import CodeAgreement
from qualcode.agreement.unitized import Continuum, fast_category, merged_units, overall_alpha
from qualcode.agreement.units import CodingArrays, index_of, coding_arrays
from qualcode.domain.models import Code, Coder, Coding, Document


def unitized_codes(
    codings: Sequence[Coding] | CodingArrays,
    documents: Sequence[Document],
    codes: Sequence[Code],
    coders: Sequence[Coder],
    assignments: Mapping[int, set[int]],
):
    """(per-code CodeAgreement list, overall Coefficient, continuum length, documents, notes).

    u-alpha assumes every coder unitized the whole continuum, so only documents assigned to every
    selected coder take part.
    """
    shared = set.intersection(*(set(assignments.get(k.id, ())) for k in coders))
    docs = sorted((d for d in documents if d.id in shared), key=lambda d: d.id)
    continuum = Continuum.of([len(d.text) for d in docs])
    total = continuum.total
    notes = [
        "unitized: the continuum is the text of the documents every selected coder was assigned "
        f"({len(docs)} documents, {total} characters); n is that length in characters",
        "no bootstrap interval is computed for u-alpha",
    ]
    if total == 0:
        reason = "no document was assigned to every selected coder"
        per_code = [CodeAgreement(c.id, c.name, c.path, 0, None, {k.name: 0 for k in coders},
                                  {C.UNITIZED: C.Coefficient(C.UNITIZED, None, 0, reason)}) for c in codes]
        return per_code, C.Coefficient(C.UNITIZED, None, 0, reason), 0, 0, notes
    arrays = coding_arrays(codings, [c.id for c in codes], [k.id for k in coders])
    doc = index_of(arrays.document, [d.id for d in docs])
    keep = doc >= 0
    doc, code, coder = doc[keep], arrays.code[keep], arrays.coder[keep]
    start = continuum.offsets[doc] + np.clip(arrays.start[keep], 0, continuum.lengths[doc])
    end = continuum.offsets[doc] + np.clip(arrays.end[keep], 0, continuum.lengths[doc])
    # one sort groups the spans by code and coder; each group is then a contiguous slice
    group = code.astype(np.int64) * len(coders) + coder
    order = np.argsort(group, kind="stable")
    group, start, end = group[order], start[order], end[order]
    bounds = np.searchsorted(group, np.arange(len(codes) * len(coders) + 1))
    results, per_code = {}, []
    for c, code_value in enumerate(codes):
        units = [merged_units(start[bounds[g]:bounds[g + 1]], end[bounds[g]:bounds[g + 1]])
                 for g in range(c * len(coders), (c + 1) * len(coders))]
        result = fast_category(units, continuum)
        results[code_value.id] = result
        coded = [int((e - s).sum()) for s, e in units]
        reason = None
        if result.n_units == 0:
            reason = "no variation: no coder used this code"
        elif all(n == total for n in coded):
            reason = "no variation: every coder coded the whole text with this code"
        elif result.alpha is None:
            reason = "expected disagreement is zero"
        coefficient = C.Coefficient(C.UNITIZED, None if reason else result.alpha, total, reason)
        per_code.append(CodeAgreement(code_value.id, code_value.name, code_value.path, total,
                                      sum(coded) / (total * len(coders)),
                                      {k.name: coded[i] for i, k in enumerate(coders)}, {C.UNITIZED: coefficient}))
    overall = overall_alpha(results)
    reason = None if overall is not None else "no code was used by any coder"
    return per_code, C.Coefficient(C.UNITIZED, overall, total, reason), total, len(docs), notes
