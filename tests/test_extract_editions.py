"""The template is declared once: a new edition is one more EditionSpec, nothing else.

A hypothetical 2031 edition adds a fourth sub-row to （六）其他处理. Declared here
(as it would be in gip_data/schema/template.py), it is found by the extractor,
its rules come from its rows' roles, and the checks place a broken sum on it.
The built-in editions still read as before beside it.
"""

from __future__ import annotations

import pytest

from gip_data.extract.tables import extract_tables
from gip_data.readers.document import Document, Line
from gip_data.schema.template import (
    EDITION_SPECS,
    EDITIONS,
    LAYOUT_SPLIT_OTHER,
    EditionSpec,
    Row,
    as_edition,
    edition_spec,
)
from gip_data.validate.constraints import application_constraints
from gip_data.validate.rules import check_tables

TRANSFERRED = Row("other_transferred", "4.转交其他行政机关处理", "（六）其他处理", keywords=("转交",))
_AT = [r.key for r in LAYOUT_SPLIT_OTHER].index("other_misc") + 1
LAYOUT_2031 = LAYOUT_SPLIT_OTHER[:_AT] + (TRANSFERRED,) + LAYOUT_SPLIT_OTHER[_AT:]
E2031 = EditionSpec(2031, "假想的2031版格式（测试用）", (LAYOUT_2031,), edition_spec(2021).proactive)
WITH_2031 = (*EDITION_SPECS, E2031)


def _table(rows: tuple[Row, ...], transferred: list[int]) -> dict[str, list[int]]:
    """A consistent table over ``rows``: one granted case, the extra row as given, (七) and 一 to match."""
    values = {r.key: [0] * 7 for r in rows}
    values["granted"] = [2, 0, 0, 0, 0, 0, 2]
    if "other_transferred" in values:
        values["other_transferred"] = transferred
    total = [sum(values[r.key][i] for r in rows if r.role == "disposition") for i in range(7)]
    values["total"] = total
    values["new_received"] = list(total)
    return values


def _document(rows: tuple[Row, ...], values: dict[str, list[int]]) -> Document:
    lines = [Line(["三、收到和处理政府信息公开申请情况"])]
    lines += [Line([row.label, *map(str, values[row.key])]) for row in rows]
    lines += [Line(["四、政府信息公开行政复议、行政诉讼情况"]), Line(["行政复议", *["0"] * 15])]
    return Document(format="txt", blocks=lines)


def test_a_declared_edition_is_found_and_read() -> None:
    values = _table(LAYOUT_2031, [1, 0, 0, 0, 0, 0, 1])
    tables = extract_tables(_document(LAYOUT_2031, values), editions=WITH_2031)
    assert tables.template == 2031
    assert tables.layout == LAYOUT_2031
    assert tables.applications == values
    assert all(check.holds for check in check_tables(tables))


def test_its_rules_come_from_the_rows_roles() -> None:
    rules = application_constraints(LAYOUT_2031)
    disposition = next(r for r in rules if r.code == "disposition-total" and r.column == "total")
    assert ("other_transferred", "total") in disposition.expected
    assert len([r for r in rules if r.code == "row-total"]) == len(LAYOUT_2031)


def test_the_checks_place_a_broken_sum_on_the_new_row() -> None:
    values = _table(LAYOUT_2031, [1, 0, 0, 0, 0, 0, 1])
    values["other_transferred"] = [1, 0, 0, 0, 0, 0, 2]  # printed wrong: 1 ≠ 2
    tables = extract_tables(_document(LAYOUT_2031, values), editions=WITH_2031)
    failed = [(c.code, c.row) for c in check_tables(tables) if not c.holds]
    assert ("row-total", "other_transferred") in failed
    assert tables.applications["other_transferred"] == [1, 0, 0, 0, 0, 0, 2], "a printed number is kept"


def test_the_built_in_editions_still_win_their_own_reports() -> None:
    values = _table(LAYOUT_SPLIT_OTHER, [])
    tables = extract_tables(_document(LAYOUT_SPLIT_OTHER, values), editions=WITH_2031)
    assert tables.template == 2021
    assert "other_transferred" not in tables.applications
    assert tables.applications == values


def test_a_record_takes_only_an_edition_its_type_knows() -> None:
    values = _table(LAYOUT_2031, [1, 0, 0, 0, 0, 0, 1])
    tables = extract_tables(_document(LAYOUT_2031, values), editions=WITH_2031)
    assert [as_edition(e) for e in EDITIONS] == list(EDITIONS)
    with pytest.raises(ValueError, match="2031"):  # extracted, but a record needs 2031 added to Edition first
        as_edition(tables.template)
