"""Cached access to the store and its prepared data, keyed by the data version.

The store is one shared resource. The data of a version is prepared once
(:func:`gip_data.prepared.prepare`: cube, agency dictionary, body matrix,
indexes) and shared by every session, never pickled. Metric results are small
and cached per (data version, filters, arguments), never keyed on a big frame.
After an upload the data version moves, so every page misses and shows the new
report at once.

Memory: the app needs only the wide frame. ``load_frames`` serves large
databases from the storage's Arrow snapshot, memory-mapped, so the long frames
it also returns are never paged in; they are dropped at once. Building or
refreshing that snapshot (a full read, or an older snapshot plus a delta) does
touch every frame, so for large databases a short-lived child process does it
first and the app process only maps the result.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from typing import Any

import polars as pl
import streamlit as st

from gip_data.filters import FilterState
from gip_data.prepared import Prepared, prepare
from gip_data.storage import load_frames, open_store
from gip_data.storage.frames_io import SNAPSHOT_MIN_ROWS
from gip_data.storage.sql import SqlStore


@st.cache_resource(show_spinner=False)
def get_store() -> SqlStore:
    """The configured store (GIP_DATABASE_URL); a new install is filled with the sample reports."""
    store = open_store()
    store.ensure_sample()
    return store


# Run in a child: bring the storage snapshot up to date (the child's memory is returned when it exits).
_SNAPSHOT_CHILD = "import sys; from gip_data.storage import load_frames, open_store; load_frames(open_store(sys.argv[1]))"


def _snapshot_in_child(store: SqlStore) -> None:
    """For a database large enough to be snapshotted, build or refresh its snapshot in a child process.

    A failure here is not reported: the in-process load that follows raises the
    storage's typed error if the database itself is the problem.
    """
    if store.count_reports() < SNAPSHOT_MIN_ROWS:
        return
    subprocess.run([sys.executable, "-c", _SNAPSHOT_CHILD, store.url], check=False, capture_output=True)


@st.cache_resource(max_entries=1, show_spinner="正在加载数据…")
def _prepared(version: int) -> Prepared:
    store = get_store()
    _snapshot_in_child(store)
    return prepare(load_frames(store).wide, version)


_loaded: dict[str, int] = {}


def prepared(version: int) -> Prepared:
    """Everything the views of one data version read (shared by all sessions; one version kept).

    When the version moves, the old version is released *before* the new one
    is built, so the two never sit in memory together.
    """
    if version > _loaded.get("version", version):
        _prepared.clear()
    _loaded["version"] = max(version, _loaded.get("version", version))
    return _prepared(version)


def wide_frame(version: int) -> pl.DataFrame:
    """The wide frame of the current reports at one data version."""
    return prepared(version).wide


def data_version() -> int:
    """The store's current data version (one cheap query per run)."""
    return get_store().data_version()


@dataclass(frozen=True, slots=True)
class View:
    """What a page needs: the data version, the filters and their prepared data."""

    version: int
    filters: FilterState
    data: Prepared

    @property
    def wide(self) -> pl.DataFrame:
        """Every current report (unfiltered)."""
        return self.data.wide

    @property
    def rows(self) -> pl.LazyFrame:
        """The filtered wide rows (one per report)."""
        return self.data.rows(self.filters)

    @property
    def synthetic_only(self) -> bool:
        """True when every stored report is synthetic (then they are shown regardless of the filter)."""
        return self.data.synthetic_only

    def metric(self, name: str, *args: Any) -> Any:
        """A metric's result for this view, cached per version, filters and arguments."""
        return _cached_metric(name, self.version, self.filters.model_dump_json(), args)


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_metric(name: str, version: int, filters_json: str, args: tuple[Any, ...]) -> Any:
    return prepared(version).compute(name, FilterState.model_validate_json(filters_json), args)


@st.cache_data(max_entries=8, show_spinner=False)
def filter_options(version: int) -> dict[str, Any]:
    """Years, provinces and cities present in the data (for the sidebar choices)."""
    cube = prepared(version).cube
    years = sorted(int(y) for y in cube["year"].drop_nulls().unique().to_list())
    pairs = cube.select("province", "city").drop_nulls("province").unique().sort("province", "city")
    cities: dict[str, list[str]] = {}
    for province, city in pairs.iter_rows():
        bucket = cities.setdefault(province, [])
        if city:
            bucket.append(city)
    return {"years": years, "provinces": sorted(cities), "cities": cities}


def current_view(filters: FilterState) -> View:
    """The view of the current run."""
    version = data_version()
    return View(version, filters, prepared(version))
