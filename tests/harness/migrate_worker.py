"""A schema process for crash tests: creates a new project, or copies one, after announcing it is ready.

Modes: create, copy; "create-held" and "copy-held" pause inside the open write transaction (after the
tables exist but before the commit, or after the first copied batches) and say "pending", so a kill
is certain to land mid-transaction.
"""

from __future__ import annotations

import sys
import time


def _hold_after_schema() -> None:
    from qualcode.store import migrate

    original = migrate.create_extra_schema

    def held(connection):
        original(connection)
        print("pending", flush=True)
        time.sleep(30)

    migrate.create_extra_schema = held


def _hold_mid_copy() -> None:
    from sqlalchemy.orm import Session

    from qualcode.store import project_ops

    project_ops.COPY_BATCH = 50
    original, calls = Session.execute, [0]

    def held(self, statement, *args, **kwargs):
        result = original(self, statement, *args, **kwargs)
        if getattr(statement, "is_insert", False):
            calls[0] += 1
            if calls[0] == 5:
                print("pending", flush=True)
                time.sleep(30)
        return result

    Session.execute = held


def main(mode: str, target_url: str, source_url: str | None = None) -> None:
    # Everything is imported before "ready", so a kill timed after it lands inside the schema work.
    from qualcode.store.project_ops import copy_project
    from qualcode.store import Database

    source = Database(source_url) if source_url else None
    if mode == "create-held":
        _hold_after_schema()
    if mode == "copy-held":
        _hold_mid_copy()
    print("ready", flush=True)
    if mode.startswith("create"):
        Database(target_url, create=True).dispose()
    elif mode.startswith("copy"):
        assert source is not None
        copy_project(source, target_url)
    else:
        raise SystemExit(f"unknown mode {mode}")
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
