"""The 质量 views by definition: functions of the filtered reports, as :mod:`gip_data.views` declares them.

Each takes the filtered reports carrying their 质量 columns (see
:func:`gip_data.quality.plain.with_quality`: the indicators, ``anomalies``,
``gaps``) and returns a small sorted frame. The additive ones (the check
overview and the roll-ups) give the same on cube rows; the others have exact
fast paths over the prepared data (:mod:`gip_data.quality.fast`) that the view
tests compare with these.
"""

from __future__ import annotations

import polars as pl

from gip_data.frames import empty_wide
from gip_data.quality.anomalies import listed
from gip_data.quality.hierarchy import GAP_INPUTS, aggregate_gaps, coverage_gaps
from gip_data.quality.rollup import overview, rank_bodies, rollup
from gip_data.quality.tables import GAP_ORDER

# A report's own columns an anomaly list shows.
ANOMALY_REPORT_COLUMNS: tuple[str, ...] = ("report_id", "agency_key", "agency", "year", "level", "province")
# What a list of aggregate gaps shows: every column of aggregate_gaps but the flags.
GAP_SCHEMA: dict[str, pl.DataType] = {
    name: dtype for name, dtype in aggregate_gaps(empty_wide().select(GAP_INPUTS)).schema.items()
    if name not in ("synthetic", "aggregate")
}
GAP_OWN_COLUMNS: tuple[str, ...] = ("report_id", "agency", "year", "province", "city", "level")


def quality_checks(lf: pl.LazyFrame) -> pl.DataFrame:
    """Per check, the reports of the view passing, failing, unknown and not applicable, and the pass rate."""
    return overview(lf)


def quality_by(lf: pl.LazyFrame, by: tuple[str, ...]) -> pl.DataFrame:
    """Reports, check outcomes summed and the score per group of ``by`` (cube dimensions)."""
    return rollup(lf, by)


def quality_ranking(lf: pl.LazyFrame, limit: int | None = 100, worst_first: bool = False) -> pl.DataFrame:
    """The bodies of the view ranked by quality score (best or worst first), with the small-N rate rank."""
    return rank_bodies(lf, limit, worst_first)


def coverage(lf: pl.LazyFrame, year: int) -> pl.DataFrame:
    """Bodies of the view that reported in the two years before ``year`` but not for it."""
    return coverage_gaps(lf, year)


def anomaly_list(lf: pl.LazyFrame, limit: int | None = 500) -> pl.DataFrame:
    """The anomalies of the view's reports with their evidence, newest year first (at most ``limit``)."""
    found = (lf.filter(pl.col("anomalies").list.len() > 0).select(*ANOMALY_REPORT_COLUMNS, "anomalies")
             .explode("anomalies").unnest("anomalies"))
    return listed(found, limit)


def body_anomalies(lf: pl.LazyFrame, agency_key: str, year: int) -> pl.DataFrame:
    """The anomalies of one body's report of one year (its comparison view)."""
    return anomaly_list(lf.filter((pl.col("agency_key") == agency_key) & (pl.col("year") == year)), None)


def gap_list(lf: pl.LazyFrame) -> pl.DataFrame:
    """The view's aggregate reports against the stored reports under them, by year and region."""
    rows = lf.filter(pl.col("gaps").is_not_null()).select(*GAP_OWN_COLUMNS, "gaps").unnest("gaps")
    return rows.sort(list(GAP_ORDER), nulls_last=True).select(list(GAP_SCHEMA)).collect()

