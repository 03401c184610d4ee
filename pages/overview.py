"""总览: KPI cards with year-on-year change, the yearly trend and a summary paragraph."""

import streamlit as st

from gip_data import charts
from gip_data.filters import SCOPE_LABELS
from gip_data.summary import kpi_summary
from gip_data.ui import page, widgets
from gip_data.views import KPI_TABLE, YEARLY_TOTALS

TREND_CODES = ("recv", "apps", "open", "wh", "un", "bl")  # the metrics the trend charts and tables show

view = page.start("总览")
if not page.no_data(view):
    kpis = view.get(KPI_TABLE)
    year = kpis["year"][0]
    st.subheader(f"{year}年主要指标")
    rows = list(kpis.iter_rows(named=True))
    for start in range(0, len(rows), 4):
        for col, row in zip(st.columns(4), rows[start : start + 4], strict=False):
            is_rate = row["kind"] == "rate"
            value = widgets.percent(row["value"]) if is_rate else widgets.count(row["value"])
            change = row["change"]
            delta = None
            if change is not None:
                delta = f"{change * 100:+.1f}个百分点" if is_rate else f"{change * 100:+.1f}%"
            inverse = row["metric"] in ("wh", "un", "fwd", "rvn", "ltn", "rvc", "ltc")
            col.metric(row["label"], value, delta, delta_color="inverse" if inverse else "normal",
                       help="同比：仅比较两年都有报告的机关" if change is not None else "无上年可比数据")
    st.markdown("**摘要**")
    st.write(kpi_summary(kpis, SCOPE_LABELS[view.filters.scope]))
    widgets.download_buttons(kpis, f"kpi_{year}", "kpi")
    yearly = view.get(YEARLY_TOTALS, TREND_CODES)
    st.subheader("逐年趋势")
    left, right = st.columns(2)
    with left:
        fig = charts.trend_line(yearly, ["recv", "apps"], "申请量")
        widgets.chart(fig, yearly.select("year", "reports", "new", "carried_over", "recv"), "trend_volume", "tv",
                      empty=charts.TREND_NEEDS_TWO_YEARS)
    with right:
        fig = charts.trend_line(yearly, ["open", "wh", "un", "bl"], "公开率、不予公开率、无法提供率、结转率（分母：办结总计/受理总量）")
        widgets.chart(fig, yearly.select("year", "closed", "open", "wh", "un", "bl"), "trend_rates", "tr",
                      empty=charts.TREND_NEEDS_TWO_YEARS)
