"""Cached access to the store and its frames, keyed by the data version.

The store is one shared resource; the wide frame is loaded once per data
version (shared, never pickled: frames are immutable); metric results are small
and cached per (data version, filters, arguments), never keyed on a big frame.
After an upload the data version moves, so every page misses and shows the new
report at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
import streamlit as st

from gip_data import metrics
from gip_data.filters import FilterState, apply_filters, filter_expr, only_synthetic
from gip_data.storage import load_frames, open_store
from gip_data.storage.sql import SqlStore


@st.cache_resource(show_spinner=False)
def get_store() -> SqlStore:
    """The configured store (GIP_DATABASE_URL); a new install is filled with the sample reports."""
    store = open_store()
    store.ensure_sample()
    return store


@st.cache_resource(max_entries=2, show_spinner="正在加载数据…")
def prepared(version: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The wide frame (with year links) and its cube of sums, once per data version."""
    wide = metrics.add_year_links(load_frames(get_store()).wide)
    return wide, metrics.build_cube(wide)


def wide_frame(version: int) -> pl.DataFrame:
    """The wide frame of the current reports at one data version."""
    return prepared(version)[0]


def data_version() -> int:
    """The store's current data version (one cheap query per run)."""
    return get_store().data_version()


@dataclass(frozen=True, slots=True)
class View:
    """What a page needs: the data version, the filters and the filtered rows (lazy)."""

    version: int
    filters: FilterState
    wide: pl.DataFrame

    @property
    def rows(self) -> pl.LazyFrame:
        """The filtered wide rows (one per report)."""
        return apply_filters(self.wide, self.filters)

    def source(self, name: str, args: tuple[Any, ...]) -> pl.LazyFrame:
        """The rows a metric reads: the cube for additive metrics (unless a name search needs reports)."""
        additive = name in CUBE_METRICS and not (name == "metric_by" and "agency" in args[0])
        if not additive or self.filters.search:
            return self.rows
        include = True if self.synthetic_only else None
        return prepared(self.version)[1].lazy().filter(filter_expr(self.filters, include_synthetic=include))

    @property
    def synthetic_only(self) -> bool:
        """True when every stored report is synthetic (then they are shown regardless of the filter)."""
        return only_synthetic(self.wide)

    def metric(self, name: str, *args: Any) -> Any:
        """A metric function's result for this view, cached per version, filters and arguments."""
        return _cached_metric(name, self.version, self.filters.model_dump_json(), args)


METRIC_FUNCTIONS: dict[str, Callable[..., Any]] = {
    name: getattr(metrics, name)
    for name in (
        "yearly_totals",
        "kpi_table",
        "volume_by",
        "applicant_mix",
        "flows_by_year",
        "top_bodies",
        "volume_distribution",
        "disposition_mix",
        "reason_breakdown",
        "case_outcomes",
        "case_rates",
        "metric_by",
        "peer_comparison",
        "quality_overview",
        "quality_reports",
        "totals",
    )
}


CUBE_METRICS = frozenset({
    "yearly_totals", "kpi_table", "volume_by", "applicant_mix", "flows_by_year", "disposition_mix",
    "reason_breakdown", "case_outcomes", "case_rates", "metric_by", "totals",
})


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_metric(name: str, version: int, filters_json: str, args: tuple[Any, ...]) -> Any:
    view = View(version, FilterState.model_validate_json(filters_json), wide_frame(version))
    return METRIC_FUNCTIONS[name](view.source(name, args), *args)


@st.cache_data(max_entries=8, show_spinner=False)
def filter_options(version: int) -> dict[str, Any]:
    """Years, provinces and cities present in the data (for the sidebar choices)."""
    wide = wide_frame(version)
    years = sorted(int(y) for y in wide["year"].drop_nulls().unique().to_list())
    pairs = wide.select("province", "city").drop_nulls("province").unique().sort("province", "city")
    cities: dict[str, list[str]] = {}
    for province, city in pairs.iter_rows():
        bucket = cities.setdefault(province, [])
        if city:
            bucket.append(city)
    return {"years": years, "provinces": sorted(cities), "cities": cities}


def current_view(filters: FilterState) -> View:
    """The view of the current run."""
    version = data_version()
    return View(version, filters, wide_frame(version))
