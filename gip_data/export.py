"""Export of current reports: one row per report, all metadata and cells, zh or en headers.

English headers are the wide frame's column names (``granted__total``); Chinese
headers are built from the template's official labels (``（一）予以公开·总计``),
so no label is spelled here twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import polars as pl

from gip_data.frames import CELL_COLUMNS
from gip_data.schema.template import (
    APPLICANT_COLUMN_LABELS,
    CASE_BLOCK_LABELS,
    CASE_BLOCKS,
    OUTCOME_LABELS,
    OUTCOMES,
    ROW_BY_KEY,
)

ExportFormat = Literal["csv", "parquet", "xlsx", "json"]
EXPORT_FORMATS: tuple[str, ...] = ("csv", "parquet", "xlsx", "json")

META_LABELS_ZH: dict[str, str] = {
    "report_id": "报告编号",
    "agency": "机关",
    "agency_key": "机关标识",
    "year": "年度",
    "template": "模板版本",
    "level": "层级",
    "body": "机关类型",
    "region": "地区",
    "province": "省份",
    "city": "城市",
    "aggregate": "汇总报告",
    "sample": "示例",
    "synthetic": "合成数据",
    "consistent": "勾稽通过",
    "failed_checks": "勾稽不符项数",
    "repairs": "修复单元格数",
    "assumed_zeros": "按零处理单元格数",
    "missing_tables": "缺失表格数",
    "file_name": "文件名",
    "uploaded_at": "上传时间",
}


def zh_headers() -> dict[str, str]:
    """Chinese header for every exported column."""
    headers = dict(META_LABELS_ZH)
    for name in CELL_COLUMNS:
        row, col = name.split("__")
        headers[name] = f"{ROW_BY_KEY[row].label}·{APPLICANT_COLUMN_LABELS[col]}"
    for block in CASE_BLOCKS:
        for outcome in OUTCOMES:
            headers[f"{block}__{outcome}"] = f"{CASE_BLOCK_LABELS[block]}·{OUTCOME_LABELS[outcome]}"
    return headers


def export_frame(wide: pl.DataFrame, headers: Literal["zh", "en"] = "en") -> pl.DataFrame:
    """The wide frame ready to write: enums as text, timestamps as ISO text, headers renamed."""
    frame = wide.with_columns(
        pl.col(pl.Enum).cast(pl.String), pl.col("uploaded_at").dt.strftime("%Y-%m-%dT%H:%M:%S%.6fZ")
    )
    return frame.rename(zh_headers()) if headers == "zh" else frame


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
