"""报告详情: one report as printed, each number one click from its source, its versions, audit trail and file.

Viewing needs no login; staff also correct cells (人工更正) and metadata, mark
the report as reviewed, delete and re-parse (the work is in
gip_data.ui.report_actions, each action behind require_staff).
"""

import polars as pl
import streamlit as st

from gip_data.errors import GipDataError
from gip_data.layout import cell_values, format_address
from gip_data.schema.record import AnnualReport
from gip_data.settings import originals_public
from gip_data.storage.api import StoredReport
from gip_data.storage.sql import SqlStore
from gip_data.ui import auth_gate, data, page, report_actions, report_view, state, trace, widgets
from gip_data.ui.escape import md
from gip_data.ui.state import StateKeys
from gip_data.views import REPORT_LIST

MAX_REPORT_ID = 2**53 - 1
STATUS_LABELS = {"current": "当前版本", "superseded": "已被新版本取代", "deleted": "已删除"}


def _correction_form(store: SqlStore, rid: int, rec: AnnualReport) -> None:
    with st.form(f"correct_{rid}"):
        st.caption("更正机关信息（保存为新版本，旧版本保留）")
        changes = widgets.metadata_fields(rec)
        submitted = st.form_submit_button("保存更正")
    if submitted:
        staff = auth_gate.require_staff("更正元数据")
        report_view.finish(report_actions.correct_report(store, rid, changes, staff))


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
    report_view.cell_correction(store, current.id, current.record)
    report_view.review_mark(store, current.id, reviewed)
    c0, c1 = st.columns(2)
    confirmed = c0.checkbox("确认删除此报告（删除后仍保留在版本记录中）", key=f"confirm_delete_{current.id}")
    if c0.button("删除", disabled=not confirmed, key=f"delete_{current.id}"):
        report_view.finish(report_actions.delete_report(store, current.id, auth_gate.require_staff("删除报告")))
    if c1.button("重新解析", key=f"reparse_{current.id}", help="用当前解析器重新解析原始文件；结果不同时保存为新版本。"):
        staff = auth_gate.require_staff("重新解析")
        with st.spinner("正在重新解析…"):
            result = report_actions.reparse_report(store, current.id, staff)
        report_view.finish(result)
    _correction_form(store, current.id, current.record)


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
    status = STATUS_LABELS[stored.status]
    st.markdown(f"### {md(rec.agency or '（未识别机关）')} · {rec.year or '年度未知'}年")
    st.caption(f"层级：{rec.level or '未知'}；地区：{md(rec.region or '未知')}；模板：{rec.template}版；状态：{status}；"
               f"文件：{md(stored.file_name)}；解析器版本：{stored.parser_version}"
               + ("；示例数据" if stored.sample else "") + ("；模拟数据" if stored.synthetic else ""))
    marks = report_view.marks_line(stored, reviewed)
    if marks:
        st.info(f"**{md(marks)}**")
    if stored.status == "deleted":
        when = stored.deleted_at.astimezone().strftime("%Y-%m-%d %H:%M") if stored.deleted_at else "时间未知"
        st.warning(f"已删除：{md(stored.deleted_by or '未知')}，{when}")
    report_view.needs_review(rec, reviewed)
    key = f"report{stored.id}"
    cells = cell_values(rec)
    linked = trace.linked_cell(key, cells)
    shown = trace.printed_report(rec, key=key, source=report_view.source_file(store, stored), focus=linked)
    if shown is not None:
        state.register_page_param("c", format_address(shown))
    if rec.warnings:
        st.subheader("解析提示")
        for w in rec.warnings:
            st.text(w)
    st.subheader("版本")
    versions = store.report_versions(report_id)
    st.dataframe(pl.DataFrame([{"编号": v.id, "状态": STATUS_LABELS[v.status], "文件": v.file_name, "上传者": v.uploaded_by,
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
