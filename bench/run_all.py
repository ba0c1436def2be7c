"""Run every benchmark once over and print one table: name, figure, target, met?

Run: /work/venv/bin/python bench/run_all.py [--quick] [--only NAME ...] [--skip NAME ...] [--json FILE]
The synthetic 5-million-word project (1,000 transcripts x 5,000 words) is built once by the import benchmark
and measured there (import, open, search). Short benchmarks run 3 times and report the median of each
figure; long ones (import, concurrency, crash, fuzz) run once. Other engineers' scripts run as
subprocesses and their printed figures are parsed, so each runs in a fresh interpreter. CPU time is
given beside wall time where the script records it: the 2 cores are shared, so wall time varies with load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))
from synthetic import median  # noqa: E402

PY = sys.executable
PG_URL = os.environ.get("QUALCODE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:55432/postgres")


@dataclass
class Row:
    name: str
    figure: float | str | None
    unit: str
    target: str = ""
    met: bool | None = None  # None: no target, or not measured

    def cells(self) -> list[str]:
        if isinstance(self.figure, float):
            figure = f"{self.figure:,.3g}" if abs(self.figure) < 100 else f"{self.figure:,.0f}"
        else:
            figure = "n/a" if self.figure is None else str(self.figure)
        met = "" if self.met is None else ("yes" if self.met else "NO")
        return [self.name, f"{figure} {self.unit}".strip(), self.target, met]


def below(value, limit) -> bool | None:
    return None if value is None else value < limit


def _script(name: str, *args: str, timeout: int = 3600) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([PY, str(BENCH / name), *args], capture_output=True, text=True, env=env, cwd=REPO,
                          timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed: {done.stderr[-1500:]}")
    return done.stdout


def _json_tail(stdout: str) -> dict:
    return json.loads(stdout[stdout.index("{"):])


def _medians(runs: list[dict]) -> dict:
    """Median of each numeric leaf across runs (nested dicts flattened to 'a.b')."""
    flat: dict[str, list[float]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else key, inner)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            flat.setdefault(prefix, []).append(float(value))

    for run in runs:
        walk("", run)
    return {key: median(values) for key, values in flat.items()}


def repeat(times: int, measure: Callable[[], dict]) -> dict:
    return _medians([measure() for _ in range(times)])


def bench_import(quick: bool, runs: int) -> list[Row]:
    from import_bench import run

    documents, words = (100, 2000) if quick else (1000, 5000)
    with tempfile.TemporaryDirectory() as tmp:
        r = run(documents, words, Path(tmp))
    return [
        Row(f"import {r['words']:,} words ({documents} files)", r["import_s"], "s", "< 10 s", below(r["import_s"], 10)),
        Row("import / bare sqlite3+FTS5 loop", r["import_s"] / r["bare_sqlite_fts5_s"], "x"),
        Row("open project (median of 5)", r["open_median_ms"], "ms"),
        Row("search median (50 queries)", r["search_median_ms"], "ms", "< 20 ms", below(r["search_median_ms"], 20)),
        Row("search p95 (50 queries)", r["search_p95_ms"], "ms"),
        Row("fuzzy search median", r["fuzzy_search_median_ms"], "ms"),
        Row("project file size", r["db_mb"], "MB"),
    ]


def bench_tui(quick: bool, runs: int) -> list[Row]:
    args = ["--docs", "30", "--excerpts", "500"] if quick else []
    r = repeat(runs, lambda: _json_tail(_script("tui_bench.py", "--json", *args)))
    w = "workbench."
    return [
        Row("TUI first paint, 300k-char transcript (CPU)", r[w + "first_paint_300k_s"], "s", "< 0.5 s", below(r[w + "first_paint_300k_s"], 0.5)),
        Row("TUI cursor move p95 (CPU)", r[w + "cursor_move_p95_ms"], "ms"),
        Row("TUI apply code p95 (CPU)", r[w + "apply_code_p95_ms"], "ms", "< 50 ms", below(r[w + "apply_code_p95_ms"], 50)),
        Row(f"TUI retrieve {int(r[w + 'retrieved_excerpts']):,} excerpts (CPU)", r[w + "retrieve_5000_s"], "s"),
    ]


def bench_suggest(quick: bool, runs: int) -> list[Row]:
    # The script already takes medians (3 fresh-process loads, 300 warm suggestions) and one retrain.
    r = _json_tail(_script("suggest_bench.py", "--json", "--repeats", "2" if quick else "5"))
    ev = next(iter(r.get("evaluate", {}).values()), {})
    rows = [
        Row("pipeline load, fresh process", r["pipeline_load"]["median_s"], "s", "< 2 s", below(r["pipeline_load"]["median_s"], 2)),
        Row("warm suggestion p95", r["warm_suggestion"]["p95_ms"], "ms", "< 30 ms", below(r["warm_suggestion"]["p95_ms"], 30)),
        Row("retrain on 5,000 excerpts after 50 more codings", r["retrain_5000"]["retrain_after_50_more_s"], "s",
            "< 3 s", below(r["retrain_5000"]["retrain_after_50_more_s"], 3)),
        Row("retrain on 5,000 excerpts, every code refitted", r["retrain_5000"]["retrain_all_codes_5000_s"], "s",
            "< 3 s", below(r["retrain_5000"]["retrain_all_codes_5000_s"], 3)),
        Row("first training on 5,000 excerpts (combiner folds too)", r["retrain_5000"]["seconds"], "s", "", None),
    ]
    if "precision_at_1" in ev:
        rows.append(Row("suggestions precision@1 (demo)", ev["precision_at_1"], "", ">= 0.65", ev["precision_at_1"] >= 0.65))
        rows.append(Row("suggestions recall@3 (demo)", ev["recall_at_3"], "", ">= 0.85", ev["recall_at_3"] >= 0.85))
    return rows


def bench_agreement(quick: bool, runs: int) -> list[Row]:
    args = ["--units", "5000", "--reps", "200"] if quick else []

    def once() -> dict:
        out = _script("agreement_bench.py", "--db-only", "--repeat", "1", *args)
        return {"db_to_report_s": float(re.search(r"database to finished report: best ([\d.]+) s", out).group(1))}

    r = repeat(runs, once)
    units = "5,000" if quick else "50,000"
    return [Row(f"agreement: 5 coders x {units} units, db to report", r["db_to_report_s"], "s", "< 2 s",
                below(r["db_to_report_s"], 2))]


def bench_report(quick: bool, runs: int) -> list[Row]:
    args = ["--documents", "100", "--codings", "5000"] if quick else []
    r = repeat(runs, lambda: _json_tail(_script("report_bench.py", *args)))
    size = f"{int(r['documents']):,} docs, {int(r['codings']):,} codings"
    return [
        Row(f"report ({size}), slowest format, wall", r["full_report_slowest_format_s"], "s", "< 10 s",
            below(r["full_report_slowest_format_s"], 10)),
        Row("report, slowest format, CPU", r["full_report_slowest_format_cpu_s"], "s"),
    ]


def bench_anonymise(quick: bool, runs: int) -> list[Row]:
    def once() -> dict:
        out = _script("anonymise_bench.py", "--mb", "0.1" if quick else "1.0")
        found = {}
        # The held-out half of the interview gold set, TAB's rule (ER_di | ER_qi | token precision).
        quality = re.search(r"\| interview test \(held out\): qualcode, roster \| ([\d.]+) \| ([\d.]+) \| ([\d.]+)", out)
        if quality:
            found.update(direct_recall=float(quality.group(1)), precision=float(quality.group(3)))
        bare = re.search(r"\| interview test \(held out\): qualcode, no roster \| ([\d.]+)", out)
        if bare:
            found["direct_recall_no_roster"] = float(bare.group(1))
        speed = re.search(r"\| qualcode detect, no roster \| ([\d,]+) \|", out)
        if speed:
            found["chars_per_cpu_s"] = float(speed.group(1).replace(",", ""))
        ratio = re.search(r"throughput: ([\d.]+)x", out)
        if ratio:
            found["vs_presidio"] = float(ratio.group(1))
        return found

    r = repeat(runs, once)
    return [
        Row("anonymiser ER_di with roster (held-out interview half)", r.get("direct_recall"), "", ">= 0.98",
            None if "direct_recall" not in r else r["direct_recall"] >= 0.98),
        Row("anonymiser ER_di without a roster", r.get("direct_recall_no_roster"), "", ">= 0.90",
            None if "direct_recall_no_roster" not in r else r["direct_recall_no_roster"] >= 0.90),
        Row("anonymiser token precision with roster", r.get("precision"), "", ">= 0.85",
            None if "precision" not in r else r["precision"] >= 0.85),
        Row("anonymiser throughput (CPU time)", r.get("chars_per_cpu_s"), "chars/s"),
        Row("anonymiser / Presidio throughput", r.get("vs_presidio", "Presidio not installed"),
            "x" if "vs_presidio" in r else "", ">= 1.5x", None if "vs_presidio" not in r else r["vs_presidio"] >= 1.5),
    ]


def bench_concurrency(quick: bool, runs: int) -> list[Row]:
    from concurrency import run

    each = 100 if quick else 2000
    results = run(8, each, PG_URL)
    rows = []
    for backend in ("sqlite", "postgresql"):
        r = results.get(backend)
        if r is None:
            rows.append(Row(f"concurrency {backend}", None, "", "", None))
            continue
        rows += [
            Row(f"{backend}: 8 coders x {each:,}, acknowledged present once", f"{r['stored']:,}/{r['acknowledged']:,}", "",
                "all, exactly once", r["exactly_once"] and r["check_ok"]),
            Row(f"{backend}: throughput", r["throughput_per_s"], "codings/s"),
            Row(f"{backend}: apply latency p50 / p95", f"{r['p50_ms']:.0f} / {r['p95_ms']:.0f}", "ms"),
        ]
    return rows


def bench_crash(quick: bool, runs: int) -> list[Row]:
    from crash_bench import run

    r = run(10 if quick else 50)
    return [Row(f"kill -9 x{r['kills']} (import, coding, create, copy): failures", r["failures"], "", "0", r["failures"] == 0)]


def bench_fuzz(quick: bool, runs: int) -> list[Row]:
    from fuzz_bench import run

    r = run(500 if quick else 10_000, 0.1)
    return [
        Row(f"fuzz {r['inputs']:,} hostile inputs: tracebacks", r["tracebacks"], "", "0", r["tracebacks"] == 0),
        Row("fuzz: partial writes (import_one)", r["partial_writes"], "", "0", r["partial_writes"] == 0),
    ]


BENCHMARKS: dict[str, Callable[[bool, int], list[Row]]] = {
    "import": bench_import, "tui": bench_tui, "suggest": bench_suggest, "agreement": bench_agreement,
    "report": bench_report, "anonymise": bench_anonymise, "concurrency": bench_concurrency,
    "crash": bench_crash, "fuzz": bench_fuzz,
}


def table(rows: list[Row]) -> str:
    cells = [["benchmark", "figure", "target", "met?"]] + [r.cells() for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    lines = ["| " + " | ".join(c[i].ljust(widths[i]) for i in range(4)) + " |" for c in cells]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each: minutes, not an hour")
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS), default=None)
    parser.add_argument("--skip", nargs="*", choices=sorted(BENCHMARKS), default=[])
    parser.add_argument("--runs", type=int, default=None, help="runs of each short benchmark (default 3, quick 1)")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    args = parser.parse_args()
    runs = args.runs or (1 if args.quick else 3)
    names = [n for n in (args.only or BENCHMARKS) if n not in args.skip]
    rows: list[Row] = []
    load_before = os.getloadavg()[0]
    for name in names:
        started, cpu = time.perf_counter(), time.process_time()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            rows += BENCHMARKS[name](args.quick, runs)
        except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others' figures
            rows.append(Row(f"{name}: FAILED", f"{type(exc).__name__}: {str(exc).splitlines()[-1][:80] if str(exc) else ''}", "", "", False))
        print(f"  {name}: {time.perf_counter() - started:.0f} s wall", file=sys.stderr, flush=True)
    print(table(rows))
    print(f"\nload average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores; "
          f"{'quick sizes' if args.quick else 'full sizes'}, short benchmarks median of {runs} run(s)")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in rows], indent=2, default=str))


if __name__ == "__main__":
    main()
