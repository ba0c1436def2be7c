"""Hypothesis strategies and builders for random coding studies (invented data, no people)."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from hypothesis import strategies as st

from qualcode.domain.models import Coding, Document, DocumentKind, Segment, SegmentKind

WHEN = datetime(2024, 1, 1)


def make_documents(lengths):
    return [Document(id=10 + i, title=f"doc{i}", kind=DocumentKind.INTERVIEW, text="x" * n) for i, n in enumerate(lengths)]


def make_segments(documents, cuts_per_doc):
    segments, next_id = [], 1
    for doc, cuts in zip(documents, cuts_per_doc):
        bounds = [0, *sorted(set(cuts)), len(doc.text)]
        for index, (a, b) in enumerate(zip(bounds, bounds[1:])):
            if b > a:
                segments.append(Segment(id=next_id, document_id=doc.id, index=index, start=a, end=b, kind=SegmentKind.TURN))
                next_id += 1
    return segments


def make_coding(i, doc_id, start, end, code_id, coder_id):
    return Coding(id=i, document_id=doc_id, start=start, end=end, code_id=code_id, coder_id=coder_id, created=WHEN)


@st.composite
def studies(draw, max_docs=3, max_len=60):
    """Documents, segments, codings by 2-4 coders with 1-4 codes, and assignments with gaps."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_docs = draw(st.integers(1, max_docs))
    documents = make_documents(rng.integers(5, max_len, n_docs).tolist())
    cuts = [rng.integers(1, len(d.text), rng.integers(0, 6)).tolist() for d in documents]
    segments = make_segments(documents, cuts)
    coder_ids = list(range(1, draw(st.integers(2, 4)) + 1))
    code_ids = list(range(100, 100 + draw(st.integers(1, 4))))
    codings = []
    for i in range(draw(st.integers(0, 40))):
        doc = documents[rng.integers(len(documents))]
        a, b = sorted(rng.integers(0, len(doc.text) + 1, 2).tolist())
        codings.append(make_coding(i + 1, doc.id, a, b, int(rng.choice(code_ids)), int(rng.choice(coder_ids))))
    assignments = {k: {d.id for d in documents if rng.random() < 0.8} for k in coder_ids}
    return documents, segments, codings, code_ids, coder_ids, assignments
