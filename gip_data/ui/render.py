"""Report tables laid out like the official template, with the cells that checks flag."""

from __future__ import annotations

import pandas as pd
import polars as pl

from gip_data.schema.record import AnnualReport
from gip_data.schema.template import (
    APPLICANT_COLUMN_LABELS,
    APPLICANT_COLUMNS,
    CASE_BLOCK_LABELS,
    CASE_BLOCKS,
    OUTCOME_LABELS,
    OUTCOMES,
    application_rows,
)

FLAG_COLORS = {"fail": "background-color: #ffcdd2", "repair": "background-color: #fff3c4", "zero": "background-color: #eceff1"}
FLAG_LABELS = {"fail": "红色：勾稽规则不成立", "repair": "黄色：空白或丢失、按规则补全", "zero": "灰色：空白、按0处理"}


def applications_frame(report: AnnualReport) -> pl.DataFrame:
    """Table 3 as printed: 项目 (parent / label) × the 7 applicant columns."""
    split = any(k.startswith("other_") and v is not None for k, v in report.applications.items())
    rows = []
    for row in application_rows(split):
        values = report.applications.get(row.key) or [None] * len(APPLICANT_COLUMNS)
        rows.append({"key": row.key, "分组": row.group or "", "项目": row.label,
                     **{APPLICANT_COLUMN_LABELS[c]: v for c, v in zip(APPLICANT_COLUMNS, values, strict=True)}})
    return pl.DataFrame(rows)


def cases_frame(report: AnnualReport) -> pl.DataFrame:
    """Table 4 as three rows (行政复议, 直接起诉, 复议后起诉) × the five outcomes."""
    rows = []
    for block in CASE_BLOCKS:
        outcomes = getattr(report, block)
        rows.append({"key": block, "项目": CASE_BLOCK_LABELS[block],
                     **{OUTCOME_LABELS[o]: getattr(outcomes, o) if outcomes else None for o in OUTCOMES}})
    return pl.DataFrame(rows)


def cell_flags(report: AnnualReport) -> dict[tuple[str, str], str]:
    """(row key, column key) → fail | repair | zero, failures winning."""
    flags: dict[tuple[str, str], str] = {}
    for ref in report.assumed_zero:
        flags[(ref.row, ref.column)] = "zero"
    for rep in report.repairs:
        flags[(rep.row, rep.column)] = "repair"
    for check in report.failed_checks:
        if check.row and check.column:
            flags[(check.row, check.column)] = "fail"
        elif check.row:
            for col in (*APPLICANT_COLUMNS, *OUTCOMES):
                flags[(check.row, col)] = "fail"
    return flags


def styled(frame: pl.DataFrame, flags: dict[tuple[str, str], str], columns: dict[str, str]) -> pd.io.formats.style.Styler:
    """A pandas Styler painting flagged cells; ``columns`` maps display label → column key."""
    pdf = frame.to_pandas().set_index("key")

    def paint(row: pd.Series) -> list[str]:
        return [FLAG_COLORS.get(flags.get((row.name, columns.get(c, "")), ""), "") for c in row.index]

    return pdf.style.apply(paint, axis=1).format(na_rep="—", precision=0)
