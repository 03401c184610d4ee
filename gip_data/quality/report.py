"""Every check of one report with its evidence, from the prepared data (the report's body's reports only)."""

from __future__ import annotations

import polars as pl

from gip_data.prepared import Prepared
from gip_data.quality.checks import scorecard
from gip_data.quality.explain import Finding, explain
from gip_data.schema.facts import ReportFacts


def report_findings(p: Prepared, report_id: int, facts: ReportFacts | None = None) -> list[Finding]:
    """The findings of a current report (empty when it is not current).

    The scorecard is computed for the report's body alone — all its years, as
    the continuity and copy checks need — so it equals the report's row of the
    scorecard of every report. ``facts`` (the stored record's) lets the
    evidence quote the sentences stating numbers.
    """
    live = p.wide.lazy().filter(pl.col("live"))
    mine = live.filter(pl.col("report_id") == report_id).select("agency_code").collect()
    if mine.height == 0:
        return []
    code = mine.item(0, 0)
    body = live.filter(pl.col("report_id") == report_id if code is None else pl.col("agency_code") == code).collect()
    card = scorecard(body)
    at = body.get_column("report_id").index_of(report_id)
    return explain(card.row(at, named=True), body.row(at, named=True), facts)
