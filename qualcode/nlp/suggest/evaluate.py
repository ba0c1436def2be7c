"""Cross-validated evaluation on a project's own codings: precision@1, recall@3, F1, per-code kappa."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from qualcode.errors import InvalidInput
from qualcode.nlp.suggest.corpus import ProjectCorpus
from qualcode.nlp.suggest.protocol import CodeProfile, Excerpt
from qualcode.nlp.suggest.ranker import DEFAULT_CONFIG, assemble

DEFAULT_THRESHOLD = 0.4


@dataclass(frozen=True, slots=True)
class CodeResult:
    code_id: int
    code_path: str
    support: int  # units the coders gave this code
    predicted: int  # units the model gave it at the threshold
    kappa: float | None  # Cohen's kappa, model vs coder; None when undefined (one side constant)


@dataclass(slots=True)
class EvaluationReport:
    """Pooled over every test fold; units are segments with the codes applied to them."""

    units: int
    coded_units: int
    precision_at_1: float
    recall_at_3: float
    hit_at_3: float
    micro_f1: float
    macro_f1: float
    threshold: float
    per_code: list[CodeResult] = field(default_factory=list)
    train_fraction: float | None = None
    repeats: int = 0
    protocol: str = "split"
    notes: list[str] = field(default_factory=list)


def score_rankings(
    gold: Sequence[frozenset[int]],
    rankings: Sequence[Sequence[tuple[int, float]]],
    codes: Sequence[CodeProfile],
    threshold: float = DEFAULT_THRESHOLD,
) -> EvaluationReport:
    """Metrics from gold code sets and ranked (code, confidence) lists, one per unit.

    precision@1: share of coded units whose first suggestion is one of their codes.
    recall@3: mean over coded units of |top 3 ∩ gold| / |gold|; hit@3: share with any gold code in the top 3.
    F1 and kappa: a code is predicted for a unit when its confidence reaches `threshold`; all units count.
    """
    import numpy as np  # with scikit-learn below: deferred so the CLI starts fast
    from sklearn.metrics import cohen_kappa_score, f1_score

    if len(gold) != len(rankings):
        raise InvalidInput("gold labels and rankings differ in length")
    coded = [(g, r) for g, r in zip(gold, rankings, strict=True) if g]
    p1 = sum(1 for g, r in coded if r and r[0][0] in g) / len(coded) if coded else 0.0
    r3 = sum(len(g & {c for c, _ in r[:3]}) / len(g) for g, r in coded) / len(coded) if coded else 0.0
    h3 = sum(1 for g, r in coded if g & {c for c, _ in r[:3]}) / len(coded) if coded else 0.0
    index = {c.id: j for j, c in enumerate(codes)}
    truth = np.zeros((len(gold), len(codes)), dtype=int)
    predicted = np.zeros_like(truth)
    for i, (g, r) in enumerate(zip(gold, rankings, strict=True)):
        for cid in g:
            if cid in index:
                truth[i, index[cid]] = 1
        for cid, confidence in r:
            if confidence >= threshold and cid in index:
                predicted[i, index[cid]] = 1
    per_code = []
    for code in codes:
        j = index[code.id]
        column_t, column_p = truth[:, j], predicted[:, j]
        if column_t.sum() == 0 and column_p.sum() == 0:
            continue
        undefined = len(set(column_t)) == 1 and len(set(column_p)) == 1
        kappa = None if undefined else float(cohen_kappa_score(column_t, column_p))
        if kappa is not None and math.isnan(kappa):
            kappa = None
        per_code.append(CodeResult(code.id, code.path, int(column_t.sum()), int(column_p.sum()), kappa))
    used = [index[c.code_id] for c in per_code if c.support > 0]
    return EvaluationReport(
        units=len(gold),
        coded_units=len(coded),
        precision_at_1=round(p1, 4),
        recall_at_3=round(r3, 4),
        hit_at_3=round(h3, 4),
        micro_f1=round(float(f1_score(truth, predicted, average="micro", zero_division=0)), 4),
        macro_f1=round(float(f1_score(truth[:, used], predicted[:, used], average="macro", zero_division=0)), 4) if used else 0.0,
        threshold=threshold,
        per_code=per_code,
    )


def cross_validate(
    corpus: ProjectCorpus,
    train_fraction: float = 0.5,
    repeats: int = 5,
    threshold: float = DEFAULT_THRESHOLD,
    config: Mapping[str, Any] | None = None,
    seed: int = 0,
) -> EvaluationReport:
    """Train on `train_fraction` of the coded segments, test on the rest, `repeats` times; pool the tests."""
    from sklearn.model_selection import ShuffleSplit  # deferred: scikit-learn import is slow

    if not 0 < train_fraction < 1:
        raise InvalidInput(f"--train-fraction must be between 0 and 1, not {train_fraction}")
    units = corpus.labelled
    if not corpus.codes:
        raise InvalidInput("the project has no codes; import a codebook first (qualcode codes import FILE)")
    if sum(1 for u in units if u.codes) < 4:
        raise InvalidInput("too few coded segments to evaluate (need at least 4); code some segments first")
    splitter = ShuffleSplit(n_splits=repeats, train_size=train_fraction, random_state=seed)
    gold: list[frozenset[int]] = []
    rankings: list[list[tuple[int, float]]] = []
    previous = None
    stacked = 0
    for train_idx, test_idx in splitter.split(units):
        train = [units[i] for i in train_idx]
        test = [units[i] for i in test_idx]
        ranker = assemble(corpus.codes, train, background=corpus.segments, config=config or DEFAULT_CONFIG, reuse=previous,
                          reuse_combiner=False)
        previous = ranker
        stacked += bool(getattr(ranker, "stacked", False))
        for unit, ranked in zip(test, ranker.suggest_many(test, top_k=0, explain=False), strict=True):
            gold.append(unit.codes)
            rankings.append([(s.code_id, s.confidence) for s in ranked])
    report = score_rankings(gold, rankings, corpus.codes, threshold)
    report.train_fraction, report.repeats = train_fraction, repeats
    if hasattr(previous, "fit_combiner"):
        report.notes.append(
            f"ranker: combiner fitted on each split's training codings in {stacked} of {repeats} splits"
            + ("" if stacked == repeats else " (the others had too few coded segments and used the fixed weights)")
        )
    return report


PROTOCOLS = ("split", "half-coded")


def half_coded(
    corpus: ProjectCorpus,
    repeats: int = 5,
    threshold: float = DEFAULT_THRESHOLD,
    config: Mapping[str, Any] | None = None,
    seed: int = 0,
    splits: Sequence[Sequence[tuple[list[Excerpt], list[Excerpt]]]] | None = None,
) -> EvaluationReport:
    """The way analysts use suggestions: in each document, half the segments are coded (at random, per
    seed) and suggestions are asked for the other half.

    The model is trained as `suggest show` trains it, on what the project would then hold: the coded
    half's seen segments (`ProjectCorpus.labelled`) and every segment's text as background; the other
    half is unlabelled, never a negative. Scored on the other half's coded segments.
    """
    units = corpus.labelled
    if not corpus.codes:
        raise InvalidInput("the project has no codes; import a codebook first (qualcode codes import FILE)")
    if sum(1 for u in units if u.codes) < 4:
        raise InvalidInput("too few coded segments to evaluate (need at least 4); code some segments first")
    gold: list[frozenset[int]] = []
    rankings: list[list[tuple[int, float]]] = []
    previous = None
    for train, test in splits if splits is not None else half_splits(corpus, repeats, seed):
        ranker = assemble(corpus.codes, train, background=corpus.segments, negatives=corpus.negatives,
                          config=config or DEFAULT_CONFIG, reuse=previous, reuse_combiner=False)
        previous = ranker
        for unit, ranked in zip(test, ranker.suggest_many(test, top_k=0, explain=False), strict=True):
            gold.append(unit.codes)
            rankings.append([(s.code_id, s.confidence) for s in ranked])
    report = score_rankings(gold, rankings, corpus.codes, threshold)
    report.train_fraction, report.repeats, report.protocol = 0.5, repeats, "half-coded"
    report.notes.append("half-coded: each document half coded at random; uncoded halves unlabelled, not negatives")
    return report


def half_splits(corpus: ProjectCorpus, repeats: int = 5, seed: int = 0) -> list[tuple[list[Excerpt], list[Excerpt]]]:
    """Per seed: (training segments: the seen ones of each document's coded half, test: the other half's coded)."""
    import numpy as np

    seen = {id(u) for u in corpus.labelled}
    by_doc: dict[int | None, list[Excerpt]] = {}
    for e in corpus.segments:
        if e.document_id in corpus.coded_documents:
            by_doc.setdefault(e.document_id, []).append(e)
    splits = []
    for r in range(repeats):
        rng = np.random.default_rng([seed, r])
        train, test = [], []
        for doc in sorted(by_doc, key=lambda d: (d is None, d)):
            segments = by_doc[doc]
            order = rng.permutation(len(segments))
            half = set(order[: len(segments) // 2].tolist())
            for i, e in enumerate(segments):
                if i in half:
                    if id(e) in seen:
                        train.append(e)
                elif e.codes and id(e) in seen:
                    test.append(e)
        splits.append((train, test))
    return splits


def cold_start(corpus_or_units: ProjectCorpus | Sequence[Excerpt], codes: Sequence[CodeProfile] | None = None,
               threshold: float = DEFAULT_THRESHOLD, background: Sequence[Excerpt] = (),
               config: Mapping[str, Any] | None = None) -> EvaluationReport:
    """Definitions and keywords only, no codings learned: how good is a well-written codebook alone."""
    if isinstance(corpus_or_units, ProjectCorpus):
        units, codes, background = corpus_or_units.labelled, corpus_or_units.codes, corpus_or_units.segments
    else:
        units = list(corpus_or_units)
    if not codes:
        raise InvalidInput("the project has no codes; import a codebook first (qualcode codes import FILE)")
    if not any(u.codes for u in units):
        raise InvalidInput("nothing coded to test against; code some segments first")
    ranker = assemble(codes, [], background=list(background) or units, config=config or DEFAULT_CONFIG)
    rankings = [[(s.code_id, s.confidence) for s in r] for r in ranker.suggest_many(units, top_k=0, explain=False)]
    report = score_rankings([u.codes for u in units], rankings, codes, threshold)
    report.notes.append("cold start: codebook only, no codings used")
    return report
