"""Shared fixtures: the seed reports (tests/data/seeds), the seed reports as records and as a wide frame."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from gip_data.frames import records_to_wide
from gip_data.schema.record import AnnualReport
from tests.paths import DATA, FIXTURES, REAL, ROOT, SEEDS

__all__ = ["DATA", "FIXTURES", "REAL", "ROOT", "SEEDS"]


def seed_reports() -> list[tuple[Path, AnnualReport]]:
    """Each seed report's text file with its expected record, in file order."""
    out = []
    for path in sorted(SEEDS.glob("*.expected.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("notes", None)  # the truth files' comment for humans, not a record field
        out.append((path.with_name(path.name.replace(".expected.json", ".txt")), AnnualReport.model_validate(data)))
    return out


@pytest.fixture(scope="session")
def seeds_wide() -> pl.DataFrame:
    """The five seed reports as the wide frame (one row per report, in file order).

    The truth files leave table 2 out although the seeds print it, so no table
    counts as missing here, as in a stored parse of the seeds.
    """
    return records_to_wide([record for _, record in seed_reports()], missing_tables=0)
