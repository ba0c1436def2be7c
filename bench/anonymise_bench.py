"""Benchmark the anonymiser with TAB's measures on each gold set, with and without a roster, beside Presidio.

    /work/venv/bin/python bench/anonymise_bench.py [--mb 0.5] [--no-presidio] [--tab PATH] [--misses SET]

Sets: the interview gold set's dev half and held-out test half (tests/fixtures/anonymise/
interview_gold, each with the roster of every person it names) and TAB's dev subset
(../shared/anonymisation/tab_dev_subset.json, MIT; its roster is built from the people it
annotates, as a team would list the people of its own documents). Measures, TAB's rule:
ER_di and ER_qi (an entity counts only when every mention is masked) and token precision.

Presidio (an optional bench tool: pip install presidio-analyzer==2.2.366) runs on the same
texts with the same installed spaCy model, all its recognisers, ORG included.
Throughput is characters per second of CPU time on the sets' texts repeated to about --mb MB.
`--misses dev|tab` prints what was missed and wrongly masked on a development set; the test
half's misses are never printed, so that no rule is tuned on them.
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from qualcode.anonymise import Anonymiser, Roster, RosterEntry, Span
from qualcode.anonymise.tab_eval import TabDocument, load_tab, score_tab
from qualcode.nlp.pipeline import NER_ONLY_DISABLE, load_pipeline

GOLD = REPO / "tests" / "fixtures" / "anonymise" / "interview_gold"
# ../shared beside the repository (as CI has it), or beside its worktree folder.
TAB = next(
    (p for base in (REPO.parent, REPO.parent.parent) if (p := base / "shared" / "anonymisation" / "tab_dev_subset.json").is_file()),
    REPO.parent / "shared" / "anonymisation" / "tab_dev_subset.json",
)
_TITLE = re.compile(r"^(?:(?:Mr|Mrs|Ms|Miss|Dr|Mx)\.?\s+)+")


def tab_roster(docs: list[TabDocument]) -> Roster:
    """Every person TAB annotates, titles dropped: 'Mr C. Whomersley' -> 'C. Whomersley'."""
    names = {}
    for doc in docs:
        for m in doc.mentions:
            if m.entity_type == "PERSON":
                name = _TITLE.sub("", doc.text[m.start : m.end]).strip()
                if len(name) > 2:
                    names.setdefault(name.casefold(), name)
    return Roster(people=[RosterEntry(f"person:{i}", n, "PERSON") for i, n in enumerate(names.values(), 1)])


def repeated(texts: list[str], megabytes: float) -> list[str]:
    target, out, size = int(megabytes * 1_000_000), [], 0
    while size < target:
        for text in texts:
            out.append(text)
            size += len(text)
            if size >= target:
                break
    return out


def cpu_rate(run, texts: list[str]) -> float:
    """Characters per second of CPU time: steadier than wall time on a shared machine."""
    start = time.process_time()
    run(texts)
    return sum(len(t) for t in texts) / (time.process_time() - start)


def presidio_engine(model: str):
    try:
        from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
    except ImportError:
        return None
    import tldextract.tldextract as tld

    # Presidio's e-mail and URL checks would fetch the public suffix list; use the bundled copy.
    tld.TLD_EXTRACTOR = tld.TLDExtract(suffix_list_urls=())
    config = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": model}],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": {
                "PERSON": "PERSON",
                "PER": "PERSON",
                "NORP": "NRP",
                "FAC": "LOCATION",
                "LOC": "LOCATION",
                "GPE": "LOCATION",
                "LOCATION": "LOCATION",
                "ORG": "ORGANIZATION",
                "DATE": "DATE_TIME",
                "TIME": "DATE_TIME",
            },
            "labels_to_ignore": [],
        },
    }
    provider = NlpEngineProvider(nlp_configuration=config)
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    return BatchAnalyzerEngine(analyzer_engine=analyzer)


def presidio_spans(engine, texts: list[str]) -> list[list[Span]]:
    results = engine.analyze_iterator(texts, language="en", batch_size=32)
    return [
        [Span(r.start, r.end, r.entity_type, "presidio", "presidio") for r in found if r.end > r.start]
        for found in results
    ]


def row(name: str, docs, spans) -> str:
    s = score_tab(docs, spans)
    return (
        f"| {name} | {s.er_di:.3f} | {s.er_qi:.3f} | {s.precision:.3f} | {s.entities['DIRECT']}/{s.entities['QUASI']} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=0.5, help="size of the throughput corpus in MB")
    parser.add_argument("--no-presidio", action="store_true", help="skip Presidio even if installed")
    parser.add_argument("--tab", type=Path, default=TAB, help="TAB dev subset (JSON)")
    parser.add_argument("--misses", choices=("dev", "tab"), help="print a development set's misses")
    args = parser.parse_args()

    sets = {
        "interview dev": (
            load_tab(GOLD / "dev.json"),
            Roster.from_file(GOLD / "dev_roster.yaml"),
        ),
        "interview test (held out)": (
            load_tab(GOLD / "test.json"),
            Roster.from_file(GOLD / "roster.yaml"),
        ),
    }
    if args.tab.is_file():
        tab = load_tab(args.tab)
        sets["TAB dev"] = (tab, tab_roster(tab))
    else:
        print(f"TAB dev subset not found at {args.tab}: its rows are left out (--tab PATH)")
    plain = Anonymiser()
    info = load_pipeline(disable=NER_ONLY_DISABLE).info
    engine = None if args.no_presidio else presidio_engine(info.name)
    print(f"python {platform.python_version()}, {platform.machine()}, pipeline {info.name} {info.version}")
    print()
    print("| set, detector | ER_di | ER_qi | token precision | entities (direct/quasi) |")
    print("| --- | --- | --- | --- | --- |")
    for name, (docs, roster) in sets.items():
        texts = [d.text for d in docs]
        with_roster = Anonymiser(roster=roster).detect_many(texts)
        without = plain.detect_many(texts)
        print(row(f"{name}: qualcode, roster", docs, with_roster))
        print(row(f"{name}: qualcode, no roster", docs, without))
        if engine is not None:
            print(row(f"{name}: Presidio", docs, presidio_spans(engine, texts)))
        if args.misses and name.startswith({"dev": "interview dev", "tab": "TAB"}[args.misses]):
            for label, found in (("roster", with_roster), ("no roster", without)):
                s = score_tab(docs, found)
                print(f"\n{label} missed: {s.missed}\n{label} wrong tokens: {s.wrong}\n")

    texts = [d.text for docs, _ in sets.values() for d in docs]
    corpus = repeated(texts, args.mb)
    plain.detect_many(texts)  # warm-up: model loaded, caches filled
    ours = cpu_rate(plain.detect_many, corpus)
    print()
    print(f"throughput on {sum(map(len, corpus)):,} characters ({len(corpus)} documents), chars/s of CPU time")
    print()
    print(f"| qualcode detect, no roster | {ours:,.0f} |")
    if engine is not None:
        presidio_spans(engine, texts[:5])
        theirs = cpu_rate(lambda t: presidio_spans(engine, t), corpus)
        print(f"| Presidio analyzer | {theirs:,.0f} |")
        print(f"\nqualcode / Presidio throughput: {ours / theirs:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
