"""Conversion between an :class:`AnnualReport` and a ``report`` row, and report identity.

A report's identity is "one body's report for one year": the agency name
normalised (NFKC, whitespace removed) plus the year. When either is unknown the
file's sha256 is the identity, so such a file is always its own report and can
never supersede, or be superseded by, another file.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, overload

from gip_data.frames import cell_values
from gip_data.schema.columns import ReportRow
from gip_data.schema.columns import missing_tables as missing_tables
from gip_data.schema.facts import fact_values
from gip_data.schema.meta import ReportMeta
from gip_data.schema.meta import agency_key as agency_key
from gip_data.schema.record import AnnualReport, CaseOutcomes, CellSource, ProactiveItem
from gip_data.schema.template import (
    APPLICANT_COLUMNS,
    CASE_BLOCKS,
    OUTCOMES,
    PROACTIVE_BLOCKS,
    application_rows,
    case_column,
    cell_column,
)

SYNTHETIC_TABLE2_KEY = "proactive_values"


def identity_key(agency: str | None, year: int | None, sha256: str) -> str:
    """The identity of a report: ``agency|year``, or ``sha256:<hash>`` when either is unknown."""
    key = agency_key(agency)
    if key is None or year is None:
        return f"sha256:{sha256}"
    return f"{key}|{year}"


def record_to_row(record: AnnualReport, sha256: str) -> dict[str, Any]:
    """The columns of a ``report`` row computed from ``record`` (the store adds its own facts).

    The record's JSON leaves the provenance out: it is stored in ``cell_source``.
    """
    return {
        "identity_key": identity_key(record.agency, record.year, sha256),
        **ReportRow.of(record).record_values(),
        "record_json": record.model_dump_json(exclude={"provenance"}),
        **cell_values(record),
        **fact_values(record.facts),
    }


def proactive_layout(edition: int) -> list[tuple[str, str, tuple[str, ...]]]:
    """Table 2's rows of one edition in print order: (item, row label, column labels)."""
    rows: list[tuple[str, str, tuple[str, ...]]] = []
    for item, editions in PROACTIVE_BLOCKS.items():
        if edition in editions:
            columns, labels = editions[edition]
            rows.extend((item, label, columns) for label in labels)
    return rows


def synthetic_proactive(edition: int, stored: str | None) -> tuple[list[ProactiveItem], list[str]]:
    """Table 2 of a synthetic report from its stored values (``{"proactive_values": [[…], …]}``).

    Synthetic rows keep only table 2's numbers, in :func:`proactive_layout`
    order (a few dozen bytes instead of the labels of every row). Values that no
    longer fit the template's layout are dropped with a warning, never shifted.
    """
    if stored is None:
        return [], []
    values = json.loads(stored).get(SYNTHETIC_TABLE2_KEY, [])
    layout = proactive_layout(edition)
    if len(values) != len(layout) or any(len(v) != len(cols) for v, (_, _, cols) in zip(values, layout, strict=False)):
        return [], ["合成数据的表二与当前模板的行列不符，未显示"]
    items = [
        ProactiveItem(item=item, label=label, columns=list(columns), values=row)
        for (item, label, columns), row in zip(layout, values, strict=True)
    ]
    return items, []


def row_to_record(row: Any, provenance: list[CellSource] | None = None) -> AnnualReport:
    """The stored record with its provenance: from its JSON, or rebuilt from the cells (and table 2's values) for synthetic reports."""
    if row.record_json is not None and not row.synthetic:
        record = AnnualReport.model_validate_json(row.record_json)
        return record.model_copy(update={"provenance": provenance or []})
    mapping = row._mapping
    split_other = mapping[cell_column("other", "total")] is None
    applications: dict[str, list[int] | None] = {}
    for template_row in application_rows(split_other):
        values = [mapping[cell_column(template_row.key, col)] for col in APPLICANT_COLUMNS]
        applications[template_row.key] = None if any(v is None for v in values) else values
    blocks: dict[str, CaseOutcomes | None] = {}
    for block in CASE_BLOCKS:
        values = [mapping[case_column(block, o)] for o in OUTCOMES]
        blocks[block] = (
            None
            if any(v is None for v in values)
            else CaseOutcomes(**dict(zip(OUTCOMES, values, strict=True)))
        )
    proactive, warnings = synthetic_proactive(row.template, row.record_json)
    meta = {name: mapping[name] for name in ReportMeta.model_fields}
    return AnnualReport.model_validate(
        {
            **meta,
            **blocks,
            "template": row.template,
            "applications": applications,
            "proactive": proactive,
            "warnings": warnings,
            "provenance": provenance or [],
        }
    )


@overload
def as_utc(value: datetime | str) -> datetime: ...


@overload
def as_utc(value: None) -> None: ...


def as_utc(value: datetime | str | None) -> datetime | None:
    """A database timestamp as an aware UTC datetime (SQLite returns naive ones)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
