"""What staff can do to one stored report from its detail page, and the report's audit trail.

The page (``pages/report_detail.py``) draws the widgets and asks
:func:`gip_data.ui.auth_gate.require_staff` for the identity; the work is here,
without Streamlit, so it is tested directly and through the page:

- :func:`delete_report`: soft delete (kept, marked deleted with who and when);
- :func:`reparse_report`: the stored original parsed again by the current
  parser in the sandbox (:func:`gip_data.sandbox.parse_in_worker`), stored as a
  new version only when the result differs;
- :func:`correct_report`: the editable metadata (``ReportMeta`` fields marked
  editable) corrected, stored as a new version whose audit entry lists each change;
- :func:`correct_cells`: table cells corrected by hand (人工更正) in the
  printed-layout grid, stored as a new version (audit: which cells, old → new, why);
- :func:`mark_reviewed`: a person checked this version (复核), recorded in the audit.

Every action returns an :class:`ActionResult` naming the report the page
should show next (the new version, or the same id).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from gip_data.auth import StaffIdentity
from gip_data.corrections import CellValues, apply_cells
from gip_data.corrections import describe_changes as describe_cell_changes
from gip_data.errors import GipDataError
from gip_data.sandbox import parse_in_worker
from gip_data.schema.meta import META_COLUMNS
from gip_data.schema.record import PARSER_VERSION, AnnualReport
from gip_data.storage.api import AuditEntry
from gip_data.storage.sql import SqlStore
from gip_data.ui.escape import md
from gip_data.ui.upload import correct_metadata

# Session keys the detail page uses to carry an action's message and next report across its rerun.
FLASH_KEY = "_gip_report_action_message"
GOTO_KEY = "_gip_report_action_goto"
ACTION_LABELS: dict[str, str] = {
    "imported": "导入",
    "new_version": "导入新版本",
    "reparse": "重新解析",
    "correct": "更正元数据",
    "correct-cells": "人工更正",
    "manual-entry": "人工录入",
    "review": "标记已复核",
    "delete": "删除",
    "delete-sample": "删除示例数据",
}


class ActionResult(BaseModel):
    """The outcome of one staff action, as the page reports it."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    message: str
    report_id: int


def delete_report(store: SqlStore, report_id: int, staff: StaffIdentity) -> ActionResult:
    """Soft-delete a report in the staff member's name."""
    try:
        store.delete(report_id, by=staff.name)
    except GipDataError as exc:
        return ActionResult(ok=False, message=f"删除失败：{exc.message_zh}", report_id=report_id)
    return ActionResult(ok=True, message=f"报告 {report_id} 已删除。", report_id=report_id)


def reparse_report(
    store: SqlStore,
    report_id: int,
    staff: StaffIdentity,
    parse: Callable[[bytes, str], AnnualReport] = parse_in_worker,
) -> ActionResult:
    """Parse the stored original again (sandboxed); a new version only when the result differs.

    When staff corrected this report's metadata earlier, the store keeps the
    correction and only the tables, checks and provenance come from the new parse.
    """
    try:
        outcome = store.reparse(report_id, by=staff.name, parse=parse)
    except GipDataError as exc:
        return ActionResult(ok=False, message=f"重新解析失败：{exc.message_zh}", report_id=report_id)
    if outcome.status == "failed":
        return ActionResult(ok=False, message=f"重新解析失败：{outcome.message}", report_id=report_id)
    if outcome.status == "duplicate":
        text = f"解析结果与当前版本相同（解析器版本 {PARSER_VERSION} 未变），未保存新版本。"
        return ActionResult(ok=True, message=text, report_id=report_id)
    new_id = outcome.report_id or report_id
    return ActionResult(
        ok=True, message=f"已按解析器 {PARSER_VERSION} 保存为新版本（编号 {new_id}）。", report_id=new_id
    )


def _shown(value: Any) -> str:
    return "（空）" if value in (None, "") else str(value)


def describe_changes(old: AnnualReport, new: AnnualReport) -> str:
    """What a correction changed, one ``标签：旧 → 新`` per metadata field (empty when nothing did).

    Derived fields are listed too (a changed province changes the region), so
    the audit entry shows every stored value that moved.
    """
    parts = [
        f"{spec.facts.zh}：{_shown(getattr(old, name))} → {_shown(getattr(new, name))}"
        for name, spec in META_COLUMNS.items()
        if getattr(old, name) != getattr(new, name)
    ]
    return "；".join(parts)


