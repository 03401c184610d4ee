"""The library's core must not import streamlit: only gip_data.ui, app.py and pages/ do."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "gip_data",
    "gip_data.parse",
    "gip_data.cli",
    "gip_data.frames",
    "gip_data.schema.record",
    "gip_data.metrics",
    "gip_data.charts",
    "gip_data.prepared",
    "gip_data.storage",
    "gip_data.sandbox",
    "gip_data.auth",
    "gip_data.layout",
    "gip_data.corrections",
    "gip_data.review",
    "gip_data.review_queue",
    "gip_data.sourceview",
    "gip_data.isolated",
    "gip_data.manual",
    "gip_data.ui.printed",
]


def test_core_does_not_import_streamlit() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "assert 'streamlit' not in sys.modules, 'core imported streamlit'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
