"""Scorecards rolled up per body, level and region, and the body ranking with its small-N rule.

Every function takes a LazyFrame of filtered reports carrying the per-report
quality columns (:data:`gip_data.quality.derive.QUALITY_CELLS`) — or of cube
rows, which hold the same columns summed (``reports`` counts them): the
roll-ups are additive. Scores are ratios of sums: a group's score is its
passed checks over its known checks (never a mean of report scores).

Small-N rule: a body that received fewer than :data:`SMALL_N_APPLICATIONS`
applications (新收 + 上年结转) in the view is ranked by its quality score but not
on rates of applications (公开率 …): with a handful of requests one answer moves
such a rate by tens of points.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from gip_data.metrics import BASES
from gip_data.quality.checks import CHECK_BY_CODE, CHECK_CODES
from gip_data.quality.derive import QUALITY_CELLS

SMALL_N_APPLICATIONS = 10
RECV = (BASES["new"] + BASES["carried_over"]).cast(pl.Int64)
OPENED = (BASES["granted"] + BASES["partially_granted"]).cast(pl.Int64)
CLOSED = BASES["closed"].cast(pl.Int64)
OVERVIEW_SCHEMA: dict[str, pl.DataType] = {
    "check": pl.String(), "name": pl.String(), "pass": pl.Int64(), "fail": pl.Int64(), "unknown": pl.Int64(),
    "not_applicable": pl.Int64(), "pass_rate": pl.Float64(),
}


def _count(lf: pl.LazyFrame) -> pl.Expr:
    """Reports: a row count on reports, a sum on a cube (which carries ``reports``)."""
    return pl.col("reports").sum() if "reports" in lf.collect_schema() else pl.len()


def _sums() -> list[pl.Expr]:
    return [pl.col(name).cast(pl.Int64).sum().alias(name) for name in QUALITY_CELLS]


def _score() -> pl.Expr:
    known = pl.col("passes") + pl.col("fails")
    return pl.when(known > 0).then(pl.col("passes") / known).alias("score")


def rollup(lf: pl.LazyFrame, by: tuple[str, ...] | list[str]) -> pl.DataFrame:
    """Per group of ``by`` (e.g. ("level",), ("province", "city"), ("year",)): reports, check counts, score."""
    keys = list(by)
    return (
        lf.group_by(keys)
        .agg(_count(lf).cast(pl.Int64).alias("reports"), *_sums())
        .with_columns(_score())
        .sort(keys, nulls_last=True)
        .collect()
    )


def overview(lf: pl.LazyFrame) -> pl.DataFrame:
    """One row per check over the whole view: name, passing, failing, unknown, not applicable, pass rate."""
    sums = lf.select(_count(lf).cast(pl.Int64).alias("reports"), *_sums()).collect().row(0, named=True)
    rows = []
    for code in CHECK_CODES:
        passed, failed, skipped = (int(sums[f"{code}_{o}"] or 0) for o in ("pass", "fail", "na"))
        known = passed + failed
        rows.append((code, CHECK_BY_CODE[code].name, passed, failed, int(sums["reports"] or 0) - known - skipped,
                     skipped, passed / known if known else None))
    return pl.DataFrame(rows, schema=OVERVIEW_SCHEMA, orient="row")


BODY_COLUMNS: tuple[str, ...] = (
    "agency_key", "agency", "level", "province", "city", "latest_report",
    "reports", "passes", "fails", "recv", "opened", "closed",
)
RANK_COLUMNS: tuple[str, ...] = (*BODY_COLUMNS, "score", "known", "rated", "open_rate", "rate_rank", "rank")
BODY_MEASURES: tuple[str, ...] = ("reports", "passes", "fails", "recv", "opened", "closed")
NAME_COLUMNS: tuple[str, ...] = ("agency", "level", "province", "city")


def latest(column: str) -> pl.Expr:
    """A body's ``column`` in its latest report of the view (latest year, then largest report id)."""
    return pl.col(column).sort_by(pl.col("year").fill_null(0), "report_id").last()


