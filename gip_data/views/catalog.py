"""Every dashboard view, declared once: definition, source (additive over the cube, or the reports) and columns.

Pages ask for data only through these (``view.get(KPI_TABLE)``). To add a view
(a scorecard, a flow, a map layer …):

1. write its definition in :mod:`gip_data.metrics` as a function of the
   filtered reports (a ``LazyFrame``) returning a small sorted frame;
2. declare it here with :func:`~gip_data.views.spec.declare`: its source —
   ``Source.CUBE`` if it only sums report measures per group (build it on
   ``metrics.totals_query``), else ``Source.ROWS`` —, its columns, for an
   additive view the cube cells it sums (``_cells`` derives them from the
   metrics and bases it reads), and ``examples`` of its arguments;
3. ``tests/test_views.py`` then checks it against the raw reports on every
   filter state it knows (a wrong source or an undeclared cell fails there),
   and ``bench/dashboard.py`` times it alone; list it in the page's calls there.

The 年报质量, 申请流向, 地图 and anomaly views are declared in
:mod:`gip_data.views.quality`, imported at the end of this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import polars as pl

from gip_data import metrics
from gip_data.filters import FilterState
from gip_data.frames import WIDE_SCHEMA
from gip_data.metrics.totals import needed_bases
from gip_data.prepared import Prepared, fast
from gip_data.schema.template import CASE_BLOCKS, DISPOSITION_GROUPS
from gip_data.views.spec import Schema, Source, declare

I64, F64, STR = pl.Int64(), pl.Float64(), pl.String()
METRIC_COLUMNS: dict[str, pl.DataType] = {c: I64 if m.kind == "count" else F64 for c, m in metrics.METRICS.items()}


def typed(names: Sequence[str]) -> dict[str, pl.DataType]:
    """The declared dtypes of grouping columns (as in the wide frame)."""
    return {name: WIDE_SCHEMA[name] for name in names}


def _totals(by: Sequence[str], codes: Sequence[str] | None = None) -> Schema:
    """Columns of totals by ``by``: the report count, the bases the metrics ``codes`` read, the metrics (default all)."""
    bases = needed_bases(codes)
    return {**typed(by), "reports": I64, **{b: I64 for b in bases},
            **{c: METRIC_COLUMNS[c] for c in (METRIC_COLUMNS if codes is None else codes)}}


def _cells(codes: Sequence[str] | None = None, bases: Sequence[str] = ()) -> tuple[str, ...]:
    """The cube cells the metrics ``codes`` and the ``bases`` are sums of (default: every base)."""
    return metrics.cells_of(needed_bases(codes, bases))


_CASE_OUTCOMES = tuple(f"{b}_{o}" for b in CASE_BLOCKS for o in ("upheld", "corrected", "other", "pending"))


def _top_keys(p: Prepared, state: FilterState, n: int) -> tuple[str, ...]:
    """The keys of the ``n`` bodies with most applications in the view (an example argument)."""
    return tuple(TOP_BODIES.compute(p, state, n)["agency_key"].to_list())


def _latest_of_top(p: Prepared, state: FilterState) -> tuple[str, int]:
    """The top body of the view and the latest year it reported (an example argument)."""
    keys = _top_keys(p, state, 1) or ("没有这个机关",)
    years = BODY_HISTORY.compute(p, state, keys, "recv")["year"]
    return keys[0], int(cast(int, years.max())) if years.len() else 2021


YEARLY_TOTALS = declare(
    "yearly_totals", metrics.yearly_totals, Source.CUBE, lambda codes=None: _totals(("year",), codes),
    cells=lambda codes=None: _cells(codes), examples=((), (("recv", "open", "bl"),)),
)

TOTALS = declare(
    "totals", metrics.totals, Source.CUBE, lambda by=None, codes=None: _totals(by or (), codes),
    cells=lambda by=None, codes=None: _cells(codes), examples=((), (("level",),), (("year",), ("recv", "open"))),
)

KPI_TABLE = declare(
    "kpi_table", metrics.kpi_table, Source.CUBE,
    {"metric": STR, "label": STR, "kind": STR, "value": F64, "previous": F64, "current_matched": F64, "change": F64,
     "matched": pl.Int32(), "year": pl.Int32()},
    cells=_cells(metrics.KPI_CODES), examples=((), (2021,), (2020,)),
)

VOLUME_BY = declare(
    "volume_by", metrics.volume_by, Source.CUBE,
    lambda by: {**typed(by), "reports": I64, "new": I64, "carried_over": I64, "recv": I64},
    cells=_cells(("recv",)), examples=((("year", "level"),), (("province", "body"),)),
)

APPLICANT_MIX = declare(
    "applicant_mix", metrics.applicant_mix, Source.CUBE,
    lambda by="year": {**typed([by]), "applicant": STR, "count": I64, "label": STR, "share": F64},
    cells=metrics.MIX_CELLS, examples=(("year",), ("level",)),
)

FLOWS_BY_YEAR = declare(
    "flows_by_year", metrics.flows_by_year, Source.CUBE, {**typed(["year"]), "flow": STR, "count": I64, "label": STR},
    cells=_cells((), ("new", "carried_over", "carried_forward")),
)

DISPOSITION_MIX = declare(
    "disposition_mix", metrics.disposition_mix, Source.CUBE,
    lambda by="year": {**typed([by]), "group": STR, "count": I64, "label": STR, "share": F64},
    cells=_cells((), tuple(DISPOSITION_GROUPS)), examples=(("year",), ("level",)),
)

REASON_BREAKDOWN = declare(
    "reason_breakdown", metrics.reason_breakdown, Source.CUBE,
    {"group": STR, "group_label": STR, "reason": STR, "label": STR, "count": I64, "share": F64},
    cells=metrics.REASON_CELLS,
)

CASE_OUTCOMES = declare(
    "case_outcomes", metrics.case_outcomes, Source.CUBE,
    lambda by="year": {**typed([by]), "count": I64, "block": STR, "outcome": STR, "block_label": STR,
                       "outcome_label": STR},
    cells=_cells((), _CASE_OUTCOMES), examples=(("year",), ("level",)),
)

CASE_RATES = declare(
    "case_rates", metrics.case_rates, Source.CUBE,
    lambda by="year": {**typed([by]), "litigation_direct_total": I64, "litigation_after_review_total": I64,
                       **{c: METRIC_COLUMNS[c] for c in metrics.CASE_RATE_CODES}},
    cells=_cells(metrics.CASE_RATE_CODES, ("litigation_direct_total", "litigation_after_review_total")),
    examples=(("year",), ("level",)),
)

METRIC_BY = declare(
    "metric_by", metrics.metric_by, Source.CUBE,
    lambda dims, code, limit=None: {**typed(dims), "reports": I64, "recv": I64, "value": F64},
    cells=lambda dims, code, limit=None: _cells((code, "recv")),
    examples=((("level",), "open"), (("level", "year"), "open"), (("province",), "rvc", 5), (("year",), "pass"),
              (("body", "template"), "recv")),
)

QUALITY_OVERVIEW = declare(
    "quality_overview", metrics.quality_overview, Source.CUBE,
    {"reports": I64, **{name: I64 for name in metrics.QUALITY_COUNTS.values()}},
    cells=(),
)

TOP_BODIES = declare(
    "top_bodies", metrics.top_bodies, Source.ROWS,
    {**typed(["agency_key", "agency", "level", "province"]), "reports": pl.UInt32(), "recv": I64},
    fast=fast.top_bodies, examples=((15,), (3,)),
)

BODY_METRIC = declare(
    "body_metric", metrics.body_metric, Source.ROWS,
    {**typed(["agency_key", "agency"]), "reports": I64, "recv": I64, "value": F64},
    fast=fast.body_metric, examples=(("open", 10), ("recv", 4)),
)

BODY_HISTORY = declare(
    "body_history", metrics.body_history, Source.ROWS,
    {**typed(["agency_key", "agency", "year"]), "reports": I64, "recv": I64, "value": F64},
    fast=fast.body_history, examples=(lambda p, s: (_top_keys(p, s, 3), "recv"), lambda p, s: (("没有这个机关",), "open")),
)

VOLUME_DISTRIBUTION = declare(
    "volume_distribution", metrics.volume_distribution, Source.ROWS,
    lambda by="level": {**typed([by]), "reports": pl.UInt32(), "min": I64, "q1": F64, "median": F64, "q3": F64,
                        "p90": F64, "max": I64, "mean": F64},
    fast=fast.volume_distribution, examples=(("level",), ("year",), ("province",)),
)

PEER_COMPARISON = declare(
    "peer_comparison", metrics.peer_comparison, Source.ROWS,
    {"metric": STR, "label": STR, "value": F64, "q1": F64, "median": F64, "q3": F64, "peers": I64},
    fast=fast.peer_comparison, filters=("aggregate", "body", "template", "synthetic"), examples=(_latest_of_top,),
)

QUALITY_REPORTS = declare(
    "quality_reports", metrics.quality_reports, Source.ROWS,
    {**typed(["report_id", "agency", "year", "level", *metrics.QUALITY_FLAGS])},
    fast=fast.quality_reports, examples=((50,), (5,)),
)

REPORT_LIST = declare(
    "report_list", metrics.report_list, Source.ROWS, typed(["report_id", "agency", "year", "level"]), examples=((20,),)
)


# --- 年报质量, 申请流向, 地图, anomalies: declared in their own module (registered on import) ---------------
from gip_data.views import quality as _quality  # noqa: E402 - after the views above, which it does not need

AGGREGATE_GAPS = _quality.AGGREGATE_GAPS
ANOMALIES = _quality.ANOMALIES
BODY_ANOMALIES = _quality.BODY_ANOMALIES
COVERAGE = _quality.COVERAGE
FLOWS = _quality.FLOWS
QUALITY_BY = _quality.QUALITY_BY
QUALITY_CHECKS = _quality.QUALITY_CHECKS
QUALITY_RANKING = _quality.QUALITY_RANKING
