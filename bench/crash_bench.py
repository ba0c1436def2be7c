"""Crash benchmark: kill -9 at random moments during import, bulk coding, project creation and copying.

Run: /work/venv/bin/python bench/crash_bench.py [--kills 50] [--seed 9] [--json]
After every kill the project must open, pass qualcode.store.project_ops.check_project (integrity_check,
no half-imported document, the audit log matching the codings) and keep every acknowledged coding.
A killed creation or copy must leave a target that either opens as a complete project (every table,
stamped, and for a copy either empty or whole) or is refused with a QualcodeError.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
from synthetic import median, write_corpus  # noqa: E402

HARNESS = REPO / "tests" / "harness"
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def _spawn(script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(HARNESS / script), *args], env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _kill(proc: subprocess.Popen) -> bool:
    """SIGKILL; True when the process was still running (the kill landed mid-work)."""
    alive = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return alive


def _check(url: str) -> list[str]:
    from qualcode.errors import QualcodeError
    from qualcode.store.project_ops import check_project
    from qualcode.store import Database

    try:
        db = Database(url)
    except QualcodeError as exc:
        return [f"does not open: {exc}"]
    try:
        return check_project(db).problems
    finally:
        db.dispose()


def _acknowledged(log: Path) -> set[int]:
    return {int(line) for line in log.read_text().split()} if log.exists() else set()


def crash_import(workdir: Path, kills: int, rng: random.Random) -> dict:
    """Import is fast (~0.5 M words/s), so the corpus is large and each kill gets a fresh project,
    timed within the measured length of an unkilled import run."""
    from qualcode.store import Database

    folder = workdir / "import-files"
    write_corpus(folder, documents=600, words_per_document=4000, seed=3)
    url = f"sqlite:///{workdir / 'import-timing.db'}"
    started = time.perf_counter()
    proc = _spawn("import_worker.py", url, str(folder))
    proc.wait()
    window = time.perf_counter() - started
    problems, landed, imported = [], 0, []
    for round_ in range(kills):
        url = f"sqlite:///{workdir / f'import-{round_}.db'}"
        Database(url, create=True).dispose()
        proc = _spawn("import_worker.py", url, str(folder))
        time.sleep(rng.uniform(0.25, 0.95) * window)  # start-up, mid-file, between files
        landed += _kill(proc)
        problems += [f"import: {p}" for p in _check(url)]
        conn = sqlite3.connect(workdir / f"import-{round_}.db")
        imported.append(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        conn.close()
    return {"kills": kills, "landed_mid_work": landed, "unkilled_s": window,
            "documents_when_killed": imported, "problems": problems}


def crash_coding(workdir: Path, kills: int, rng: random.Random) -> dict:
    from sqlalchemy import select

    from qualcode.store import Database
    from qualcode.store.orm import CodingRow
    from tests.harness.seed import seed_project

    url = f"sqlite:///{workdir / 'coding.db'}"
    seed_project(url, documents=10, codes=12).dispose()
    log = workdir / "ack.log"
    problems, landed = [], 0
    for round_ in range(kills):
        proc = _spawn("coder_worker.py", url, "alex", "100000", str(log), str(round_))
        time.sleep(rng.uniform(0.5, 3.0))
        landed += _kill(proc)
        problems += [f"coding: {p}" for p in _check(url)]
    db = Database(url)
    with db.reading() as session:
        stored = list(session.scalars(select(CodingRow.id)))
    db.dispose()
    acknowledged = _acknowledged(log)
    lost = acknowledged - set(stored)
    if lost:
        problems.append(f"coding: {len(lost)} acknowledged coding(s) lost, e.g. {sorted(lost)[:5]}")
    if len(stored) != len(set(stored)):
        problems.append("coding: a coding id is stored twice")
    extra = len(set(stored) - acknowledged)
    if extra > kills:  # at most the one in-flight coding per kill is committed but unacknowledged
        problems.append(f"coding: {extra} unacknowledged codings after {kills} kills")
    return {"kills": kills, "landed_mid_work": landed, "acknowledged": len(acknowledged),
            "committed_unacknowledged": extra, "problems": problems}


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def _target_state(url: str, path: Path, source_counts: dict[str, int] | None) -> tuple[str, list[str]]:
    """'empty', 'refused', 'complete' or 'partial copy'/'half-made' (the last two are failures)."""
    from sqlalchemy import func, select

    from qualcode.errors import QualcodeError
    from qualcode.store import Database
    from qualcode.store.orm import Base

    copied = ""
    expected = set(Base.metadata.tables) | {"alembic_version"}
    if not path.exists():
        return "absent", []
    before = _tables(path)  # what the killed process left, before opening repairs anything
    try:
        db = Database(url)
    except QualcodeError as exc:
        return "refused", [] if "\n" not in str(exc) else [f"refusal is not one line: {exc!r}"]
    try:
        after = _tables(path)
        problems = [f"opens with missing tables {sorted(expected - after)}"] if expected - after else []
        with db.reading() as session:
            from qualcode.store.migrate import current_revision, head_revision

            if current_revision(session.connection()) != head_revision():
                problems.append("opens without the head stamp")
            if source_counts is not None:
                counts = {t.name: session.scalar(select(func.count()).select_from(t))
                          for t in Base.metadata.sorted_tables if t.name != "project_meta"}
                if any(counts.values()) and counts != source_counts:
                    problems.append(f"partial copy: {counts} vs {source_counts}")
                copied = "rows: all" if counts == source_counts else "rows: none" if not any(counts.values()) else "rows: some"
        from qualcode.store.project_ops import check_project

        problems += check_project(db).problems
    finally:
        db.dispose()
    state = "complete" if expected <= before else ("empty" if not before - {"sqlite_sequence"} else "half-made, repaired on open")
    return f"{state} {copied}".strip(), problems


def _timed_kill(script_args: list[str], delay: float | None) -> bool:
    """Kill `delay` seconds after "ready"; with delay None, the moment the worker says it is mid-transaction."""
    proc = _spawn("migrate_worker.py", *script_args)
    assert proc.stdout is not None
    expected = "ready" if delay is not None else "pending"
    line = proc.stdout.readline().strip()
    if line == "ready" and delay is None:
        line = proc.stdout.readline().strip()
    if line != expected:
        proc.wait()
        raise RuntimeError(f"migrate worker said {line!r}: {proc.stderr.read()[-1500:]}")
    if delay:
        time.sleep(delay)
    return _kill(proc)


def crash_schema(workdir: Path, kills: int, rng: random.Random, mode: str) -> dict:
    """Kill while creating a project on an empty file, or while copying one into a new file."""
    from sqlalchemy import func, select

    from qualcode.coding import CodingService
    from qualcode.store.project_ops import copy_project
    from qualcode.store import Database
    from qualcode.store.orm import Base
    from tests.harness.seed import seed_project

    source_url, source_counts = None, None
    if mode == "copy":
        source_url = f"sqlite:///{workdir / 'copy-source.db'}"
        source = seed_project(source_url, documents=150, codes=20)
        service = CodingService(source, "alex")
        for i in range(200):
            service.apply(1 + i % 150, i, i + 40, f"code-{i % 20}")
        with source.reading() as session:
            source_counts = {t.name: session.scalar(select(func.count()).select_from(t))
                             for t in Base.metadata.sorted_tables if t.name != "project_meta"}
        source.dispose()
    durations = []
    for i in range(3):  # how long the unkilled operation takes, so kills spread across it
        target = workdir / f"{mode}-timing-{i}.db"
        target.touch()
        started = time.perf_counter()
        if mode == "create":
            Database(f"sqlite:///{target}", create=True).dispose()
        else:
            src = Database(source_url)
            copy_project(src, f"sqlite:///{target}")
            src.dispose()
        durations.append(time.perf_counter() - started)
    window = median(durations)
    states: dict[str, int] = {}
    problems, landed = [], 0
    for round_ in range(kills):
        target = workdir / f"{mode}-{round_}.db"
        target.touch()  # "an empty file": what a user's `touch` or a crashed earlier attempt leaves
        url = f"sqlite:///{target}"
        # Every other kill is held inside the open write transaction, so that case is certain to be hit.
        held = round_ % 2 == 1
        worker_mode = f"{mode}-held" if held else mode
        landed += _timed_kill([worker_mode, url] + ([source_url] if source_url else []),
                              None if held else rng.uniform(0, window * 1.2))
        state, found = _target_state(url, target, source_counts)
        state = f"{state}{' (killed mid-transaction)' if held else ''}"
        states[state] = states.get(state, 0) + 1
        problems += [f"{mode} round {round_} ({state}): {p}" for p in found]
    return {"kills": kills, "landed_mid_work": landed, "unkilled_s": window, "states": states, "problems": problems}


def run(kills: int = 50, seed: int = 9) -> dict:
    rng = random.Random(seed)
    share = {"import": kills * 26 // 100, "coding": kills * 26 // 100, "create": kills * 24 // 100}
    share["copy"] = kills - sum(share.values())
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        started, cpu = time.perf_counter(), time.process_time()
        results["import"] = crash_import(workdir, share["import"], rng)
        results["coding"] = crash_coding(workdir, share["coding"], rng)
        results["create"] = crash_schema(workdir, share["create"], rng, "create")
        results["copy"] = crash_schema(workdir, share["copy"], rng, "copy")
    problems = [p for r in results.values() for p in r["problems"]]
    return {"kills": sum(share.values()), "landed_mid_work": sum(r["landed_mid_work"] for r in results.values()),
            "failures": len(problems), "by_kind": results, "wall_s": time.perf_counter() - started,
            "bench_cpu_s": time.process_time() - cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.kills, args.seed)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for kind, r in result["by_kind"].items():
        extra = f", target states {r['states']}" if "states" in r else ""
        print(f"{kind:>7}: {r['kills']} kills ({r['landed_mid_work']} mid-work){extra}, "
              f"{len(r['problems'])} problem(s)")
        for problem in r["problems"][:10]:
            print(f"         {problem}")
    print(f"total: {result['kills']} kills, {result['failures']} failure(s), {result['wall_s']:.0f} s wall")


if __name__ == "__main__":
    main()
