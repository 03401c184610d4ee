"""Load the current reports into the fixed-schema Polars frames of :mod:`gip_data.frames`.

Full read: one ``SELECT`` over the wide ``report`` table, read straight into
Arrow by connectorx (never row by row through a DBAPI cursor for large reads).
On SQLite connectorx runs in a child process: it links its own copy of SQLite,
and two SQLite copies in one process break each other's POSIX locks
(sqlite.org/howtocorrupt.html §2.2.1; seen here as stale reads and "disk I/O
error" in the app's own connections). Small SQLite databases are read in
process through the app's own driver, where the child's start-up would dominate.

Large databases: a full read of 1,000,000 reports takes about a minute, so the
frames are kept as an Arrow snapshot per data version (:mod:`.snapshot`).
When the version moved, the newest older snapshot is brought up to date with
the rows whose ``row_version`` is newer (a delta), and published again. Any
import, reparse or delete moves the data version, so a stale snapshot is never
served; a purge of rows (which no delta can describe) forces a full read.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import polars as pl
import sqlalchemy as sa

from gip_data.errors import StorageError
from gip_data.frames import (
    CASE_COLUMNS,
    CELL_COLUMNS,
    FACT_SCHEMA,
    META_SCHEMA,
    WIDE_SCHEMA,
    Frames,
    empty_wide,
    wide_to_frames,
)
from gip_data.storage.engine import is_sqlite, sqlite_path
from gip_data.storage.migrate import read_meta
from gip_data.storage.snapshot import (
    FRAME_NAMES,
    latest_snapshot,
    read_arrow_file,
    read_snapshot,
    write_snapshot,
)
from gip_data.storage.sql import SqlStore

SNAPSHOT_MIN_ROWS = 50_000
CHILD_READ_MIN_ROWS = 20_000
DELTA_MAX_ROWS = 50_000
_META_SOURCE = {"report_id": "id"}


def wide_query(where: str = "status = 'current'") -> str:
    """SQL selecting the wide frame's columns (current reports by default), in report-id order."""
    columns = [f"{_META_SOURCE.get(name, name)} AS {name}" for name in META_SCHEMA]
    columns += [*CELL_COLUMNS, *CASE_COLUMNS, *FACT_SCHEMA]
    return f"SELECT {', '.join(columns)} FROM report WHERE {where} ORDER BY id"


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
        return read_arrow_file(out)  # memory-mapped: the rows are not copied into this process


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
        if column.dtype == dtype:
            pass  # already conformed (the child-process read casts before handing over)
        elif name == "uploaded_at":
            column = _conform_timestamp(column)
        elif dtype == pl.Date() and column.dtype == pl.String:  # SQLite keeps dates as ISO text
            column = column.str.to_date(strict=False)
        elif name == "template" or isinstance(dtype, pl.Enum):
            column = column.cast(pl.String).cast(dtype)
        else:
            column = column.cast(dtype)
        columns.append(column.alias(name))
    return pl.DataFrame(columns)


def load_wide(store: SqlStore) -> pl.DataFrame:
    """The wide frame of current reports read from the database (no snapshot)."""
    return conform_wide(_read_raw(store))


def _delta_query() -> str:
    # No ORDER BY: ordered by id, SQLite walks the whole table in id order instead of using the
    # row_version index (a second instead of a millisecond on a million reports); callers sort.
    query = wide_query("row_version > :since").replace("SELECT ", "SELECT status, ", 1)
    return query.removesuffix(" ORDER BY id")


def read_delta(store: SqlStore, since: int) -> tuple[int, pl.DataFrame] | None:
    """Rows changed after data version ``since``, with the version they bring the data to.

    Read in one repeatable-read transaction so the version and the rows agree.
    None when a full read is needed: the change cannot be expressed as a delta
    (rows were purged) or the delta is too large to be worth it.
    """
    with store.engine.connect() as conn:
        if not is_sqlite(store.engine):
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            version = int(read_meta(conn, "data_version") or 0)
            if int(read_meta(conn, "rebuild_version") or 0) > since:
                return None
            count = conn.execute(
                sa.text("SELECT count(*) FROM report WHERE row_version > :since"), {"since": since}
            )
            if count.scalar_one() > DELTA_MAX_ROWS:
                return None
            query = sa.text(_delta_query()).bindparams(since=since)
            return version, pl.read_database(query, conn, infer_schema_length=None)


