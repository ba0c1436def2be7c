"""Per-code u-alpha for the report: codings grouped into spans per code, coder and shared document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from qualcode.agreement import coefficients as C
from qualcode.agreement.results import CodeAgreement
from qualcode.agreement.unitized import merge_spans, unitized_alpha
from qualcode.domain.models import Code, Coder, Coding, Document


def unitized_codes(
    codings: Sequence[Coding],
    documents: Sequence[Document],
    codes: Sequence[Code],
    coders: Sequence[Coder],
    assignments: Mapping[int, set[int]],
):
    """(per-code CodeAgreement list, overall Coefficient, continuum length, documents, notes).

    u-alpha assumes every coder unitized the whole continuum, so only documents assigned to every
    selected coder take part.
    """
    shared = set.intersection(*(set(assignments.get(k.id, ())) for k in coders)) if coders else set()
    docs = sorted((d for d in documents if d.id in shared), key=lambda d: d.id)
    doc_pos = {d.id: i for i, d in enumerate(docs)}
    coder_pos = {k.id: i for i, k in enumerate(coders)}
    spans = {c.id: [[[] for _ in docs] for _ in coders] for c in codes}
    for coding in codings:
        if coding.code_id in spans and coding.coder_id in coder_pos and coding.document_id in doc_pos:
            doc = doc_pos[coding.document_id]
            spans[coding.code_id][coder_pos[coding.coder_id]][doc].append(
                (max(0, coding.start), min(len(docs[doc].text), coding.end))
            )
    lengths = [len(d.text) for d in docs]
    total = sum(lengths)
    notes = [
        "unitized: the continuum is the text of the documents every selected coder was assigned "
        f"({len(docs)} documents, {total} characters); n is that length in characters",
        "no bootstrap interval is computed for u-alpha",
    ]
    if total == 0:
        reason = "no document was assigned to every selected coder"
        per_code = [
            CodeAgreement(c.id, c.name, c.path, 0, None, {k.name: 0 for k in coders},
                          {C.UNITIZED: C.Coefficient(C.UNITIZED, None, 0, reason)})
            for c in codes
        ]
        return per_code, C.Coefficient(C.UNITIZED, None, 0, reason), 0, 0, notes
    results, overall = unitized_alpha(spans, lengths)
    per_code = []
    for code in codes:
        result = results[code.id]
        coded = [sum(b - a for doc in spans[code.id][i] for a, b in merge_spans(doc)) for i in range(len(coders))]
        reason = None
        if result.n_units == 0:
            reason = "no variation: no coder used this code"
        elif result.alpha is None:
            reason = "expected disagreement is zero"
        elif result.observed == 0 and all(c == total for c in coded):
            reason = "no variation: every coder coded the whole text with this code"
        value = None if reason else result.alpha
        coefficient = C.Coefficient(C.UNITIZED, value, total, reason)
        per_code.append(CodeAgreement(code.id, code.name, code.path, total, sum(coded) / (total * len(coders)),
                                      {k.name: coded[i] for i, k in enumerate(coders)}, {C.UNITIZED: coefficient}))
    reason = None if overall is not None else "no code was used by any coder"
    return per_code, C.Coefficient(C.UNITIZED, overall, total, reason), total, len(docs), notes
