"""Database fixtures for storage tests: the same tests on SQLite and on a real PostgreSQL.

PostgreSQL comes from ``GIP_TEST_POSTGRES_URL`` (set by ``./dev test`` through
scripts/postgres.sh); each test gets a fresh database on that server. Outside
CI a missing URL skips the PostgreSQL half; in CI (``CI=true``) it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from gip_data.storage.sql import SqlStore

PG_ENV = "GIP_TEST_POSTGRES_URL"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def postgres_admin_url() -> str:
    """The test server's URL, or skip/fail when it is not configured."""
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{PG_ENV} is not set in CI: ./dev test starts PostgreSQL and sets it")
        pytest.skip(f"{PG_ENV} not set (run through ./dev test)")
    return url


def fresh_postgres_url() -> str:
    """Create an empty database on the test server and return its URL."""
    admin = sa.make_url(postgres_admin_url())
    name = f"gip_t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return admin.set(database=name).render_as_string(hide_password=False)


def drop_postgres(url: str) -> None:
    """Drop a database made by :func:`fresh_postgres_url`."""
    admin = sa.make_url(postgres_admin_url())
    name = sa.make_url(url).database
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()


def fresh_url(backend: str, tmp_path: Path) -> str:
    """A URL of an empty database of ``backend``."""
    return f"sqlite:///{tmp_path / 'gip.db'}" if backend == "sqlite" else fresh_postgres_url()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """URL of a fresh empty database, once per backend; snapshots go to tmp_path."""
    monkeypatch.setenv("GIP_DATA_DIR", str(tmp_path / "data"))
    url = fresh_url(request.param, tmp_path)
    yield url
    if request.param == "postgres":
        drop_postgres(url)


@pytest.fixture
def store(db_url: str) -> Iterator[SqlStore]:
    """A store on a fresh database of each backend."""
    opened = SqlStore(db_url)
    yield opened
    opened.close()
