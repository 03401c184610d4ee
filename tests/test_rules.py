"""The arithmetic rules: each passes on a consistent table and fails where broken.

The rules are derived from the template, so bumping one cell by k must fire
exactly the rules that read it (its row total, its column's disposition total
or balance), each with difference ±k, and nothing else.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

import pytest

from gip_data.schema.record import CaseOutcomes, ProactiveItem
from gip_data.schema.template import APPLICANT_COLUMNS, DISPOSITION_LEAVES
from gip_data.validate.rules import RULE_CATALOGUE, check_tables, soft_checks
from tests.conftest import DATA


@dataclass
class Tables:
    applications: dict[str, list[int] | None]
    review: CaseOutcomes | None = None
    litigation_direct: CaseOutcomes | None = None
    litigation_after_review: CaseOutcomes | None = None
    proactive: list[ProactiveItem] = field(default_factory=list)


def _consistent(edition: str = "edition2021_split") -> Tables:
    truth = json.loads((DATA / "layouts" / f"{edition}.expected.json").read_text(encoding="utf-8"))
    return Tables(
        applications=truth["applications"],
        review=CaseOutcomes(**truth["review"]),
        litigation_direct=CaseOutcomes(**truth["litigation_direct"]),
        litigation_after_review=CaseOutcomes(**truth["litigation_after_review"]),
    )


def _failed(tables: Tables) -> list[tuple[str, str | None, str | None, int]]:
    return sorted(
        (c.code, c.row, c.column, (c.found or 0) - (c.expected or 0)) for c in check_tables(tables) if not c.holds
    )


@pytest.mark.parametrize("edition", ["edition2021_split", "concatenated_digits"])
def test_consistent_tables_pass_every_rule(edition: str) -> None:
    checks = check_tables(_consistent(edition))
    assert checks and all(c.holds for c in checks)
    assert {c.code for c in checks} == {
        "balance",
        "disposition-total",
        "row-total",
        "review-total",
        "litigation-direct-total",
        "litigation-after-review-total",
    }


def test_every_code_is_in_the_catalogue() -> None:
    codes = {c.code for c in check_tables(_consistent())}
    assert codes <= set(RULE_CATALOGUE)
    assert all(info.name and info.description for info in RULE_CATALOGUE.values())


LEAF_ROWS = [k for k in DISPOSITION_LEAVES if k in _consistent().applications]


@pytest.mark.parametrize("row", LEAF_ROWS)
@pytest.mark.parametrize("column", ["natural_person", "legal_service"])
def test_bumping_a_disposition_leaf_fires_its_ancestors(row: str, column: str) -> None:
    tables = _consistent()
    tables.applications = copy.deepcopy(tables.applications)
    tables.applications[row][APPLICANT_COLUMNS.index(column)] += 3  # type: ignore[index]
    assert _failed(tables) == sorted([("row-total", row, "total", -3), ("disposition-total", "total", column, -3)])


@pytest.mark.parametrize("row", ["new_received", "carried_over", "carried_forward"])
def test_bumping_a_flow_row_breaks_balance_and_row_total(row: str) -> None:
    tables = _consistent()
    tables.applications = copy.deepcopy(tables.applications)
    tables.applications[row][0] += 2  # type: ignore[index]
    sign = 2 if row != "carried_forward" else -2
    assert _failed(tables) == sorted([("row-total", row, "total", -2), ("balance", None, "natural_person", sign)])


def test_bumping_a_row_total_cell_fires_row_and_column_rules() -> None:
    tables = _consistent()
    tables.applications = copy.deepcopy(tables.applications)
    tables.applications["total"][6] += 1  # type: ignore[index]
    assert _failed(tables) == sorted(
        [("row-total", "total", "total", 1), ("disposition-total", "total", "total", 1), ("balance", None, "total", -1)]
    )


@pytest.mark.parametrize("block", ["review", "litigation_direct", "litigation_after_review"])
@pytest.mark.parametrize("outcome", ["upheld", "pending"])
def test_table_four_block_rules(block: str, outcome: str) -> None:
    tables = _consistent()
    outcomes = getattr(tables, block).model_copy()
    setattr(outcomes, outcome, getattr(outcomes, outcome) + 4)
    setattr(tables, block, outcomes)
    assert _failed(tables) == [(f"{block.replace('_', '-')}-total", block, "total", -4)]


def test_missing_row_cannot_be_checked() -> None:
    tables = _consistent()
    tables.applications = dict(tables.applications, granted=None)
    failed = [c for c in check_tables(tables) if not c.holds]
    assert failed and all(c.found is None and "无法核对" in c.message for c in failed)
    assert {c.code for c in failed} == {"row-total", "disposition-total"}


def test_messages_are_chinese_and_name_the_difference() -> None:
    tables = _consistent()
    tables.review = CaseOutcomes(upheld=2, corrected=1, total=0)
    message = next(c.message for c in check_tables(tables) if not c.holds)
    assert "行政复议" in message and "应为 3" in message and "差 -3" in message


def test_soft_check_on_table_two() -> None:
    item = ProactiveItem(
        item="第二十条第（一）项",
        label="规范性文件",
        columns=["本年新制作数量", "本年新公开数量", "对外公开总数量"],
        values=[144, 99, 108],
    )
    bad = ProactiveItem(item=item.item, label="规章", columns=item.columns, values=[5, 9, 3])
    tables = Tables(applications={}, proactive=[item, bad])
    assert [c.holds for c in soft_checks(tables)] == [True, False]
    assert check_tables(tables) == []  # soft checks never join the hard ones
