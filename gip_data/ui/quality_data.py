"""The 质量 data of a data version for the pages: scorecard, index, anomalies, with per-view results cached.

Built on first use of a quality view (other pages never pay for it) from the
prepared reports and the facts stored with the records, and kept for the one
current data version. A view's result is cached per (data version, filters,
arguments) like every other view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl
import streamlit as st

from gip_data.errors import GipDataError
from gip_data.filters import FILTER_DIMS, FilterState, filter_expr
from gip_data.quality.anomalies import anomalies
from gip_data.quality.checks import scorecard
from gip_data.quality.explain import Finding, explain
from gip_data.quality.facts_frame import load_facts
from gip_data.quality.hierarchy import aggregate_gaps, coverage_gaps
from gip_data.quality.index import CUBE_DIMS, QualityIndex, build_index
from gip_data.quality.rollup import overview, rank_bodies, rollup, with_dimensions
from gip_data.ui import data

_NO_YEAR = tuple(d for d in FILTER_DIMS if d != "year")


@dataclass(frozen=True, slots=True, eq=False)
class QualityData:
    """The scorecard index of one data version and what is derived from it on demand."""

    version: int
    index: QualityIndex
    memo: dict[str, Any] = field(default_factory=dict)

    def anomalies(self) -> pl.DataFrame:
        """Every anomaly of the version (computed once, on first use)."""
        if "anomalies" not in self.memo:
            self.memo["anomalies"] = anomalies(data.prepared(self.version).live_rows().collect())
        return self.memo["anomalies"]

    def gaps(self) -> pl.DataFrame:
        """Every aggregate report against its members (computed once, on first use)."""
        if "gaps" not in self.memo:
            self.memo["gaps"] = aggregate_gaps(data.prepared(self.version).live_rows().collect())
        return self.memo["gaps"]


@st.cache_resource(max_entries=1, show_spinner="正在计算年报质量…")
def quality_data(version: int) -> QualityData:
    """The quality data of one data version (one kept: a new version replaces it)."""
    wide = data.prepared(version).live_rows().collect()
    rows = with_dimensions(scorecard(wide, load_facts(data.get_store().engine)), wide)
    return QualityData(version, build_index(rows))


def predicate(version: int, state: FilterState):  # noqa: ANN201 - a predicate builder over dimensions
    """The view's filter over any dimensions (a name search as name codes)."""
    prepared = data.prepared(version)
    codes = prepared.name_codes(state.search) if state.search else None
    include = prepared.include_synthetic(state)
    return lambda dims: filter_expr(state, include_synthetic=include, name_codes=codes if "search" in dims else None,
                                    dims=dims)


def _state(filters_json: str) -> FilterState:
    return FilterState.model_validate_json(filters_json)


@st.cache_data(max_entries=256, show_spinner=False)
def check_overview(version: int, filters_json: str) -> pl.DataFrame:
    """Per check: reports passing, failing, unknown, not applicable in the view."""
    state, q = _state(filters_json), quality_data(version)
    if state.search:
        return overview(q.index.rows.lazy().filter(predicate(version, state)(FILTER_DIMS)))
    return q.index.overview(predicate(version, state))


@st.cache_data(max_entries=256, show_spinner=False)
def rolled_up(version: int, filters_json: str, by: tuple[str, ...]) -> pl.DataFrame:
    """Roll-up of the view per ``by`` (dimensions of the cube)."""
    state, q = _state(filters_json), quality_data(version)
    if state.search or not set(by) <= set(CUBE_DIMS):
        return rollup(q.index.rows.lazy().filter(predicate(version, state)(FILTER_DIMS)), list(by))
    return q.index.rollup(predicate(version, state), list(by))


@st.cache_data(max_entries=256, show_spinner=False)
def ranking(version: int, filters_json: str, limit: int, worst_first: bool) -> pl.DataFrame:
    """The bodies of the view ranked by quality score."""
    state, q = _state(filters_json), quality_data(version)
    slots = q.index.chosen_slots(state.year_from, state.year_to, state.edition)
    return q.index.rank_bodies(predicate(version, state), slots, limit, worst_first)


@st.cache_data(max_entries=64, show_spinner=False)
def view_anomalies(version: int, filters_json: str, limit: int = 500) -> pl.DataFrame:
    """The anomalies of the reports in the view (newest year first)."""
    state, q = _state(filters_json), quality_data(version)
    ids = q.index.rows.lazy().filter(predicate(version, state)(FILTER_DIMS)).select("report_id").collect()["report_id"]
    return q.anomalies().filter(pl.col("report_id").is_in(ids.implode())).head(limit)


@st.cache_data(max_entries=256, show_spinner=False)
def body_anomalies(version: int, agency_key: str, year: int | None = None) -> pl.DataFrame:
    """The anomalies of one body (of one year when given), for its comparison view."""
    found = quality_data(version).anomalies().filter(pl.col("agency_key") == agency_key)
    return found if year is None else found.filter(pl.col("year") == year)


@st.cache_data(max_entries=64, show_spinner=False)
def view_gaps(version: int, filters_json: str) -> pl.DataFrame:
    """The aggregate reports of the view's years and region against their members."""
    found = quality_data(version).gaps()
    return found.filter(predicate(version, _state(filters_json))(("year", "province", "city")))


@st.cache_data(max_entries=64, show_spinner=False)
def view_coverage(version: int, filters_json: str, year: int) -> pl.DataFrame:
    """Bodies of the view's region, level and type that reported before ``year`` but not for it."""
    state = _state(filters_json)
    wide = data.prepared(version).live_rows().collect()
    return coverage_gaps(wide.lazy().filter(predicate(version, state)(_NO_YEAR)), year)


def findings(version: int, report_id: int) -> list[Finding]:
    """Every check of one report with its evidence (the record's facts quoted when stored)."""
    q = quality_data(version)
    at = q.index.positions.gather(pl.Series([report_id - q.index.first_id], dtype=pl.Int64))[0] \
        if 0 <= report_id - q.index.first_id < len(q.index.positions) else None
    if at is None:
        return []
    wide = data.prepared(version).live_rows().collect()
    try:
        facts = data.get_store().get_report(report_id).record.facts
    except GipDataError:  # the evidence still shows, without the quoted sentences
        facts = None
    return explain(q.index.rows.row(at, named=True), wide.row(at, named=True), facts)


def definition_ranking(version: int, state: FilterState, limit: int) -> pl.DataFrame:
    """The ranking by its definition on the filtered reports (used by tests to check the page's fast path)."""
    rows = quality_data(version).index.rows.lazy().filter(predicate(version, state)(FILTER_DIMS))
    return rank_bodies(rows, limit)
