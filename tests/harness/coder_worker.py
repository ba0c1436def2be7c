"""A coder process for concurrency and crash tests: applies codings and logs each acknowledged id."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator


def random_codings(db, seed: int, count: int) -> Iterator[tuple[int, int, int, str]]:
    """`count` random (document id, start, end, code path) spans over the project's documents and codes."""
    from qualcode.store import codes as code_repo
    from qualcode.store import documents as doc_repo

    with db.reading() as session:
        docs = [(d.id, len(d.text)) for d in doc_repo.list_all(session)]
        codes = [c.path for c in code_repo.list_all(session)]
    rng = random.Random(seed)
    for _ in range(count):
        doc_id, length = rng.choice(docs)
        start = rng.randrange(0, length - 2)
        yield doc_id, start, min(length, start + rng.randrange(1, 200)), rng.choice(codes)


def main(url: str, coder: str, count: int, log_path: str, seed: int) -> None:
    from qualcode.coding import CodingService
    from qualcode.store import Database

    db = Database(url)
    service = CodingService(db, coder)
    with open(log_path, "a", buffering=1) as log:
        for doc_id, start, end, code in random_codings(db, seed, count):
            coding = service.apply(doc_id, start, end, code)
            # Written only after the transaction committed: this id is "acknowledged".
            log.write(f"{coding.id}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
