"""Engines for SQLite and PostgreSQL, and the retry loop around write transactions.

SQLite is opened in WAL mode with foreign keys on and a busy timeout; write
transactions start with ``BEGIN IMMEDIATE`` because upgrading a deferred read
transaction to a write ignores the busy timeout (STACK_NOTES §5). Writers on
either database retry with backoff when the database is locked or when a
concurrent writer won a unique constraint or a serialization conflict.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from gip_data.errors import ConfigError, StorageError

T = TypeVar("T")
BUSY_TIMEOUT_MS = 30_000
MAX_ATTEMPTS = 12


def is_sqlite(engine: Engine) -> bool:
    """True for the embedded SQLite backend."""
    return engine.dialect.name == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for in-memory databases and other backends."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy's "begin" hook below issue BEGIN itself (pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def create_engine_for(url: str) -> Engine:
    """An engine for ``url`` with the project's connection settings."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise ConfigError(f"数据库地址无效 / invalid database URL: {url}") from exc
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(
            f"只支持 SQLite 与 PostgreSQL / only SQLite and PostgreSQL are supported: {backend}"
        )
    if backend == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _install_sqlite_pragmas(engine)
        return engine
    try:
        return sa.create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4)
    except ModuleNotFoundError as exc:
        raise ConfigError("PostgreSQL 需要安装 psycopg / install the 'postgres' extra (psycopg)") from exc


@contextmanager
def write_connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside one write transaction (``BEGIN IMMEDIATE`` on SQLite)."""
    with engine.connect() as conn:
        if is_sqlite(engine):
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            yield conn


def _retryable(exc: DBAPIError, retry_integrity: bool) -> bool:
    if isinstance(exc, IntegrityError):
        return retry_integrity  # a concurrent writer stored the same identity first: look again
    text = str(exc.orig).lower()
    if isinstance(exc, OperationalError) and ("locked" in text or "busy" in text):
        return True
    # PostgreSQL serialization failure / deadlock (SQLSTATE 40001 / 40P01).
    return getattr(exc.orig, "sqlstate", None) in ("40001", "40P01")


def run_write(engine: Engine, work: Callable[[Connection], T], *, retry_integrity: bool = True) -> T:
    """Run ``work`` in one write transaction, retried with backoff on lock or race conflicts.

    ``retry_integrity`` also retries unique-constraint violations, which for a
    single-report import mean a concurrent writer got there first.
    """
    for attempt in range(MAX_ATTEMPTS):
        try:
            with write_connection(engine) as conn:
                return work(conn)
        except DBAPIError as exc:
            if not _retryable(exc, retry_integrity) or attempt == MAX_ATTEMPTS - 1:
                raise StorageError(str(exc.orig)) from exc
            time.sleep(min(2.0, 0.02 * 2**attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")
