"""The hard arithmetic rules of tables 3 and 4, derived from the template data.

Each rule instance is a :class:`Constraint`: the sum of the ``found`` cells (the
printed total side) must equal the sum of the ``expected`` cells (the parts).
The same list drives the validator (:mod:`gip_data.validate.rules`) and the
decoder that fills blank or lost cells (:mod:`gip_data.extract.decode`), so a
rule is declared once. Which row plays which part comes from the rows' roles in
:mod:`gip_data.schema.template` (inflow, disposition, total, outflow), so a
table of any declared edition gets its rules without code here knowing it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gip_data.schema.template import (
    APPLICANT_COLUMNS,
    APPLICATION_TOTAL_COLUMN,
    CASE_BLOCKS,
    CASE_TOTAL_OUTCOME,
    OUTCOMES,
    ROW_BY_KEY,
    Row,
    TableNumber,
)

Cell = tuple[str, str]  # (row key or table-4 block, column or outcome)

TOTAL_COLUMN = APPLICATION_TOTAL_COLUMN
TOTAL_OUTCOME = CASE_TOTAL_OUTCOME


@dataclass(frozen=True, slots=True)
class Constraint:
    """One rule at one place: sum(found) must equal sum(expected)."""

    code: str
    table: TableNumber
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


def resolve_rows(rows: Iterable[Row | str]) -> list[Row]:
    """Rows given as declared :class:`Row` objects or as keys of the built-in editions."""
    return [row if isinstance(row, Row) else ROW_BY_KEY[row] for row in rows]


def application_constraints(rows: Iterable[Row | str]) -> list[Constraint]:
    """Rules 1–3 for a table 3 holding ``rows`` (rows or keys, any declared edition).

    Rule 3 (row total) holds in every row; rule 2 makes the ``total`` row the sum
    of the ``disposition`` rows; rule 1 balances ``inflow`` against ``total`` plus
    ``outflow``, in every column.
    """
    present = resolve_rows(rows)
    by_role = {role: [r.key for r in present if r.role == role] for role in ("inflow", "disposition", "total", "outflow")}
    parts_columns = [c for c in APPLICANT_COLUMNS if c != TOTAL_COLUMN]
    rules: list[Constraint] = []
    for row in present:
        parts = tuple((row.key, c) for c in parts_columns)
        rules.append(Constraint("row-total", 3, row.key, TOTAL_COLUMN, ((row.key, TOTAL_COLUMN),), parts))
    totals = by_role["total"]
    balanced = bool(by_role["inflow"] and totals and by_role["outflow"])
    for column in APPLICANT_COLUMNS:
        for total in totals:
            parts = tuple((leaf, column) for leaf in by_role["disposition"])
            rules.append(Constraint("disposition-total", 3, total, column, ((total, column),), parts))
        if balanced:
            inflow = tuple((r, column) for r in by_role["inflow"])
            outflow = tuple((r, column) for r in totals + by_role["outflow"])
            rules.append(Constraint("balance", 3, None, column, inflow, outflow))
    return rules


def case_constraints() -> list[Constraint]:
    """Rule 4: outcomes add up to 总计 in each block of table 4."""
    rules = []
    for block in CASE_BLOCKS:
        parts = tuple((block, o) for o in OUTCOMES if o != TOTAL_OUTCOME)
        rules.append(Constraint(case_code(block), 4, block, TOTAL_OUTCOME, ((block, TOTAL_OUTCOME),), parts))
    return rules
