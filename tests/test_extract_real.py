"""Every real text report of the development set parses to its hand-read truth.

tests/data/real/ holds published reports as found, with truth read by hand
(see its README). These tests pin the text ones (the PDFs are the PDF reader's):
every cell of tables 3 and 4, the template and the year. The parser is not
tuned to these files (other real reports judge it); they guard the mechanisms
their features exercise.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gip_data.parse import parse_file
from tests.paths import REAL

TEXT = sorted(p for p in REAL.iterdir() if p.suffix in {".txt", ".md"} and p.name != "README.md")
CASES = ("review", "litigation_direct", "litigation_after_review")
SUB_ROWS = ("other_overdue_correction", "other_unpaid_fee", "other_misc")


def _truth(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.with_name(path.stem + ".truth.json").read_text(encoding="utf-8"))


def test_the_text_reports_are_all_here() -> None:
    assert len(TEXT) == 6


@pytest.mark.parametrize("path", TEXT, ids=[p.name for p in TEXT])
def test_real_report_cells_template_and_year(path: Path) -> None:
    truth = _truth(path)
    record = parse_file(path).model_dump(mode="json")
    applications = dict(record["applications"])
    if "other" in truth["applications"] and "other" not in applications:
        applications["other"] = [sum(applications[k][i] for k in SUB_ROWS) for i in range(7)]
    for row, cells in truth["applications"].items():
        assert applications.get(row) == cells, row
    for block in CASES:
        assert record[block] == truth[block], block
    assert record["template"] == truth["template"]
    assert record["year"] == truth["year"]
