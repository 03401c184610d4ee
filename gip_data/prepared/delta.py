"""Bring the prepared data to a newer data version from the changed reports alone (no rebuild).

An upload, a correction or a delete changes a handful of reports. The update:

- marks the changed reports' old rows not ``live`` and appends their current
  rows (the million-row frame is never copied: old columns are shared, only
  the small flag columns are rewritten);
- recomputes the year links (``has_prev``/``has_next``) and the 质量 indicators
  of the bodies touched, since a new year of a body changes the links of its
  neighbouring years and the continuity and copy checks of the year after;
- updates every sum (cube, histogram, body matrix) by subtracting the touched
  bodies' rows as they were and adding them as they are now — sums of the
  same integers cancel exactly, so the result equals a rebuild;
- extends the name and key dictionaries with the texts it brings;
- updates the anomalies and aggregate gaps of the peer groups, bodies and
  regions the change touches (:func:`gip_data.quality.tables.update_tables`).

``tests/test_prepared.py`` checks that every view after an update equals the
view of a full :func:`~gip_data.prepared.build.prepare` at the new version.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from gip_data import metrics
from gip_data.prepared import build
from gip_data.prepared.core import BODY_KEYS, CELL_DIMS, HIST_DIMS, LINKED, Prepared, flag_id_order
from gip_data.quality.checks import SCORECARD_INPUTS
from gip_data.quality.derive import QUALITY_CELLS, quality_columns
from gip_data.quality.tables import REPORT_COLUMNS, Change, update_tables
from gip_data.storage.frames_io import WideDelta

# Appended chunks are merged into one once there are more than this many (a chunk per upload would slow scans).
MAX_TAIL_CHUNKS = 8


def apply_delta(p: Prepared, delta: WideDelta) -> Prepared:
    """``p`` brought to ``delta.version``: changed reports replaced by their current rows, every sum updated."""
    if delta.changed.len() == 0 and delta.current.height == 0:
        return replace(p, version=delta.version, memo={})
    wide = p.wide
    gone = _positions(wide, pl.col("report_id").is_in(delta.changed.implode()) & pl.col("live"))
    names = p.names.extend(delta.current.get_column("agency"))
    keys = p.keys.extend(delta.current.get_column("agency_key"))
    new = build.with_derived(delta.current, names.names, keys)
    touched = pl.concat([wide["agency_code"].gather(gone), new["agency_code"]]).drop_nulls().unique()
    # Every live row of a touched body, and the changed rows: the part of every sum that may change.
    before_at = _positions(wide, pl.col("live") & (pl.col("agency_code").is_in(touched.implode())
                                                   | pl.col("report_id").is_in(delta.changed.implode())))
    staying_at = before_at.filter(~before_at.is_in(gone.implode()))
    before = _gather(wide, before_at, _SUMMED)
    after = pl.concat([_gather(wide, staying_at, _INPUTS), new.select(_INPUTS)], rechunk=True)
    after = after.with_columns(build.year_links(after["agency_code"], after["year"], after["live"]))
    after = after.hstack(quality_columns(after).get_columns())
    cell, cells = build.assign_cells(after, p.cube.select("cell", *CELL_DIMS))
    after = after.with_columns(cell)
    slots = build.slots_of(new.lazy(), p.slots)
    bodies = _merge(build.widen(build.strip(p.bodies), slots), build.body_matrix(after.lazy(), slots),
                    build.body_matrix(before.lazy(), slots), BODY_KEYS, "agency_code")
    grown = _next_frame(wide, gone, staying_at, new, after, p.tail_from)
    gone_rows = _gather(wide, gone, REPORT_COLUMNS)
    return Prepared(
        version=delta.version,
        wide=flag_id_order(grown),
        dead=p.dead + gone.len(),
        tail_from=p.tail_from,
        cube=_merge(p.cube, build.cube_of(after.lazy(), cells), build.cube_of(before.lazy(), cells),
                    ("cell", *CELL_DIMS), "cell"),
        hist=_merge(p.hist, build.histogram(after.lazy()), build.histogram(before.lazy()), (*HIST_DIMS, "recv"),
                    "recv"),
        names=names,
        keys=keys,
        bodies=build.decorate(bodies),
        slots=slots,
        quality=update_tables(p.quality, grown, cells, Change(gone_rows, after.slice(staying_at.len()), touched)),
    ).warm()


# What the sums read of a report (its cube row, body and histogram keys, the summed cells), ``cell`` last.
_SUMMED: tuple[str, ...] = tuple(dict.fromkeys((
    "report_id", "agency_code", "name_code", "recv", "live", "year", "template", *HIST_DIMS, *BODY_KEYS, *CELL_DIMS,
    "consistent", *metrics.QUALITY_FLAGS, *metrics.CUBE_CELLS, "cell")))
# What the touched bodies' current rows are read with: what the sums read but the columns computed again (the
# quality indicators, the cube row), and what the scorecard and the quality tables read.
_INPUTS: tuple[str, ...] = tuple(dict.fromkeys((
    *(c for c in _SUMMED if c not in (*QUALITY_CELLS, "cell")), *SCORECARD_INPUTS, *REPORT_COLUMNS)))


def _gather(frame: pl.DataFrame, at: pl.Series, columns: tuple[str, ...]) -> pl.DataFrame:
    """Some rows of some columns (the frame's other columns are never read, so never paged in)."""
    return frame.select(columns)[at]


def _positions(frame: pl.DataFrame, where: pl.Expr) -> pl.Series:
    return frame.select(where.arg_true()).to_series()


def _merge(
    base: pl.DataFrame, plus: pl.DataFrame, minus: pl.DataFrame, keys: tuple[str, ...], near: str
) -> pl.DataFrame:
    """``base + plus - minus`` per key combination (every other column a sum); combinations left all zero dropped.

    Only the rows of ``base`` sharing a value of column ``near`` with a change
    are regrouped; the others are kept as they are. A combination is all zero
    exactly when it has no report left (report counts are among the sums).
    """
    values = [c for c in base.columns if c not in keys]
    changes = pl.concat([plus.select(base.columns), minus.select(*keys, *(-pl.col(c) for c in values))])
    hit = pl.col(near).is_in(changes.get_column(near).unique().implode(), nulls_equal=True)
    regrouped = (
        pl.concat([base.filter(hit), changes])
        .group_by(list(keys))
        .agg(pl.col(c).sum() for c in values)
        .filter(pl.any_horizontal(pl.col(c) != 0 for c in values))
        .select(base.columns)
    )
    return pl.concat([base.filter(~hit), regrouped])


def _next_frame(
    wide: pl.DataFrame, gone: pl.Series, staying_at: pl.Series, new: pl.DataFrame, after: pl.DataFrame, tail_from: int
) -> pl.DataFrame:
    """The frame with gone rows not live, the touched rows' links and cells rewritten, the new rows appended.

    ``after`` holds the staying rows (in ``staying_at`` order) then the new
    ones, with their year links and cells. Only the small per-report columns
    that change are rewritten; every other column keeps its chunks
    (memory-mapped from the snapshot) and gains one chunk for the new rows. The
    rows appended since the first load are merged into one chunk once they span
    more than :data:`MAX_TAIL_CHUNKS`.
    """
    template = wide.get_column("report_id")
    staying, added = after.head(staying_at.len()), after.slice(staying_at.len())
    columns = {}
    for name in ("live", *LINKED):
        column = wide.get_column(name).clone()
        if name == "live":
            column.scatter(gone, False)
        else:
            column.scatter(staying_at, staying.get_column(name))
        columns[name] = metrics.like_chunks(column, template)
    appended = new.with_columns(added.select(LINKED)).select(wide.columns)
    grown = pl.concat([wide.with_columns(**columns), appended], how="vertical", rechunk=False)
    tail = grown.slice(tail_from)
    if tail.height and tail.get_column("report_id").n_chunks() > MAX_TAIL_CHUNKS:
        grown = pl.concat([grown.slice(0, tail_from), tail.rechunk()], how="vertical", rechunk=False)
    return grown
