"""A schema process for crash tests: creates a new project, or copies one, after announcing it is ready."""

from __future__ import annotations

import sys


def main(mode: str, target_url: str, source_url: str | None = None) -> None:
    # Everything is imported before "ready", so a kill timed after it lands inside the schema work.
    from qualcode.project_ops import copy_project
    from qualcode.store import Database

    source = Database(source_url) if source_url else None
    print("ready", flush=True)
    if mode == "create":
        Database(target_url, create=True).dispose()
    elif mode == "copy":
        assert source is not None
        copy_project(source, target_url)
    else:
        raise SystemExit(f"unknown mode {mode}")
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
