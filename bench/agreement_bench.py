"""Agreement benchmark: 5 coders x 50,000 segment units x 60 codes, from coding values to the finished report.

Run: /work/venv/bin/python bench/agreement_bench.py [--reps 1000] [--units 50000] [--coders 5] [--codes 60]
Prints the size of the study and the time of each stage; the data are random and invented.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import datetime

import numpy as np

from qualcode.agreement.measures import code_tables
from qualcode.agreement.render import render_csv, render_html, render_markdown
from qualcode.agreement.report import AgreementOptions, build_report, build_units
from qualcode.agreement.units import default_assignments
from qualcode.domain.models import Code, Coder, Coding, Document, DocumentKind, Segment, SegmentKind

WHEN = datetime(2024, 1, 1)
LOAD_BEFORE = ""


def make_study(n_units: int, n_coders: int, n_codes: int, seed: int = 7):
    """Documents of 100 turns of 80 characters; each code has its own prevalence; coders agree ~85%."""
    rng = np.random.default_rng(seed)
    per_doc, turn = 100, 80
    n_docs = -(-n_units // per_doc)
    documents = [Document(id=i + 1, title=f"session {i + 1}", kind=DocumentKind.FOCUS_GROUP, text="x" * (per_doc * turn))
                 for i in range(n_docs)]
    segments = [Segment(id=u + 1, document_id=u // per_doc + 1, index=u % per_doc, start=(u % per_doc) * turn,
                        end=(u % per_doc + 1) * turn, kind=SegmentKind.TURN) for u in range(n_units)]
    prevalence = rng.uniform(0.005, 0.08, n_codes)
    truth = rng.random((n_codes, n_units)) < prevalence[:, None]
    flip = rng.random((n_codes, n_units, n_coders)) < 0.15 * prevalence[:, None, None] * 4
    applied = truth[:, :, None] ^ flip
    code_idx, unit_idx, coder_idx = np.nonzero(applied)
    # codings cover part of the turn, sometimes spilling into the next one, as real codings do
    start = (unit_idx % per_doc) * turn + rng.integers(0, turn // 2, len(unit_idx))
    end = np.minimum(start + rng.integers(10, turn, len(unit_idx)), per_doc * turn)
    codings = [
        Coding(id=i + 1, document_id=int(u // per_doc + 1), start=int(s), end=int(e), code_id=int(c + 1),
               coder_id=int(k + 1), created=WHEN)
        for i, (c, u, k, s, e) in enumerate(zip(code_idx, unit_idx, coder_idx, start, end))
    ]
    codes = [Code(id=c + 1, guid=f"code-{c + 1}", name=f"code {c + 1}", path=f"family/code {c + 1}") for c in range(n_codes)]
    coders = [Coder(id=k + 1, name=f"coder{k + 1}") for k in range(n_coders)]
    return codings, segments, documents, codes, coders


def timed(label, fn, *args, **kwargs):
    start, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<44} {elapsed:8.3f} s wall {cpu:8.3f} s cpu")
    return result, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=50_000)
    parser.add_argument("--coders", type=int, default=5)
    parser.add_argument("--codes", type=int, default=60)
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the full report; the best is the figure")
    args = parser.parse_args()

    global LOAD_BEFORE
    LOAD_BEFORE = f"{os.getloadavg()[0]:.2f}"
    codings, segments, documents, codes, coders = make_study(args.units, args.coders, args.codes)
    print(f"study: {args.coders} coders x {len(segments):,} segment units x {len(codes)} codes; "
          f"{len(codings):,} codings in {len(documents)} documents; bootstrap reps {args.reps}")
    # warm the deferred library imports so the figure below is the computation, not Python start-up
    timed("import krippendorff, statsmodels, sklearn", lambda: (__import__("krippendorff"),
          __import__("statsmodels.stats.inter_rater"), __import__("sklearn.metrics")))
    options = AgreementOptions(bootstrap_reps=args.reps)
    assignments = default_assignments(codings)
    units, _ = timed("unit table (codings -> presence matrix)", build_units, codings, segments, documents,
                     [c.id for c in codes], [k.id for k in coders],
                     AgreementOptions(assignments=assignments))
    timed("rating patterns for all codes", code_tables, units)
    runs = [timed(f"build_report, full (bootstrap {args.reps} reps) run {i + 1}", build_report, codings, segments,
                  documents, codes, coders, options) for i in range(args.repeat)]
    report, total = min(runs, key=lambda run: run[1])
    timed("build_report without bootstrap", build_report, codings, segments, documents, codes, coders,
          AgreementOptions(bootstrap_reps=0))
    timed("build_report, every point estimate from libraries", build_report, codings, segments, documents, codes,
          coders, AgreementOptions(bootstrap_reps=args.reps, libraries=True))
    for unit in ("character", "document", "unitized"):
        timed(f"build_report, {unit} units", build_report, codings, segments, documents, codes, coders,
              AgreementOptions(unit=unit, bootstrap_reps=args.reps))
    timed("render markdown + html + csv", lambda: (render_markdown(report), render_html(report), render_csv(report)))
    summary = report.summary()
    print(f"load average before/after: {LOAD_BEFORE} / {os.getloadavg()[0]:.2f} (other processes share the 2 cores)")
    print(f"median alpha {summary['median']:.3f} over {summary['n_defined']} codes; "
          f"best full report {total:.2f} s wall "
          f"(target under 2 s on 2 cores: {'met' if total < 2 else 'not met'})")


if __name__ == "__main__":
    main()
