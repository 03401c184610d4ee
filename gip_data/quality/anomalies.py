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

A report's anomalies depend on other reports (its peers, its body's year
before), so they are found over every report (:func:`anomalies`); the prepared
data keeps them and updates them for the peer groups and bodies an upload
touches (:mod:`gip_data.quality.tables`). :func:`detect` is the step both use.
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
QUANTITIES: tuple[str, ...] = tuple(ANOMALY_QUANTITIES)
VALUE_CELLS: tuple[str, ...] = tuple(dict.fromkeys(c for _, e in ANOMALY_QUANTITIES.values() for c in e.meta.root_names()))
PEER_KEYS: tuple[str, ...] = ("year", "level", "body", "province")
JUMP_FACTOR = 3.0
JUMP_MIN = 20
MIN_PEERS = 5
ZERO_PEER_MEDIAN = 10
JUMP, ZERO = "同比突变", "同级为零"
# One anomaly of one report: what is unusual and the figures that show it.
FOUND_SCHEMA: dict[str, pl.DataType] = {
    "report_id": pl.Int64(), "kind": pl.String(), "quantity": pl.String(), "value": pl.Int64(),
    "previous": pl.Int64(), "peers": pl.Int64(), "peer_median": pl.Float64(), "peer_median_before": pl.Float64(),
}
# How a list of anomalies reads: newest year first, then region, body, quantity, kind (a total order).
ORDER: tuple[str, ...] = ("year", "province", "agency", "quantity", "kind", "report_id")
ORDER_DESCENDING: tuple[bool, ...] = (True, False, False, False, False, False)
LIST_SCHEMA: dict[str, pl.DataType] = {
    "report_id": pl.Int64(), "agency_key": pl.String(), "agency": pl.String(), "year": pl.Int32(),
    "level": pl.String(), "province": pl.String(), "kind": pl.String(), "quantity": pl.String(),
    "label": pl.String(), "value": pl.Int64(), "previous": pl.Int64(), "peers": pl.Int64(),
    "peer_median": pl.Float64(), "peer_median_before": pl.Float64(), "evidence": pl.String(),
}


