"""Issue 18 fuzz: 2,000+ hostile files through the real import paths; tracebacks, partial writes, time and memory.

Run: /work/venv/bin/python bench/fuzz_imports.py [--budget 2200] [--seed 18] [--db URL] [--json]
Each file is imported (documents, participants, codebooks, codings sheets) into one real project, as
tests/importers/hostile.py describes; after every 200 files and at the end the project's reports
(md, html, xlsx, docx) are written. Targets: 0 tracebacks, 0 partial writes, no file over 30 s, and
peak memory (the process's high-water RSS) under 1 GB; an address-space cap of 3 GB turns a blow-up
into a MemoryError, counted as a traceback, instead of a stalled machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LIMIT_SECONDS = 30
LIMIT_BYTES = 1024**3


def _rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _exports(url: str, folder: Path) -> list[str]:
    from typer.testing import CliRunner

    from qualcode.cli import app

    problems = []
    for fmt in ("md", "html", "xlsx", "docx"):
        result = CliRunner().invoke(app, ["--db", url, "report", "--format", fmt, "--out", str(folder / f"r.{fmt}")])
        if result.exit_code != 0:
            problems.append(f"report {fmt}: {result.output.strip()[:200]}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--budget", type=int, default=2200)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_AS, (3 * LIMIT_BYTES, resource.RLIM_INFINITY))

    from qualcode.store import Database
    from tests.importers import hostile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = args.db or f"sqlite:///{folder / 'fuzz.db'}"
        db = Database(url, create=True)
        hostile.prepare(db)
        started = time.perf_counter()
        kinds: Counter[str] = Counter()
        refused = 0
        failures, slow, exports = [], [], []
        slowest = (0.0, "")
        memory_before = _rss()
        heaviest = (memory_before, "(start)")
        for index, case in enumerate(hostile.generate(args.seed, args.budget), 1):
            kinds[case.name.rsplit(".", 1)[-1]] += 1
            outcome = hostile.check(db, folder, case)
            refused += outcome.ok and bool(outcome.problem)  # ok with a message: refused in one line
            if not outcome.ok:
                failures.append(f"{case.name}: {outcome.problem}")
            if outcome.seconds > slowest[0]:
                slowest = (outcome.seconds, case.name)
            if outcome.seconds > LIMIT_SECONDS:
                slow.append(f"{case.name}: {outcome.seconds:.1f} s")
            if _rss() > heaviest[0]:
                heaviest = (_rss(), case.name)
            if index % 200 == 0:
                exports += _exports(url, folder)
        exports += _exports(url, folder)
        elapsed = time.perf_counter() - started
        db.dispose()
    result = {
        "files": args.budget, "by_suffix": dict(kinds), "refused_with_one_line": refused,
        "tracebacks": sum(f.split(": ", 1)[1].startswith("traceback") for f in failures),
        "partial_writes": sum(f.split(": ", 1)[1].startswith("partial write") for f in failures),
        "bad_messages": sum(f.split(": ", 1)[1].startswith("message") for f in failures),
        "failures": failures[:30], "over_30_s": slow, "export_failures": exports,
        "slowest_s": round(slowest[0], 2), "slowest_file": slowest[1],
        "peak_rss_mb": round(heaviest[0] / 2**20), "peak_reached_at": heaviest[1],
        "elapsed_s": round(elapsed, 1),
    }
    print(json.dumps(result, indent=2) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))
    bad = failures or slow or exports or heaviest[0] > LIMIT_BYTES
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
