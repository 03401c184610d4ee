"""Layouts seen in real published reports parse to hand-written truth.

Each fixture in tests/data/layouts/ (written by make_layouts.py from tables
stated there by hand) prints a report in one layout of FORMATS.md; its
``.expected.json`` gives the tables, and ``failed_checks`` lists the rules the
printed numbers break (empty for consistent reports).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gip_data.parse import parse_file
from tests.conftest import DATA

LAYOUTS = DATA / "layouts"
FIXTURES = sorted(p for p in LAYOUTS.iterdir() if p.suffix in {".txt", ".html"})


def _expected(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


def test_every_layout_has_a_fixture() -> None:
    assert len(FIXTURES) >= 12


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_layout_parses_to_truth(path: Path) -> None:
    expected = _expected(path)
    record = parse_file(path).model_dump(mode="json")
    for key in ("template", "applications", "review", "litigation_direct", "litigation_after_review"):
        assert record[key] == expected[key], key


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_layout_checks_fail_only_where_the_source_is_wrong(path: Path) -> None:
    expected = sorted(_expected(path).get("failed_checks", []))
    record = parse_file(path)
    assert sorted([c.code, c.row, c.column] for c in record.failed_checks) == expected


def test_placeholders_become_repairs_or_assumed_zeros() -> None:
    record = parse_file(LAYOUTS / "placeholders.txt")
    repaired = {(r.row, r.column): r.value for r in record.repairs}
    assert repaired[("granted", "total")] == 9  # '—' in a row total, fixed by the row's cells
    assert ("review", "other") in {(r.row, r.column) for r in record.repairs}  # '无' fixed by the block sum
    assert all(r.value == 0 for r in record.repairs if r.row.startswith("withheld_state"))


def test_concatenated_digits_are_decoded_as_repairs() -> None:
    record = parse_file(LAYOUTS / "concatenated_digits.txt")
    split_rows = {r.row for r in record.repairs if "拆分" in r.reason}
    assert {"new_received", "unable_not_held", "total"} <= split_rows
    assert record.consistent


def test_html_blank_totals_are_computed() -> None:
    record = parse_file(LAYOUTS / "html_blank_total.html")
    totals = {r.row: r.value for r in record.repairs if r.column == "total"}
    assert totals["granted"] == 9
    assert totals["unable_not_held"] == 12


def test_source_errors_are_kept_as_printed() -> None:
    record = parse_file(LAYOUTS / "source_errors.txt")
    assert record.applications["granted"] == [10, 1, 0, 0, 0, 0, 11]
    assert record.review is not None and record.review.total == 0
    assert not record.repairs
    failed = {c.code: c for c in record.failed_checks}
    assert failed["disposition-total"].found == 26 and failed["disposition-total"].expected == 28
