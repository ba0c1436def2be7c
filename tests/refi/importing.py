"""Import a REFI-QDA file into the project at a URL, as the CLI does (a new project, or a merge)."""

from __future__ import annotations

from qualcode.refi.import_ import ImportReport, import_file
from qualcode.store.engine import Database
from qualcode.store.staging import new_project


def import_url(path, url: str, *, merge: bool = False, **options) -> ImportReport:
    if merge:
        db = Database(url)
        try:
            return import_file(path, db, merge=True, **options)
        finally:
            db.dispose()
    with new_project(url) as db:
        return import_file(path, db, **options)
