"""The project store: engine, typed ORM, repositories, migrations, search.

Names are loaded on first use, so `qualcode.store.locate` and `qualcode.store.quick` import without
SQLAlchemy (a quick CLI command answers before SQLAlchemy would have finished importing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # the transaction handle repositories receive; callers name its type

    from qualcode.store.engine import Database
    from qualcode.store.locate import url_for

__all__ = ["Database", "Session", "url_for"]


def __getattr__(name: str) -> Any:
    if name == "Session":
        from sqlalchemy.orm import Session

        return Session
    if name == "Database":
        from qualcode.store.engine import Database

        return Database
    if name == "url_for":
        from qualcode.store.locate import url_for

        return url_for
    raise AttributeError(f"module 'qualcode.store' has no attribute {name!r}")
