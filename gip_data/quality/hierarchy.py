"""Hierarchy and coverage: aggregate reports against the bodies under them, and who has not reported yet.

**Aggregate vs members.** An aggregate report (全省/全市/全县汇总, ``aggregate``)
is compared with the sum of the stored, non-aggregate reports of the same year
inside its jurisdiction, at its own level and below:

- a province-level aggregate: every report of the province;
- a city-level aggregate: every report of the province and city;
- a county-level aggregate: the county- and township-level reports of its city
  whose name starts with the aggregate's place name (metadata stops at the
  city, so the county is read from the name: 郏县人民政府 → 郏县…).

The gap (aggregate − members) is shown per quantity with the member count by
level; a gap usually means reports not stored yet, sometimes a summing error.

**Coverage.** For a year, the bodies that reported in one of the
``lookback`` years before but have no report for the year (yet), with their last
report year — per region, exportable as a table.
"""

from __future__ import annotations

import polars as pl

from gip_data.extract.agency_name import split_name
from gip_data.frames import BODY_DTYPE, LEVEL_DTYPE
from gip_data.metrics import BASES
from gip_data.schema.meta import LEVELS

QUANTITIES: dict[str, str] = {
    "new": "本年新收",
    "carried_over": "上年结转",
    "closed": "办结",
    "carried_forward": "结转下年度",
    "review_total": "行政复议",
    "litigation": "行政诉讼",
}
_EXPRS: dict[str, pl.Expr] = {
    **{q: BASES[q] for q in ("new", "carried_over", "closed", "carried_forward", "review_total")},
    "litigation": BASES["litigation_direct_total"] + BASES["litigation_after_review_total"],
}
# What aggregate_gaps reads of a report.
GAP_INPUTS: tuple[str, ...] = (
    "report_id", "agency", "year", "province", "city", "level", "synthetic", "aggregate",
    *dict.fromkeys(c for e in _EXPRS.values() for c in e.meta.root_names()),
)
LEVEL_RANK: dict[str, int] = {level: i for i, level in enumerate(LEVELS)}
_PROVINCE, _CITY, _COUNTY = LEVEL_RANK["省级"], LEVEL_RANK["市级"], LEVEL_RANK["县级"]
COVERAGE_LOOKBACK = 2


def place_prefix(agency: str | None) -> str | None:
    """The place at the start of a body's name (郏县人民政府 → 郏县), None when the name has none."""
    if not agency:
        return None
    parts = split_name(agency)
    return agency[parts.place.start : parts.place.end] if parts.place else None


def _quantities(lf: pl.LazyFrame) -> pl.LazyFrame:
    rank = pl.col("level").cast(pl.String).replace_strict(LEVEL_RANK, default=None, return_dtype=pl.Int8)
    return lf.select("report_id", "agency", "year", "province", "city", "level", "synthetic", "aggregate",
                     rank.alias("rank"),
                     *(e.cast(pl.Int64).alias(q) for q, e in _EXPRS.items()))


def _member_sums() -> list[pl.Expr]:
    by_level = [(pl.col("level") == level).sum().cast(pl.Int64).alias(f"members_{LEVEL_RANK[level]}") for level in LEVELS]
    return [pl.len().cast(pl.Int64).alias("members"), *by_level, *(pl.col(q).sum().alias(f"{q}_members") for q in QUANTITIES)]


