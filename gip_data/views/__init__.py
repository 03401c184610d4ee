"""The dashboard's views: each declared once (:mod:`.catalog`) as a typed :class:`~.spec.ViewSpec`."""

from gip_data.views.catalog import (
    APPLICANT_MIX,
    BODY_HISTORY,
    BODY_METRIC,
    CASE_OUTCOMES,
    CASE_RATES,
    DISPOSITION_MIX,
    FLOWS_BY_YEAR,
    KPI_TABLE,
    METRIC_BY,
    PEER_COMPARISON,
    QUALITY_OVERVIEW,
    QUALITY_REPORTS,
    REASON_BREAKDOWN,
    REPORT_LIST,
    TOP_BODIES,
    TOTALS,
    VOLUME_BY,
    VOLUME_DISTRIBUTION,
    YEARLY_TOTALS,
)
from gip_data.views.spec import REGISTRY, Source, ViewSchemaError, ViewSpec, declare

__all__ = [
    "APPLICANT_MIX", "BODY_HISTORY", "BODY_METRIC", "CASE_OUTCOMES", "CASE_RATES", "DISPOSITION_MIX", "FLOWS_BY_YEAR",
    "KPI_TABLE", "METRIC_BY", "PEER_COMPARISON", "QUALITY_OVERVIEW", "QUALITY_REPORTS", "REASON_BREAKDOWN",
    "REGISTRY", "REPORT_LIST", "TOP_BODIES", "TOTALS", "VOLUME_BY", "VOLUME_DISTRIBUTION", "YEARLY_TOTALS",
    "Source", "ViewSchemaError", "ViewSpec", "declare",
]
