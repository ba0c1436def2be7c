"""A process for race tests: waits at a start line, then adds the same codings or meets new coder names."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(mode: str, url: str, start_line: str, *names: str) -> None:
    from qualcode.coding import CodingService
    from qualcode.store import Database

    db = Database(url)
    while not Path(start_line).exists():  # every process connected first, so they collide for real
        time.sleep(0.005)
    if mode == "same-coding":
        service = CodingService(db, names[0])
        for i in range(12):  # every process adds these same twelve codings
            service.apply(1, 10 * i, 10 * i + 5, "code-0")
    elif mode == "new-coder":
        for name in names:
            CodingService(db, name)
    db.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:])