def aggregate_gaps(wide: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """One row per aggregate report: its figures, the members' sums and counts by level, and the gaps.

    Members are the stored reports of the same year and province (the
    jurisdiction never crosses a province): the gaps of the aggregates of some
    (year, province) pairs need only those pairs' reports.
    """
    lf = wide.lazy()
    aggs = _quantities(lf.filter(pl.col("aggregate") & pl.col("year").is_not_null() & pl.col("province").is_not_null()))
    members = _quantities(lf.filter(~pl.col("aggregate")))
    aggs_df = aggs.collect()
    if aggs_df.height == 0:
        return _empty_gaps(aggs_df)
    prefixes = pl.Series("prefix", [place_prefix(a) for a in aggs_df["agency"].to_list()], pl.String)
    aggs_df = aggs_df.with_columns(prefixes)
    keyed = aggs_df.lazy().select("report_id", "year", "province", "city", "prefix", pl.col("rank").alias("agg_rank"))
    joins = []
    for scope, on in ((_PROVINCE, ["year", "province"]), (_CITY, ["year", "province", "city"]),
                      (_COUNTY, ["year", "province", "city"])):
        mine = keyed.filter(pl.col("agg_rank") == scope)
        if scope == _COUNTY:
            mine = mine.filter(pl.col("prefix").is_not_null())
        joined = mine.join(members.drop("report_id"), on=on, how="inner").filter(pl.col("rank") >= pl.col("agg_rank"))
        if scope == _COUNTY:
            joined = joined.filter(pl.col("agency").str.starts_with(pl.col("prefix")))
        joins.append(joined.group_by("report_id").agg(_member_sums()))
    sums = pl.concat(joins, how="vertical_relaxed")
    out = aggs_df.lazy().join(sums, on="report_id", how="left").with_columns(
        pl.col("members").fill_null(0),
        *(pl.col(f"members_{i}").fill_null(0) for i in range(len(LEVELS))),
        *((pl.col(q) - pl.col(f"{q}_members").fill_null(0)).alias(f"{q}_gap") for q in QUANTITIES),
    )
    return out.drop("rank").sort("year", "province", "city", "report_id", nulls_last=True).collect()


def _empty_gaps(aggs: pl.DataFrame) -> pl.DataFrame:
    """The (empty) result's columns when no aggregate report is stored."""
    columns = {name: dtype for name, dtype in aggs.schema.items() if name != "rank"}
    columns |= {"prefix": pl.String(), "members": pl.Int64(), **{f"members_{i}": pl.Int64() for i in range(len(LEVELS))}}
    columns |= {f"{q}_members": pl.Int64() for q in QUANTITIES} | {f"{q}_gap": pl.Int64() for q in QUANTITIES}
    return pl.DataFrame(schema=columns)


def members_text(row: dict[str, object]) -> str:
    """The member count by level in words (市级12份、县级30份)."""
    parts = [f"{level}{row[f'members_{i}']}份" for i, level in enumerate(LEVELS) if row.get(f"members_{i}")]
    return "、".join(parts) if parts else "无已入库的下属报告"


COVERAGE_SCHEMA: dict[str, pl.DataType] = {
    "agency_key": pl.String(), "aggregate": pl.Boolean(), "agency": pl.String(), "level": LEVEL_DTYPE,
    "body": BODY_DTYPE, "province": pl.String(), "city": pl.String(), "last_year": pl.Int32(),
    "reports_before": pl.Int64(), "missing_year": pl.Int32(),
}
COVERAGE_ORDER: tuple[str, ...] = ("province", "city", "level", "agency", "agency_key", "aggregate")
LATEST_COLUMNS: tuple[str, ...] = ("agency", "level", "body", "province", "city")


def coverage_gaps(wide: pl.DataFrame | pl.LazyFrame, year: int, lookback: int = COVERAGE_LOOKBACK) -> pl.DataFrame:
    """Bodies with a report in one of the ``lookback`` years before ``year`` and none for ``year``.

    Columns (:data:`COVERAGE_SCHEMA`): body key, aggregate flag, its name,
    level, body type, province and city in its latest report of the window
    (latest year, then largest id), the last year it reported, how many
    reports it has in the window. Sorted by region, level and name.
    """
    lf = wide.lazy().filter(pl.col("agency_key").is_not_null())
    present = lf.filter(pl.col("year") == year).select("agency_key", "aggregate").unique()
    earlier = lf.filter(pl.col("year").is_between(year - lookback, year - 1))
    return (
        earlier.join(present, on=["agency_key", "aggregate"], how="anti")
        .group_by("agency_key", "aggregate")
        .agg(*(pl.col(c).sort_by("year", "report_id").last() for c in LATEST_COLUMNS),
             pl.col("year").max().alias("last_year"), pl.len().cast(pl.Int64).alias("reports_before"))
        .with_columns(pl.lit(year, pl.Int32).alias("missing_year"))
        .sort(list(COVERAGE_ORDER), nulls_last=True)
        .select(list(COVERAGE_SCHEMA))
        .collect()
    )


def coverage_summary(wide: pl.DataFrame | pl.LazyFrame, year: int, by: list[str],
                     lookback: int = COVERAGE_LOOKBACK) -> pl.DataFrame:
    """Per group of ``by``: bodies expected (reported in the window before), of those reported for ``year``, missing."""
    lf = wide.lazy().filter(pl.col("agency_key").is_not_null())
    expected = (lf.filter(pl.col("year").is_between(year - lookback, year - 1))
                .group_by("agency_key", "aggregate").agg(pl.col(*by).sort_by("year").last()))
    present = lf.filter(pl.col("year") == year).select("agency_key", "aggregate").unique().with_columns(
        pl.lit(True).alias("reported"))
    return (
        expected.join(present, on=["agency_key", "aggregate"], how="left")
        .group_by(by)
        .agg(pl.len().cast(pl.Int64).alias("expected"), pl.col("reported").fill_null(False).sum().cast(pl.Int64).alias("reported"))
        .with_columns((pl.col("expected") - pl.col("reported")).alias("missing"),
                      (pl.col("reported") / pl.col("expected")).alias("coverage"))
        .sort(by, nulls_last=True)
        .collect()
    )
