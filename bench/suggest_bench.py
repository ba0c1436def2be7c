"""Suggestion benchmarks: pipeline load, warm suggestion latency, retraining on 5,000 excerpts, demo evaluation.

Run: /work/venv/bin/python bench/suggest_bench.py [--project PATH] [--repeats N] [--json]
Without --project it builds the demo project (qualcode demo) in a new temporary folder.
Numbers depend on the machine; docs/benchmarks.md records them with the machine they came from.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LOAD_SNIPPET = (
    "import time; t = time.perf_counter(); "
    "from qualcode.nlp.pipeline import load_pipeline; load_pipeline(disable=('parser', 'ner')); "
    "print(time.perf_counter() - t)"
)


def pipeline_load_seconds(runs: int = 3) -> dict:
    """Cold pipeline load (import spaCy + load the model) in fresh processes; the median of `runs`."""
    times = [float(subprocess.run([sys.executable, "-c", LOAD_SNIPPET], capture_output=True, text=True, check=True,
                                  cwd=REPO).stdout.strip()) for _ in range(runs)]
    return {"median_s": round(statistics.median(times), 3), "runs": [round(t, 3) for t in times]}


def cli_show_seconds(project: Path, runs: int = 3) -> dict:
    """`qualcode suggest show DOC --top 5 --json` in fresh processes, as a user or a script calls it, with a
    cache folder of its own: the first call fits and keeps the model, the next ones find it. `other_document`
    asks for a document not asked before: the model is read from the cache, no refit; `cli_help` is the
    floor any command pays (interpreter, typer, SQLAlchemy)."""
    import os
    import tempfile

    env = {**os.environ, "QUALCODE_HOME": tempfile.mkdtemp(prefix="suggest-bench-home-")}

    def run(*args: str) -> float:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "qualcode", "--project", str(project), *args], capture_output=True,
                       check=True, cwd=REPO, env=env)
        return time.perf_counter() - t

    from qualcode.store import documents
    from qualcode.store.engine import Database

    db = Database(f"sqlite:///{project}")
    with db.reading() as session:
        titles = [d.title for d in documents.list_all(session)]
    db.dispose()
    show = ("suggest", "show", titles[0], "--top", "5", "--json")
    cold = run(*show)
    warm = [run(*show) for _ in range(runs)]
    other = run("suggest", "show", titles[1], "--top", "5", "--json")
    floor = [run("--help") for _ in range(runs)]
    return {"cold_s": round(cold, 3), "warm_median_s": round(statistics.median(warm), 3),
            "warm_runs": [round(t, 3) for t in warm], "other_document_s": round(other, 3),
            "cli_help_median_s": round(statistics.median(floor), 3), "document": titles[0]}


def warm_latency(suggester, texts: list[str], n: int = 300) -> dict:
    """One suggestion at a time, as the reader asks for them, after a warm-up."""
    for text in texts[:20]:
        suggester.suggest(text, 5)
    rng = random.Random(0)
    times = []
    for _ in range(n):
        text = rng.choice(texts)
        t = time.perf_counter()
        suggester.suggest(text, 5)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"p50_ms": round(times[len(times) // 2], 2), "p95_ms": round(times[int(len(times) * 0.95)], 2),
            "max_ms": round(times[-1], 2), "n": n}


def retrain_seconds(corpus, size: int = 5000) -> dict:
    """Refit what learns from codings (learned model + nearest coded excerpts) on `size` coded excerpts."""
    from qualcode.nlp.suggest.corpus import placed
    from qualcode.nlp.suggest.protocol import Excerpt
    from qualcode.nlp.suggest.ranker import assemble

    coded = [e for e in corpus.labelled if e.codes] or corpus.labelled
    rng = random.Random(1)
    words = " ".join(e.text for e in corpus.segments).split()
    # Coded excerpts re-sampled with a few words swapped in, so 5,000 are not 5,000 copies of a few hundred.
    excerpts = []
    for i in range(size):
        base = coded[i % len(coded)]
        tokens = base.text.split()
        for _ in range(3):
            if tokens:
                tokens[rng.randrange(len(tokens))] = rng.choice(words)
        excerpts.append(Excerpt(" ".join(tokens), base.codes, document_id=base.document_id, segment_index=i))
    excerpts = placed(excerpts)
    opened = assemble(corpus.codes, corpus.labelled, background=corpus.segments)
    t = time.perf_counter()
    # 15 times the project it was opened on: the stacked ranker refits its combiner (3 folds) as well.
    first = assemble(corpus.codes, excerpts, background=corpus.segments, reuse=opened)
    first_seconds = time.perf_counter() - t
    # The background case while coding: more codings on segments already in the training set. The combiner
    # is kept and the learned model refits only the codes whose examples changed.
    from dataclasses import replace

    code_ids = [c.id for c in corpus.codes]

    def coded_more(base, n):
        pick = random.Random(n)
        chosen = set(pick.sample(range(len(base)), n))
        return [replace(e, codes=e.codes | {pick.choice(code_ids)}) if i in chosen else e for i, e in enumerate(base)]

    one_more = coded_more(excerpts, 1)
    t = time.perf_counter()
    again = assemble(corpus.codes, one_more, background=corpus.segments, reuse=first)
    after_1 = time.perf_counter() - t
    t = time.perf_counter()
    again = assemble(corpus.codes, coded_more(one_more, 50), background=corpus.segments, reuse=again)
    after_50 = time.perf_counter() - t
    # Every component refitted on the 5,000, their TF-IDF rows cached: a document coded for the first time
    # adds segments, which are new negatives for every code.
    t = time.perf_counter()
    new_rows = excerpts + [Excerpt(e.text + " indeed", frozenset(), document_id=10_000, segment_index=i)
                           for i, e in enumerate(excerpts[:50])]
    assemble(corpus.codes, placed(new_rows), background=corpus.segments, reuse=again)
    return {"excerpts": size, "codes": len(corpus.codes), "seconds": round(first_seconds, 3),
            "retrain_after_1_more_s": round(after_1, 3),
            "retrain_after_50_more_s": round(after_50, 3), "retrain_all_codes_5000_s": round(time.perf_counter() - t, 3),
            "stacked": bool(getattr(first, "stacked", False)),
            "combiner_kept_after_50": getattr(getattr(again, "combiner_", None), "model", None)
            is getattr(getattr(first, "combiner_", None), "model", None)}


def background_retrain_seconds(db) -> dict:
    """The live suggester: time from a new coding to the retrained model being served."""
    from qualcode.nlp.suggest.service import ProjectSuggester

    suggester = ProjectSuggester(db).load()
    state = list(suggester._project_state())
    suggester._state = None  # as if a coding had just been added
    version = suggester.version
    t = time.perf_counter()
    started = suggester.refresh()
    served_during = suggester.suggest("We have no money for this.", 3) is not None
    while suggester.version == version and suggester._thread.is_alive():
        time.sleep(0.005)
    served = time.perf_counter() - t
    suggester.wait()  # then the model is written to the cache, in the same background thread
    return {"started": started, "served_while_training": served_during, "seconds": round(served, 3),
            "with_cache_write_s": round(time.perf_counter() - t, 3), "state": state[0]}


def evaluations(corpus, repeats: int) -> dict:
    from dataclasses import asdict

    from qualcode.nlp.suggest.evaluate import cold_start, cross_validate
    from qualcode.nlp.suggest.ranker import DEFAULT_CONFIG

    results = {}
    full = cross_validate(corpus, train_fraction=0.5, repeats=repeats)
    results["combined"] = _summary(asdict(full))
    baseline = copy.deepcopy(DEFAULT_CONFIG)
    baseline["ranker"] = "qualcode.ranker.v1"
    baseline["components"] = {"learned": {"factory": "qualcode.learned.v1", "weight": 1.0, "trust_after": 1e-9}}
    results["tfidf_logreg_baseline"] = _summary(asdict(cross_validate(corpus, train_fraction=0.5, repeats=repeats, config=baseline)))
    results["cold_start"] = _summary(asdict(cold_start(corpus)))
    return results


def _summary(report: dict) -> dict:
    keys = ("units", "coded_units", "precision_at_1", "recall_at_3", "hit_at_3", "micro_f1", "macro_f1", "threshold")
    return {k: report[k] for k in keys}


def open_project(path: str | None):
    from qualcode.store.engine import Database

    if path is None:
        from qualcode.demo import build_demo

        import tempfile

        path = str(Path(tempfile.mkdtemp(prefix="suggest-bench-")) / "demo.db")
        build_demo(Path(path))  # a fresh build, so the numbers are for the corpus and codebook as they are now
    return Database(f"sqlite:///{Path(path).resolve()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", help="An existing project file (default: build the demo project).")
    parser.add_argument("--repeats", type=int, default=5, help="Train/test splits for the evaluation.")
    parser.add_argument("--no-evaluate", action="store_true", help="Timings only.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from qualcode.nlp.suggest.corpus import load_corpus
    from qualcode.nlp.suggest.service import ProjectSuggester

    import os
    import tempfile

    os.environ["QUALCODE_HOME"] = tempfile.mkdtemp(prefix="suggest-bench-home-")  # no model cached from before
    out = {"pipeline_load": pipeline_load_seconds()}
    db = open_project(args.project)
    with db.reading() as session:
        corpus = load_corpus(session)
    t = time.perf_counter()
    suggester = ProjectSuggester(db).load()
    out["train_on_open_s"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    cached = ProjectSuggester(db).load()
    out["open_with_model_cached_s"] = round(time.perf_counter() - t, 3)
    out["open_read_from_cache"] = cached.from_cache
    out["pipeline"] = suggester.pipeline_name
    out["warm_suggestion"] = warm_latency(suggester, [e.text for e in corpus.segments])
    out["retrain_5000"] = retrain_seconds(corpus)
    out["background_retrain"] = background_retrain_seconds(db)
    out["cli_show"] = cli_show_seconds(Path(str(db.url).removeprefix("sqlite:///")))
    if not args.no_evaluate:
        out["evaluate"] = evaluations(corpus, args.repeats)
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"pipeline load (fresh process, median): {out['pipeline_load']['median_s']} s  [{out['pipeline']}]")
    print(f"train on open: {out['train_on_open_s']} s; open again, model read from the cache: "
          f"{out['open_with_model_cached_s']} s (from cache: {out['open_read_from_cache']})")
    w = out["warm_suggestion"]
    print(f"warm suggestion: p50 {w['p50_ms']} ms, p95 {w['p95_ms']} ms, max {w['max_ms']} ms over {w['n']}")
    r = out["retrain_5000"]
    print(f"train on {r['excerpts']} new coded excerpts ({r['codes']} codes), combiner refitted: {r['seconds']} s; "
          f"retrain after 1 more coding: {r['retrain_after_1_more_s']} s; after 50 more codings "
          f"(combiner kept: {r['combiner_kept_after_50']}): {r['retrain_after_50_more_s']} s; "
          f"every code refitted (a newly coded document): {r['retrain_all_codes_5000_s']} s")
    b = out["background_retrain"]
    print(f"background retrain, coding to new model served: {b['seconds']} s (old model served meanwhile: {b['served_while_training']})")
    c = out["cli_show"]
    print(f"suggest show CLI call: first {c['cold_s']} s (fits, keeps the model), warm {c['warm_median_s']} s "
          f"(median of {len(c['warm_runs'])}), another document with the model cached {c['other_document_s']} s; "
          f"qualcode --help {c['cli_help_median_s']} s")
    for name, e in out.get("evaluate", {}).items():
        print(f"{name}: precision@1 {e['precision_at_1']}, recall@3 {e['recall_at_3']}, hit@3 {e['hit_at_3']}, "
              f"micro F1 {e['micro_f1']}, macro F1 {e['macro_f1']} ({e['coded_units']} coded units tested)")


if __name__ == "__main__":
    main()
