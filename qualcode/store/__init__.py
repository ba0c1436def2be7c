"""The project store: engine, typed ORM, repositories, migrations, search."""

from qualcode.store.engine import Database, url_for

__all__ = ["Database", "url_for"]
