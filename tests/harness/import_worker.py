"""An import process for crash tests: imports every file of a folder, one transaction per file."""

from __future__ import annotations

import sys
from pathlib import Path


def main(url: str, folder: str) -> None:
    from qualcode.importing import import_files
    from qualcode.store import Database

    # one line per committed file, so a crash test can kill it mid-import however slow the start-up is
    import_files(Database(url, create=True), sorted(Path(folder).glob("*.txt")),
                 on_file=lambda outcome: print("imported", flush=True))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
