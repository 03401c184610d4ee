"""年报质量: checks per report rolled up, bodies ranked by score, evidence of each failed check, hierarchy, coverage."""

import polars as pl
import streamlit as st

from gip_data import views
from gip_data.briefing_content import briefing_for
from gip_data.quality.checks import CHECKS
from gip_data.quality.hierarchy import QUANTITIES, members_text
from gip_data.ui import page, quality, share, state, widgets
from gip_data.ui import quality_data as qd
from gip_data.ui.escape import md
from gip_data.ui.nav import PAGE_BY_FILE

view = page.start("年报质量")
if not page.no_data(view):
    report_page = PAGE_BY_FILE["report_detail.py"]
    report_url = lambda rid: f"/{report_page.url_path}?id={rid}"  # noqa: E731

    st.caption("每份报告逐项检查：通过 / 未通过 / 无法判断（缺少所需信息时不计入得分）/ 不适用。"
               "质量得分 = 通过项 ÷ 可判断项。")
    checks = view.get(views.QUALITY_CHECKS)
    st.dataframe(checks.select(
        pl.col("name").alias("检查项"), pl.col("pass").alias("通过"), pl.col("fail").alias("未通过"),
        pl.col("unknown").alias("无法判断"), pl.col("not_applicable").alias("不适用"),
        pl.col("pass_rate").alias("通过率")), hide_index=True,
        column_config={"通过率": st.column_config.NumberColumn(format="percent")})
    with st.expander("各检查项的含义"):
        st.markdown("\n".join(f"- **{c.name}**：{c.description}" for c in CHECKS))

    by = widgets.page_control("qb", st.segmented_control, "汇总", ["level", "province", "year"], "level",
                              format_func={"level": "按层级", "province": "按省份", "year": "按年度"}.get) or "level"
    rolled = view.get(views.QUALITY_BY, (by,))
    widgets.download_buttons(rolled, f"quality_by_{by}", f"rollup_{by}")
    st.dataframe(rolled.select(by, "reports", "passes", "fails", "score"), hide_index=True, column_config={
        by: {"level": "层级", "province": "省份", "year": "年度"}[by], "reports": "报告数", "passes": "通过项",
        "fails": "未通过项", "score": st.column_config.ProgressColumn("质量得分", format="percent", min_value=0,
                                                                     max_value=1)})

    st.subheader("机关排名")
    worst = widgets.page_control("qw", st.segmented_control, "排序", ["best", "worst"], "worst",
                                 format_func={"best": "得分从高到低", "worst": "得分从低到高"}.get) == "worst"
    ranked = view.get(views.QUALITY_RANKING, 100, worst)
    if ranked.height == 0:
        st.info("当前视图没有可排名的机关。")
    else:
        quality.ranking_table(ranked, report_url, key="quality_ranking")
        widgets.download_buttons(ranked, "quality_ranking", "ranking")
        names = ranked.select("latest_report", "agency").rows()
        picked = widgets.page_control("qr", st.selectbox, "查看机关最新报告的逐项检查", [None, *[r for r, _ in names]],
                                      None, parse=int, format_func=lambda r: "请选择" if r is None else next(
                                          (f"{a or '（未识别机关）'}（编号{r}）" for x, a in names if x == r), str(r)))
        if picked:
            found = qd.findings(view.version, picked)
            quality.failed_list(found)
            quality.findings_table(found)
            st.page_link(str(report_page.path), label=f"打开报告（编号{picked}）", query_params={"id": str(picked)},
                         icon=":material/open_in_new:")

    st.subheader("汇总报告与下属机关报告")
    gaps = view.get(views.AGGREGATE_GAPS)
    if view.filters.scope != "sum":
        st.caption("辖区汇总报告（全省/全市/全县汇总）属于统计口径“辖区汇总报告”：在左侧切换口径后，"
                   "这里列出每份汇总报告与已入库的下属机关报告之和的差额。")
    elif gaps.height == 0:
        st.caption("当前视图中没有辖区汇总报告（全省/全市/全县汇总）。")
    else:
        st.caption("汇总报告的数字与已入库的下属机关报告之和相比；差额多为尚未入库的报告，也可能是汇总错误。")
        shown = gaps.with_columns(pl.Series("下属报告", [members_text(r) for r in gaps.iter_rows(named=True)]))
        st.dataframe(shown.select(
            pl.col("agency").alias("汇总报告"), pl.col("year").alias("年度"), "下属报告",
            *(pl.col(q).alias(label) for q, label in QUANTITIES.items()),
            *(pl.col(f"{q}_gap").alias(f"{label}差额") for q, label in QUANTITIES.items())), hide_index=True)

    st.subheader("尚未报送的机关")
    years = sorted({y for y in view.get(views.QUALITY_BY, ("year",))["year"].to_list() if y is not None})
    if years:
        year = widgets.page_control("qy", st.selectbox, "年度", years, years[-1], parse=int)
        missing = view.get(views.COVERAGE, year)
        st.caption(f"前两年有报告、{year}年尚无报告的机关：{missing.height}个（可导出）。")
        st.dataframe(missing.select(pl.col("agency").alias("机关"), pl.col("level").alias("层级"),
                                    pl.col("province").alias("省份"), pl.col("city").alias("城市"),
                                    pl.col("last_year").alias("最近报告年度")), hide_index=True)
        widgets.download_buttons(missing, f"coverage_{year}", "coverage")

    st.subheader("异常提示")
    anomalies = view.get(views.ANOMALIES, 500)
    if anomalies.height == 0:
        st.caption("当前视图没有同比突变或同级为零的异常。")
    else:
        st.dataframe(anomalies.select(pl.col("agency").alias("机关"), pl.col("year").alias("年度"),
                                  pl.col("kind").alias("类型"), pl.col("evidence").alias("依据")), hide_index=True)
        widgets.download_buttons(anomalies, "anomalies", "anomalies")

    quality.briefing_button(
        lambda: briefing_for(view.filters, share.full_link("scorecard", state.current_query(view.filters)),
                             *quality.kpis_and_summary(view), [],
                             checks, view.get(views.QUALITY_RANKING, 10, True), title="政务公开年报质量简报"),
        "年报质量简报.pdf", key="quality_briefing")
    st.caption(md(quality.SMALL_N_NOTE))
