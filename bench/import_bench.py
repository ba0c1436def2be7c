"""Import benchmark: 1,000 transcripts, 5 million words; import time, open time, search latency."""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import median, percentile, write_corpus  # noqa: E402

QUERIES = ["community champion", "funding", "bereavement support", "staff turnover", "compassionate neighbourhood",
           "leadership", "volunteers church", "measure progress", "faith belonging", "records planning"]


def bare_sqlite_floor(paths: list[Path], target: Path) -> float:
    """The known floor: a plain sqlite3 loop inserting the same text into FTS5."""
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(text)")
    started = time.perf_counter()
    for path in paths:
        with conn:
            conn.executemany("INSERT INTO t(text) VALUES (?)", [(p,) for p in path.read_text().split("\n\n")])
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def run(documents: int, words: int, workdir: Path) -> dict:
    from qualcode.importing import import_files
    from qualcode.store import Database
    from qualcode.store.search import search

    paths = write_corpus(workdir / "corpus", documents, words)
    db_path = workdir / "bench.db"
    db = Database(f"sqlite:///{db_path}", create=True)
    started = time.perf_counter()
    outcomes = import_files(db, paths)
    import_s = time.perf_counter() - started
    assert all(o.status == "imported" for o in outcomes), [o.message for o in outcomes if o.status == "failed"][:3]
    db.dispose()
    opens = []
    for _ in range(5):
        started = time.perf_counter()
        db = Database(f"sqlite:///{db_path}")
        with db.reading() as s:
            s.execute(__import__("sqlalchemy").text("SELECT count(*) FROM documents")).scalar()
        opens.append(time.perf_counter() - started)
        db.dispose()
    db = Database(f"sqlite:///{db_path}")
    latencies, fuzzy = [], []
    with db.reading() as s:
        for _ in range(5):
            for query in QUERIES:
                started = time.perf_counter()
                search(s, query, limit=50)
                latencies.append(time.perf_counter() - started)
        for query in QUERIES:
            started = time.perf_counter()
            search(s, query, fuzzy=True, limit=50)
            fuzzy.append(time.perf_counter() - started)
    db.dispose()
    floor = bare_sqlite_floor(paths, workdir / "floor.db")
    return {
        "documents": documents,
        "words": documents * words,
        "import_s": import_s,
        "bare_sqlite_fts5_s": floor,
        "open_median_ms": median(opens) * 1000,
        "search_median_ms": median(latencies) * 1000,
        "search_p95_ms": percentile(latencies, 0.95) * 1000,
        "fuzzy_search_median_ms": median(fuzzy) * 1000,
        "db_mb": db_path.stat().st_size / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--words", type=int, default=5000, help="words per document")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = run(args.documents, args.words, Path(tmp))
    for key, value in result.items():
        print(f"{key:>24}: {value:,.2f}" if isinstance(value, float) else f"{key:>24}: {value:,}")


if __name__ == "__main__":
    main()
