"""Codebook import time for 500, 2,000 and 8,000 codes (a three-level tree), first import and re-import.

Run: /work/venv/bin/python bench/codebook_import_bench.py [--sizes 500 2000 8000] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def codebook_yaml(codes: int) -> str:
    """Top-level codes with 9 children each, each child with 9 grandchildren, until `codes` are written."""
    lines = ["name: bench", "codes:"]
    written = 0
    top = 0
    while written < codes:
        top += 1
        lines += [f"  - name: theme {top}", f"    description: what theme {top} covers", "    children:"]
        written += 1
        for child in range(1, 10):
            if written >= codes:
                break
            lines += [f"      - name: sub {top}.{child}", "        keywords: [alpha, beta]", "        children:"]
            written += 1
            grandchildren = min(9, codes - written)
            lines += [f"          - leaf {top}.{child}.{g}" for g in range(1, grandchildren + 1)] or ["          []"]
            if not grandchildren:
                lines[-2] = lines[-2].replace("children:", "children: []")
                lines.pop()
            written += grandchildren
    return "\n".join(lines) + "\n"


def run(codes: int, workdir: Path) -> dict:
    from qualcode.codebook.loader import parse_codebook
    from qualcode.codebook.operations import import_spec
    from qualcode.store import Database

    text = codebook_yaml(codes)
    db = Database(f"sqlite:///{workdir / f'cb{codes}.db'}", create=True)
    started = time.perf_counter()
    spec = parse_codebook(text, "bench.yaml")
    parsed = time.perf_counter() - started
    with db.transaction() as session:
        first = import_spec(session, spec)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    with db.transaction() as session:
        again = import_spec(session, parse_codebook(text, "bench.yaml"))
    again_s = time.perf_counter() - started
    db.dispose()
    assert first.added == codes and again.updated == codes, (first, again)
    return {"codes": codes, "parse_s": round(parsed, 3), "import_s": round(first_s, 2), "reimport_s": round(again_s, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 8000])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = [run(n, Path(tmp)) for n in args.sizes]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for r in results:
        print(f"{r['codes']:>6} codes: parse {r['parse_s']:.3f} s, first import {r['import_s']:.2f} s, "
              f"re-import {r['reimport_s']:.2f} s ({r['import_s'] / r['codes'] * 1000:.2f} ms per code)")


if __name__ == "__main__":
    main()
