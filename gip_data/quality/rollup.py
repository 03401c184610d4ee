"""Scorecards rolled up per body, level and region, and the body ranking with its small-N rule.

Every function takes a LazyFrame of scorecard rows that also carry the wide
frame's dimensions (:func:`with_dimensions`), so a page filters it with the
sidebar's predicate first. Scores are ratios of sums: a group's score is its
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
from gip_data.quality.checks import CHECK_BY_CODE, CHECK_CODES, FAIL, NOT_APPLICABLE, PASS

SMALL_N_APPLICATIONS = 10
DIMENSIONS: tuple[str, ...] = (
    "agency_key", "agency", "year", "level", "body", "province", "city", "aggregate", "synthetic", "template",
)
_RECV = (BASES["new"] + BASES["carried_over"]).cast(pl.Int64)
_OPEN = (BASES["granted"] + BASES["partially_granted"]).cast(pl.Int64)
_CLOSED = BASES["closed"].cast(pl.Int64)


INDICATORS: tuple[str, ...] = tuple(f"{code}_{outcome}" for code in CHECK_CODES for outcome in ("pass", "fail", "na"))
ADDITIVE: tuple[str, ...] = (*INDICATORS, "passes", "fails")


def indicator_columns() -> list[pl.Expr]:
    """Per check, 0/1 for pass, fail and not applicable: a cube sums these (see :data:`ADDITIVE`)."""
    values = {"pass": PASS, "fail": FAIL, "na": NOT_APPLICABLE}
    return [(pl.col(code) == values[outcome]).fill_null(False).cast(pl.UInt8).alias(f"{code}_{outcome}")
            for code in CHECK_CODES for outcome in ("pass", "fail", "na")]


def with_dimensions(card: pl.DataFrame, wide: pl.DataFrame) -> pl.DataFrame:
    """The scorecard beside the wide frame's filter dimensions and the application counts rates need.

    ``card`` must be in the wide frame's row order (as :func:`scorecard` returns it);
    the wide frame's columns are shared, not copied.
    """
    extra = wide.select(
        *(c for c in (*DIMENSIONS, "name_code", "agency_code") if c in wide.columns),
        _RECV.alias("recv"), _OPEN.alias("opened"), _CLOSED.alias("closed"),
    )
    return pl.concat([card, extra], how="horizontal")


def _count(lf: pl.LazyFrame) -> pl.Expr:
    """Reports: a row count on reports, a sum on a cube (which carries ``reports``)."""
    return pl.col("reports").sum() if "reports" in lf.collect_schema() else pl.len()


def check_counts(lf: pl.LazyFrame) -> list[pl.Expr]:
    """Per check and outcome, the number of reports: the indicators summed on a cube, counted on reports."""
    if INDICATORS[0] in lf.collect_schema():
        return [pl.col(name).cast(pl.Int64).sum().alias(name) for name in ADDITIVE]
    return [e.cast(pl.Int64).sum() for e in indicator_columns()] + [
        pl.col(name).cast(pl.Int64).sum().alias(name) for name in ("passes", "fails")]


def _score() -> pl.Expr:
    known = pl.col("passes") + pl.col("fails")
    return pl.when(known > 0).then(pl.col("passes") / known).alias("score")


def rollup(lf: pl.LazyFrame, by: list[str]) -> pl.DataFrame:
    """Per group of ``by`` (e.g. ["level"], ["province", "city"], ["year"]): reports, check counts, score.

    Additive: the same on the reports (with :func:`with_dimensions`) as on a cube summing :data:`ADDITIVE`.
    """
    return (
        lf.group_by(by)
        .agg(_count(lf).cast(pl.Int64).alias("reports"), *check_counts(lf))
        .with_columns(_score())
        .sort(by, nulls_last=True)
        .collect()
    )


def overview(lf: pl.LazyFrame) -> pl.DataFrame:
    """One row per check over the whole view: name, passing, failing, unknown, not applicable, pass rate (additive)."""
    sums = lf.select(_count(lf).cast(pl.Int64).alias("reports"), *check_counts(lf)).collect().row(0, named=True)
    rows = []
    for code in CHECK_CODES:
        passed, failed, skipped = (int(sums[f"{code}_{o}"] or 0) for o in ("pass", "fail", "na"))
        known = passed + failed
        rows.append((code, CHECK_BY_CODE[code].name, passed, failed, int(sums["reports"] or 0) - known - skipped,
                     skipped, passed / known if known else None))
    return pl.DataFrame(rows, schema={"check": pl.String, "name": pl.String, "pass": pl.Int64, "fail": pl.Int64,
                                      "unknown": pl.Int64, "not_applicable": pl.Int64, "pass_rate": pl.Float64},
                        orient="row")


BODY_COLUMNS: tuple[str, ...] = (
    "agency_key", "agency", "level", "province", "city", "latest_report",
    "reports", "passes", "fails", "recv", "opened", "closed",
)


def rank_bodies(lf: pl.LazyFrame, limit: int | None = None, worst_first: bool = False) -> pl.DataFrame:
    """Bodies ranked by quality score over the view, with their rate ranking under the small-N rule.

    A body is named by its latest report in the view. Ties in score go to the
    body with more known checks, then to the smaller key. ``rate_rank`` ranks
    公开率 among bodies with at least :data:`SMALL_N_APPLICATIONS` applications;
    it is null for the others (``rated`` False).
    """
    latest = pl.col("year").fill_null(0).arg_max()
    key = "agency_code" if "agency_code" in lf.collect_schema() else "agency_key"
    bodies = (
        lf.filter(pl.col("agency_key").is_not_null())
        .group_by(key)
        .agg(*(pl.col(c).get(latest) for c in ("agency_key", "agency", "level", "province", "city") if c != key),
             pl.col("report_id").get(latest).alias("latest_report"),
             pl.len().alias("reports"), pl.col("passes", "fails", "recv", "opened", "closed").cast(pl.Int64).sum())
    )
    return rank_order(bodies, limit, worst_first)


def rank_order(bodies: pl.LazyFrame, limit: int | None = None, worst_first: bool = False,
               names: Callable[[pl.DataFrame], pl.DataFrame] | None = None) -> pl.DataFrame:
    """Score, rates and ranks of per-body sums, best first (or worst first), as :data:`BODY_COLUMNS` and more.

    ``bodies`` holds the sums and a tie-breaking key (``agency_code``, whose
    order is the keys' order, else ``agency_key``); without the name columns,
    ``names`` adds them to the ranked rows only (the top ``limit``, not every body).
    """
    measures = ("reports", "passes", "fails", "recv", "opened", "closed")
    tie = "agency_code" if "agency_code" in bodies.collect_schema() else "agency_key"
    scored = (
        bodies.with_columns(pl.col(*measures).cast(pl.Int64))
        .with_columns(_score(), (pl.col("passes") + pl.col("fails")).alias("known"))
        .with_columns(rated=pl.col("recv") >= SMALL_N_APPLICATIONS,
                      open_rate=pl.when(pl.col("closed") > 0).then(pl.col("opened") / pl.col("closed")))
        # rank() leaves nulls null: only rated bodies with a rate take part
        .with_columns(rate_rank=pl.when(pl.col("rated")).then(pl.col("open_rate"))
                      .rank("min", descending=True).cast(pl.UInt32))
    )
    order = [pl.col("score").fill_null(-1.0), pl.col("known"), pl.col(tie)]
    descending = [not worst_first, True, False]
    ranked = scored.sort(order, descending=descending) if limit is None else scored.top_k(
        limit, by=order, reverse=[not d for d in descending]).sort(order, descending=descending)
    out = ranked.with_columns(rank=pl.int_range(1, pl.len() + 1, dtype=pl.UInt32)).collect()
    if names is not None:
        out = names(out)
    extra = ["score", "known", "rated", "open_rate", "rate_rank", "rank"]
    return out.select(*BODY_COLUMNS, *extra).with_columns(pl.col("latest_report").cast(pl.Int64))


def failing_reports(lf: pl.LazyFrame, code: str, limit: int = 200) -> pl.DataFrame:
    """The reports failing one check, lowest score first (for the page's drill-down)."""
    return (
        lf.filter(pl.col(code) == FAIL)
        .select("report_id", "agency", "year", "level", "province", "score")
        .sort(["score", "report_id"], nulls_last=True)
        .head(limit)
        .collect()
    )
