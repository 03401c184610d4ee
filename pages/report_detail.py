"""报告详情: one report's tables laid out like the template, its checks, versions and original file."""

import polars as pl
import streamlit as st

from gip_data.errors import GipDataError
from gip_data.schema.template import APPLICANT_COLUMN_LABELS, OUTCOME_LABELS
from gip_data.ui import data, page, render, widgets
from gip_data.ui.escape import md

view = page.start("报告详情")
report_id = widgets.number_control("id", "报告编号（在“数据质量”页或下表中查找）")
store = data.get_store()
stored = None
if report_id:
    try:
        stored = store.get_report(report_id)
    except GipDataError as exc:
        st.warning(f"编号 {report_id}：{exc.message_zh}")
if stored is None:
    listing = view.rows.select("report_id", "agency", "year", "level").sort("report_id").head(100).collect()
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
    st.download_button("下载原始文件", data=lambda: store.original_file(report_id)[1], file_name=stored.file_name,
                       key="dl_original", on_click="ignore")
