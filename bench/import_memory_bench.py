"""Memory per MB imported: peak RSS (VmHWM, reset just before) above the resident baseline for one import_files call.

Run: /work/venv/bin/python bench/import_memory_bench.py [--sizes 1 5 10] [--xlsx-rows 20000] [--json]
Each file is imported in a fresh child process into a fresh SQLite project, so every peak is its own.
Target: <= 5x the file size for text (issue 18 measured 85x: 9.9 MB -> 823 MB).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = "we the hospice community volunteers and staff talk about funding time leadership records care town church".split()

CHILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from qualcode.importing import import_files
from qualcode.store import Database


def status_kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])


db = Database("sqlite:///" + sys.argv[2], create=True)
# Reset the peak resident set (VmHWM) so start-up's own peak cannot hide the import's.
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")
base = status_kb("VmRSS")
started = time.perf_counter()
outcome = import_files(db, [Path(sys.argv[1])])[0]
seconds = time.perf_counter() - started
peak = status_kb("VmHWM")
print(outcome.status, base * 1024, peak * 1024, seconds, outcome.message)
"""


def transcript(path: Path, megabytes: float, speakers: bool = True) -> Path:
    """Speaker turns ("P3: ..."), or with speakers=False blank-line separated notes of short lines."""
    rng = random.Random(1)
    target, size, parts, turn = int(megabytes * 2**20), 0, [], 0
    while size < target:
        who = "Interviewer" if turn % 2 == 0 else f"P{turn % 7 + 1}"
        if not speakers:
            line = "\n".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 15))) for _ in range(rng.randint(1, 6)))
            parts.append(line + "\n\n")
            size += len(line) + 2
            turn += 1
            continue
        line = f"{who}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 80))) + "\n\n"
        parts.append(line)
        size += len(line)
        turn += 1
    path.write_text("".join(parts), encoding="utf-8")
    return path


def workbook(path: Path, rows: int) -> Path:
    import openpyxl

    rng = random.Random(2)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["id", "region", "What works well?"])
    for i in range(1, rows + 1):
        sheet.append([i, rng.choice(["North", "South", "East"]), " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 40)))])
    book.save(path)
    return path


def measure(path: Path, workdir: Path) -> dict:
    db = workdir / f"{path.stem}.db"
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(db), str(REPO)], capture_output=True, text=True, check=True)
    status, base, peak, seconds, *_ = out.stdout.split(" ", 4)
    mb = path.stat().st_size / 2**20
    above = (int(peak) - int(base)) / 2**20
    return {"file": path.name, "file_mb": round(mb, 2), "status": status, "seconds": round(float(seconds), 1),
            "peak_above_baseline_mb": round(above), "mb_per_mb": round(above / mb, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 10])
    parser.add_argument("--xlsx-rows", type=int, default=20000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = [transcript(work / f"talk-{size:g}mb.txt", size) for size in args.sizes]
        files.append(transcript(work / f"notes-{max(args.sizes):g}mb.txt", max(args.sizes), speakers=False))
        if args.xlsx_rows:
            files.append(workbook(work / f"survey-{args.xlsx_rows}.xlsx", args.xlsx_rows))
        results = [measure(f, work) for f in files]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for r in results:
        print(f"{r['file']:<22} {r['file_mb']:>6.2f} MB  {r['status']:<9} {r['seconds']:>6.1f} s  "
              f"peak +{r['peak_above_baseline_mb']} MB  ({r['mb_per_mb']}x the file)")


if __name__ == "__main__":
    main()
