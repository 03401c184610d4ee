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
from gip_data.prepared.core import BODY_DIMS, HIST_DIMS, Prepared

_QUARTILES = {"q1": 0.25, "q3": 0.75, "p90": 0.9}


def _slot_indexes(p: Prepared, state: FilterState) -> list[int]:
    """The body-matrix slots (year, template) the state's year range and edition keep."""
    out = []
    for s in p.slots:
        if state.year_from is not None and (s.year is None or s.year < state.year_from):
            continue
        if state.year_to is not None and (s.year is None or s.year > state.year_to):
            continue
        if state.edition != "all" and s.template != state.edition:
            continue
        out.append(s.index)
    return out


def body_totals(p: Prepared, state: FilterState, by: tuple[str, ...] = ("agency_code",)) -> pl.LazyFrame:
    """Applications received and report count per ``by`` group of body variants (groups without a report dropped)."""
    slots = _slot_indexes(p, state)
    if not slots:
        return p.bodies.lazy().head(0).select(*by, recv=pl.lit(0, pl.Int64), reports=pl.lit(0, pl.Int64))
    return (
        p.bodies.lazy()
        .filter(p.predicate(state, BODY_DIMS))
        .group_by(list(by))
        .agg(pl.sum_horizontal(f"r{i}" for i in slots).sum().alias("recv"),
             pl.sum_horizontal(f"n{i}" for i in slots).sum().alias("reports"))
        .filter(pl.col("reports") > 0)
    )


def top_bodies(p: Prepared, state: FilterState, n: int = 20) -> pl.DataFrame:
    """:func:`metrics.top_bodies` from the body matrix; only the winners' own reports are read (for their names)."""
    ranked = (
        body_totals(p, state)
        .join(p.agencies.lazy().select("agency_code", "agency_key", "rank"), on="agency_code")
        .top_k(n, by=["recv", "rank"], reverse=[False, True])
        .collect()
    )
    shown = metrics.top_bodies(p.reports_of(ranked["agency_key"].to_list()).filter(p.predicate(state)), n)
    return shown.select("agency_key", "agency", "level", "province").join(
        ranked.select("agency_key", pl.col("reports").cast(pl.UInt32), "recv"), on="agency_key", maintain_order="left"
    )


def body_metric(p: Prepared, state: FilterState, code: str, limit: int = 30) -> pl.DataFrame:
    """:func:`metrics.body_metric`: the (body, name) groups ranked from the body matrix, then only their reports."""
    names = p.names.names.table.select(pl.col("code").cast(pl.UInt32).alias("name_code"), pl.col("rank").alias("name_rank"))
    ranked = (
        body_totals(p, state, ("agency_code", "name_code"))
        .filter(pl.col("name_code").is_not_null())
        .join(p.agencies.lazy().select("agency_code", "agency_key", "rank"), on="agency_code")
        .join(names.lazy(), on="name_code")
        .top_k(limit, by=["recv", "rank", "name_rank"], reverse=[False, True, True])
        .select("agency_key", "agency_code", "name_code")
        .collect()
    )
    pairs = pl.struct("agency_code", "name_code").is_in(ranked.select(pl.struct("agency_code", "name_code")).to_series().implode())
    rows = p.reports_of(ranked["agency_key"].to_list()).filter(p.predicate(state) & pairs)
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
    if (state.search or by not in HIST_DIMS):
        return metrics.volume_distribution(p.rows(state), by)
    counts = (
        p.hist.lazy()
        .filter(p.predicate(state, HIST_DIMS) & pl.col(by).is_not_null())
        .group_by(by, "recv")
        .agg(pl.col("reports").sum())
        .sort(by, "recv")
        .with_columns(pl.col("reports").cum_sum().over(by).alias("upto"), pl.col("reports").sum().over(by).alias("n"))
    )
    last = pl.col("n") - 1
    return (
        counts.group_by(by)
        .agg(
            pl.col("n").first().alias("reports"),
            pl.col("recv").min().alias("min"),
            *(_at((last * q + 0.5).floor()).alias(name) for name, q in list(_QUARTILES.items())[:1]),
            ((_at((last / 2).floor()) + _at((last / 2).ceil())) / 2).alias("median"),
            *(_at((last * q + 0.5).floor()).alias(name) for name, q in list(_QUARTILES.items())[1:]),
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
