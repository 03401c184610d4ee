"""Staff corrections of table cells (人工更正) and numbers typed by hand (人工录入), as records.

Staff edit the printed-layout grid; the grid gives every cell's value
(:data:`~gip_data.layout.CellKey` → int or None). :func:`apply_cells` turns
that into the corrected record: the cells staff changed are listed in
``corrections`` (the value the parser gave and the new one; a cell changed
back to its parsed value is no correction any more), the rules are checked
again, a repair or assumed zero of a changed cell is dropped (a person read
it now). A row or table-4 block is all known or all unknown: a blank left in
a row that has other numbers is taken as 0 and marked as an assumed zero, as
the parser does; a row left wholly blank stays unknown.

:func:`manual_record` builds a record from numbers typed for a file in which
no standard table was found; its ``source.reading`` is
:data:`~gip_data.schema.record.MANUAL_READING`. :func:`keep_corrections`
puts staff numbers back on top of a later re-parse, so a re-parse never undoes
a correction. Nothing here writes: the store saves the result as a new version.
"""

from __future__ import annotations

from collections.abc import Mapping

from gip_data.layout import (
    CellKey,
    cell_label,
    cell_value,
    cell_values,
    columns_of,
    record_table3,
    table3_layout,
)
from gip_data.schema.meta import ReportMeta
from gip_data.schema.record import (
    MANUAL_READING,
    AnnualReport,
    CaseOutcomes,
    CellCorrection,
    CellRef,
    Edition,
    SourceInfo,
)
from gip_data.schema.template import CASE_BLOCKS, OUTCOMES
from gip_data.validate.rules import check_tables

CellValues = Mapping[CellKey, int | None]


def _row_values(
    keys: list[CellKey], values: CellValues, record: AnnualReport
) -> tuple[list[int] | None, list[CellKey]]:
    """One row's new values (None when all blank) and the blank cells taken as 0."""
    new = [values.get(k, cell_value(record, k)) for k in keys]
    if all(v is None for v in new):
        return None, []
    zeros = [k for k, v in zip(keys, new, strict=True) if v is None]
    return [0 if v is None else int(v) for v in new], zeros


def _staff_changes(record: AnnualReport, values: CellValues) -> dict[CellKey, int | None]:
    """The cells whose value staff changed (a blank in place of an unknown is no change)."""
    old = cell_values(record)
    return {k: v for k, v in values.items() if k in old and v != old[k]}


def apply_cells(record: AnnualReport, values: CellValues) -> AnnualReport:
    """The record with the grid's ``values`` (see the module docstring); the rules checked again."""
    changed = _staff_changes(record, values)
    applications: dict[str, list[int] | None] = {}
    blank: list[CellKey] = []
    for row in record_table3(record):
        keys: list[CellKey] = [(3, row.key, c) for c in columns_of(3)]
        if row.key in record.applications or any(k in changed for k in keys):
            applications[row.key], zeros = _row_values(keys, values, record)
            blank += zeros
    applications.update({k: v for k, v in record.applications.items() if k not in applications})
    blocks: dict[str, CaseOutcomes | None] = {}
    for block in CASE_BLOCKS:
        numbers, zeros = _row_values([(4, block, o) for o in OUTCOMES], values, record)
        blocks[block] = None if numbers is None else CaseOutcomes(**dict(zip(OUTCOMES, numbers, strict=True)))
        blank += zeros
    fixed = record.model_copy(update={"applications": applications, **blocks})
    final = cell_values(fixed)
    corrections = _merge_corrections(record, {k: final.get(k) for k in changed})
    corrected = {(c.table, c.row, c.column) for c in corrections}
    staff = corrected | set(changed)
    assumed = [z for z in record.assumed_zero if (z.table, z.row, z.column) not in staff]
    assumed += [CellRef(table=t, row=r, column=c) for t, r, c in blank if (t, r, c) not in staff]
    fixed = fixed.model_copy(update={
        "corrections": corrections,
        "repairs": [r for r in record.repairs if (r.table, r.row, r.column) not in staff],
        "assumed_zero": _unique(assumed),
    })
    checks = [c.model_dump() for c in check_tables(fixed)]
    return AnnualReport.model_validate({**fixed.model_dump(), "checks": checks})


def _unique(refs: list[CellRef]) -> list[CellRef]:
    seen: set[tuple[int, str, str]] = set()
    out = []
    for ref in refs:
        if (ref.table, ref.row, ref.column) not in seen:
            seen.add((ref.table, ref.row, ref.column))
            out.append(ref)
    return out


def _merge_corrections(record: AnnualReport, new_values: Mapping[CellKey, int | None]) -> list[CellCorrection]:
    """The record's corrections with these changes added; a cell back at its parsed value drops out."""
    merged = {(c.table, c.row, c.column): c for c in record.corrections}
    for (table, row, column), value in new_values.items():
        before = merged.get((table, row, column))
        parsed = before.parsed if before is not None else cell_value(record, (table, row, column))
        if value == parsed:
            merged.pop((table, row, column), None)
        else:
            merged[(table, row, column)] = CellCorrection(table=table, row=row, column=column, parsed=parsed,
                                                         value=value)
    return list(merged.values())


def changes(record: AnnualReport, values: CellValues) -> list[tuple[CellKey, int | None, int | None]]:
    """(cell, old, new) for every cell the grid changes, in print order."""
    old = cell_values(record)
    return [(k, old[k], v) for k, v in _staff_changes(record, values).items()]


def _shown(value: int | None) -> str:
    return "空" if value is None else str(value)


def describe_changes(record: AnnualReport, values: CellValues) -> str:
    """The changes in words for the audit: ``表三·（一）予以公开·自然人：3 → 4；…``."""
    return "；".join(f"{cell_label(k)}：{_shown(a)} → {_shown(b)}" for k, a, b in changes(record, values))


def empty_values(template: Edition) -> dict[CellKey, int | None]:
    """Every cell of an edition's printed tables, blank (the manual-entry grid)."""
    rows = table3_layout(template == 2021)
    cells: dict[CellKey, int | None] = {(3, r.key, c): None for r in rows for c in columns_of(3)}
    cells.update({(4, b, o): None for b in CASE_BLOCKS for o in OUTCOMES})
    return cells


def manual_record(meta: ReportMeta, template: Edition, values: CellValues, source: SourceInfo) -> AnnualReport:
    """The checked record of numbers staff typed from a document (source reading :data:`MANUAL_READING`)."""
    rows = table3_layout(template == 2021)
    blank = AnnualReport(
        **meta.meta_values(),
        template=template,
        applications={r.key: None for r in rows},
        source=source.model_copy(update={"reading": MANUAL_READING}),
    )
    typed = apply_cells(blank, values)
    # Typed numbers are the record's numbers, not corrections of a parse that found none.
    return typed.model_copy(update={"corrections": []})


def keep_corrections(parsed: AnnualReport, stored: AnnualReport) -> AnnualReport:
    """A fresh parse with the stored record's staff numbers put back (its corrections, or all typed cells).

    Where the new parse already reads a corrected cell as staff set it, the
    correction is no longer needed and drops out.
    """
    staff: dict[CellKey, int | None]
    if stored.manual_entry:
        staff = {k: v for k, v in cell_values(stored).items() if v is not None}
    else:
        staff = {(c.table, c.row, c.column): c.value for c in stored.corrections}
    if not staff:
        return parsed
    return apply_cells(parsed, staff)
