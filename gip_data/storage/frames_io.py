"""Load the current reports into the fixed-schema Polars frames of :mod:`gip_data.frames`.

The wide frame is one ``SELECT`` over the wide ``report`` table, read straight
into Arrow by connectorx (never row by row through a DBAPI cursor for large
reads). On SQLite connectorx runs in a child process: it links its own copy of
SQLite, and two SQLite copies in one process break each other's POSIX locks
(sqlite.org/howtocorrupt.html §2.2.1; seen here as stale reads and "disk I/O
error" in the app's own connections). Small SQLite databases are read in
process through the app's own driver, where the child's start-up would
dominate. For large
databases that read alone is too slow for an interactive app (1,000,000
reports take several seconds), so the four frames are also kept as an Arrow
IPC snapshot in the data folder, keyed by the database's instance id and data
version, written to a temporary folder and renamed into place (atomic), and
memory-mapped on the next load. Any import, reparse or delete moves the data
version, so a stale snapshot is never read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from gip_data import settings
from gip_data.errors import StorageError
from gip_data.frames import CASE_COLUMNS, CELL_COLUMNS, META_SCHEMA, WIDE_SCHEMA, Frames, wide_to_frames
from gip_data.storage.engine import sqlite_path
from gip_data.storage.sql import SqlStore

SNAPSHOT_MIN_ROWS = 50_000
CHILD_READ_MIN_ROWS = 20_000
_FRAME_NAMES = ("wide", "dispositions", "applicants", "cases")
_META_SOURCE = {"report_id": "id"}


def wide_query() -> str:
    """SQL selecting the wide frame's columns for current reports, in report-id order."""
    columns = [f"{_META_SOURCE.get(name, name)} AS {name}" for name in META_SCHEMA]
    columns += list(CELL_COLUMNS + CASE_COLUMNS)
    return f"SELECT {', '.join(columns)} FROM report WHERE status = 'current' ORDER BY id"


def _connectorx_uri(url: str) -> str | None:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        return f"sqlite://{path.resolve()}" if path is not None else None
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def _read_in_child(uri: str) -> pl.DataFrame:
    with tempfile.TemporaryDirectory(prefix="gip-read-") as folder:
        out = Path(folder) / "wide.arrow"
        done = subprocess.run(
            [sys.executable, "-m", "gip_data.storage.read_worker", uri, wide_query(), str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise StorageError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "read failed")
        return pl.read_ipc(out)


def _read_raw(store: SqlStore) -> pl.DataFrame:
    uri = _connectorx_uri(store.url)
    if uri is not None and not uri.startswith("sqlite"):
        return pl.read_database_uri(wide_query(), uri, engine="connectorx")
    if uri is not None and store.count_reports() >= CHILD_READ_MIN_ROWS:
        return _read_in_child(uri)
    with store.engine.connect() as conn:
        return pl.read_database(sa.text(wide_query()), conn, infer_schema_length=None)


def _conform_timestamp(column: pl.Series) -> pl.Series:
    if column.dtype == pl.String:
        column = column.str.to_datetime(time_unit="us", time_zone=None, strict=False)
    if isinstance(column.dtype, pl.Datetime) and column.dtype.time_zone is None:
        return column.dt.cast_time_unit("us").dt.replace_time_zone("UTC")
    return column.cast(pl.Datetime("us", "UTC"))


def conform_wide(raw: pl.DataFrame) -> pl.DataFrame:
    """Cast a raw database read to exactly :data:`~gip_data.frames.WIDE_SCHEMA` (names, order, dtypes)."""
    columns = []
    for name, dtype in WIDE_SCHEMA.items():
        column = raw.get_column(name) if name in raw.columns else pl.Series(name, [None] * raw.height)
        if name == "uploaded_at":
            column = _conform_timestamp(column)
        elif name == "template" or isinstance(dtype, pl.Enum):
            column = column.cast(pl.String).cast(dtype)
        else:
            column = column.cast(dtype)
        columns.append(column.alias(name))
    return pl.DataFrame(columns)


def load_wide(store: SqlStore) -> pl.DataFrame:
    """The wide frame of current reports read from the database (no snapshot)."""
    return conform_wide(_read_raw(store))


def _snapshot_root() -> Path:
    return settings.data_dir() / "snapshots"


def _snapshot_dir(store: SqlStore, version: int) -> Path:
    return _snapshot_root() / f"{store.instance_id()}-v{version}"


def _read_snapshot(folder: Path, version: int) -> Frames | None:
    try:
        frames = {name: pl.read_ipc(folder / f"{name}.arrow") for name in _FRAME_NAMES}
    except (OSError, pl.exceptions.ComputeError):
        return None  # missing or torn: rebuild from the database
    return Frames(**frames, data_version=version)


def _write_snapshot(store: SqlStore, frames: Frames) -> None:
    root = _snapshot_root()
    root.mkdir(parents=True, exist_ok=True)
    target = _snapshot_dir(store, frames.data_version)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root))
    for name in _FRAME_NAMES:
        getattr(frames, name).write_ipc(staging / f"{name}.arrow", compression="uncompressed")
    try:
        os.replace(staging, target)
    except OSError:  # another process published the same version first
        shutil.rmtree(staging, ignore_errors=True)
    prefix = f"{store.instance_id()}-v"
    for old in root.glob(f"{prefix}*"):
        if old != target:
            shutil.rmtree(old, ignore_errors=True)


def load_frames(store: SqlStore, *, snapshot_min_rows: int = SNAPSHOT_MIN_ROWS) -> Frames:
    """The frames of the current (non-superseded, non-deleted) reports at the store's data version.

    Databases with at least ``snapshot_min_rows`` current reports are served
    from (and cached into) an Arrow snapshot keyed by the data version.
    """
    version = store.data_version()
    folder = _snapshot_dir(store, version)
    if folder.is_dir():
        cached = _read_snapshot(folder, version)
        if cached is not None:
            return cached
    frames = wide_to_frames(load_wide(store), data_version=version)
    # Re-read the version: if data changed during the read, do not publish a snapshot under the old key.
    if frames.wide.height >= snapshot_min_rows and store.data_version() == version:
        _write_snapshot(store, frames)
    return frames
