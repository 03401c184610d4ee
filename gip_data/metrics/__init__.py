"""Dashboard metrics: pure Polars over the (filtered) reports, no I/O and no Streamlit.

Definitions follow METRICS.md: ratios over a group are ratios of sums (never
means of ratios), two denominators are given where they exist (closed cases
without 尚未审结, and all cases), and distributions across bodies are separate
functions. Every function takes a ``LazyFrame`` so that only the columns it
needs are read, and returns a small sorted frame.

- :mod:`.definitions`: per-report bases, the metrics, the cube's measures;
- :mod:`.totals`: additive views (sums per group and their ratios);
- :mod:`.reports`: views that need the reports (rankings, distributions, lists).

Pages do not call these directly: :mod:`gip_data.views` declares each view once.
"""

from gip_data.metrics.definitions import (
    BASE_CELLS,
    BASES,
    COUNTS,
    CUBE_CELLS,
    CUBE_DIMENSIONS,
    DIMENSIONS,
    METRICS,
    MIX_CELLS,
    QUALITY_FLAGS,
    REASON_CELLS,
    REASON_GROUPS,
    CubeDim,
    Metric,
    add_year_links,
    bases_of,
    build_cube,
    cells_of,
    count_expr,
    cube_measures,
    like_chunks,
    metric_expr,
    with_metrics,
)
from gip_data.metrics.reports import (
    PEER_CODES,
    body_history,
    body_metric,
    peer_comparison,
    quality_reports,
    report_list,
    top_bodies,
    volume_distribution,
    worst_first,
)
from gip_data.metrics.totals import (
    CASE_RATE_CODES,
    KPI_CODES,
    QUALITY_COUNTS,
    applicant_mix,
    case_outcomes,
    case_rates,
    disposition_mix,
    flows_by_year,
    kpi_table,
    latest_year,
    metric_by,
    needed_bases,
    quality_overview,
    reason_breakdown,
    totals,
    totals_query,
    volume_by,
    yearly_totals,
)

__all__ = [
    "BASES", "BASE_CELLS", "CASE_RATE_CODES", "COUNTS", "CUBE_CELLS", "CUBE_DIMENSIONS", "DIMENSIONS",
    "KPI_CODES", "METRICS", "MIX_CELLS", "PEER_CODES", "QUALITY_COUNTS", "QUALITY_FLAGS", "REASON_CELLS",
    "REASON_GROUPS", "CubeDim", "Metric", "add_year_links", "applicant_mix", "bases_of", "body_history",
    "body_metric", "build_cube", "case_outcomes", "case_rates", "cells_of", "count_expr", "cube_measures",
    "disposition_mix", "flows_by_year", "kpi_table", "latest_year", "like_chunks", "metric_by",
    "metric_expr", "needed_bases", "peer_comparison", "quality_overview", "quality_reports",
    "reason_breakdown", "report_list", "top_bodies", "totals", "totals_query", "volume_by",
    "volume_distribution", "with_metrics", "worst_first", "yearly_totals",
]
