"""Exact fast paths of the 质量 views that need the reports: each equals its definition (:mod:`.definitions`).

- the body ranking and the coverage list read the prepared body matrix (per
  body variant and (year, template) slot: reports, applications, passed and
  failed checks, applications opened and closed), then only the reports of the
  bodies they name;
- the anomaly and gap lists read the prepared tables (:mod:`.tables`), kept in
  list order: a filter and a head.

``tests/test_views.py`` compares each with its definition on the raw reports.
"""

from __future__ import annotations

import polars as pl

from gip_data.filters import FilterState
from gip_data.prepared import Prepared, Slot
from gip_data.prepared.core import BODY_DIMS, per_body, slot_total
from gip_data.quality.anomalies import finish
from gip_data.quality.definitions import GAP_SCHEMA
from gip_data.quality.hierarchy import COVERAGE_LOOKBACK, COVERAGE_ORDER, COVERAGE_SCHEMA, LATEST_COLUMNS
from gip_data.quality.rollup import BODY_MEASURES, NAME_COLUMNS, latest, rank_order

# Body-matrix kind of each summed measure (see gip_data.prepared.core.SLOT_KINDS).
_KIND_OF: dict[str, str] = {"recv": "r", "reports": "n", "passes": "p", "fails": "f", "opened": "o", "closed": "c"}
# The gap list is of aggregate reports: it shows in the 辖区汇总 scope, by year, level and region.
GAP_DIMS: tuple[str, ...] = ("aggregate", "year", "level", "province", "city", "synthetic")


def _edition(state: FilterState, slot: Slot) -> bool:
    return state.edition == "all" or slot.template == state.edition


def key_order(p: Prepared) -> pl.Series:
    """For every body code, its key's position in text order (what the definitions break ties by).

    Codes given when the data was loaded are in text order; texts added by
    updates get codes after them. Each added text is placed by a binary search
    among the first ones: position × (added + 1) + its rank among the added
    texts at the same place, and a first-load code c sorts as c × (added + 1) +
    added (after every added text placed before it).
    """
    table, first = p.keys.table, p.keys.sorted_upto
    added = p.keys.size - first
    base = pl.int_range(p.keys.size, eager=True, dtype=pl.UInt64) * (added + 1) + added
    if not added:
        return base
    texts = table.get_column("text")
    place = texts.slice(0, first).search_sorted(texts.slice(first), side="left").cast(pl.UInt64)
    order = pl.DataFrame({"code": pl.int_range(first, p.keys.size, eager=True, dtype=pl.UInt32), "place": place,
                          "text": texts.slice(first)}).sort("place", "text")
    sub = order.select(pl.int_range(pl.len(), dtype=pl.UInt64).over("place")).to_series()
    return base.scatter(order.get_column("code"), order.get_column("place") * (added + 1) + sub)


def quality_ranking(p: Prepared, state: FilterState, limit: int | None = 100,
                    worst_first: bool = False) -> pl.DataFrame:
    """:func:`gip_data.quality.definitions.quality_ranking` from the body matrix; then only the ranked bodies' reports."""
    bodies, summed = p.body_sums(state)
    variants = bodies.lazy().filter(p.predicate(state, BODY_DIMS)).select(
        "agency_code", "shared", *(summed(_KIND_OF[m]).alias(m) for m in BODY_MEASURES))
    sums = per_body(variants.filter(pl.col("reports") > 0), ["agency_code"], [pl.col(*BODY_MEASURES).sum()]).collect()
    keyed = sums.with_columns(key_order(p).gather(sums.get_column("agency_code")).alias("tie"))
    return rank_order(keyed.lazy(), limit, worst_first, tie="tie", names=lambda ranked: _named(p, state, ranked))


def _named(p: Prepared, state: FilterState, ranked: pl.DataFrame) -> pl.DataFrame:
    """Ranked bodies with the key, name, level and place of their latest report in the view (read for them only)."""
    codes = ranked.get_column("agency_code")
    latest_rows = (
        p.reports_of_codes(codes).filter(p.predicate(state))
        .group_by("agency_code")
        .agg(latest("agency_key"), *(latest(c) for c in NAME_COLUMNS), latest("report_id").alias("latest_report"))
    )
    return ranked.lazy().join(latest_rows, on="agency_code", how="left", maintain_order="left").collect()


