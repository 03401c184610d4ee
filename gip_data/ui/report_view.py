"""The parts of 报告详情 this issue added: what needs review, the marks, the cell correction, the review mark.

Each draws its widgets and hands the work to :mod:`gip_data.ui.report_actions`
(which needs no Streamlit); the page (``pages/report_detail.py``) puts them in
order. An action ends with :func:`finish`: its message and the version to show
next survive the rerun.
"""

from __future__ import annotations

import streamlit as st

from gip_data.corrections import apply_cells, describe_changes
from gip_data.layout import cell_values
from gip_data.review import problems
from gip_data.review_queue import narrative_contradictions
from gip_data.schema.record import AnnualReport
from gip_data.storage.api import StoredReport
from gip_data.storage.sql import SqlStore
from gip_data.ui import auth_gate, report_actions, trace
from gip_data.ui.escape import md
from gip_data.ui.printed import editor_grid


def finish(result: report_actions.ActionResult) -> None:
    """Remember the action's message and the report to show next, then run the page again on the new data."""
    st.session_state[report_actions.FLASH_KEY] = (result.ok, result.message)
    st.session_state[report_actions.GOTO_KEY] = result.report_id
    st.rerun()


def cell_correction(store: SqlStore, rid: int, rec: AnnualReport) -> None:
    """The printed-layout grids as editors; the rules re-checked on what is typed; saved as 人工更正."""
    with st.expander("更正表格数字（人工更正）", expanded=bool(rec.failed_checks)):
        st.caption("对照原件改正读错的数字；保存前会重新核对勾稽关系。保存为新版本并标记“人工更正”，解析版本保留在版本记录中。")
        values = trace.cell_grids({t: editor_grid(rec, t) for t in (3, 4)}, key=f"fix_{rid}")
        before = cell_values(rec)
        changed = {k: v for k, v in values.items() if v != before.get(k)}
        if not changed:
            st.caption("尚未修改任何数字。")
            return
        draft = apply_cells(rec, values)
        st.markdown("**将更正：** " + md(describe_changes(rec, values)))
        trace.draft_checks(draft.checks, draft, title="更正后")
        reason = st.text_input("更正理由（必填，记入操作记录）", key=f"fix_reason_{rid}", max_chars=200,
                               placeholder="例如：对照原件第3页，予以公开·自然人应为8")
        if st.button("保存人工更正", key=f"fix_save_{rid}", type="primary", disabled=not reason.strip()):
            staff = auth_gate.require_staff("更正表格数字")
            finish(report_actions.correct_cells(store, rid, values, reason, staff))


def review_mark(store: SqlStore, rid: int, reviewed: bool) -> None:
    """The 标记为已复核 button with an optional note (or that this version is reviewed)."""
    if reviewed:
        st.caption("此版本已复核（见操作记录）。")
        return
    c0, c1 = st.columns([3, 1])
    note = c0.text_input("复核说明（可选）", key=f"review_note_{rid}", max_chars=200)
    if c1.button("标记为已复核", key=f"review_{rid}", help="确认已对照原件核对过此版本，它将离开待核对清单。"):
        finish(report_actions.mark_reviewed(store, rid, note, auth_gate.require_staff("标记复核")))


def needs_review(rec: AnnualReport, reviewed: bool) -> None:
    """What in this report needs a person (the 年报质量 narrative check included), or that nothing does."""
    found, narrative = problems(rec), narrative_contradictions(rec)
    if not found and not narrative:
        st.success("全部勾稽规则成立，没有需要人工核对的数字。")
        return
    lines = [f"- {md(p.text)}" for p in found] + [f"- 正文与表格不符：{md(text)}" for text in narrative]
    note = "（此版本已复核）" if reviewed else ""
    st.warning(f"需要人工核对{note}：\n" + "\n".join(lines))


def source_file(store: SqlStore, stored: StoredReport) -> trace.SourceFile | None:
    """The stored original behind the report (None for synthetic reports, which have none)."""
    if stored.synthetic:
        return None
    rec = stored.record
    return trace.SourceFile(sha256=stored.sha256, file_name=stored.file_name, format=stored.format,
                            reading=rec.source.reading if rec.source else None,
                            load=lambda: store.original_file(stored.id)[1])


def marks_line(stored: StoredReport, reviewed: bool) -> str:
    """人工更正 N 个数；人工录入；已复核 — what staff did to this version, or empty."""
    rec = stored.record
    marks = []
    if rec.corrections:
        marks.append(f"人工更正 {len(rec.corrections)} 个数")
    if rec.manual_entry:
        marks.append("人工录入")
    if reviewed:
        marks.append("已复核")
    return "；".join(marks)
