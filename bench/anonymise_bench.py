"""Benchmark the anonymiser on the gold fixture: recall, precision and characters per second.

    /work/venv/bin/python bench/anonymise_bench.py [--mb 1.0] [--no-presidio]

Recall and precision use the character-overlap rule of qualcode.anonymise.evaluation.
Throughput runs on the gold excerpts repeated to about --mb megabytes (one document per
excerpt, piped in batches). When presidio_analyzer is importable (an optional bench
dependency: pip install presidio-analyzer==2.2.366) it is measured on the same texts with the
same spaCy model, through its BatchAnalyzerEngine.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from qualcode.anonymise import Anonymiser, Roster, Span  # noqa: E402
from qualcode.anonymise.evaluation import load_gold, score  # noqa: E402
from qualcode.nlp.pipeline import NER_ONLY_DISABLE, load_pipeline  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "anonymise"


def repeated(texts: list[str], megabytes: float) -> list[str]:
    target = int(megabytes * 1_000_000)
    out: list[str] = []
    size = 0
    while size < target:
        for text in texts:
            out.append(text)
            size += len(text)
            if size >= target:
                break
    return out


def timed(run, texts: list[str]) -> tuple[float, float]:
    """Characters per second of CPU time (steady on a shared machine) and of wall time."""
    cpu, wall = time.process_time(), time.perf_counter()
    run(texts)
    chars = sum(len(t) for t in texts)
    return chars / (time.process_time() - cpu), chars / (time.perf_counter() - wall)


def quality_row(name: str, gold, predicted) -> str:
    s = score(gold, predicted)
    return f"| {name} | {s.recall('direct'):.3f} | {s.recall('quasi'):.3f} | {s.precision:.3f} |"


def presidio_engine():
    try:
        from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
    except ImportError:
        return None
    import tldextract.tldextract as tld

    # Presidio's e-mail and URL checks would fetch the public suffix list; use the bundled copy.
    tld.TLD_EXTRACTOR = tld.TLDExtract(suffix_list_urls=())
    model = load_pipeline().info.name  # the same installed package qualcode uses
    provider = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
    )
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    return BatchAnalyzerEngine(analyzer_engine=analyzer)


def presidio_spans(engine, texts: list[str]) -> list[list[Span]]:
    results = engine.analyze_iterator(texts, language="en", batch_size=32)
    return [
        [Span(r.start, r.end, r.entity_type, "presidio", "presidio") for r in found if r.end > r.start]
        for found in results
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="size of the throughput corpus in MB")
    parser.add_argument("--no-presidio", action="store_true", help="skip Presidio even if installed")
    args = parser.parse_args()

    gold = load_gold(FIXTURES / "gold.jsonl")
    roster = Roster.from_file(FIXTURES / "roster.yaml")
    texts = [g.text for g in gold]
    with_roster = Anonymiser(roster=roster)
    without_roster = Anonymiser()
    nlp, info = load_pipeline(disable=NER_ONLY_DISABLE)

    print(f"python {platform.python_version()}, pipeline {info.name} {info.version}, "
          f"{len(gold)} gold excerpts, {sum(len(g.spans) for g in gold)} gold spans")
    print()
    print("| detector | direct recall | quasi recall | precision |")
    print("| --- | --- | --- | --- |")
    print(quality_row("qualcode, with roster", gold, with_roster.detect_many(texts)))
    print(quality_row("qualcode, no roster", gold, without_roster.detect_many(texts)))
    roster_and_patterns = Anonymiser(roster=roster, use_ner=False)
    print(quality_row("qualcode, roster + patterns, no NER", gold, roster_and_patterns.detect_many(texts)))
    engine = None if args.no_presidio else presidio_engine()
    if engine is not None:
        print(quality_row("Presidio analyzer (defaults)", gold, presidio_spans(engine, texts)))

    corpus = repeated(texts, args.mb)
    chars = sum(len(t) for t in corpus)
    print()
    print(f"throughput on {chars:,} characters ({len(corpus)} documents), one run each after warm-up")
    print()
    print("| detector | chars/s (CPU time) | chars/s (wall) |")
    print("| --- | --- | --- |")
    with_roster.detect_many(texts)  # warm-up: model loaded, caches filled
    ours = timed(with_roster.detect_many, corpus)
    rows = [("qualcode detect, with roster", ours)]
    rows.append(("qualcode mask, with roster", timed(with_roster.mask_many, corpus)))
    rows.append(("qualcode detect, no roster", timed(without_roster.detect_many, corpus)))
    theirs = None
    if engine is not None:
        presidio_spans(engine, texts)
        theirs = timed(lambda t: presidio_spans(engine, t), corpus)
        rows.append(("Presidio analyzer", theirs))
    for name, (cpu, wall) in rows:
        print(f"| {name} | {cpu:,.0f} | {wall:,.0f} |")
    if theirs is not None:
        print()
        print(f"qualcode / Presidio throughput (CPU time): {ours[0] / theirs[0]:.2f}x")
    else:
        print()
        print("Presidio not installed: pip install presidio-analyzer==2.2.366 to compare.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
