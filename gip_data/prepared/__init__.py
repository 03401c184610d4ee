"""The dashboard's data prepared once per data version, so that any view costs milliseconds on 1,000,000 reports.

A view never scans every report when a smaller structure answers exactly
(:class:`Prepared` lists them). Additive views read the cube; views that need
the reports read the filtered reports or an exact index of them
(:mod:`gip_data.prepared.fast`). :func:`prepare` builds everything from the
wide frame; :func:`apply_delta` brings it to a newer data version from the
changed reports alone. No Streamlit here: the app keeps one :class:`Prepared`
and caches view results per data version.
"""

import os

import polars as pl

from gip_data.prepared.build import prepare
from gip_data.prepared.core import MEMO_ENTRIES, Prepared, Slot
from gip_data.prepared.delta import apply_delta

# Polars 2 runs lazy queries on its streaming engine unless told otherwise. Views are many small queries (a page
# computes ~10 over prepared tables of thousands of rows or a few hundred gathered reports), where the streaming
# engine's start-up costs more than the work: at 1M reports bench/dashboard.py measured the p95 of the 对比 and
# 年报质量 pages at 35.9 and 38.5 ms in memory against 51.5 and 49.8 ms streaming, and preparation as fast.
# The process-wide choice is made where the dashboard's data is, so the parse workers (which never import this)
# do not load Polars. An engine set in the environment is kept.
if "POLARS_ENGINE_AFFINITY" not in os.environ:
    pl.Config.set_engine_affinity("in-memory")

__all__ = ["MEMO_ENTRIES", "Prepared", "Slot", "apply_delta", "prepare"]
