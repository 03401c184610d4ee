"""Bulk insertion of ready-made ``report`` rows (synthetic data), one transaction per chunk.

Synthetic reports have no file and no record JSON, so they skip the per-file
import path: each chunk is inserted with one ``executemany`` inside one write
transaction that also bumps the data version and writes one audit entry. A
crash loses at most the chunk in flight, never part of a report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import polars as pl
from sqlalchemy.engine import Connection

from gip_data.storage import schema
from gip_data.storage.engine import is_sqlite, run_write
from gip_data.storage.sql import SqlStore, bump_data_version, write_audit

# SQLAlchemy's own SQLite DATETIME text format, so rows read back like any other.
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%6f"


def _sqlite_insert(conn: Connection, frame: pl.DataFrame) -> None:
    frame = frame.with_columns(pl.col("uploaded_at").dt.replace_time_zone(None).dt.strftime(_SQLITE_TIME),
                               pl.col(pl.Date).dt.strftime("%Y-%m-%d"))  # as SQLAlchemy writes a Date
    columns = ", ".join(frame.columns)
    marks = ", ".join("?" * len(frame.columns))
    conn.exec_driver_sql(f"INSERT INTO report ({columns}) VALUES ({marks})", list(frame.iter_rows()))


def _generic_insert(conn: Connection, frame: pl.DataFrame) -> None:
    conn.execute(schema.report.insert(), frame.to_dicts())


def insert_report_rows(
    store: SqlStore,
    chunks: Iterable[pl.DataFrame],
    *,
    by: str,
    action: str = "synth",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert every chunk of rows (columns named as in ``report``); returns how many rows were stored."""
    insert = _sqlite_insert if is_sqlite(store.engine) else _generic_insert
    total = 0
    for frame in chunks:

        def work(conn: Connection, frame: pl.DataFrame = frame) -> None:
            version = bump_data_version(conn)
            insert(conn, frame.with_columns(row_version=pl.lit(version, pl.Int64)))
            write_audit(conn, by, action, None, None, f"{frame.height} reports")

        run_write(store.engine, work, retry_integrity=False)
        total += frame.height
        if progress is not None:
            progress(frame.height)
    return total
