"""The folders of test data, named once (see tests/data/README.md for where each came from)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SEEDS = DATA / "seeds"
FIXTURES = DATA / "fixtures"
REAL = DATA / "real"
TEXT_LAYOUTS = DATA / "textlayouts"
TRACE = DATA / "trace"  # report-page and upload-preview fixtures (tests/data/trace/make_trace.py)
