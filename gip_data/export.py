"""Export of current reports: one row per report, all metadata and cells, zh or en headers.

The metadata headers are facts of :class:`gip_data.schema.columns.ReportRow`'s
fields (``zh`` and ``en``); the cells' Chinese headers are built from the
template's official labels (``（一）予以公开·总计``) and their English headers are
the wide frame's column names (``granted__total``), so no label is spelled here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, TypeVar

import polars as pl

from gip_data.frames import CELL_COLUMNS
from gip_data.schema.columns import REPORT_COLUMNS
from gip_data.schema.facts import FACT_COLUMNS
from gip_data.schema.template import (
    APPLICANT_COLUMN_LABELS,
    CASE_BLOCK_LABELS,
    CASE_BLOCKS,
    OUTCOME_LABELS,
    OUTCOMES,
    ROW_BY_KEY,
    case_column,
)

ExportFormat = Literal["csv", "parquet", "xlsx", "json"]
EXPORT_FORMATS: tuple[str, ...] = ("csv", "parquet", "xlsx", "json")


def zh_headers() -> dict[str, str]:
    """Chinese header for every exported column."""
    headers = {name: spec.facts.zh for name, spec in REPORT_COLUMNS.items()}
    for name in CELL_COLUMNS:
        row, col = name.split("__")
        headers[name] = f"{ROW_BY_KEY[row].label}·{APPLICANT_COLUMN_LABELS[col]}"
    for block in CASE_BLOCKS:
        for outcome in OUTCOMES:
            headers[case_column(block, outcome)] = f"{CASE_BLOCK_LABELS[block]}·{OUTCOME_LABELS[outcome]}"
    headers.update({name: spec.zh for name, spec in FACT_COLUMNS.items()})
    return headers


def en_headers() -> dict[str, str]:
    """English header for every metadata column whose header is not its column name (cells keep theirs)."""
    return {name: spec.header_en for name, spec in REPORT_COLUMNS.items() if spec.header_en != name}


FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)


def export_frame(wide: FrameT, headers: Literal["zh", "en"] = "en") -> FrameT:
    """The wide frame ready to write: enums as text, timestamps as ISO text, bytes as hex, headers renamed.

    Eager or lazy alike: the app streams a lazy export to its file (``sink_csv``).
    """
    frame = wide.with_columns(
        pl.col(pl.Enum).cast(pl.String), pl.col("uploaded_at").dt.strftime("%Y-%m-%dT%H:%M:%S%.6fZ"),
        pl.col(pl.Binary).bin.encode("hex"),
    )
    return frame.rename(zh_headers() if headers == "zh" else en_headers())


def write_export(
    wide: pl.DataFrame, target: Path, fmt: ExportFormat, headers: Literal["zh", "en"] = "en"
) -> int:
    """Write the export of ``wide`` to ``target`` in ``fmt``; returns the number of rows."""
    frame = export_frame(wide, headers)
    if fmt == "csv":
        frame.write_csv(target, include_bom=True)  # the BOM lets Excel read Chinese text correctly
    elif fmt == "parquet":
        frame.write_parquet(target)
    elif fmt == "xlsx":
        frame.write_excel(target, worksheet="报告" if headers == "zh" else "reports")
    else:
        target.write_text(frame.write_json(), encoding="utf-8")
    return frame.height
