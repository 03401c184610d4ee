"""报告详情: one report's tables laid out like the template, its checks, versions, audit trail and original file.

Viewing needs no login; staff also get delete / re-parse / metadata correction
(the work is in gip_data.ui.report_actions, each action behind require_staff).
"""

import polars as pl
import streamlit as st

from gip_data.errors import GipDataError
from gip_data.schema.record import AnnualReport
from gip_data.schema.template import APPLICANT_COLUMN_LABELS, OUTCOME_LABELS
from gip_data.storage.api import StoredReport
from gip_data.storage.sql import SqlStore
from gip_data.ui import auth_gate, data, page, render, report_actions, widgets
from gip_data.ui.escape import md
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


def _staff_actions(store: SqlStore, current: StoredReport) -> None:
    """Delete / re-parse / correct for staff; one line for everyone else (the page itself stays open)."""
    try:
        staff = auth_gate.current_staff()
    except GipDataError:
        staff = None  # a broken staff configuration blocks changes, not viewing
    if staff is None:
        st.caption("删除、重新解析、更正机关信息需要工作人员身份（可在“上传”页登录）；浏览无需登录。")
        return
    if current.status != "current":
        st.caption("只有当前版本可以删除、重新解析或更正。")
        return
    st.subheader("工作人员操作")
    st.caption(f"当前身份：{md(staff.name)}")
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
    status = {"current": "当前版本", "superseded": "已被新版本取代", "deleted": "已删除"}[stored.status]
    st.markdown(f"### {md(rec.agency or '（未识别机关）')} · {rec.year or '年度未知'}年")
    st.caption(f"层级：{rec.level or '未知'}；地区：{md(rec.region or '未知')}；模板：{rec.template}版；状态：{status}；"
               f"文件：{md(stored.file_name)}；解析器版本：{stored.parser_version}"
               + ("；示例数据" if stored.sample else "") + ("；模拟数据" if stored.synthetic else ""))
    if stored.status == "deleted":
        when = stored.deleted_at.astimezone().strftime("%Y-%m-%d %H:%M") if stored.deleted_at else "时间未知"
        st.warning(f"已删除：{md(stored.deleted_by or '未知')}，{when}")
    failed = rec.failed_checks
    if failed:
        st.error(f"{len(failed)} 条勾稽规则不成立（表中红色单元格）。")
    else:
        st.success("全部勾稽规则成立。")
    flags = render.cell_flags(rec)
    st.caption("；".join(render.FLAG_LABELS.values()))
    st.subheader("三、收到和处理政府信息公开申请情况")
    apps = render.applications_frame(rec)
    st.dataframe(render.styled(apps, flags, {v: k for k, v in APPLICANT_COLUMN_LABELS.items()}), width="stretch", height=950)
    st.subheader("四、政府信息公开行政复议、行政诉讼情况")
    st.dataframe(render.styled(render.cases_frame(rec), flags, {v: k for k, v in OUTCOME_LABELS.items()}), width="stretch")
    if rec.proactive:
        st.subheader("二、主动公开政府信息情况")
        st.dataframe(pl.DataFrame([{"项目": p.item, "信息内容": p.label, "栏目": "、".join(p.columns),
                                    "数值": "、".join("—" if v is None else str(v) for v in p.values)} for p in rec.proactive]),
                     hide_index=True)
    st.subheader("勾稽检查")
    st.dataframe(pl.DataFrame([c.model_dump() for c in rec.checks]) if rec.checks else pl.DataFrame(), hide_index=True)
    if rec.warnings:
        st.subheader("解析提示")
        for w in rec.warnings:
            st.text(w)
    st.subheader("版本")
    versions = store.report_versions(report_id)
    st.dataframe(pl.DataFrame([{"编号": v.id, "状态": v.status, "文件": v.file_name, "上传者": v.uploaded_by,
                                "上传时间": v.uploaded_at, "解析器版本": v.parser_version} for v in versions]), hide_index=True)
    st.subheader("操作记录")
    trail = report_actions.audit_trail(store, report_id)
    if trail:
        st.markdown(report_actions.audit_markdown(trail))
    else:
        st.caption("暂无操作记录。")
    _staff_actions(store, stored)
    st.download_button("下载原始文件", data=lambda: store.original_file(report_id)[1], file_name=stored.file_name,
                       key="dl_original", on_click="ignore")
