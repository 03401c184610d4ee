"""The printed layout of tables 3 and 4, derived from the template: row tree, cell addresses and labels.

The template (:mod:`gip_data.schema.template`) declares each table-3 row with
its own label and the merged label of its group (（三）不予公开 …); groups nest
by print order: a group whose rows all stand between the first and the last
row of another group is printed inside it (（三）不予公开 inside
三、本年度办理结果). Table 4's blocks stand under their declared group headers
(行政复议; 行政诉讼 → 未经复议直接起诉, 复议后起诉). From this, every view that
shows a report as printed (the report page, the upload preview, the correction
and manual-entry grids) lays its rows out the same way, and every message
names a cell with the template's words, never with a key.

A cell is addressed by :data:`CellKey` ``(table, row, column)``, written
``3:granted:total`` in links and on the command line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from gip_data.schema.record import AnnualReport, CaseOutcomes, TableNumber
from gip_data.schema.template import (
    APPLICANT_COLUMN_LABELS,
    APPLICANT_COLUMNS,
    CASE_BLOCK_GROUPS,
    CASE_BLOCK_LABELS,
    CASE_BLOCKS,
    OUTCOME_LABELS,
    OUTCOMES,
    ROW_BY_KEY,
    TABLE_TITLES,
    Row,
    application_rows,
)

CellKey = tuple[TableNumber, str, str]  # (table 3 or 4, row key or table-4 block, column or outcome)
TABLE_NUMERALS = {2: "二", 3: "三", 4: "四"}


@dataclass(frozen=True, slots=True)
class LayoutRow:
    """One printed row: its key, its own label and the labels of the groups it stands in.

    ``path`` holds the group labels outermost first; ``opens`` says, per group,
    whether this row is the group's first (where the merged label is printed).
    """

    key: str
    label: str
    path: tuple[str, ...] = ()
    opens: tuple[bool, ...] = ()


def group_parents(rows: Sequence[Row]) -> dict[str, str]:
    """Each group label's enclosing group, by print order (see the module docstring)."""
    spans: dict[str, tuple[int, int]] = {}
    for i, row in enumerate(rows):
        if row.group is not None:
            first, _ = spans.get(row.group, (i, i))
            spans[row.group] = (first, i)
    parents: dict[str, str] = {}
    for inner, (first, last) in spans.items():
        around = [
            (end - start, outer)
            for outer, (start, end) in spans.items()
            if outer != inner and start < first and last < end
        ]
        if around:
            parents[inner] = min(around)[1]  # the tightest enclosing group
    return parents


def _layout(keyed: Sequence[tuple[str, str, str | None]], parents: Mapping[str, str]) -> tuple[LayoutRow, ...]:
    """Rows given as (key, label, group) with the group chain of each and where each group opens."""
    out: list[LayoutRow] = []
    seen: set[str] = set()
    for key, label, group in keyed:
        path: list[str] = []
        while group is not None:
            path.insert(0, group)
            group = parents.get(group)
        opens = tuple(g not in seen for g in path)
        seen.update(path)
        out.append(LayoutRow(key, label, tuple(path), opens))
    return tuple(out)


def split_other(template: int, applications: Mapping[str, object]) -> bool:
    """Whether table 3 prints （六） as its three 2021 rows: the record's rows say, else its edition."""
    if any(key.startswith("other_") for key in applications):
        return True
    if "other" in applications:
        return False
    return template == 2021


def table3_layout(split: bool) -> tuple[LayoutRow, ...]:
    """Table 3's rows in print order with their group chains."""
    rows = application_rows(split)
    return _layout([(r.key, r.label, r.group) for r in rows], group_parents(rows))


def table4_layout() -> tuple[LayoutRow, ...]:
    """Table 4's blocks in print order under their group headers."""
    keyed = [(block, CASE_BLOCK_LABELS[block], group) for group, blocks in CASE_BLOCK_GROUPS for block in blocks]
    return _layout(keyed, {})


def record_table3(record: AnnualReport) -> tuple[LayoutRow, ...]:
    """The table-3 rows this record's edition prints."""
    return table3_layout(split_other(record.template, record.applications))


def columns_of(table: int) -> tuple[str, ...]:
    """The column keys of table 3 (applicants) or table 4 (outcomes), in print order."""
    return APPLICANT_COLUMNS if table == 3 else OUTCOMES


def column_label(table: int, column: str) -> str:
    """A column's printed label."""
    return (APPLICANT_COLUMN_LABELS if table == 3 else OUTCOME_LABELS)[column]


def row_label(table: int, row: str) -> str:
    """A row's label with its inner group (（三）不予公开1.属于国家秘密), as a cell's name needs it."""
    if table == 4:
        return CASE_BLOCK_LABELS[row]
    spec = ROW_BY_KEY[row]
    inner = spec.group if spec.group and spec.group.startswith("（") else ""
    return f"{inner}{spec.label}"


def table_name(table: int) -> str:
    """表三 / 表四."""
    return f"表{TABLE_NUMERALS[table]}"


def cell_label(key: CellKey) -> str:
    """The cell in words: ``表三·（一）予以公开·自然人``."""
    table, row, column = key
    return f"{table_name(table)}·{row_label(table, row)}·{column_label(table, column)}"


def table_title(table: int) -> str:
    """The printed heading of table 2, 3 or 4."""
    return TABLE_TITLES[table]


def format_address(key: CellKey) -> str:
    """``3:granted:total``: a cell's address in links."""
    return f"{key[0]}:{key[1]}:{key[2]}"


def parse_address(text: str) -> CellKey | None:
    """The cell of ``3:granted:total``; None unless it names a real cell of table 3 or 4."""
    table, _, rest = text.partition(":")
    row, _, column = rest.partition(":")
    if table == "3" and row in ROW_BY_KEY and column in APPLICANT_COLUMNS:
        return 3, row, column
    if table == "4" and row in CASE_BLOCKS and column in OUTCOMES:
        return 4, row, column
    return None


def cell_values(record: AnnualReport) -> dict[CellKey, int | None]:
    """Every cell the record's tables print (table 3 in its edition's rows, all of table 4); None = unknown."""
    cells: dict[CellKey, int | None] = {}
    for row in record_table3(record):
        values = record.applications.get(row.key)
        for i, column in enumerate(APPLICANT_COLUMNS):
            cells[(3, row.key, column)] = None if values is None else values[i]
    for block in CASE_BLOCKS:
        outcomes: CaseOutcomes | None = getattr(record, block)
        for outcome in OUTCOMES:
            cells[(4, block, outcome)] = None if outcomes is None else getattr(outcomes, outcome)
    return cells


def cell_value(record: AnnualReport, key: CellKey) -> int | None:
    """One cell's value (None where it is unknown or the edition has no such row)."""
    table, row, column = key
    if table == 3:
        values = record.applications.get(row)
        return None if values is None else values[APPLICANT_COLUMNS.index(column)]
    outcomes: CaseOutcomes | None = getattr(record, row, None)
    return None if outcomes is None else getattr(outcomes, column)
