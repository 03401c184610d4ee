"""The per-report 质量 data by its definition, from every report: what the prepared data keeps must equal this.

The 质量 views read, besides a report's own columns, data that depends on other
reports — its scorecard (the body's year before), its anomalies (its peers),
an aggregate's gaps (the reports under it). The prepared data keeps them per
data version and updates them incrementally (:mod:`gip_data.quality.derive`,
:mod:`gip_data.quality.tables`). :func:`with_quality` computes them the plain
way on a whole wide frame, as columns of each report, so a view's definition
can read them from the filtered reports like any other column; the view tests
compare every fast path with the definitions on these rows.
"""

from __future__ import annotations

import polars as pl

from gip_data.quality.anomalies import FOUND_SCHEMA, anomalies
from gip_data.quality.derive import quality_columns
from gip_data.quality.hierarchy import aggregate_gaps

# Columns of aggregate_gaps that are the aggregate report's own (the rest are the comparison's figures).
GAP_REPORT_COLUMNS: tuple[str, ...] = ("report_id", "agency", "year", "province", "city", "level", "synthetic",
                                       "aggregate")


def with_quality(wide: pl.DataFrame) -> pl.DataFrame:
    """``wide`` with the 质量 columns of each report: indicators and counts, ``anomalies`` and ``gaps``.

    ``anomalies`` is the list of the report's anomalies (structs of the
    :data:`~gip_data.quality.anomalies.FOUND_SCHEMA` figures; empty when none),
    ``gaps`` the comparison of an aggregate report with the reports under it
    (null for other reports).
    """
    cells = quality_columns(wide)
    figures = [c for c in FOUND_SCHEMA if c != "report_id"]
    found = anomalies(wide).group_by("report_id").agg(pl.struct(figures).alias("anomalies"))
    gaps = aggregate_gaps(wide)
    gap_figures = [c for c in gaps.columns if c not in GAP_REPORT_COLUMNS]
    per_gap = gaps.select("report_id", pl.struct(gap_figures).alias("gaps"))
    empty = pl.lit([], pl.List(pl.Struct({c: FOUND_SCHEMA[c] for c in figures})))
    return (
        wide.hstack(cells.get_columns())
        .join(found, on="report_id", how="left", maintain_order="left")
        .join(per_gap, on="report_id", how="left", maintain_order="left")
        .with_columns(pl.col("anomalies").fill_null(empty))
    )
