"""Build the :class:`~gip_data.prepared.core.Prepared` data of a data version from the wide frame.

Every structure is either per report (the derived columns) or a sum over
reports (cube, histogram, body matrix), so :mod:`gip_data.prepared.delta` can
update it from the changed reports alone: sums by adding the new rows and
subtracting the old ones, per-report columns by appending.

Each report carries the id of its cube row (``cell``: its combination of the
cube's dimensions), so a cube of any subset of reports — the matches of a name
search — is a group-by on one integer column, with the dimensions joined back
from the cube.
"""

from __future__ import annotations

from typing import cast

import polars as pl

from gip_data import metrics
from gip_data.prepared.core import (
    BODY_KEYS,
    CELL_DIMS,
    DERIVED,
    HIST_DIMS,
    SLOT_KINDS,
    Prepared,
    Slot,
    flag_id_order,
)
from gip_data.prepared.names import Dictionary, NameIndex
from gip_data.quality.derive import quality_columns
from gip_data.quality.tables import build_tables

RECV = (metrics.BASES["new"] + metrics.BASES["carried_over"]).cast(pl.Int64)
OPENED = (metrics.BASES["granted"] + metrics.BASES["partially_granted"]).cast(pl.Int64)
CLOSED = metrics.BASES["closed"].cast(pl.Int64)
_BODY_EXTRAS = ("shared", "shared_name")


def prepare(wide: pl.DataFrame, version: int = 0) -> Prepared:
    """Build every per-version structure from the wide frame (:data:`gip_data.frames.WIDE_SCHEMA`)."""
    names = NameIndex.build(Dictionary.build(wide.get_column("agency")))
    keys = Dictionary.build(wide.get_column("agency_key"))
    coded = with_derived(wide, names.names, keys)
    cell, cells = assign_cells(coded, pl.DataFrame(schema={"cell": pl.UInt32, **coded.select(CELL_DIMS).schema}))
    template = coded.get_column("report_id")
    coded = coded.hstack([metrics.like_chunks(c, template) for c in (cell, *quality_columns(coded).get_columns())])
    slots = slots_of(coded.lazy())
    bodies = body_matrix(coded.lazy(), slots)
    return Prepared(
        version=version, wide=flag_id_order(coded), dead=0, tail_from=coded.height,
        cube=cube_of(coded.lazy(), cells), hist=histogram(coded.lazy()), names=names, keys=keys,
        bodies=decorate(bodies), slots=slots, quality=build_tables(coded),
    ).warm()


def with_derived(wide: pl.DataFrame, names: Dictionary, keys: Dictionary) -> pl.DataFrame:
    """``wide`` with the :data:`~gip_data.prepared.core.DERIVED` columns but ``cell`` (every row live).

    The added columns follow the frame's chunk layout: a frame whose columns
    are chunked differently is copied whole by the next operation on it, and
    for a memory-mapped million-report frame that copy would be the app's
    largest allocation.
    """
    codes = pl.DataFrame([
        names.encode(wide.get_column("agency")).cast(pl.UInt32).alias("name_code"),
        keys.encode(wide.get_column("agency_key")).cast(pl.UInt32).alias("agency_code"),
    ])
    live = pl.Series("live", [True] * wide.height, dtype=pl.Boolean)
    links = year_links(codes.get_column("agency_code"), wide.get_column("year"), live)
    added = pl.concat([codes, wide.select(RECV.alias("recv")), links, live.to_frame()], how="horizontal")
    template = wide.get_column("report_id")
    return wide.hstack([metrics.like_chunks(added.get_column(c), template) for c in DERIVED if c != "cell"])


def year_links(codes: pl.Series, years: pl.Series, live: pl.Series) -> pl.DataFrame:
    """Per row, whether its body has a live report the year before (``has_prev``) and after (``has_next``).

    同比 compares only such bodies; flags computed once per data version keep
    it a filter instead of a join at every view. Rows without a body code or a
    year have no links. A (body, year) pair is one integer, so the test is a
    membership test on integers.
    """
    rows = pl.DataFrame([codes.alias("code"), years.alias("year"), live.alias("live")])

    def pair(shift: int) -> pl.Expr:
        # Any Int32 year (shifted by one) fits the low 32 bits.
        return pl.col("code").cast(pl.Int64) * 2**32 + (pl.col("year").cast(pl.Int64) + 2**31 + shift)

    seen = rows.filter(pl.col("live")).select(pair(0).drop_nulls().unique()).to_series()
    return rows.select(
        pair(-1).is_in(seen.implode()).fill_null(False).alias("has_prev"),
        pair(1).is_in(seen.implode()).fill_null(False).alias("has_next"),
    )


