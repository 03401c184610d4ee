"""Exact fast paths of views that need the reports: each equals its definition in :mod:`gip_data.metrics`.

They read a prepared index instead of every report — the body matrix for
rankings of bodies, the applications histogram for quantiles — and then only
the few reports the answer names. ``tests/test_views.py`` checks each against
its definition on the raw reports.
"""

from __future__ import annotations

import polars as pl

from gip_data import metrics
from gip_data.filters import FilterState
from gip_data.prepared.core import BODY_DIMS, CUBE_FILTER_DIMS, HIST_DIMS, Prepared, per_body


def body_totals(p: Prepared, state: FilterState, *, by_name: bool = False) -> pl.LazyFrame:
    """Applications received and report count per body (or body and name) in the view.

    Groups without a report are dropped. Only rows of bodies with several
    variants are grouped; the others are a body each.
    """
    bodies, summed = p.body_sums(state)
    by = ["agency_code", "name_code"] if by_name else ["agency_code"]
    rows = bodies.lazy().filter(p.predicate(state, BODY_DIMS)).select(
        *by, pl.col("shared_name" if by_name else "shared").alias("shared"),
        summed("r").alias("recv"), summed("n").alias("reports"),
    ).filter(pl.col("reports") > 0)
    return per_body(rows, by, [pl.col("recv", "reports").sum()])


def _most_received(p: Prepared, totals: pl.DataFrame, n: int) -> pl.DataFrame:
    """The ``n`` groups with most applications, ties by body key (then name), as the definitions rank them.

    Only the groups reaching the ``n``-th largest count are named and sorted.
    """
    if totals.height > n:
        totals = totals.filter(pl.col("recv") >= totals.get_column("recv").top_k(n).min())
    named = totals.with_columns(p.keys.table.get_column("text").gather(totals.get_column("agency_code")).alias("agency_key"))
    keys = ["agency_key"]
    if "name_code" in totals.columns:
        named = named.with_columns(p.names.names.table.get_column("text").gather(totals.get_column("name_code")).alias("agency"))
        keys.append("agency")
    return named.sort(["recv", *keys], descending=[True, *[False] * len(keys)]).head(n)


def top_bodies(p: Prepared, state: FilterState, n: int = 20) -> pl.DataFrame:
    """:func:`metrics.top_bodies` from the body matrix; only the winners' own reports are read (for their names)."""
    ranked = _most_received(p, body_totals(p, state).collect(), n)
    shown = metrics.top_bodies(p.reports_of_codes(ranked.get_column("agency_code")).filter(p.predicate(state)), n)
    return shown.select("agency_key", "agency", "level", "province").join(
        ranked.select("agency_key", pl.col("reports").cast(pl.UInt32), "recv"), on="agency_key", maintain_order="left")


def body_metric(p: Prepared, state: FilterState, code: str, limit: int = 30) -> pl.DataFrame:
    """:func:`metrics.body_metric`: the (body, name) groups ranked from the body matrix, then only their reports."""
    totals = body_totals(p, state, by_name=True).filter(pl.col("name_code").is_not_null()).collect()
    ranked = _most_received(p, totals, limit).select("agency_code", "name_code")
    pairs = pl.struct("agency_code", "name_code").is_in(ranked.select(pl.struct(pl.all())).to_series().implode())
    rows = p.reports_of_codes(ranked.get_column("agency_code").unique()).filter(p.predicate(state) & pairs)
    return metrics.body_metric(rows, code, limit)


def body_history(p: Prepared, state: FilterState, keys: tuple[str, ...], code: str) -> pl.DataFrame:
    """:func:`metrics.body_history` on the named bodies' reports only (found through their codes)."""
    return metrics.body_history(p.reports_of(list(keys)).filter(p.predicate(state)), keys, code)


