"""Anomalies worth a look: year-on-year jumps and zeros where comparable bodies have many.

Both are computed for every report at once and come with the figures that make
them unusual:

- **同比突变**: a quantity at least :data:`JUMP_FACTOR` times (or at most
  1/:data:`JUMP_FACTOR` of) the same body's figure the year before, when the
  larger of the two is at least :data:`JUMP_MIN` (small numbers jump by nature);
  shown with the peers' median of both years.
- **同级为零**: a quantity of 0 where the body's peers — same year, level, body
  type and province, non-aggregate — number at least :data:`MIN_PEERS` and
  their median is at least :data:`ZERO_PEER_MEDIAN`.
"""

from __future__ import annotations

import polars as pl

from gip_data.metrics import BASES
from gip_data.quality.checks import previous_positions

ANOMALY_QUANTITIES: dict[str, tuple[str, pl.Expr]] = {
    "recv": ("受理申请（新收+上年结转）", BASES["new"] + BASES["carried_over"]),
    "closed": ("办结", BASES["closed"]),
    "withheld": ("不予公开", BASES["withheld"]),
    "review_total": ("行政复议", BASES["review_total"]),
    "litigation": ("行政诉讼", BASES["litigation_direct_total"] + BASES["litigation_after_review_total"]),
}
PEER_KEYS: tuple[str, ...] = ("year", "level", "body", "province")
JUMP_FACTOR = 3.0
JUMP_MIN = 20
MIN_PEERS = 5
ZERO_PEER_MEDIAN = 10
ANOMALY_SCHEMA: dict[str, pl.DataType] = {
    "report_id": pl.Int64(), "agency_key": pl.String(), "agency": pl.String(), "year": pl.Int32(),
    "level": pl.String(), "province": pl.String(), "kind": pl.String(), "quantity": pl.String(),
    "label": pl.String(), "value": pl.Int64(), "previous": pl.Int64(), "peers": pl.Int64(),
    "peer_median": pl.Float64(), "peer_median_before": pl.Float64(), "evidence": pl.String(),
}


def _values(wide: pl.LazyFrame) -> pl.DataFrame:
    """Per non-aggregate report: its keys, peer keys and every quantity (one pass over the reports)."""
    body = ("agency_code",) if "agency_code" in wide.collect_schema() else ()
    return wide.filter(~pl.col("aggregate") & pl.col("agency_key").is_not_null() & pl.col("year").is_not_null()).select(
        "report_id", "agency_key", *body, "agency", "year", "level", "body", "province", "aggregate",
        *(expr.cast(pl.Int64).alias(q) for q, (_, expr) in ANOMALY_QUANTITIES.items()),
    ).collect()


def _peer_stats(values: pl.DataFrame, quantities: tuple[str, ...]) -> pl.DataFrame:
    """Per peer group: its size and each quantity's median."""
    return values.group_by(PEER_KEYS).agg(pl.len().cast(pl.Int64).alias("peers"),
                                          *(pl.col(q).median().alias(f"{q}_median") for q in quantities))


def jumps(values: pl.DataFrame, previous: pl.Series, stats: pl.DataFrame, quantity: str) -> pl.LazyFrame:
    """Reports whose ``quantity`` jumped against the same body's report of the year before.

    ``previous`` holds, per row of ``values``, the row of the body's report of the year before.
    """
    before = stats.lazy().select(*PEER_KEYS[1:], (pl.col("year") + 1).alias("year"),
                                 pl.col(f"{quantity}_median").alias("peer_median_before"))
    v, p = pl.col(quantity).cast(pl.Float64), pl.col("previous").cast(pl.Float64)
    jumped = (pl.max_horizontal(v, p) >= JUMP_MIN) & ((v >= JUMP_FACTOR * p) | (v * JUMP_FACTOR <= p))
    return (
        values.lazy().with_columns(values[quantity].gather(previous).alias("previous")).filter(jumped)
        .join(stats.lazy(), on=list(PEER_KEYS), how="left").join(before, on=list(PEER_KEYS), how="left")
        .with_columns(pl.lit("同比突变").alias("kind"), pl.col(quantity).alias("value"),
                      pl.col(f"{quantity}_median").alias("peer_median"))
    )


def peer_zeros(values: pl.DataFrame, stats: pl.DataFrame, quantity: str) -> pl.LazyFrame:
    """Reports with ``quantity`` = 0 whose peers (same year, level, body type, province) have many."""
    many = stats.lazy().filter((pl.col("peers") >= MIN_PEERS) & (pl.col(f"{quantity}_median") >= ZERO_PEER_MEDIAN))
    return (
        values.lazy().filter(pl.col(quantity) == 0).join(many, on=list(PEER_KEYS), how="inner")
        .with_columns(pl.lit("同级为零").alias("kind"), pl.col(quantity).alias("value"),
                      pl.col(f"{quantity}_median").alias("peer_median"),
                      pl.lit(None, pl.Int64).alias("previous"), pl.lit(None, pl.Float64).alias("peer_median_before"))
    )


def _evidence(label: str) -> pl.Expr:
    median = pl.col("peer_median").round(1).cast(pl.String)
    jump = pl.format("{}由{}年的{}变为{}；同级同类机关中位数{}→{}（{}个）", pl.lit(label), (pl.col("year") - 1),
                     pl.col("previous"), pl.col("value"), pl.col("peer_median_before").round(1).cast(pl.String).fill_null("—"),
                     median.fill_null("—"), pl.col("peers"))
    zero = pl.format("{}为0，而同年同级同类的{}个机关中位数为{}", pl.lit(label), pl.col("peers"), median)
    return pl.when(pl.col("kind") == "同比突变").then(jump).otherwise(zero)


def anomalies(wide: pl.DataFrame | pl.LazyFrame, quantities: tuple[str, ...] | None = None) -> pl.DataFrame:
    """Every anomaly of every report for the given quantities (default all), with its evidence in words."""
    chosen = quantities or tuple(ANOMALY_QUANTITIES)
    values = _values(wide.lazy())
    stats = _peer_stats(values, chosen)
    previous = previous_positions(values)
    parts = []
    for q in chosen:
        label = ANOMALY_QUANTITIES[q][0]
        for found in (jumps(values, previous, stats, q), peer_zeros(values, stats, q)):
            parts.append(found.with_columns(pl.lit(q).alias("quantity"), pl.lit(label).alias("label"))
                         .with_columns(_evidence(label).alias("evidence"), pl.col("level").cast(pl.String))
                         .select(list(ANOMALY_SCHEMA)))
    if not parts:
        return pl.DataFrame(schema=ANOMALY_SCHEMA)
    out = pl.concat(parts, how="vertical_relaxed").collect()
    return out.cast(ANOMALY_SCHEMA).sort("year", "province", "agency", "quantity",  # type: ignore[arg-type]
                                         descending=[True, False, False, False], nulls_last=True)


def anomalies_of(found: pl.DataFrame, report_ids: list[int]) -> pl.DataFrame:
    """The anomalies of some reports (a body's comparison view, the review queue)."""
    return found.filter(pl.col("report_id").is_in(report_ids))