def assign_cells(rows: pl.DataFrame, known: pl.DataFrame) -> tuple[pl.Series, pl.DataFrame]:
    """Each row's cell id by its :data:`CELL_DIMS`, and ``known`` (``cell`` + dims) with new combinations added."""
    dims = list(CELL_DIMS)
    keyed = rows.select(dims).join(known, on=dims, how="left", nulls_equal=True, maintain_order="left")
    new = keyed.filter(pl.col("cell").is_null()).select(dims).unique().sort(dims, nulls_last=True)
    if new.height:
        start = cast(int, known["cell"].max()) + 1 if known.height else 0  # cell ids are never null
        known = pl.concat([known, new.with_row_index("cell", offset=start).select(known.columns)])
        keyed = rows.select(dims).join(known, on=dims, how="left", nulls_equal=True, maintain_order="left")
    return keyed.get_column("cell").alias("cell"), known


def cube_of(rows: pl.LazyFrame, cells: pl.DataFrame) -> pl.DataFrame:
    """The cube of ``rows`` (with their ``cell``): one row per cell they occupy, its dimensions and measures."""
    sums = rows.group_by("cell").agg(metrics.cube_measures())
    return cells.lazy().join(sums, on="cell").collect()


def histogram(rows: pl.LazyFrame) -> pl.DataFrame:
    """Report counts per filter combination and applications received (exact quantiles from counts)."""
    return rows.group_by([*HIST_DIMS, "recv"]).agg(pl.len().cast(pl.Int64).alias("reports")).collect()


def slots_of(rows: pl.LazyFrame, known: tuple[Slot, ...] = ()) -> tuple[Slot, ...]:
    """The (year, template) slots of ``known`` followed by those of ``rows`` it lacks."""
    pairs = rows.select("year", pl.col("template").cast(pl.String)).unique().collect()
    have = {(s.year, s.template) for s in known}
    new = sorted((p for p in pairs.iter_rows() if p not in have), key=lambda p: (p[0] is None, p[0] or 0, p[1] or ""))
    return known + tuple(Slot(len(known) + i, y, t) for i, (y, t) in enumerate(new))


def body_matrix(rows: pl.LazyFrame, slots: tuple[Slot, ...]) -> pl.DataFrame:
    """Per body variant (:data:`BODY_KEYS`) and slot, the sums of :data:`~gip_data.prepared.core.SLOT_KINDS`.

    Applications received, reports, passed and failed quality checks,
    applications opened and closed; bodies without a key left out.
    """
    template_dtype = rows.collect_schema()["template"]
    measures = dict(zip(SLOT_KINDS, (pl.col("recv"), pl.lit(1, pl.Int64), pl.col("passes").cast(pl.Int64),
                                     pl.col("fails").cast(pl.Int64), OPENED, CLOSED), strict=True))
    aggs = []
    for s in slots:
        year = pl.col("year").is_null() if s.year is None else pl.col("year") == s.year
        tmpl = pl.col("template").is_null() if s.template is None else pl.col("template") == pl.lit(s.template, template_dtype)
        hit = year & tmpl
        aggs += [pl.when(hit).then(value).otherwise(0).sum().cast(pl.Int64).alias(f"{kind}{s.index}")
                 for kind, value in measures.items()]
    return rows.filter(pl.col("agency_code").is_not_null()).group_by(list(BODY_KEYS)).agg(aggs).collect()


def decorate(bodies: pl.DataFrame) -> pl.DataFrame:
    """The body matrix with which rows share a body (or a body and name).

    A body usually has one row; only the rows of bodies with several variants
    (a level or region that changed) need a group-by when ranking.
    """
    plain = strip(bodies)
    return plain.with_columns(
        pl.col("agency_code").is_duplicated().alias("shared"),
        pl.struct("agency_code", "name_code").is_duplicated().alias("shared_name"),
    )


def strip(bodies: pl.DataFrame) -> pl.DataFrame:
    """The body matrix without what :func:`decorate` added (the sums alone)."""
    return bodies.drop([c for c in _BODY_EXTRAS if c in bodies.columns])


def widen(bodies: pl.DataFrame, slots: tuple[Slot, ...]) -> pl.DataFrame:
    """The body matrix with zero columns for slots it does not have yet."""
    missing = [s.index for s in slots if f"n{s.index}" not in bodies.columns]
    if not missing:
        return bodies
    return bodies.with_columns(*(pl.lit(0, pl.Int64).alias(f"{kind}{i}") for i in missing for kind in SLOT_KINDS))
