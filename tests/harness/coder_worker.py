"""A coder process for concurrency and crash tests: applies codings and logs each acknowledged id."""

from __future__ import annotations

import random
import sys


def main(url: str, coder: str, count: int, log_path: str, seed: int) -> None:
    from qualcode.coding import CodingService
    from qualcode.store import Database
    from qualcode.store import codes as code_repo
    from qualcode.store import documents as doc_repo

    db = Database(url)
    with db.reading() as session:
        docs = [(d.id, len(d.text)) for d in doc_repo.list_all(session)]
        codes = [c.path for c in code_repo.list_all(session)]
    service = CodingService(db, coder)
    rng = random.Random(seed)
    with open(log_path, "a", buffering=1) as log:
        for _ in range(count):
            doc_id, length = rng.choice(docs)
            start = rng.randrange(0, length - 2)
            end = min(length, start + rng.randrange(1, 200))
            coding = service.apply(doc_id, start, end, rng.choice(codes))
            # Written only after the transaction committed: this id is "acknowledged".
            log.write(f"{coding.id}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
