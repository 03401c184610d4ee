"""The parse pipeline: bytes → Document → tables + metadata → checked AnnualReport.

This module only wires the stages together; each stage lives in its own package
and is tested there.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from gip_data.extract.metadata import infer_metadata
from gip_data.extract.tables import extract_tables
from gip_data.readers.registry import ReadLimits, read_document
from gip_data.schema.record import AnnualReport, SourceInfo
from gip_data.validate.rules import check_tables


def parse_bytes(data: bytes, file_name: str, limits: ReadLimits | None = None) -> AnnualReport:
    """Parse one report file's bytes into a checked record.

    Raises a :class:`~gip_data.errors.GipDataError` subclass when the bytes are
    not a readable annual report. Arithmetic failures do not raise: they are
    listed in ``checks``.
    """
    document = read_document(data, file_name, limits)
    tables = extract_tables(document)
    meta = infer_metadata(document, file_name)
    checks = check_tables(tables)
    return AnnualReport(
        agency=meta.agency,
        year=meta.year,
        template=tables.template,
        level=meta.level,
        body=meta.body,
        region=meta.region,
        province=meta.province,
        city=meta.city,
        aggregate=meta.aggregate,
        applications=tables.applications,
        review=tables.review,
        litigation_direct=tables.litigation_direct,
        litigation_after_review=tables.litigation_after_review,
        proactive=tables.proactive,
        checks=checks,
        repairs=tables.repairs,
        assumed_zero=tables.assumed_zero,
        warnings=tables.warnings + meta.warnings,
        source=SourceInfo(
            file_name=Path(file_name).name,
            sha256=hashlib.sha256(data).hexdigest(),
            format=document.format,
            size=len(data),
        ),
    )


def parse_file(path: str | Path, limits: ReadLimits | None = None) -> AnnualReport:
    """Parse the report file at ``path``."""
    path = Path(path)
    return parse_bytes(path.read_bytes(), path.name, limits)
