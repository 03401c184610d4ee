"""Fixed-schema Polars frames over stored reports: the contract between storage and analysis.

The *wide* frame has one row per current report: metadata plus every cell of
tables 3 and 4 (``<row>__<column>``, Int32, null where the report's edition has no
such row or the row was undetermined), then the few facts of the text the 年报质量
checks read (``fact_*``, null for a report stored without facts). The *long* frames are derived from it by
pure functions, so metrics and charts never touch the database.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from gip_data.schema.columns import REPORT_COLUMNS, ReportRow
from gip_data.schema.facts import FACT_COLUMNS, fact_values
from gip_data.schema.meta import ColumnSpec
from gip_data.schema.record import AnnualReport
from gip_data.schema.template import (
    ALL_APPLICATION_ROWS,
    APPLICANT_COLUMNS,
    CASE_BLOCKS,
    DISPOSITION_GROUPS,
    OUTCOMES,
    case_column,
    cell_column,
)

_DTYPES: dict[str, pl.DataType] = {
    "string": pl.String(),
    "int32": pl.Int32(),
    "int64": pl.Int64(),
    "boolean": pl.Boolean(),
    "datetime": pl.Datetime("us", "UTC"),
}


def column_dtype(spec: ColumnSpec) -> pl.DataType:
    """The frame dtype of one catalogue column (an Enum of the field's Literal values, as text)."""
    if spec.facts.frame == "enum":
        return pl.Enum([str(value) for value in spec.choices])
    return _DTYPES[spec.facts.frame]


# One row per report: the metadata columns of schema.columns.ReportRow, in its order.
META_SCHEMA: dict[str, pl.DataType] = {name: column_dtype(spec) for name, spec in REPORT_COLUMNS.items()}
LEVEL_DTYPE = META_SCHEMA["level"]
BODY_DTYPE = META_SCHEMA["body"]
TEMPLATE_DTYPE = META_SCHEMA["template"]
DISPOSITION_DTYPE = pl.Enum(list(DISPOSITION_GROUPS))
REASON_DTYPE = pl.Enum([k for keys in DISPOSITION_GROUPS.values() for k in keys])
APPLICANT_DTYPE = pl.Enum(list(APPLICANT_COLUMNS[:-1]))
CASE_BLOCK_DTYPE = pl.Enum(list(CASE_BLOCKS))
OUTCOME_DTYPE = pl.Enum(list(OUTCOMES[:-1]))

CELL_COLUMNS: tuple[str, ...] = tuple(
    cell_column(row.key, col) for row in ALL_APPLICATION_ROWS for col in APPLICANT_COLUMNS
)
CASE_COLUMNS: tuple[str, ...] = tuple(case_column(b, o) for b in CASE_BLOCKS for o in OUTCOMES)
_FACT_DTYPES: dict[str, pl.DataType] = {
    "text": pl.String(), "integer": pl.Int32(), "boolean": pl.Boolean(), "date": pl.Date(), "binary": pl.Binary(),
}
# The facts the 年报质量 checks read (gip_data.schema.facts.FACT_COLUMNS), after the cells; null without facts.
FACT_SCHEMA: dict[str, pl.DataType] = {name: _FACT_DTYPES[spec.kind] for name, spec in FACT_COLUMNS.items()}
WIDE_SCHEMA: dict[str, pl.DataType] = {
    **META_SCHEMA,
    **{c: pl.Int32() for c in CELL_COLUMNS},
    **{c: pl.Int32() for c in CASE_COLUMNS},
    **FACT_SCHEMA,
}


@dataclass(frozen=True, slots=True)
class Frames:
    """The wide frame and the long frames the charts need, for one data version."""

    wide: pl.DataFrame
    dispositions: pl.DataFrame
    applicants: pl.DataFrame
    cases: pl.DataFrame
    data_version: int = 0


def empty_wide() -> pl.DataFrame:
    """A wide frame with no rows and the fixed schema."""
    return pl.DataFrame(schema=WIDE_SCHEMA)


def report_major(wide: pl.DataFrame, cells: list[str], labels: dict[str, pl.Series]) -> pl.DataFrame:
    """One row per report × cell, ordered by report then cell, blank cells dropped.

    ``labels`` maps each label column to a Series with one value per cell (an
    Enum). The cells are stacked as a row-major matrix, so a million-report
    frame needs no sort when the wide frame is already in report order (it is,
    from the database); only an unordered frame is sorted afterwards. Blank
    cells become -1 on the way (counts are never negative) and are dropped.
    """
    n, k = wide.height, len(cells)
    matrix = (
        np.column_stack([wide.get_column(c).fill_null(-1).to_numpy() for c in cells])
        if n
        else np.empty((0, k))
    )
    positions = pl.Series(np.tile(np.arange(k, dtype=np.uint32), n))
    long = pl.DataFrame(
        [
            pl.Series("report_id", np.repeat(wide.get_column("report_id").to_numpy(), k), pl.Int64),
            *[series.gather(positions).alias(name) for name, series in labels.items()],
            pl.Series("count", matrix.ravel(), pl.Int32),
        ]
    ).filter(pl.col("count") >= 0)
    if not wide.get_column("report_id").is_sorted():
        long = long.sort("report_id", *labels, maintain_order=True)
    return long


def dispositions_long(wide: pl.DataFrame) -> pl.DataFrame:
    """One row per report × disposition reason (总计 column): group, reason, count."""
    pairs = [(group, key) for group, keys in DISPOSITION_GROUPS.items() for key in keys]
    return report_major(
        wide,
        [cell_column(key, "total") for _, key in pairs],
        {
            "group": pl.Series([g for g, _ in pairs], dtype=DISPOSITION_DTYPE),
            "reason": pl.Series([k for _, k in pairs], dtype=REASON_DTYPE),
        },
    )


def applicants_long(wide: pl.DataFrame) -> pl.DataFrame:
    """One row per report × applicant type of 一、本年新收: applicant, count."""
    columns = list(APPLICANT_COLUMNS[:-1])
    return report_major(
        wide,
        [cell_column("new_received", col) for col in columns],
        {"applicant": pl.Series(columns, dtype=APPLICANT_DTYPE)},
    )


def cases_long(wide: pl.DataFrame) -> pl.DataFrame:
    """One row per report × review/litigation block × outcome (without 总计)."""
    pairs = [(block, outcome) for block in CASE_BLOCKS for outcome in OUTCOMES[:-1]]
    return report_major(
        wide,
        [case_column(block, outcome) for block, outcome in pairs],
        {
            "block": pl.Series([b for b, _ in pairs], dtype=CASE_BLOCK_DTYPE),
            "outcome": pl.Series([o for _, o in pairs], dtype=OUTCOME_DTYPE),
        },
    )


def wide_to_frames(wide: pl.DataFrame, data_version: int = 0) -> Frames:
    """Derive the long frames from a wide frame."""
    return Frames(
        wide=wide,
        dispositions=dispositions_long(wide),
        applicants=applicants_long(wide),
        cases=cases_long(wide),
        data_version=data_version,
    )


def cell_values(record: AnnualReport) -> dict[str, int | None]:
    """Every table-3/4 cell of the record by column name (None where absent)."""
    cells: dict[str, int | None] = {}
    for row_key, values in record.applications.items():
        for i, col in enumerate(APPLICANT_COLUMNS):
            cells[cell_column(row_key, col)] = values[i] if values else None
    for block in CASE_BLOCKS:
        outcomes = getattr(record, block)
        for outcome in OUTCOMES:
            cells[case_column(block, outcome)] = getattr(outcomes, outcome) if outcomes is not None else None
    return cells


def report_to_wide_row(report: AnnualReport, report_id: int, **meta: object) -> dict[str, object]:
    """One wide-frame row (as a dict) for a parsed record; ``meta`` overrides metadata columns.

    Storage builds its rows from the database; this helper is for callers that
    hold records in memory (tests, previews, benchmarks).
    """
    columns = ReportRow.of(report, report_id=report_id).model_dump()
    row: dict[str, object] = {**columns, "template": str(report.template), **cell_values(report),
                              **fact_values(report.facts)}
    row.update(meta)
    return row


def records_to_wide(reports: list[AnnualReport], **meta: object) -> pl.DataFrame:
    """A wide frame (fixed schema) for in-memory records, ids 1..n in list order."""
    rows = [report_to_wide_row(r, i + 1, **meta) for i, r in enumerate(reports)]
    if not rows:
        return empty_wide()
    return pl.DataFrame(rows, schema=WIDE_SCHEMA, strict=False)
