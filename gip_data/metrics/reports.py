"""Views that need the reports themselves: rankings of bodies, distributions across reports, lists of reports.

They are not sums, so they cannot be read from the cube: a median of sums is
not a median, a body is not a cube dimension. Each takes a ``LazyFrame`` of
filtered reports and collects once; :mod:`gip_data.prepared.fast` has exact
faster paths for some of them.
"""

from __future__ import annotations

from typing import TypeVar

import polars as pl

from gip_data.metrics.definitions import BASES, METRICS, QUALITY_FLAGS, metric_expr
from gip_data.metrics.totals import metric_by

Frame = TypeVar("Frame", pl.LazyFrame, pl.DataFrame)

PEER_CODES: tuple[str, ...] = ("recv", "open", "wh", "un", "bl", "rv", "lt")
WORST_FIRST: tuple[tuple[str, bool], ...] = (
    ("failed_checks", True), ("missing_tables", True), ("repairs", True), ("report_id", False))


def top_bodies(lf: pl.LazyFrame, n: int = 20) -> pl.DataFrame:
    """The bodies with most applications received (new + carried over) over the view.

    A body is a known agency key; it is shown with the name, level and province
    of its latest report in the view. Ties rank by key.
    """
    latest = ("year", "report_id")
    return (
        lf.filter(pl.col("agency_key").is_not_null())
        .group_by("agency_key")
        .agg(
            *(pl.col(c).sort_by(*latest, nulls_last=False).last() for c in ("agency", "level", "province")),
            pl.len().alias("reports"),
            (BASES["new"] + BASES["carried_over"]).cast(pl.Int64).sum().alias("recv"),
        )
        .top_k(n, by=["recv", "agency_key"], reverse=[False, True])
        .sort(["recv", "agency_key"], descending=[True, False])
        .collect()
    )


def body_metric(lf: pl.LazyFrame, code: str, limit: int = 30) -> pl.DataFrame:
    """One metric per body and name (a renamed body has a group per name): the ``limit`` groups with most applications."""
    return metric_by(lf, ["agency"], code, limit)


def body_history(lf: pl.LazyFrame, keys: tuple[str, ...], code: str) -> pl.DataFrame:
    """One metric per body (of ``keys``), name and year: the history of a few bodies."""
    return metric_by(lf.filter(pl.col("agency_key").is_in(list(keys))), ["agency", "year"], code)


def volume_distribution(lf: pl.LazyFrame, by: str = "level") -> pl.DataFrame:
    """Distribution of applications received per report across bodies: quartiles, p90, max, mean.

    Reads the per-report ``recv`` column when the frame has it (precomputed once per data version).
    """
    has_recv = "recv" in lf.collect_schema()
    v = (pl.col("recv") if has_recv else BASES["new"] + BASES["carried_over"]).alias("v")
    return (
        lf.filter(pl.col(by).is_not_null())
        .select(pl.col(by), v)
        .group_by(by)
        .agg(
            pl.len().alias("reports"),
            pl.col("v").min().alias("min"),
            pl.col("v").quantile(0.25).alias("q1"),
            pl.col("v").median().alias("median"),
            pl.col("v").quantile(0.75).alias("q3"),
            pl.col("v").quantile(0.9).alias("p90"),
            pl.col("v").max().alias("max"),
            pl.col("v").mean().alias("mean"),
        )
        .sort(by)
        .collect()
    )


def peer_comparison(lf: pl.LazyFrame, agency_key: str, year: int) -> pl.DataFrame:
    """One body against its peers (same level and province, same year): value vs quartiles per metric.

    Peer statistics are distributions of per-report values, not sums.
    """
    schema = {"metric": pl.String, "label": pl.String, "value": pl.Float64, "q1": pl.Float64, "median": pl.Float64,
              "q3": pl.Float64, "peers": pl.Int64}
    mine = (pl.col("agency_key") == agency_key) & (pl.col("year") == year)
    me = lf.filter(mine).select("level", "province").collect()
    if me.height == 0:
        return pl.DataFrame(schema=schema)
    level, province = me["level"][0], me["province"][0]
    group = lf.filter(
        (pl.col("year") == year)
        & (pl.col("level") == level)
        & (pl.col("province").is_null() if province is None else pl.col("province") == province)
    )
    values = group.select(pl.col("agency_key"), *(e.alias(n) for n, e in BASES.items()), pl.lit(1).alias("reports"))
    values = values.with_columns(metric_expr(METRICS[c]).alias(c) for c in PEER_CODES)
    peers = values.filter(pl.col("agency_key") != agency_key).select(
        stat for c in PEER_CODES for stat in (
            pl.col(c).drop_nulls().quantile(0.25).alias(f"{c}.q1"), pl.col(c).drop_nulls().median().alias(f"{c}.median"),
            pl.col(c).drop_nulls().quantile(0.75).alias(f"{c}.q3"), pl.col(c).count().cast(pl.Int64).alias(f"{c}.n")))
    own, stats = pl.collect_all([values.filter(pl.col("agency_key") == agency_key).select(PEER_CODES).head(1), peers])
    s = stats.row(0, named=True)
    rows = [(c, METRICS[c].label, own[c][0], s[f"{c}.q1"], s[f"{c}.median"], s[f"{c}.q3"], s[f"{c}.n"])
            for c in PEER_CODES]
    return pl.DataFrame(rows, schema=schema, orient="row")


def quality_reports(lf: pl.LazyFrame, limit: int = 200) -> pl.DataFrame:
    """Reports with any quality flag, worst first (failed rules, then missing tables, then repairs, then id)."""
    flags = list(QUALITY_FLAGS)
    rows = lf.filter(pl.any_horizontal(pl.col(f) > 0 for f in flags)).select("report_id", "agency", "year", "level", *flags)
    return rows.sort([c for c, _ in WORST_FIRST], descending=[d for _, d in WORST_FIRST]).head(limit).collect()


def report_list(lf: pl.LazyFrame, limit: int = 100) -> pl.DataFrame:
    """The first ``limit`` reports of the view by id: id, agency, year, level."""
    return lf.select("report_id", "agency", "year", "level").sort("report_id").head(limit).collect()


def worst_first(frame: Frame) -> Frame:
    """Reports ordered worst first: most failed rules, then missing tables, then repairs, then id."""
    return frame.sort([c for c, _ in WORST_FIRST], descending=[d for _, d in WORST_FIRST])
