"""Text as real crawlers, PDF tools and converters write it parses to hand-written truth.

The fixtures in tests/data/textlayouts/ (written by make_text_layouts.py) carry
the features of the real development set's text files, never their text: cells
merged by irregular spaces, every cell run together, column layout with blank
cells and wrapped labels, a viewer's copy aligned in display cells, converter
markdown with table 3 split into blocks. Each must give every cell, and where
only one reading of the text can be right, that reading must win.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gip_data.parse import parse_file
from gip_data.readers.registry import read_readings
from tests.paths import TEXT_LAYOUTS

FIXTURES = sorted(p for p in TEXT_LAYOUTS.iterdir() if p.suffix in {".txt", ".md"})
CASES = ("review", "litigation_direct", "litigation_after_review")


def _expected(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


def test_every_feature_has_a_fixture() -> None:
    assert {p.stem for p in FIXTURES} >= {
        "crawler_spaces_2019",
        "crawler_run_2021",
        "layout_blanks",
        "viewer_copy",
        "converter_split",
    }


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_text_layout_parses_to_truth(path: Path) -> None:
    expected = _expected(path)
    record = parse_file(path)
    data = record.model_dump(mode="json")
    assert data["template"] == expected["template"]
    assert data["applications"] == expected["applications"]
    for block in CASES:
        assert data[block] == expected[block], block
    assert record.consistent, [c.message for c in record.failed_checks]
    if expected["reading"] is not None:
        assert record.source is not None and record.source.reading == expected["reading"]


def test_column_layout_needs_the_columns_reading() -> None:
    """Read as lines, blank cells leave rows short and the rules cannot place every number."""
    path = TEXT_LAYOUTS / "layout_blanks.txt"
    readings = [d.reading for d in read_readings(path.read_bytes(), path.name)]
    assert readings == ["lines", "columns"]
    record = parse_file(path)
    expected = _expected(path)["applications"]
    # A wrapped label that carries its numbers on a middle line, and one on its first line.
    assert record.applications["partially_granted"] == expected["partially_granted"]
    assert record.applications["other_unpaid_fee"] == expected["other_unpaid_fee"]


def test_run_together_rows_decided_by_the_column_totals() -> None:
    """"151000016" also reads 1/5/10/0/0/0/16; only the columns' totals say which."""
    record = parse_file(TEXT_LAYOUTS / "crawler_run_2021.txt")
    assert record.applications["granted"] == [15, 1, 0, 0, 0, 0, 16]
    assert record.applications["unable_not_held"] == [11, 0, 0, 0, 0, 2, 13]
    split = {(r.row, r.column) for r in record.repairs if "拆分" in r.reason}
    assert ("granted", "natural_person") in split


def test_rows_printed_without_values_are_forced_by_the_totals() -> None:
    record = parse_file(TEXT_LAYOUTS / "crawler_run_2021.txt")
    filled = {(r.row, r.column) for r in record.repairs if "空缺" in r.reason}
    assert ("other_unpaid_fee", "natural_person") in filled and ("other_misc", "total") in filled
    assert not record.assumed_zero


def test_a_row_that_lost_a_cell_is_read_with_it_restored() -> None:
    record = parse_file(TEXT_LAYOUTS / "crawler_spaces_2019.txt")
    assert record.applications["carried_forward"] == [0] * 7
    assert record.applications["new_received"] == _expected(TEXT_LAYOUTS / "crawler_spaces_2019.txt")[
        "applications"
    ]["new_received"]


def test_prose_that_names_row_keywords_is_not_the_table() -> None:
    record = parse_file(TEXT_LAYOUTS / "crawler_run_2021.txt")
    assert record.applications["partially_granted"] == [4, 0, 0, 0, 0, 0, 4]
    assert not record.warnings