def volume_distribution(p: Prepared, state: FilterState, by: str = "level") -> pl.DataFrame:
    """:func:`metrics.volume_distribution` from the applications histogram (counts per value are exact).

    Quantiles are read off cumulative counts with the definitions Polars uses
    on the values themselves: ``nearest`` picks position round((n - 1)·q),
    the median averages the two middle values.
    """
    if by not in HIST_DIMS or state.search:  # a search selects reports: their values are read directly
        return metrics.volume_distribution(p.rows(state), by)
    counts = (
        p.histogram(state)
        .filter(pl.col(by).is_not_null())
        .group_by(by, "recv")
        .agg(pl.col("reports").sum())
        .sort(by, "recv")
        .with_columns(pl.col("reports").cum_sum().over(by, order_by="recv").alias("upto"),
                      pl.col("reports").sum().over(by).alias("n"))
    )
    last = pl.col("n") - 1

    def nearest(q: float) -> pl.Expr:
        return _at((last * q + 0.5).floor())

    return (
        counts.group_by(by)
        .agg(
            pl.col("n").first().alias("reports"),
            pl.col("recv").min().alias("min"),
            nearest(0.25).alias("q1"),
            ((_at((last / 2).floor()) + _at((last / 2).ceil())) / 2).alias("median"),
            nearest(0.75).alias("q3"),
            nearest(0.9).alias("p90"),
            pl.col("recv").max().alias("max"),
            ((pl.col("recv") * pl.col("reports")).sum() / pl.col("n").first()).alias("mean"),
        )
        .sort(by)
        .collect()
    )


def _at(position: pl.Expr) -> pl.Expr:
    """The value at 0-based ``position`` of a group's sorted values, given each value's count and running total."""
    start = pl.col("upto") - pl.col("reports")
    return pl.col("recv").filter((start <= position) & (position < pl.col("upto"))).first().cast(pl.Float64)


def peer_comparison(p: Prepared, state: FilterState, agency_key: str, year: int) -> pl.DataFrame:
    """:func:`metrics.peer_comparison` on the body's peer group only.

    The body's report is found by its code; its peers are the reports in the
    cube rows of the same year, level and province that the filters keep — a
    test on one integer column, then only those reports are read.
    """
    mine = p.reports_of(list({agency_key})).filter(p.predicate(state) & (pl.col("year") == year))
    found = mine.select("level", "province").head(1).collect()
    if found.height == 0:
        return metrics.peer_comparison(p.rows(state).head(0), agency_key, year)
    level, province = found.row(0)
    same = (pl.col("year") == year) & (pl.col("level") == level) & (
        pl.col("province").is_null() if province is None else pl.col("province") == province)
    cells = p.cube.filter(same & p.predicate(state, CUBE_FILTER_DIMS)).get_column("cell")
    columns = ["agency_key", "year", "level", "province", "live", *metrics.BASE_CELLS]
    group = p.wide[p.positions_of("cell", cells), columns]
    return metrics.peer_comparison(group.lazy().filter(pl.col("live")).drop("live"), agency_key, year)


# Where each sort key of the worst-first order goes in one packed integer, and its bits (the id takes the lowest 32).
_WORST_BITS: tuple[tuple[str, int, int], ...] = (("failed_checks", 48, 15), ("missing_tables", 44, 4), ("repairs", 32, 12))
_ID_BITS = 32


def quality_reports(p: Prepared, state: FilterState, limit: int = 200) -> pl.DataFrame:
    """:func:`metrics.quality_reports` by one integer key instead of a sort on four columns.

    Failed rules, missing tables, repairs and the id (reversed) are packed in
    that order into one 64-bit key, each capped to its bits, so the worst
    ``limit`` reports are a top-k on one column. Capping keeps the order
    except among values at a cap; such reports would be among the worst, so
    when a returned report holds a capped value the definition runs instead.
    """
    flags = list(metrics.QUALITY_FLAGS)
    flagged = p.rows(state).filter(pl.any_horizontal(pl.col(f) > 0 for f in flags))
    key = pl.lit(2**_ID_BITS - 1, pl.Int64) - pl.col("report_id").clip(0, 2**_ID_BITS - 1)
    for column, shift, bits in _WORST_BITS:
        key = key + pl.col(column).cast(pl.Int64).clip(0, 2**bits - 1) * 2**shift
    columns = ["report_id", "agency", "year", "level", *flags]
    top = flagged.select(*columns, key.alias("key")).top_k(limit, by="key").drop("key").collect()
    capped = (top.select(*(pl.col(c).max() >= 2**bits - 1 for c, _, bits in _WORST_BITS),
                         pl.col("report_id").max() >= 2**_ID_BITS - 1).row(0) if top.height else ())
    if any(capped):
        return metrics.quality_reports(p.rows(state), limit)
    return metrics.worst_first(top)