def anomaly_values(frame: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Per non-aggregate report with a body and a year: its keys, peer keys and every quantity."""
    lf = frame.lazy()
    body = ("agency_code",) if "agency_code" in lf.collect_schema() else ()
    return lf.filter(~pl.col("aggregate") & pl.col("agency_key").is_not_null() & pl.col("year").is_not_null()).select(
        "report_id", "agency_key", *body, "year", "level", "body", "province", "aggregate",
        *(expr.cast(pl.Int64).alias(q) for q, (_, expr) in ANOMALY_QUANTITIES.items()),
    ).collect()


def peer_stats(values: pl.DataFrame) -> pl.DataFrame:
    """Per peer group: its size and each quantity's median."""
    return values.group_by(PEER_KEYS).agg(pl.len().cast(pl.Int64).alias("peers"),
                                          *(pl.col(q).median().alias(f"{q}_median") for q in QUANTITIES))


def _jumps(values: pl.LazyFrame, stats: pl.LazyFrame, quantity: str) -> pl.LazyFrame:
    """Rows whose ``quantity`` jumped against the same body's report of the year before (column ``prev_*``)."""
    before = stats.select(*PEER_KEYS[1:], (pl.col("year") + 1).alias("year"),
                          pl.col(f"{quantity}_median").alias("peer_median_before"))
    v, p = pl.col(quantity).cast(pl.Float64), pl.col(f"prev_{quantity}").cast(pl.Float64)
    jumped = (pl.max_horizontal(v, p) >= JUMP_MIN) & ((v >= JUMP_FACTOR * p) | (v * JUMP_FACTOR <= p))
    return (
        values.filter(jumped).join(stats, on=list(PEER_KEYS), how="left").join(before, on=list(PEER_KEYS), how="left")
        .select("report_id", pl.lit(JUMP).alias("kind"), pl.col(quantity).alias("value"),
                pl.col(f"prev_{quantity}").alias("previous"), "peers", pl.col(f"{quantity}_median").alias("peer_median"),
                "peer_median_before")
    )


def _zeros(values: pl.LazyFrame, stats: pl.LazyFrame, quantity: str) -> pl.LazyFrame:
    """Rows with ``quantity`` = 0 whose peers (same year, level, body type, province) have many."""
    many = stats.filter((pl.col("peers") >= MIN_PEERS) & (pl.col(f"{quantity}_median") >= ZERO_PEER_MEDIAN))
    return (
        values.filter(pl.col(quantity) == 0).join(many, on=list(PEER_KEYS), how="inner")
        .select("report_id", pl.lit(ZERO).alias("kind"), pl.col(quantity).alias("value"),
                pl.lit(None, pl.Int64).alias("previous"), "peers", pl.col(f"{quantity}_median").alias("peer_median"),
                pl.lit(None, pl.Float64).alias("peer_median_before"))
    )


def detect(values: pl.DataFrame, stats: pl.DataFrame, quantities: tuple[str, ...] = QUANTITIES) -> pl.DataFrame:
    """The anomalies (:data:`FOUND_SCHEMA`) of every row of ``values``.

    ``values`` must hold every report of the bodies it covers (a jump compares
    with the body's year before); ``stats`` the peer groups of its rows and of
    the year before them.
    """
    previous = previous_positions(values)
    lf = values.lazy().with_columns(values.select(pl.col(q).gather(previous).alias(f"prev_{q}") for q in quantities))
    parts = [part.with_columns(pl.lit(q).alias("quantity"))
             for q in quantities for part in (_jumps(lf, stats.lazy(), q), _zeros(lf, stats.lazy(), q))]
    if not parts:
        return pl.DataFrame(schema=FOUND_SCHEMA)
    found = pl.concat(parts, how="vertical_relaxed").select(list(FOUND_SCHEMA)).collect()
    # polars types cast's argument as a Mapping keyed by str | Selector | dtype; Mapping's key type is
    # invariant, so the stub refuses the dict[str, DataType] it takes at run time.
    return found.cast(FOUND_SCHEMA)  # type: ignore[arg-type]


def anomalies(frame: pl.DataFrame | pl.LazyFrame, quantities: tuple[str, ...] = QUANTITIES) -> pl.DataFrame:
    """Every anomaly of every report of ``frame`` (all reports: peers and years before are among them)."""
    values = anomaly_values(frame)
    return detect(values, peer_stats(values), quantities)


def evidence() -> pl.Expr:
    """The figures of an anomaly in words (on rows with ``quantity``, ``kind`` and the figures)."""
    label = quantity_label()
    median = pl.col("peer_median").round(1).cast(pl.String)
    jump = pl.format("{}由{}年的{}变为{}；同级同类机关中位数{}→{}（{}个）", label, (pl.col("year") - 1),
                     pl.col("previous"), pl.col("value"),
                     pl.col("peer_median_before").round(1).cast(pl.String).fill_null("—"), median.fill_null("—"),
                     pl.col("peers"))
    zero = pl.format("{}为0，而同年同级同类的{}个机关中位数为{}", label, pl.col("peers"), median)
    return pl.when(pl.col("kind") == JUMP).then(jump).otherwise(zero).alias("evidence")


def quantity_label() -> pl.Expr:
    """The Chinese name of each row's ``quantity``."""
    return pl.col("quantity").replace_strict({q: label for q, (label, _) in ANOMALY_QUANTITIES.items()},
                                              return_dtype=pl.String)


def listed(found: pl.LazyFrame, limit: int | None = None) -> pl.DataFrame:
    """Anomalies with their reports' columns as a page lists them (:data:`LIST_SCHEMA`), in :data:`ORDER`."""
    ordered = found.sort(list(ORDER), descending=list(ORDER_DESCENDING), nulls_last=True)
    return finish(ordered.head(limit) if limit is not None else ordered)


def finish(ordered: pl.LazyFrame) -> pl.DataFrame:
    """Already ordered anomalies with their label and evidence, as :data:`LIST_SCHEMA`."""
    out = ordered.with_columns(quantity_label().alias("label"), evidence(), pl.col("level").cast(pl.String))
    return out.select(list(LIST_SCHEMA)).collect().cast(LIST_SCHEMA)  # type: ignore[arg-type]  # see anomalies()