@dataclass(frozen=True, slots=True)
class WideDelta:
    """What changed after a data version: the reports whose rows changed, and those of them now current."""

    version: int  # the data version the change brings the data to
    changed: pl.Series  # report ids (Int64) whose earlier rows are no longer current as they were
    current: pl.DataFrame  # their current rows, exactly WIDE_SCHEMA

    @classmethod
    def from_raw(cls, version: int, raw: pl.DataFrame) -> WideDelta:
        """The delta of rows read by :func:`read_delta` (with their ``status``)."""
        if raw.height == 0:
            return cls(version, pl.Series("report_id", [], pl.Int64), empty_wide())
        current = conform_wide(raw.filter(pl.col("status") == "current"))
        return cls(version, raw.get_column("report_id").cast(pl.Int64), current)


def read_wide_delta(store: SqlStore, since: int) -> WideDelta | None:
    """The change of the wide frame after data version ``since`` (None when only a full read can tell it).

    This is what keeps a running app current after an upload: the app applies
    it to the frame and the aggregates it holds (:func:`gip_data.prepared.apply_delta`).
    """
    delta = read_delta(store, since)
    return WideDelta.from_raw(*delta) if delta is not None else None


def apply_delta(old: Frames, raw: pl.DataFrame, version: int) -> Frames:
    """The frames of ``old`` with the changed rows of ``raw`` replaced by their current state."""
    delta = WideDelta.from_raw(version, raw)
    changed, current = delta.changed, delta.current
    added = wide_to_frames(current, data_version=version)
    # Changed rows that already existed (superseded, deleted) leave; new versions always have larger ids.
    touched_old = bool(changed.len()) and old.wide.height > 0 and (
        int(cast(int, changed.min())) <= int(cast(int, old.wide["report_id"].max())))
    merged = {}
    for name in FRAME_NAMES:
        frame = getattr(old, name)
        if touched_old:
            frame = frame.filter(~pl.col("report_id").is_in(changed))
        combined = (
            pl.concat([frame, getattr(added, name)], rechunk=False) if getattr(added, name).height else frame
        )
        merged[name] = (
            combined if combined["report_id"].is_sorted() else combined.sort("report_id", maintain_order=True)
        )
    return Frames(**merged, data_version=version)


def load_frames(store: SqlStore, *, snapshot_min_rows: int = SNAPSHOT_MIN_ROWS) -> Frames:
    """The frames of the current (non-superseded, non-deleted) reports at the store's data version.

    Databases with at least ``snapshot_min_rows`` current reports are served
    from an Arrow snapshot keyed by the data version; when the version moved,
    the newest older snapshot plus the changed rows gives the new frames, so
    one upload into a million reports does not mean reading a million rows.
    """
    instance, version = store.instance_id(), store.data_version()
    exact = read_snapshot(instance, version)
    if exact is not None:
        return exact
    frames = _from_older_snapshot(store, instance, version)
    if frames is None:
        frames = wide_to_frames(load_wide(store), data_version=version)
        # If data changed during the read, do not publish the snapshot under the old key.
        if store.data_version() != version:
            return frames
    if frames.wide.height >= snapshot_min_rows:
        write_snapshot(instance, frames)
    return frames


def _from_older_snapshot(store: SqlStore, instance: str, version: int) -> Frames | None:
    older = latest_snapshot(instance, below=version)
    base = read_snapshot(instance, older) if older is not None else None
    delta = read_delta(store, older) if base is not None and older is not None else None
    if base is None or delta is None:
        return None
    return apply_delta(base, delta[1], delta[0])
