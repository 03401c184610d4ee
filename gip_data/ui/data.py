"""Cached access to the store and its prepared data, keyed by the data version.

The store is one shared resource. The process keeps one :class:`Prepared`
(cube, dictionaries, body matrix, histogram), shared by every session and never
pickled. When the data version moves (an upload, a correction, a delete), the
changed reports are read from the database and applied to it
(:func:`gip_data.prepared.delta.apply_delta`): a second or less instead of a
full load and preparation, and the new report shows on the next run. Only a
change no delta can describe (a purge), a very large one, or too many replaced
rows kept in the frame lead to a full load.

View results are small and cached per (view, data version, filters as the view
sees them, arguments), never keyed on a big frame.

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
import threading
from dataclasses import dataclass, field
from typing import Any, ParamSpec

import polars as pl
import streamlit as st

from gip_data.filters import FilterState
from gip_data.prepared import Prepared, prepare
from gip_data.prepared.delta import apply_delta
from gip_data.storage import load_frames, open_store
from gip_data.storage.frames_io import SNAPSHOT_MIN_ROWS, read_wide_delta
from gip_data.storage.sql import SqlStore
from gip_data.views import QUALITY_OVERVIEW, REGISTRY, ViewSpec

P = ParamSpec("P")
# A full load instead of an update once this share of the frame's rows are replaced versions kept as not live.
MAX_DEAD_SHARE = 0.2


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


@dataclass
class _Current:
    """The prepared data this process holds for one store, and the lock that lets one session update it."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    data: Prepared | None = None
    instance: str = ""  # the database the data came from (a database put in place of another one is loaded anew)


@st.cache_resource(show_spinner=False)
def _current(url: str) -> _Current:
    return _Current()


def _updatable(held: Prepared | None) -> Prepared | None:
    """``held`` if a change can be applied to it, None when a full load is due (too many replaced rows kept)."""
    return held if held is not None and held.dead <= MAX_DEAD_SHARE * max(held.wide.height, 1) else None


def load(store: SqlStore, held: Prepared | None) -> Prepared:
    """The prepared data at the store's current version: ``held`` updated by the change since, else a full load."""
    if held is not None:
        delta = read_wide_delta(store, held.version)
        if delta is not None:
            return apply_delta(held, delta)
    _snapshot_in_child(store)
    frames = load_frames(store)
    data = prepare(frames.wide, frames.data_version)
    # The change since is read once now: it brings in what changed during the load, and the first upload
    # afterwards does not pay for importing the database readers.
    delta = read_wide_delta(store, data.version)
    return apply_delta(data, delta) if delta is not None else data


def prepared(version: int) -> Prepared:
    """Everything the views of data version ``version`` (or a newer one) read; shared by all sessions.

    A run that read the version just before another session applied a newer
    change gets the newer data. The data is loaded anew when the database
    behind the URL is another one, or its version went back (a restore).
    """
    store = get_store()
    box = _current(store.url)
    held = box.data
    if held is not None and held.version == version:
        return held
    with box.lock:
        held = box.data
        if held is not None and held.version > version and held.version <= store.data_version():
            return held
        if held is not None and held.version == version:
            return held
        instance = store.instance_id()
        current = _updatable(held) if instance == box.instance and held and held.version < version else None
        box.data = None  # a full load releases the old data before building the new
        fresh = load(store, current)
        box.data, box.instance = fresh, instance
        return fresh


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
    def rows(self) -> pl.LazyFrame:
        """The filtered reports (one per report; for exports)."""
        return self.data.rows(self.filters)

    @property
    def synthetic_only(self) -> bool:
        """True when every stored report is synthetic (then they are shown regardless of the filter)."""
        return self.data.synthetic_only

    @property
    def stored_reports(self) -> int:
        """How many current reports the database holds (any filter aside)."""
        return self.data.report_count

    @property
    def reports(self) -> int:
        """How many reports the filters keep."""
        return int(self.get(QUALITY_OVERVIEW)["reports"][0])

    def get(self, spec: ViewSpec[P], *args: P.args, **kwargs: P.kwargs) -> pl.DataFrame:
        """A view's result for these filters, cached per data version, filters (as the view sees them) and arguments."""
        state = spec.state(self.filters).model_dump_json()
        return _cached_view(spec.name, self.version, state, args, tuple(sorted(kwargs.items())))


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_view(
    name: str, version: int, filters_json: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]
) -> pl.DataFrame:
    return REGISTRY[name].compute(prepared(version), FilterState.model_validate_json(filters_json), *args, **dict(kwargs))


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
