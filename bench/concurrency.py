"""Concurrency benchmark: 8 coder processes x 2,000 codings on one project, on SQLite and PostgreSQL.

Run: /work/venv/bin/python bench/concurrency.py [--coders 8] [--each 2000] [--pg-url URL] [--no-pg] [--json]
The PostgreSQL URL comes from --pg-url or QUALCODE_TEST_PG_URL; a fresh database is created for the
run and dropped afterwards. Afterwards every acknowledged coding must be present exactly once.
Throughput counts from the first apply to the last one across all coders (process start-up excluded);
latency is the wall time of each CodingService.apply call; CPU time is summed over the coder processes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
from synthetic import median, percentile  # noqa: E402

LOCK_RETRIES = 20


def worker(url: str, coder: str, count: int, log_path: str, seed: int) -> None:
    """One coder: apply `count` codings, logging `id latency started finished retries` after each commit."""
    from sqlalchemy.exc import OperationalError

    from qualcode.coding import CodingService
    from qualcode.store import Database
    from tests.harness.coder_worker import random_codings

    db = Database(url)
    service = CodingService(db, coder)
    with open(log_path, "a", buffering=1) as log:
        for doc_id, start, end, code in random_codings(db, seed, count):
            began = time.time()
            for attempt in range(LOCK_RETRIES):
                try:
                    coding = service.apply(doc_id, start, end, code)
                    break
                except OperationalError as exc:
                    # The busy timeout normally absorbs contention; a lock error that still escapes is retried.
                    if "locked" not in str(exc).lower() or attempt == LOCK_RETRIES - 1:
                        raise
                    time.sleep(0.05 * (attempt + 1))
            finished = time.time()
            log.write(f"{coding.id} {finished - began:.6f} {began:.6f} {finished:.6f} {attempt}\n")
    db.dispose()


def _create_pg_database(admin_url: str) -> tuple[str, str]:
    import sqlalchemy as sa

    name = f"qc_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return name, admin_url.rsplit("/", 1)[0] + "/" + name


def _drop_pg_database(admin_url: str, name: str) -> None:
    import sqlalchemy as sa

    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def run_backend(url: str, coders: int, each: int, workdir: Path) -> dict:
    """Seed, run the coders at once, then verify exactly-once and the project check."""
    from sqlalchemy import func, select

    from qualcode.store.project_ops import check_project
    from qualcode.store import Database
    from qualcode.store.orm import CodingRow
    from tests.harness.seed import seed_project

    seed_project(url, documents=20, codes=30).dispose()
    logs = [workdir / f"coder{i}.log" for i in range(coders)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    procs = [
        subprocess.Popen([sys.executable, __file__, "--worker", url, f"coder{i}", str(each), str(logs[i]), str(i)],
                         env=env, stderr=subprocess.PIPE)
        for i in range(coders)
    ]
    failures = []
    for proc in procs:
        _, err = proc.communicate()
        if proc.returncode != 0:
            failures.append(err.decode()[-1500:])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    rows = [line.split() for log in logs if log.exists() for line in log.read_text().splitlines()]
    acknowledged = [int(r[0]) for r in rows]
    latencies = [float(r[1]) for r in rows]
    first, last = min(float(r[2]) for r in rows), max(float(r[3]) for r in rows)
    db = Database(url)
    with db.reading() as session:
        stored = list(session.scalars(select(CodingRow.id)))
        distinct = session.scalar(select(func.count(func.distinct(CodingRow.id))))
    report = check_project(db)
    db.dispose()
    missing = set(acknowledged) - set(stored)
    return {
        "backend": url.split(":", 1)[0].split("+")[0],
        "coders": coders,
        "acknowledged": len(acknowledged),
        "stored": len(stored),
        # A coder that draws the same span and code twice gets its own coding back (deduplicated).
        "duplicate_draws": len(acknowledged) - len(set(acknowledged)),
        "missing": len(missing),
        "unacknowledged_extra": len(set(stored) - set(acknowledged)),
        "exactly_once": not missing and len(stored) == distinct == len(set(acknowledged)) and not failures,
        "check_ok": report.ok,
        "problems": report.problems[:5] + failures[:2],
        "lock_retries": sum(int(r[4]) for r in rows),
        "throughput_per_s": len(acknowledged) / (last - first),
        "p50_ms": median(latencies) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "wall_s": last - first,
        "coder_cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
    }


def run(coders: int = 8, each: int = 2000, pg_url: str | None = None) -> dict:
    """Both backends (PostgreSQL only when a server URL is known); one result dict per backend."""
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "sqlite"
        folder.mkdir()
        results["sqlite"] = run_backend(f"sqlite:///{folder / 'project.db'}", coders, each, folder)
        if pg_url:
            name, url = _create_pg_database(pg_url)
            try:
                folder = Path(tmp) / "pg"
                folder.mkdir()
                results["postgresql"] = run_backend(url, coders, each, folder)
            finally:
                _drop_pg_database(pg_url, name)
    results["load_average"] = os.getloadavg()[0]
    return results


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], int(sys.argv[6]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coders", type=int, default=8)
    parser.add_argument("--each", type=int, default=2000, help="codings per coder")
    parser.add_argument("--pg-url", default=os.environ.get("QUALCODE_TEST_PG_URL"))
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = run(args.coders, args.each, None if args.no_pg else args.pg_url)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for name, r in results.items():
        if not isinstance(r, dict):
            print(f"{name}: {r:.2f}")
            continue
        print(f"{name}: {r['acknowledged']:,} acknowledged, {r['stored']:,} stored, exactly once: {r['exactly_once']}, "
              f"check ok: {r['check_ok']} {r['problems'] or ''}")
        print(f"  throughput {r['throughput_per_s']:,.0f} codings/s over {r['wall_s']:.1f} s wall "
              f"({r['coder_cpu_s']:.1f} s CPU in coders); apply latency p50 {r['p50_ms']:.1f} ms, "
              f"p95 {r['p95_ms']:.1f} ms; lock retries {r['lock_retries']}")


if __name__ == "__main__":
    main()
