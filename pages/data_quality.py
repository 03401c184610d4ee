"""数据质量: reports failing arithmetic checks, repaired cells, assumed zeros, missing tables; the review queue."""

import polars as pl
import streamlit as st

from gip_data.errors import GipDataError
from gip_data.ui import data, page, quality, review_queue, widgets
from gip_data.ui.escape import md
from gip_data.ui.nav import PAGE_BY_FILE
from gip_data.ui.printed import failing_rules
from gip_data.views import ANOMALIES, QUALITY_OVERVIEW, QUALITY_REPORTS

view = page.start("数据质量")
if not page.no_data(view):
    q = view.get(QUALITY_OVERVIEW).row(0, named=True)
    cols = st.columns(5)
    cols[0].metric("报告数", widgets.count(q["reports"]))
    cols[1].metric("勾稽规则不成立", widgets.count(q["failing"]))
    cols[2].metric("有补全的单元格", widgets.count(q["repaired"]))
    cols[3].metric("有按0处理的空白", widgets.count(q["assumed"]))
    cols[4].metric("缺少表格", widgets.count(q["missing"]))
    flagged = view.get(QUALITY_REPORTS, 200)
    if flagged.height == 0:
        st.success("当前视图中的报告全部通过勾稽检查，没有补全或按0处理的单元格。")
    else:
        report_page = PAGE_BY_FILE["report_detail.py"].path

        def link_query(report_id: int) -> dict[str, str | list[str]]:
            return {**view.filters.to_query(), "id": str(report_id)}  # the filters travel along

        st.caption("点击表格中的一行，在本页打开该报告的详情。")
        picked = st.dataframe(flagged, hide_index=True, on_select="rerun", selection_mode="single-row",
                              key="quality_pick", column_config={
            "report_id": "编号", "agency": "机关", "year": "年度", "level": "层级", "failed_checks": "不成立的规则数",
            "repairs": "补全", "assumed_zeros": "按0处理", "missing_tables": "缺表"})
        chosen = picked.selection.rows if picked else []
        if chosen:
            st.switch_page(report_page, query_params=link_query(flagged["report_id"][chosen[0]]))
        st.markdown("**最需要核对的报告**")
        for rid, agency, year in flagged.select("report_id", "agency", "year").head(5).iter_rows():
            st.page_link(report_page, label=f"编号 {rid}：{md(agency or '（未识别机关）')} {year or ''}年",
                         query_params=link_query(rid), icon=":material/open_in_new:")
        widgets.download_buttons(flagged, "quality_reports", "quality")
        st.subheader("不成立的规则（前20份报告）")
        store = data.get_store()
        rows = []
        for report_id in flagged.filter(pl.col("failed_checks") > 0)["report_id"].head(20).to_list():
            try:
                record = store.get_report(report_id).record
            except GipDataError:
                continue
            for sentence in failing_rules(record):  # the rule and the place in the template's words
                rows.append({"编号": report_id, "机关": record.agency, "规则": sentence.title, "说明": sentence.detail})
        if rows:
            st.dataframe(pl.DataFrame(rows), hide_index=True)
    st.subheader("待人工核对")
    st.caption("勾稽关系不成立、有未读出的数、空白按0处理而所在合计不为0、OCR 识别存疑、正文所述件数与表格不符的报告；"
               "工作人员在报告详情页标记“已复核”后移出本清单。点击一行，打开该报告并定位到问题所在的数字。")
    kind = widgets.page_control("qf", st.selectbox, "问题类型", list(review_queue.KINDS), "all",
                                format_func=review_queue.kind_label)
    review_queue.review_queue_section(view, kind)
    st.subheader("异常提示（同比突变、同级为零）")
    quality.anomaly_list(view.get(ANOMALIES, 200), "当前视图没有同比突变或同级为零的异常。")
