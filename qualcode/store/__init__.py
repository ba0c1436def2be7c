"""The project store: engine, typed ORM, repositories, migrations, search."""

from sqlalchemy.orm import Session  # the transaction handle repositories receive; callers name its type

from qualcode.store.engine import Database, url_for

__all__ = ["Database", "Session", "url_for"]
