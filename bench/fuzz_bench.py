"""Fuzz benchmark: 10,000 hostile files through every parser, and a share through import_one into a real project.

Run: /work/venv/bin/python bench/fuzz_bench.py [--budget 10000] [--import-share 0.1] [--seed 1] [--json]
Targets: the importers (txt, md, vtt, srt, csv, docx, xlsx), the codebook loader, participant files (YAML
and CSV) and the REFI-QDA reader (.qdc, .qdpx; parse only). Only QualcodeError may escape a parser
(a traceback is a failure); a file import_one refuses must leave document, segment and audit counts
unchanged (a partial write is a failure).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def signature(crash: str) -> str:
    """'ExceptionType at file:line' of the innermost frame, so one bug counts once however often it is hit."""
    lines = [line for line in crash.strip().splitlines() if line.strip()]
    frames = re.findall(r'File "([^"]+)", line (\d+)', crash)
    ours = [f for f in frames if f[0].startswith(str(REPO / "qualcode"))]
    file, line = (ours or frames or [("?", "?")])[-1]
    where = f"{Path(file).relative_to(REPO) if file.startswith(str(REPO)) else Path(file).name}:{line}"
    suffix = crash.split(":", 1)[0].split(".", 1)[-1]
    return f".{suffix}: {lines[-1][:120]} at {where}"


def run(budget: int = 10_000, import_share: float = 0.1, seed: int = 1) -> dict:
    from qualcode.store import Database
    from tests.harness.fuzz import run_fuzz, run_import_fuzz

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started, cpu = time.perf_counter(), time.process_time()
        parsed = run_fuzz(folder, budget, seed=seed)
        parse_s, parse_cpu = time.perf_counter() - started, time.process_time() - cpu
        db = Database(f"sqlite:///{folder / 'fuzz.db'}", create=True)
        started, cpu = time.perf_counter(), time.process_time()
        imported = run_import_fuzz(db, folder, int(budget * import_share), seed=seed + 1)
        import_s, import_cpu = time.perf_counter() - started, time.process_time() - cpu
        db.dispose()
    tracebacks = Counter(signature(c) for c in parsed.crashes)
    partial = [c for c in imported.crashes if "Traceback" not in c]
    tracebacks.update(signature(c) for c in imported.crashes if "Traceback" in c)
    return {
        "inputs": parsed.inputs + imported.inputs,
        "parse_inputs": parsed.inputs,
        "accepted": parsed.accepted,
        "refused": parsed.refused,
        "by_target": parsed.by_target,
        "tracebacks": sum(tracebacks.values()),
        "traceback_kinds": dict(tracebacks),
        "import_inputs": imported.inputs,
        "import_accepted": imported.accepted,
        "import_refused": imported.refused,
        "partial_writes": len(partial),
        "partial_examples": partial[:5],
        "slowest_input_s": parsed.slowest[0],
        "slowest_input": parsed.slowest[1],
        "parse_s": parse_s,
        "parse_cpu_s": parse_cpu,
        "import_s": import_s,
        "import_cpu_s": import_cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=10_000, help="hostile files for the parsers")
    parser.add_argument("--import-share", type=float, default=0.1, help="extra files, as a share of the budget, through import_one")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.budget, args.import_share, args.seed)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['inputs']:,} inputs: {result['tracebacks']} traceback(s), {result['partial_writes']} partial write(s)")
    print(f"parsers: {result['parse_inputs']:,} inputs, {result['accepted']:,} accepted, {result['refused']:,} refused "
          f"in {result['parse_s']:.0f} s wall / {result['parse_cpu_s']:.0f} s CPU")
    print("  by target (accepted/refused): " + ", ".join(f"{k} {a}/{r}" for k, (a, r) in sorted(result["by_target"].items())))
    print(f"import_one: {result['import_inputs']:,} inputs, {result['import_accepted']:,} imported, "
          f"{result['import_refused']:,} refused in {result['import_s']:.0f} s")
    print(f"slowest input: {result['slowest_input_s']:.2f} s ({result['slowest_input']})")
    for kind, count in result["traceback_kinds"].items():
        print(f"  traceback x{count}: {kind}")
    for example in result["partial_examples"]:
        print(f"  partial write: {example}")


if __name__ == "__main__":
    main()
