"""Where each number came from, as text lines for ``gip debug`` and ``gip show``."""

from __future__ import annotations

from gip_data.schema.record import AnnualReport, CellSource, SourceSpan
from gip_data.schema.template import APPLICANT_COLUMNS, CASE_BLOCKS


def describe_span(span: SourceSpan) -> str:
    """One source in words: page and box (PDF, scans), line and span (text), or grid cell (HTML, DOCX)."""
    parts = []
    if span.page is not None:
        parts.append(f"第{span.page}页 / page {span.page}")
    if span.bbox is not None:
        parts.append("box(" + ", ".join(f"{v:g}" for v in span.bbox) + ")")
    if span.line is not None:
        parts.append(f"第{span.line}行 / line {span.line}")
    if span.start is not None or span.end is not None:
        parts.append(f"[{span.start if span.start is not None else ''}:{span.end if span.end is not None else ''}]")
    if span.grid_table is not None:
        grid = (span.grid_table, span.grid_row, span.grid_column)
        parts.append("table {} row {} column {}".format(*("?" if v is None else v for v in grid)))
    if span.text:
        parts.append(f"«{span.text}»")
    if span.confidence is not None:
        parts.append(f"OCR {span.confidence:.2f}")
    return " ".join(parts) or "（无位置 / no position）"


def cell_value(record: AnnualReport, source: CellSource) -> int | None:
    """The record's value of the cell a source describes (None where the cell is unknown)."""
    if source.table == 3:
        values = record.applications.get(source.row)
        if values is None or source.column not in APPLICANT_COLUMNS:
            return None
        return values[APPLICANT_COLUMNS.index(source.column)]
    block = getattr(record, source.row) if source.row in CASE_BLOCKS else None
    return getattr(block, source.column, None) if block is not None else None


def source_lines(record: AnnualReport) -> list[str]:
    """One line per cell with a recorded source: ``表3 row.column = value ← where``."""
    if not record.provenance:
        return ["  （未记录来源 / no provenance recorded）"]
    lines = []
    for source in record.provenance:
        value = cell_value(record, source)
        shown = "?" if value is None else str(value)
        address = f"表{source.table} {source.row}.{source.column}"
        lines.append(f"  {address:<48} = {shown:>6} ← {describe_span(source.source)}")
    return lines
