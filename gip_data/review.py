"""What in one record needs a person: the cells the review queue counts and the report page points at.

A report needs review when a rule fails, when a cell could not be read
(unknown), when a blank taken as 0 stands inside a total that is not 0 (the
blank may be a lost number the total still counts), when OCR was unsure of a
digit, or when the narrative states a number the table contradicts (the
年报质量 scorecard's ``narrative`` check, :mod:`gip_data.quality.checks`).
The counts per record are stored as columns of the report
(:class:`gip_data.schema.columns.ReportRow`), so the queue is a filter over the
wide frame; the cells themselves are listed here for the report page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gip_data.layout import CellKey
from gip_data.schema.record import AnnualReport, CellRef, CellSource
from gip_data.schema.template import APPLICANT_COLUMNS, CASE_BLOCKS, OUTCOMES
from gip_data.validate.constraints import application_constraints, case_constraints
from gip_data.validate.rules import tables_to_cells

# An OCR confidence below this (for any digit of the cell) asks a person to look at the cell.
LOW_CONFIDENCE = 0.8


def unknown_cells(record: AnnualReport) -> list[CellRef]:
    """Cells whose value could not be read: every cell of a table-3 row or table-4 block that is null.

    A table the report lacks altogether is counted as a missing table, not here:
    table 4's blocks count only when the table has at least one block.
    """
    refs = [
        CellRef(table=3, row=row, column=column)
        for row, values in record.applications.items()
        if values is None
        for column in APPLICANT_COLUMNS
    ]
    blocks = [getattr(record, block) for block in CASE_BLOCKS]
    if any(b is not None for b in blocks):
        refs += [
            CellRef(table=4, row=block, column=outcome)
            for block, values in zip(CASE_BLOCKS, blocks, strict=True)
            if values is None
            for outcome in OUTCOMES
        ]
    return refs


def assumed_in_total(record: AnnualReport) -> list[CellRef]:
    """Blank cells taken as 0 that are a part of a printed total which is not 0.

    Under a total of 0 every part must be 0, so such a blank is certain; under
    a non-zero total the blank may be a number the print lost, which the rules
    only catch when the other parts happen to miss it.
    """
    if not record.assumed_zero:
        return []
    cells = tables_to_cells(record)
    rules = application_constraints(record.applications.keys()) + case_constraints()
    nonzero_parts = {
        part
        for rule in rules
        if len(rule.found) == 1 and (cells.get(rule.found[0]) or 0) > 0
        for part in rule.expected
    }
    return [ref for ref in record.assumed_zero if (ref.row, ref.column) in nonzero_parts]


def low_confidence(record: AnnualReport) -> list[CellSource]:
    """The cells whose source OCR read with a confidence under :data:`LOW_CONFIDENCE`."""
    return [
        s for s in record.provenance if s.source.confidence is not None and s.source.confidence < LOW_CONFIDENCE
    ]


@dataclass(frozen=True, slots=True)
class ReviewCounts:
    """The per-record counts stored with each report (columns of the wide frame and the export)."""

    unknown_cells: int
    assumed_in_total: int
    low_confidence_cells: int
    corrected_cells: int
    manual_entry: bool


def review_counts(record: AnnualReport) -> ReviewCounts:
    """The counts of :class:`ReviewCounts` for one record."""
    return ReviewCounts(
        unknown_cells=len(unknown_cells(record)),
        assumed_in_total=len(assumed_in_total(record)),
        low_confidence_cells=len(low_confidence(record)),
        corrected_cells=len(record.corrections),
        manual_entry=record.manual_entry,
    )


# -- what the report page points at -----------------------------------------------------------------------------

ProblemKind = Literal["failed", "unknown", "assumed", "unsure", "narrative"]
PROBLEM_LABELS: dict[str, str] = {
    "failed": "勾稽关系不成立",
    "unknown": "有未读出的数",
    "assumed": "空白按0处理而所在合计不为0",
    "unsure": "OCR 识别存疑",
    "narrative": "正文所述件数与表格不符",
}
# The report column that counts (or flags) each kind: the narrative one is the 年报质量 scorecard's indicator,
# a column of the prepared data (gip_data.quality.derive).
PROBLEM_COLUMNS: dict[str, str] = {
    "failed": "failed_checks",
    "unknown": "unknown_cells",
    "assumed": "assumed_in_total",
    "unsure": "low_confidence_cells",
    "narrative": "narrative_fail",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One kind of problem of a record: how many, and the first cell to look at (None when no cell shows it)."""

    kind: ProblemKind
    count: int
    cell: CellKey | None

    @property
    def text(self) -> str:
        """The problem in words: ``勾稽关系不成立（3 处）``."""
        unit = "条" if self.kind == "failed" else "个"
        return f"{PROBLEM_LABELS[self.kind]}（{self.count} {unit}）"


def _ref_key(ref: CellRef) -> CellKey:
    return ref.table, ref.row, ref.column


def _first_failing_cell(record: AnnualReport) -> CellKey | None:
    rules = application_constraints(record.applications.keys()) + case_constraints()
    by_place = {(r.code, r.row, r.column): r for r in rules}
    for check in record.failed_checks:
        rule = by_place.get((check.code, check.row, check.column))
        if rule is not None:
            row, column = rule.found[0]
            return (4 if rule.table == 4 else 3), row, column
    return None


def problems(record: AnnualReport) -> list[Problem]:
    """What in this record needs a person, most urgent first, each with the cell to open it at."""
    out: list[Problem] = []
    if record.failed_checks:
        out.append(Problem("failed", len(record.failed_checks), _first_failing_cell(record)))
    cell_problems: tuple[tuple[ProblemKind, list[CellRef]], ...] = (
        ("unknown", unknown_cells(record)), ("assumed", assumed_in_total(record)))
    for kind, refs in cell_problems:
        if refs:
            out.append(Problem(kind, len(refs), _ref_key(refs[0])))
    unsure = low_confidence(record)
    if unsure:
        out.append(Problem("unsure", len(unsure), (unsure[0].table, unsure[0].row, unsure[0].column)))
    return out