def coverage(p: Prepared, state: FilterState, year: int, lookback: int = COVERAGE_LOOKBACK) -> pl.DataFrame:
    """:func:`gip_data.quality.definitions.coverage` from the body matrix.

    Per body (and aggregate flag): reports in the window's slots, reports in
    the year's slots, the last year of the window it reported. The name and
    place are those of the variant that reported in that last year; where
    several variants did, the body's reports decide (the definition's latest
    report), read for those bodies only.
    """
    window = [s for s in p.slots if s.year is not None and year - lookback <= s.year < year and _edition(state, s)]
    target = [s for s in p.slots if s.year == year and _edition(state, s)]
    last = pl.max_horizontal(pl.when(pl.col(f"n{s.index}") > 0).then(pl.lit(s.year, pl.Int32)) for s in window) \
        if window else pl.lit(None, pl.Int32)
    variants = p.bodies.lazy().filter(p.predicate(state, BODY_DIMS)).select(
        "agency_code", "name_code", "level", "body", "province", "city", "aggregate", "shared",
        slot_total("n", window).alias("before"), slot_total("n", target).alias("now"), last.alias("last"),
    ).filter((pl.col("before") > 0) | (pl.col("now") > 0)).collect()
    body = ["agency_code", "aggregate"]
    missing = per_body(variants.select(*body, "shared", "now", "before", "last"), body,
                       [pl.col("now", "before").sum(), pl.col("last").max()])
    missing = missing.filter((pl.col("now") == 0) & (pl.col("before") > 0)).select(
        *body, pl.col("before").alias("reports_before"), pl.col("last").alias("last_year"))
    chosen = variants.drop("now", "shared").join(missing, on=body).filter(pl.col("last") == pl.col("last_year"))
    clear = chosen.filter(pl.len().over(body) == 1)
    unclear = chosen.filter(pl.len().over(body) > 1).select(*body, "last_year", "reports_before").unique()
    named = clear.with_columns(p.names.names.table.get_column("text").gather(clear.get_column("name_code")).alias("agency"))
    out = pl.concat([named.select(*body, *LATEST_COLUMNS, "last_year", "reports_before"),
                     _decided(p, state, unclear, year, lookback)], how="vertical_relaxed")
    keys = p.keys.table.get_column("text").gather(out.get_column("agency_code"))
    return (out.with_columns(keys.alias("agency_key"), pl.lit(year, pl.Int32).alias("missing_year"))
            .sort(list(COVERAGE_ORDER), nulls_last=True).select(list(COVERAGE_SCHEMA))
            # polars' stub types cast's Mapping keys invariantly: it refuses the dict it takes at run time
            .cast(COVERAGE_SCHEMA))  # type: ignore[arg-type]


def _decided(p: Prepared, state: FilterState, unclear: pl.DataFrame, year: int, lookback: int) -> pl.DataFrame:
    """The latest report's name and place for bodies whose variants tie on the last year (read from their reports)."""
    if unclear.height == 0:
        return pl.DataFrame(schema={"agency_code": pl.UInt32, "aggregate": pl.Boolean,
                                    **{c: COVERAGE_SCHEMA[c] for c in LATEST_COLUMNS},
                                    "last_year": pl.Int32, "reports_before": pl.Int64})
    rows = p.reports_of_codes(unclear.get_column("agency_code").unique()).filter(
        p.predicate(state) & pl.col("year").is_between(year - lookback, year - 1))
    found = rows.group_by("agency_code", "aggregate").agg(
        *(pl.col(c).sort_by("year", "report_id").last() for c in LATEST_COLUMNS)).collect()
    return unclear.join(found, on=["agency_code", "aggregate"]).select(
        "agency_code", "aggregate", *LATEST_COLUMNS, "last_year", "reports_before")


def anomaly_list(p: Prepared, state: FilterState, limit: int | None = 500) -> pl.DataFrame:
    """:func:`gip_data.quality.definitions.anomaly_list` from the anomaly table (kept in list order)."""
    found = p.quality.anomalies.lazy().filter(p.predicate(state))
    return finish(found.head(limit) if limit is not None else found)


def body_anomalies(p: Prepared, state: FilterState, agency_key: str, year: int) -> pl.DataFrame:
    """:func:`gip_data.quality.definitions.body_anomalies` from the anomaly table."""
    mine = (pl.col("agency_key") == agency_key) & (pl.col("year") == year)
    return finish(p.quality.anomalies.lazy().filter(mine & p.predicate(state)))


def gap_list(p: Prepared, state: FilterState) -> pl.DataFrame:
    """:func:`gip_data.quality.definitions.gap_list` from the gap table (kept in list order)."""
    return p.quality.gaps.lazy().filter(p.predicate(state, GAP_DIMS)).select(list(GAP_SCHEMA)).collect()