def rank_bodies(lf: pl.LazyFrame, limit: int | None = None, worst_first: bool = False) -> pl.DataFrame:
    """Bodies ranked by quality score over the view, with their rate ranking under the small-N rule.

    A body is named by its latest report in the view. Ties in score go to the
    body with more known checks, then to the smaller key. ``rate_rank`` ranks
    公开率 among bodies with at least :data:`SMALL_N_APPLICATIONS` applications;
    it is null for the others (``rated`` False).
    """
    bodies = (
        lf.filter(pl.col("agency_key").is_not_null())
        .group_by("agency_key")
        .agg(*(latest(c) for c in NAME_COLUMNS), latest("report_id").alias("latest_report"),
             pl.len().alias("reports"), pl.col("passes", "fails").cast(pl.Int64).sum(),
             RECV.sum().alias("recv"), OPENED.sum().alias("opened"), CLOSED.sum().alias("closed"))
    )
    return rank_order(bodies, limit, worst_first)


def _top_rows(scored: pl.DataFrame, limit: int, worst_first: bool, order: list[pl.Expr], descending: list[bool],
              ranked_rate: pl.Expr) -> pl.DataFrame:
    """The first ``limit`` rows in ``order`` with their rank and 公开率 rank, without sorting or ranking every body.

    Only bodies whose score reaches the ``limit``-th score can be among them,
    so only those are sorted; the rate rank of a shown body is 1 + the rated
    rates above its own (one sort of the rates, cheaper than rank() of all).
    """
    score = scored.get_column("score").fill_null(-1.0)
    kth = (score.bottom_k(limit).max() if worst_first else score.top_k(limit).min()) if limit else None
    if kth is None:  # no bodies, or none asked for
        return scored.clear().with_columns(rank=pl.lit(None, pl.UInt32), rate_rank=pl.lit(None, pl.UInt32))
    near = pl.col("score").fill_null(-1.0) <= kth if worst_first else pl.col("score").fill_null(-1.0) >= kth
    top = scored.filter(near).sort(order, descending=descending).head(limit).with_columns(
        rank=pl.int_range(1, pl.len() + 1, dtype=pl.UInt32))
    rates = scored.select(ranked_rate.drop_nulls().sort()).to_series()
    above = rates.search_sorted(top.get_column("open_rate").fill_null(0.0), side="right")
    return top.with_columns(rate_rank=pl.when(ranked_rate.is_not_null())
                            .then(pl.lit((rates.len() - above + 1).cast(pl.UInt32))))


def rank_order(bodies: pl.LazyFrame, limit: int | None = None, worst_first: bool = False, *,
               tie: str = "agency_key", names: Callable[[pl.DataFrame], pl.DataFrame] | None = None) -> pl.DataFrame:
    """Score, rates and ranks of per-body sums, best first (or worst first), as :data:`RANK_COLUMNS`.

    ``bodies`` holds the :data:`BODY_MEASURES` and the column ``tie`` whose
    order is the body keys' order; without the other columns, ``names`` adds
    them to the ranked rows only (the top ``limit``, not every body).
    """
    scored = (
        bodies.with_columns(pl.col(*BODY_MEASURES).cast(pl.Int64))
        .with_columns(_score(), (pl.col("passes") + pl.col("fails")).alias("known"))
        .with_columns(rated=pl.col("recv") >= SMALL_N_APPLICATIONS,
                      open_rate=pl.when(pl.col("closed") > 0).then(pl.col("opened") / pl.col("closed")))
    )
    ranked_rate = pl.when(pl.col("rated")).then(pl.col("open_rate"))  # rank() leaves nulls null: only rated bodies
    order = [pl.col("score").fill_null(-1.0), pl.col("known"), pl.col(tie)]
    descending = [not worst_first, True, False]
    if limit is None:
        ranked = scored.with_columns(rate_rank=ranked_rate.rank("min", descending=True).cast(pl.UInt32))
        out = ranked.sort(order, descending=descending).with_columns(
            rank=pl.int_range(1, pl.len() + 1, dtype=pl.UInt32)).collect()
    else:
        out = _top_rows(scored.collect(), limit, worst_first, order, descending, ranked_rate)
    if names is not None:
        out = names(out)
    return out.select(RANK_COLUMNS).with_columns(pl.col("latest_report").cast(pl.Int64))
