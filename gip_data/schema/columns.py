"""The metadata columns of one stored report: :class:`ReportRow`, and the catalogue derived from it.

A stored report is one row of the ``report`` table and of the wide frame, and
one line of an export: its :class:`~gip_data.schema.meta.ReportMeta` fields,
the record's edition, what the record's checks add up to, what needs a person
(:mod:`gip_data.review`) and whether staff corrected or typed the numbers, and what the store
knows (id, sample or synthetic, file, upload time). ``ReportRow`` declares those
columns once, each with its :class:`~gip_data.schema.meta.Column` facts;
:data:`REPORT_COLUMNS` is the ordered catalogue that storage (``report``
columns), frames (``META_SCHEMA``) and export (headers) are built from.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from gip_data.review import review_counts
from gip_data.schema.meta import Column, ColumnSpec, ReportMeta, agency_key, columns_of
from gip_data.schema.record import AnnualReport
from gip_data.schema.template import CASE_BLOCKS, Edition

# Columns the store fills (not computed from the record).
STORE_FIELDS: tuple[str, ...] = ("report_id", "sample", "synthetic", "file_name", "uploaded_at")


def missing_tables(record: AnnualReport) -> int:
    """How many of the standard tables 2, 3 and 4 the record lacks."""
    table3 = any(values is not None for values in record.applications.values())
    table4 = any(getattr(record, block) is not None for block in CASE_BLOCKS)
    return int(not record.proactive) + int(not table3) + int(not table4)


class ReportRow(ReportMeta):
    """One report's metadata columns (no cells): the metadata, the edition, check counts, store facts."""

    report_id: Annotated[int | None, Column("报告编号", None, "int64")] = None
    # The edition is read from the tables' labels and decides which rows exist: a fact of the
    # tables, not a correctable metadata field, but a column like them.
    template: Annotated[Edition, Column("模板版本", "integer", "enum")]
    agency_key: Annotated[str | None, Column("机关标识", "text", "string")] = None
    consistent: Annotated[bool, Column("勾稽通过", "boolean", "boolean")] = False
    failed_checks: Annotated[int, Column("勾稽不符项数", "integer", "int32")] = 0
    repairs: Annotated[int, Column("修复单元格数", "integer", "int32")] = 0
    assumed_zeros: Annotated[int, Column("按零处理单元格数", "integer", "int32")] = 0
    missing_tables: Annotated[int, Column("缺失表格数", "integer", "int32")] = 0
    # What needs a person (gip_data.review): the review queue filters on these.
    unknown_cells: Annotated[int, Column("未读出单元格数", "integer", "int32")] = 0
    assumed_in_total: Annotated[int, Column("合计不为0的按0处理数", "integer", "int32")] = 0
    low_confidence_cells: Annotated[int, Column("低置信度单元格数", "integer", "int32")] = 0
    # Staff work on the numbers: cells corrected by hand (人工更正), numbers typed from the document (人工录入).
    corrected_cells: Annotated[int, Column("人工更正单元格数", "integer", "int32")] = 0
    manual_entry: Annotated[bool, Column("人工录入", "boolean", "boolean")] = False
    sample: Annotated[bool, Column("示例", "boolean", "boolean")] = False
    synthetic: Annotated[bool, Column("合成数据", "boolean", "boolean")] = False
    file_name: Annotated[str | None, Column("文件名", "text", "string", nullable=False)] = None
    uploaded_at: Annotated[datetime | None, Column("上传时间", "timestamp", "datetime", nullable=False)] = None

    @classmethod
    def of(cls, record: AnnualReport, **stored: Any) -> ReportRow:
        """The row of ``record``; ``stored`` gives the store's facts (id, file name, upload time …)."""
        values: dict[str, Any] = {
            **record.meta_values(),
            "template": record.template,
            "agency_key": agency_key(record.agency),
            "consistent": record.consistent,
            "failed_checks": len(record.failed_checks),
            "repairs": len(record.repairs),
            "assumed_zeros": len(record.assumed_zero),
            "missing_tables": missing_tables(record),
            **asdict(review_counts(record)),
            "file_name": record.source.file_name if record.source else None,
        }
        return cls.model_validate({**values, **stored})

    def record_values(self) -> dict[str, Any]:
        """The columns computed from the record (every column but the store's)."""
        return {name: getattr(self, name) for name in REPORT_COLUMNS if name not in STORE_FIELDS}


def _catalogue() -> dict[str, ColumnSpec]:
    specs = columns_of(ReportRow)
    return {"report_id": specs.pop("report_id"), **specs}  # the key first, then the declaration order


REPORT_COLUMNS: dict[str, ColumnSpec] = _catalogue()
