"""CLI start-up benchmark: wall and CPU time of `docs list`, `codes list` and `codings add` on the demo project.

Run: /work/venv/bin/python bench/cli_speed.py [--runs 7] [--compare /work/main] [--project demo.db]
Each command runs as its own process, as a user types it; the figure is the median of --runs. CPU
time (user + system of the child) is given beside wall time because on a shared machine wall time
mostly measures the queue. Baselines: a bare interpreter, `import typer`, `import sqlalchemy.orm` and
`import qualcode.cli`. With --compare, the same runs use another checkout's code (PYTHONPATH), so
before and after are measured under the same load. The demo is built in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_S = 0.3


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_of(runs: int, make_argv, env) -> tuple[float, float]:
    samples = [timed(make_argv(i), env) for i in range(runs)]
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def cases(project: Path) -> list[tuple[str, object]]:
    py = [sys.executable]
    cli = [*py, "-m", "qualcode", "--project", str(project)]
    return [
        ("python -c pass", lambda i: [*py, "-c", "pass"]),
        ("import typer", lambda i: [*py, "-c", "import typer"]),
        ("import sqlalchemy.orm", lambda i: [*py, "-c", "import sqlalchemy.orm"]),
        ("import qualcode.cli", lambda i: [*py, "-c", "import qualcode.cli"]),
        ("docs list", lambda i: [*cli, "docs", "list"]),
        ("codes list", lambda i: [*cli, "codes", "list"]),
        ("codings add", lambda i: [*cli, "codings", "add", "--doc", "interview-01-hospice-manager", "--start",
                                   str(100 + 7 * i), "--end", str(140 + 7 * i), "--code", "barriers/awareness",
                                   "--coder", "alex"]),
    ]


def measure(code_dir: Path, project: Path, runs: int) -> dict[str, tuple[float, float]]:
    env = {**os.environ, "PYTHONPATH": str(code_dir), "QUALCODE_HOME": str(project.parent / "home")}
    subprocess.run([sys.executable, "-m", "qualcode", "--project", str(project), "docs", "list"], env=env,
                   stdout=subprocess.DEVNULL, check=True)  # warm the page cache and the .pyc files
    return {name: median_of(runs, argv, env) for name, argv in cases(project)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--compare", type=Path, help="Another checkout to measure the same way (e.g. /work/main).")
    parser.add_argument("--project", type=Path, help="Use this demo project (a copy is written to) instead of building one.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo.db"
        if args.project:
            shutil.copyfile(args.project, demo)
        else:
            env = {**os.environ, "PYTHONPATH": str(REPO)}
            subprocess.run([sys.executable, "-m", "qualcode", "demo", "--no-tui", "--path", str(demo)], env=env,
                           stdout=subprocess.DEVNULL, check=True)
        checkouts = [("this checkout", REPO)] + ([("compare", args.compare.resolve())] if args.compare else [])
        results = {}
        for label, code_dir in checkouts:
            copy = Path(tmp) / f"{label.replace(' ', '-')}.db"
            shutil.copyfile(demo, copy)
            results[label] = measure(code_dir, copy, args.runs)
    load = os.getloadavg()[0]
    print(f"median of {args.runs} runs, load average {load:.1f}, target < {TARGET_S} s wall for the three commands")
    header = f"{'':24s}" + "".join(f"{label:>28s}" for label in results)
    print(header)
    print(f"{'':24s}" + "".join(f"{'wall s':>14s}{'cpu s':>14s}" for _ in results))
    for name, _ in cases(Path("x")):
        print(f"{name:24s}" + "".join(f"{r[name][0]:14.3f}{r[name][1]:14.3f}" for r in results.values()))


if __name__ == "__main__":
    main()
