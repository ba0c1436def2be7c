"""Shared fixtures: isolated projects on SQLite files and, when a server is given, on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Two shared cores: no per-example deadline; CI runs a smaller budget than a developer's "dev" profile.
settings.register_profile("dev", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

PG_URL = os.environ.get("QUALCODE_TEST_PG_URL")
REQUIRE_PG = os.environ.get("QUALCODE_REQUIRE_PG") == "1"
REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """No test touches the user's home, the working folder's qualcode.db or a real coder setting."""
    monkeypatch.setenv("QUALCODE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("QUALCODE_PROJECT", raising=False)
    monkeypatch.delenv("QUALCODE_DB", raising=False)
    monkeypatch.delenv("QUALCODE_CODER", raising=False)


def _pg_database():
    """Create a fresh PostgreSQL database for one test and drop it afterwards."""
    import sqlalchemy as sa

    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"qc_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = PG_URL.rsplit("/", 1)[0] + "/" + name
    return admin, name, url


def _drop_pg(admin, name):
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def backend_url(request, tmp_path):
    """A database URL for an empty project on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'project.db'}"
        return
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("QUALCODE_REQUIRE_PG=1 but QUALCODE_TEST_PG_URL is not set")
        pytest.skip("PostgreSQL tests need QUALCODE_TEST_PG_URL (CI starts a server with .ci/start-postgres.sh)")
    admin, name, url = _pg_database()
    try:
        yield url
    finally:
        from sqlalchemy import create_engine  # noqa: F401 - engines of the test are disposed by then

        _drop_pg(admin, name)


@pytest.fixture
def db(backend_url):
    from qualcode.store import Database

    database = Database(backend_url, create=True)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path):
    from qualcode.store import Database

    database = Database(f"sqlite:///{tmp_path / 'project.db'}", create=True)
    yield database
    database.dispose()


@pytest.fixture
def shared_dir():
    if not SHARED.is_dir():
        pytest.skip(f"../shared is not beside the repository ({SHARED}); REFI-QDA samples unavailable")
    return SHARED
