"""Build the :class:`~gip_data.prepared.core.Prepared` data of a data version from the wide frame.

Every structure is either per report (the derived columns) or a sum over
reports (cube, histogram, body matrix), so :mod:`gip_data.prepared.delta` can
update it from the changed reports alone: sums by adding the new rows and
subtracting the old ones, per-report columns by appending.
"""

from __future__ import annotations

import polars as pl

from gip_data import metrics
from gip_data.prepared.core import BODY_KEYS, DERIVED, HIST_DIMS, Prepared, Slot
from gip_data.prepared.names import Dictionary, NameIndex

RECV = (metrics.BASES["new"] + metrics.BASES["carried_over"]).cast(pl.Int64)


def prepare(wide: pl.DataFrame, version: int = 0) -> Prepared:
    """Build every per-version structure from the wide frame (:data:`gip_data.frames.WIDE_SCHEMA`)."""
    names = NameIndex.build(Dictionary.build(wide.get_column("agency")))
    keys = Dictionary.build(wide.get_column("agency_key"))
    coded = with_derived(wide, names.names, keys)
    slots = slots_of(coded.lazy())
    return Prepared(
        version=version, wide=coded, dead=0, tail_from=coded.height, cube=metrics.build_cube(coded), hist=histogram(coded.lazy()),
        names=names, keys=keys, agencies=agencies(coded.lazy(), keys), bodies=body_matrix(coded.lazy(), slots),
        slots=slots,
    )


def with_derived(wide: pl.DataFrame, names: Dictionary, keys: Dictionary) -> pl.DataFrame:
    """``wide`` with the :data:`~gip_data.prepared.core.DERIVED` columns (every row live).

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
    added = pl.concat([codes, wide.select(RECV.alias("recv")), links, live.to_frame()], how="horizontal").select(DERIVED)
    template = wide.get_column("report_id")
    return wide.hstack([metrics.like_chunks(c, template) for c in added.get_columns()])


def year_links(codes: pl.Series, years: pl.Series, live: pl.Series) -> pl.DataFrame:
    """Per row, whether its body has a live report the year before (``has_prev``) and after (``has_next``).

    同比 compares only such bodies; flags computed once per data version keep
    it a filter instead of a join at every view. Rows without a body code or a
    year have no links.
    """
    rows = pl.DataFrame([codes.alias("code"), years.alias("year"), live.alias("live")])
    seen = rows.filter(pl.col("live")).drop_nulls(["code", "year"]).select("code", "year").unique()
    prev = seen.select("code", (pl.col("year") + 1).alias("year"), pl.lit(True).alias("has_prev"))
    nxt = seen.select("code", (pl.col("year") - 1).alias("year"), pl.lit(True).alias("has_next"))
    return (
        rows.join(prev, on=["code", "year"], how="left", maintain_order="left")
        .join(nxt, on=["code", "year"], how="left", maintain_order="left")
        .select(pl.col("has_prev").fill_null(False), pl.col("has_next").fill_null(False))
    )


def histogram(rows: pl.LazyFrame) -> pl.DataFrame:
    """Report counts per filter combination and applications received (exact quantiles from counts)."""
    return rows.group_by([*HIST_DIMS, "recv"]).agg(pl.len().cast(pl.Int64).alias("reports")).collect()


def agencies(rows: pl.LazyFrame, keys: Dictionary) -> pl.DataFrame:
    """One row per body code: its key, rank, and the name, level and province of its latest report.

    Codes without a current report keep an empty row, so the row is the code.
    """
    latest = (
        rows.filter(pl.col("agency_code").is_not_null())
        .select("agency_code", "agency", "level", "province", "year", "report_id")
        .group_by("agency_code")
        .agg(pl.all().sort_by("year", "report_id", nulls_last=False).last())
        .drop("year", "report_id")
    )
    table = keys.table.lazy().select(
        pl.col("code").cast(pl.UInt32).alias("agency_code"), pl.col("text").alias("agency_key"), "rank")
    return table.join(latest, on="agency_code", how="left", maintain_order="left").sort("agency_code").collect()


def slots_of(rows: pl.LazyFrame, known: tuple[Slot, ...] = ()) -> tuple[Slot, ...]:
    """The (year, template) slots of ``known`` followed by those of ``rows`` it lacks."""
    pairs = rows.select("year", pl.col("template").cast(pl.String)).unique().collect()
    have = {(s.year, s.template) for s in known}
    new = sorted((p for p in pairs.iter_rows() if p not in have), key=lambda p: (p[0] is None, p[0] or 0, p[1] or ""))
    return known + tuple(Slot(len(known) + i, y, t) for i, (y, t) in enumerate(new))


def body_matrix(rows: pl.LazyFrame, slots: tuple[Slot, ...]) -> pl.DataFrame:
    """Applications and report counts per body variant (:data:`BODY_KEYS`) and slot; bodies without a key left out."""
    template_dtype = rows.collect_schema()["template"]
    aggs = []
    for s in slots:
        year = pl.col("year").is_null() if s.year is None else pl.col("year") == s.year
        tmpl = pl.col("template").is_null() if s.template is None else pl.col("template") == pl.lit(s.template, template_dtype)
        hit = year & tmpl
        aggs += [pl.col("recv").filter(hit).sum().alias(f"r{s.index}"), hit.sum().cast(pl.Int64).alias(f"n{s.index}")]
    return rows.filter(pl.col("agency_code").is_not_null()).group_by(list(BODY_KEYS)).agg(aggs).collect()


def widen(bodies: pl.DataFrame, slots: tuple[Slot, ...]) -> pl.DataFrame:
    """The body matrix with zero columns for slots it does not have yet."""
    missing = [s.index for s in slots if f"n{s.index}" not in bodies.columns]
    return bodies.with_columns(
        *(pl.lit(0, pl.Int64).alias(f"{kind}{i}") for i in missing for kind in ("r", "n"))
    ) if missing else bodies
