"""报告详情: one report as printed, each number one click from its source, its versions, audit trail and file.

Viewing needs no login; staff also correct cells (人工更正) and metadata, mark
the report as reviewed, delete and re-parse (the work is in
gip_data.ui.report_actions, each action behind require_staff).
"""

import polars as pl
import streamlit as st

from gip_data.corrections import apply_cells, describe_changes
from gip_data.errors import GipDataError
from gip_data.layout import cell_values, format_address
from gip_data.review import problems
from gip_data.review_queue import narrative_contradictions
from gip_data.schema.record import AnnualReport
from gip_data.settings import originals_public
from gip_data.storage.api import StoredReport
from gip_data.storage.sql import SqlStore
from gip_data.ui import auth_gate, data, page, report_actions, state, trace, widgets
from gip_data.ui.escape import md
from gip_data.ui.printed import editor_grid
from gip_data.ui.state import StateKeys
from gip_data.views import REPORT_LIST

MAX_REPORT_ID = 2**53 - 1


def _finish(result: report_actions.ActionResult) -> None:
    """Remember the action's message and the report to show next, then run the page again on the new data."""
    st.session_state[report_actions.FLASH_KEY] = (result.ok, result.message)
    st.session_state[report_actions.GOTO_KEY] = result.report_id
    st.rerun()


def _correction_form(store: SqlStore, rid: int, rec: AnnualReport) -> None:
    with st.form(f"correct_{rid}"):
        st.caption("更正机关信息（保存为新版本，旧版本保留）")
        changes = widgets.metadata_fields(rec)
        submitted = st.form_submit_button("保存更正")
    if submitted:
        staff = auth_gate.require_staff("更正元数据")
        _finish(report_actions.correct_report(store, rid, changes, staff))


def _cell_correction(store: SqlStore, rid: int, rec: AnnualReport) -> None:
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
            _finish(report_actions.correct_cells(store, rid, values, reason, staff))


def _review_mark(store: SqlStore, rid: int, reviewed: bool) -> None:
    if reviewed:
        st.caption("此版本已复核（见操作记录）。")
        return
    c0, c1 = st.columns([3, 1])
    note = c0.text_input("复核说明（可选）", key=f"review_note_{rid}", max_chars=200)
    if c1.button("标记为已复核", key=f"review_{rid}", help="确认已对照原件核对过此版本，它将离开待核对清单。"):
        _finish(report_actions.mark_reviewed(store, rid, note, auth_gate.require_staff("标记复核")))


def _current_staff() -> object | None:
    try:
        return auth_gate.current_staff()
    except GipDataError:
        return None  # a broken staff configuration blocks changes, not viewing


def _staff_actions(store: SqlStore, current: StoredReport, reviewed: bool) -> None:
    """Correct / review / delete / re-parse for staff; one line for everyone else (the page itself stays open)."""
    staff = _current_staff()
    if staff is None:
        st.caption("更正数字、标记复核、删除、重新解析、更正机关信息需要工作人员身份（可在“上传”页登录）；浏览无需登录。")
        return
    if current.status != "current":
        st.caption("只有当前版本可以更正、复核、删除或重新解析。")
        return
    st.subheader("工作人员操作")
    st.caption(f"当前身份：{md(staff.name)}")  # type: ignore[attr-defined]
    _cell_correction(store, current.id, current.record)
    _review_mark(store, current.id, reviewed)
    c0, c1 = st.columns(2)
    confirmed = c0.checkbox("确认删除此报告（删除后仍保留在版本记录中）", key=f"confirm_delete_{current.id}")
    if c0.button("删除", disabled=not confirmed, key=f"delete_{current.id}"):
        _finish(report_actions.delete_report(store, current.id, auth_gate.require_staff("删除报告")))
    if c1.button("重新解析", key=f"reparse_{current.id}", help="用当前解析器重新解析原始文件；结果不同时保存为新版本。"):
        staff = auth_gate.require_staff("重新解析")
        with st.spinner("正在重新解析…"):
            result = report_actions.reparse_report(store, current.id, staff)
        _finish(result)
    _correction_form(store, current.id, current.record)


def _needs_review(rec: AnnualReport, narrative: list[str], reviewed: bool) -> None:
    found = problems(rec)
    if not found and not narrative:
        st.success("全部勾稽规则成立，没有需要人工核对的数字。")
        return
    lines = [f"- {md(p.text)}" for p in found] + [f"- 正文与表格不符：{md(text)}" for text in narrative]
    note = "（此版本已复核）" if reviewed else ""
    st.warning(f"需要人工核对{note}：\n" + "\n".join(lines))


