"""The 年报质量, 申请流向, 地图 and anomaly views, declared like every other view (imported by the catalog).

Their definitions (:mod:`gip_data.quality.definitions`, :mod:`gip_data.flows`)
read the filtered reports with their 质量 columns — the per-report check
indicators, which the prepared data keeps as cube cells, and what depends on
other reports (anomalies, aggregate gaps), which it keeps in per-version
tables (:mod:`gip_data.quality.tables`). ``tests/test_views.py`` computes those
columns the plain way from every report (:func:`gip_data.quality.plain.with_quality`)
and compares each view with its definition; the map reads ``METRIC_BY`` and
``QUALITY_BY`` by province and city.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import polars as pl

from gip_data import flows
from gip_data.filters import FILTER_DIMS, FilterState
from gip_data.frames import WIDE_SCHEMA
from gip_data.metrics import cells_of
from gip_data.prepared import Prepared
from gip_data.quality import definitions, fast
from gip_data.quality.anomalies import LIST_SCHEMA
from gip_data.quality.derive import QUALITY_CELLS
from gip_data.quality.hierarchy import COVERAGE_SCHEMA
from gip_data.quality.rollup import OVERVIEW_SCHEMA
from gip_data.views.spec import Schema, Source, declare

I64, F64, U32 = pl.Int64(), pl.Float64(), pl.UInt32()


def _typed(names: Sequence[str]) -> dict[str, pl.DataType]:
    return {name: WIDE_SCHEMA[name] for name in names}


def _by_schema(by: tuple[str, ...]) -> Schema:
    return {**_typed(by), "reports": I64, **dict.fromkeys(QUALITY_CELLS, I64), "score": F64}


RANK_SCHEMA: dict[str, pl.DataType] = {
    **_typed(["agency_key", "agency", "level", "province", "city"]), "latest_report": I64,
    **dict.fromkeys(("reports", "passes", "fails", "recv", "opened", "closed"), I64),
    "score": F64, "known": I64, "rated": pl.Boolean(), "open_rate": F64, "rate_rank": U32, "rank": U32,
}


def _years(p: Prepared, state: FilterState) -> tuple[int, ...]:
    """The report years of the data, newest first (example arguments)."""
    years = p.cube.get_column("year").drop_nulls().unique().sort(descending=True)
    return tuple(int(y) for y in years) or (2023,)


def _an_anomaly(p: Prepared, state: FilterState) -> tuple[str, int]:
    """The body and year of the first anomaly of the data (an example argument)."""
    found = p.quality.anomalies.filter(p.predicate(state, ("synthetic",)))
    if found.height == 0:
        return "没有这个机关", 2021
    key, year = found.select("agency_key", "year").row(0)
    return cast(str, key), cast(int, year)


QUALITY_CHECKS = declare(
    "quality_checks", definitions.quality_checks, Source.CUBE, OVERVIEW_SCHEMA, cells=QUALITY_CELLS,
)

QUALITY_BY = declare(
    "quality_by", definitions.quality_by, Source.CUBE, _by_schema, cells=QUALITY_CELLS,
    examples=((("level",),), (("province", "city"),), (("year",),), (("province",),)),
)

QUALITY_RANKING = declare(
    "quality_ranking", definitions.quality_ranking, Source.ROWS, RANK_SCHEMA, fast=fast.quality_ranking,
    examples=((100, True), (15, False), (None, False)),
)

COVERAGE = declare(
    "coverage", definitions.coverage, Source.ROWS, COVERAGE_SCHEMA, fast=fast.coverage,
    filters=tuple(d for d in FILTER_DIMS if d != "year"),
    examples=(lambda p, s: _years(p, s)[:1], lambda p, s: _years(p, s)[1:2] or (2000,)),
)

ANOMALIES = declare(
    "anomalies", definitions.anomaly_list, Source.ROWS, LIST_SCHEMA, fast=fast.anomaly_list,
    examples=((500,), (10,)),
)

BODY_ANOMALIES = declare(
    "body_anomalies", definitions.body_anomalies, Source.ROWS, LIST_SCHEMA, fast=fast.body_anomalies,
    filters=("synthetic",), examples=(_an_anomaly, ("没有这个机关", 2021)),
)

AGGREGATE_GAPS = declare(
    "aggregate_gaps", definitions.gap_list, Source.ROWS, definitions.GAP_SCHEMA, fast=fast.gap_list,
    filters=fast.GAP_DIMS,
)

FLOWS = declare(
    "flows", flows.flows, Source.CUBE, flows.LINK_SCHEMA, cells=cells_of(flows.FLOW_BASES),
)