def correct_report(
    store: SqlStore, report_id: int, changes: dict[str, Any], staff: StaffIdentity
) -> ActionResult:
    """Store the report with corrected metadata as a new version; nothing is stored when nothing changed."""
    return _store_correction(
        store, report_id, staff,
        fix=lambda record: correct_metadata(record, changes), describe=describe_changes,
        invalid="机关信息无效", unchanged="机关信息没有变化，未保存新版本。", saved="已保存更正后的新版本",
    )


def correct_cells(
    store: SqlStore, report_id: int, values: CellValues, reason: str, staff: StaffIdentity
) -> ActionResult:
    """Store the report with the grid's cell values as a new version marked 人工更正 (nothing when nothing changed).

    ``reason`` (why, e.g. "原件第3页为8") is required and goes into the audit
    entry with every changed cell (old → new).
    """
    reason = reason.strip()
    if not reason:
        return ActionResult(ok=False, message="请填写更正理由（例如：对照原件第几页）。", report_id=report_id)
    return _store_correction(
        store, report_id, staff,
        fix=lambda record: apply_cells(record, values),
        describe=lambda stored, _fixed: describe_cell_changes(stored, values),
        invalid="数字无效", unchanged="表格数字没有变化，未保存新版本。", saved="已保存人工更正后的新版本",
        reason=reason, action="correct-cells",
    )


def _store_correction(
    store: SqlStore, report_id: int, staff: StaffIdentity, *,
    fix: Callable[[AnnualReport], AnnualReport], describe: Callable[[AnnualReport, AnnualReport], str],
    invalid: str, unchanged: str, saved: str, reason: str = "", action: str = "correct",
) -> ActionResult:
    """The stored report changed by ``fix`` kept as a new version whose audit entry says what changed (and why).

    ``describe`` names the changes between the stored and the fixed record
    (empty: nothing is stored); a store error or an invalid value is a message.
    """
    try:
        stored = store.get_report(report_id)
        fixed = fix(stored.record)
    except GipDataError as exc:
        return ActionResult(ok=False, message=f"更正失败：{exc.message_zh}", report_id=report_id)
    except ValidationError as exc:
        return ActionResult(ok=False, message=f"{invalid}：{exc.errors()[0]['msg']}", report_id=report_id)
    detail = describe(stored.record, fixed)
    if not detail:
        return ActionResult(ok=True, message=unchanged, report_id=report_id)
    try:
        outcome = store.correct(report_id, fixed, by=staff.name, detail=f"{detail}；理由：{reason}" if reason else detail,
                                action=action)
    except GipDataError as exc:
        return ActionResult(ok=False, message=f"更正失败：{exc.message_zh}", report_id=report_id)
    new_id = outcome.report_id or report_id
    return ActionResult(ok=True, message=f"{saved}（编号 {new_id}）：{detail}", report_id=new_id)


def mark_reviewed(store: SqlStore, report_id: int, note: str, staff: StaffIdentity) -> ActionResult:
    """Record that a person checked this version of the report (复核); it leaves the review queue."""
    try:
        store.mark_reviewed(report_id, by=staff.name, note=note.strip())
    except GipDataError as exc:
        return ActionResult(ok=False, message=f"标记失败：{exc.message_zh}", report_id=report_id)
    return ActionResult(ok=True, message=f"报告 {report_id} 已标记为已复核。", report_id=report_id)


def audit_trail(store: SqlStore, report_id: int) -> list[AuditEntry]:
    """Every audit entry of the report and of its other versions, newest first."""
    try:
        ids = [version.id for version in store.report_versions(report_id)]
    except GipDataError:
        ids = [report_id]
    entries = {entry.id: entry for i in ids for entry in store.audit_log(i)}
    return sorted(entries.values(), key=lambda entry: entry.id, reverse=True)


def audit_markdown(entries: list[AuditEntry]) -> str:
    """The audit trail as a Markdown table, every value escaped (names and file names come from users)."""
    lines = ["| 时间 | 操作人 | 操作 | 报告编号 | 文件 | 说明 |", "|---|---|---|---|---|---|"]
    for e in entries:
        cells = [
            e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            e.actor,
            ACTION_LABELS.get(e.action, e.action),
            "" if e.report_id is None else str(e.report_id),
            e.file_name or "",
            e.detail,
        ]
        lines.append("| " + " | ".join(md(c) for c in cells) + " |")
    return "\n".join(lines)
