"""Persistence of parsed reports (SQLite by default, PostgreSQL when configured).

``open_store()`` returns the :class:`~gip_data.storage.api.Store` for the
configured database (see :mod:`gip_data.settings`); ``load_frames(store)``
loads the current reports into the fixed-schema Polars frames of
:mod:`gip_data.frames`.
"""

from __future__ import annotations

from gip_data.settings import resolve_database_url
from gip_data.storage.api import AuditEntry, ImportOutcome, ReportSummary, SharedView, Store, StoredReport
from gip_data.storage.frames_io import load_frames, load_wide
from gip_data.storage.sql import SqlStore


def open_store(url: str | None = None) -> SqlStore:
    """The store for ``url`` (or the configured database), created and migrated on first use."""
    return SqlStore(resolve_database_url(url))


__all__ = [
    "AuditEntry",
    "ImportOutcome",
    "ReportSummary",
    "SharedView",
    "SqlStore",
    "Store",
    "StoredReport",
    "load_frames",
    "load_wide",
    "open_store",
]
