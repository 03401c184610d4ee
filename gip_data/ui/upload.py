"""The upload page's data calls, kept in one place so a sandboxed parser and a staff gate can replace them.

Parsing runs as a background job (:mod:`gip_data.jobs`): the page submits each
file and polls its progress, so a scan read by OCR (tens of seconds) never
blocks the page or any other user's session.
"""

from __future__ import annotations

import hashlib
from typing import Any

from gip_data import jobs
from gip_data.readers.registry import supported_suffixes
from gip_data.sandbox import parse_in_worker
from gip_data.schema.meta import EDITABLE_FIELDS, region_of
from gip_data.schema.record import AnnualReport
from gip_data.storage.api import ImportOutcome, Store
from gip_data.ui.trace import SourceFile

# What the file picker accepts: the reader registry's suffixes, without the dot.
UPLOAD_TYPES: list[str] = [suffix.lstrip(".") for suffix in supported_suffixes()]


def parse_upload(data: bytes, file_name: str) -> AnnualReport:
    """Parse one uploaded file (raises a GipDataError subclass when it is not a readable report).

    The parser runs in a resource-limited worker process (gip_data.sandbox): a
    file that hangs or explodes the parser costs its uploader a typed error,
    not the app.
    """
    return parse_in_worker(data, file_name)


def upload_key(data: bytes) -> str:
    """The key of an uploaded file's parse job and preview: its content hash."""
    return hashlib.sha256(data).hexdigest()[:16]


def start_parse(data: bytes, file_name: str) -> jobs.Job:
    """Submit the file to the background job board (a file already submitted is not parsed again)."""
    return jobs.board().submit(upload_key(data), data, file_name)


def parse_job(key: str) -> jobs.Job | None:
    """The current state of a submitted file's parse job."""
    return jobs.board().get(key)


def correct_metadata(report: AnnualReport, changes: dict[str, Any]) -> AnnualReport:
    """The record with staff corrections of its editable metadata applied (validated again).

    Fields that are not editable are ignored; a changed province or city
    derives the region again, so the three cannot disagree.
    """
    update = {k: v for k, v in changes.items() if k in EDITABLE_FIELDS}
    province, city = update.get("province", report.province), update.get("city", report.city)
    if (province, city) != (report.province, report.city):
        update["region"] = region_of(province, city)
    return AnnualReport.model_validate({**report.model_dump(), **update})


def save_upload(store: Store, data: bytes, file_name: str, report: AnnualReport, *, uploaded_by: str) -> ImportOutcome:
    """Store the (corrected) record with its original file; duplicates and new versions are outcomes, not errors."""
    return store.import_bytes(data, file_name, uploaded_by=uploaded_by, report=report)


def preview_source(data: bytes, file_name: str, report: AnnualReport) -> SourceFile:
    """The uploaded file as the source of its preview's numbers (the bytes are still in memory)."""
    source = report.source
    return SourceFile(
        sha256=source.sha256 if source else hashlib.sha256(data).hexdigest(),
        file_name=file_name,
        format=source.format if source else "txt",
        reading=source.reading if source else None,
        load=lambda: data,
    )


def save_manual(store: Store, data: bytes, file_name: str, report: AnnualReport, *, uploaded_by: str) -> ImportOutcome:
    """Store a record of numbers typed by hand with its original file (audit action ``manual-entry``)."""
    return store.import_bytes(data, file_name, uploaded_by=uploaded_by, report=report, action="manual-entry")


OUTCOME_TEXT: dict[str, str] = {
    "imported": "已保存为新报告。",
    "new_version": "该机关该年度已有报告，已保存为新版本（旧版本保留在版本记录中）。",
    "duplicate": "同一文件已经导入过，未重复保存。",
    "failed": "保存失败。",
}