def _source_file(store: SqlStore, stored: StoredReport) -> trace.SourceFile | None:
    if stored.synthetic:
        return None
    rec = stored.record
    return trace.SourceFile(sha256=stored.sha256, file_name=stored.file_name, format=stored.format,
                            reading=rec.source.reading if rec.source else None,
                            load=lambda: store.original_file(stored.id)[1])


def _marks_line(stored: StoredReport, reviewed: bool) -> str:
    rec = stored.record
    marks = []
    if rec.corrections:
        marks.append(f"人工更正 {len(rec.corrections)} 个数")
    if rec.manual_entry:
        marks.append("人工录入")
    if reviewed:
        marks.append("已复核")
    return "；".join(marks)


view = page.start("报告详情")
goto = st.session_state.pop(report_actions.GOTO_KEY, None)
if goto:  # after an action: show the version it produced (set before the id widget is drawn)
    st.session_state[StateKeys.widget("id")] = st.session_state[StateKeys.shadow("id")] = goto
flash = st.session_state.pop(report_actions.FLASH_KEY, None)
if flash:
    (st.success if flash[0] else st.error)(flash[1])
# Ids are at most 2**53 - 1 in the widget (a browser's exact integers); larger ones in a link are invalid.
report_id = widgets.number_control("id", "报告编号（在“数据质量”页或下表中查找）", max_value=MAX_REPORT_ID)
store = data.get_store()
stored = None
if report_id:
    try:
        stored = store.get_report(report_id)
    except GipDataError as exc:
        st.warning(f"编号 {report_id}：{exc.message_zh}")
if stored is None:
    listing = view.get(REPORT_LIST, 100)
    st.caption("当前视图中的报告（前100份）：")
    st.dataframe(listing, hide_index=True, column_config={"report_id": "编号", "agency": "机关", "year": "年度",
                                                          "level": "层级"})
else:
    rec = stored.record
    reviewed = stored.id in store.reviewed_ids([stored.id])
    status = {"current": "当前版本", "superseded": "已被新版本取代", "deleted": "已删除"}[stored.status]
    st.markdown(f"### {md(rec.agency or '（未识别机关）')} · {rec.year or '年度未知'}年")
    st.caption(f"层级：{rec.level or '未知'}；地区：{md(rec.region or '未知')}；模板：{rec.template}版；状态：{status}；"
               f"文件：{md(stored.file_name)}；解析器版本：{stored.parser_version}"
               + ("；示例数据" if stored.sample else "") + ("；模拟数据" if stored.synthetic else ""))
    marks = _marks_line(stored, reviewed)
    if marks:
        st.info(f"**{md(marks)}**")
    if stored.status == "deleted":
        when = stored.deleted_at.astimezone().strftime("%Y-%m-%d %H:%M") if stored.deleted_at else "时间未知"
        st.warning(f"已删除：{md(stored.deleted_by or '未知')}，{when}")
    _needs_review(rec, narrative_contradictions(rec), reviewed)
    key = f"report{stored.id}"
    cells = cell_values(rec)
    linked = trace.linked_cell(key, cells)
    shown = trace.printed_report(rec, key=key, source=_source_file(store, stored), focus=linked)
    if shown is not None:
        state.register_page_param("c", format_address(shown))
    if rec.warnings:
        st.subheader("解析提示")
        for w in rec.warnings:
            st.text(w)
    st.subheader("版本")
    versions = store.report_versions(report_id)
    st.dataframe(pl.DataFrame([{"编号": v.id, "状态": v.status, "文件": v.file_name, "上传者": v.uploaded_by,
                                "上传时间": v.uploaded_at, "解析器版本": v.parser_version,
                                "人工更正": len(v.record.corrections)} for v in versions]), hide_index=True)
    st.subheader("操作记录")
    trail = report_actions.audit_trail(store, report_id)
    if trail:
        st.markdown(report_actions.audit_markdown(trail))
    else:
        st.caption("暂无操作记录。")
    _staff_actions(store, stored, reviewed)
    if stored.synthetic:
        st.caption("模拟数据没有原始文件。")
    elif originals_public() or _current_staff() is not None:
        st.download_button("下载原始文件", data=lambda: store.original_file(report_id)[1], file_name=stored.file_name,
                           key="dl_original", on_click="ignore")
    else:
        st.caption("原始文件仅供工作人员下载（管理员可设置 GIP_PUBLIC_ORIGINALS=1 向所有访问者开放）。")
