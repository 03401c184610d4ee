"""The hard arithmetic rules of tables 3 and 4, derived from the template data.

Each rule instance is a :class:`Constraint`: the sum of the ``found`` cells (the
printed total side) must equal the sum of the ``expected`` cells (the parts).
The same list drives the validator (:mod:`gip_data.validate.rules`) and the
decoder that fills blank or lost cells (:mod:`gip_data.extract.decode`), so a
rule is declared once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from gip_data.schema.template import (
    APPLICANT_COLUMNS,
    CASE_BLOCKS,
    DISPOSITION_LEAVES,
    OUTCOMES,
)

Cell = tuple[str, str]  # (row key or table-4 block, column or outcome)

# Rule 1 (balance): 一 + 二 = （七） + 四, the note printed in table 3's header.
BALANCE_INFLOW: tuple[str, ...] = ("new_received", "carried_over")
BALANCE_OUTFLOW: tuple[str, ...] = ("total", "carried_forward")
TOTAL_ROW = "total"
TOTAL_COLUMN = APPLICANT_COLUMNS[-1]
TOTAL_OUTCOME = OUTCOMES[-1]


@dataclass(frozen=True, slots=True)
class Constraint:
    """One rule at one place: sum(found) must equal sum(expected)."""

    code: str
    table: Literal[3, 4]
    row: str | None
    column: str | None
    found: tuple[Cell, ...]
    expected: tuple[Cell, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        """Every cell the rule reads."""
        return self.found + self.expected


def case_code(block: str) -> str:
    """The check code of a table-4 block rule, e.g. ``litigation-direct-total``."""
    return f"{block.replace('_', '-')}-total"


def application_constraints(row_keys: Iterable[str]) -> list[Constraint]:
    """Rules 1–3 for a table 3 holding ``row_keys`` (either edition)."""
    keys = list(row_keys)
    present = set(keys)
    rules: list[Constraint] = []
    for row in keys:
        parts = tuple((row, c) for c in APPLICANT_COLUMNS[:-1])
        rules.append(Constraint("row-total", 3, row, TOTAL_COLUMN, ((row, TOTAL_COLUMN),), parts))
    leaves = [leaf for leaf in DISPOSITION_LEAVES if leaf in present]
    for column in APPLICANT_COLUMNS:
        if TOTAL_ROW in present:
            parts = tuple((leaf, column) for leaf in leaves)
            rules.append(Constraint("disposition-total", 3, TOTAL_ROW, column, ((TOTAL_ROW, column),), parts))
        if present.issuperset(BALANCE_INFLOW + BALANCE_OUTFLOW):
            inflow = tuple((r, column) for r in BALANCE_INFLOW)
            outflow = tuple((r, column) for r in BALANCE_OUTFLOW)
            rules.append(Constraint("balance", 3, None, column, inflow, outflow))
    return rules


def case_constraints() -> list[Constraint]:
    """Rule 4: outcomes add up to 总计 in each block of table 4."""
    rules = []
    for block in CASE_BLOCKS:
        parts = tuple((block, o) for o in OUTCOMES[:-1])
        rules.append(Constraint(case_code(block), 4, block, TOTAL_OUTCOME, ((block, TOTAL_OUTCOME),), parts))
    return rules
